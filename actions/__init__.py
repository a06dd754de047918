"""What the assistant does: rasa-sdk Action and FormValidationAction classes, each a thin
adapter over plain service functions (knowledge, feedback, survey, tasks). The embedded
engine runs them in-process; `python -m rasa_sdk --actions actions` serves them to Rasa."""

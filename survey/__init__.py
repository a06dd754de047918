"""Satisfaction surveys (SIPAS): the questionnaire as data, responses, statistics."""

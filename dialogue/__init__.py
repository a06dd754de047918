"""The conversation engine: dialogue state, forms, and the loop that runs actions."""

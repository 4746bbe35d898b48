"""Models for learning."""

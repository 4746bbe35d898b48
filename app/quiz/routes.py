"""Views of the quiz blueprint."""

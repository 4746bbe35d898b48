"""Views of the verify blueprint."""

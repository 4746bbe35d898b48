"""Views of the check blueprint."""

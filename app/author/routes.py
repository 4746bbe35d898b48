"""Views of the author blueprint."""

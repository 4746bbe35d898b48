"""Views of the institution blueprint."""

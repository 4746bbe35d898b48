"""Views of the certify blueprint."""

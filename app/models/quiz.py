"""Models for quiz."""

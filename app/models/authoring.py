"""Models for authoring: drafts, review, analytics."""

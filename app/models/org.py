"""Models for institutions: invites, assignments, API tokens."""

"""Models for certificate."""

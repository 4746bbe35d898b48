"""Views of the learn blueprint."""

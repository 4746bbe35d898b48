"""Build-time helpers that regenerate the bundled data files; never imported by the checker."""

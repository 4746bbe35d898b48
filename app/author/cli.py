"""`postrx author` commands (educators' tools)."""

import click


@click.group("author")
def author_group() -> None:
    """Educators' tools: analytics exports."""

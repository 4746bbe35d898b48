"""`postrx content` commands."""

import click


@click.group("content")
def content_group() -> None:
    """Course content: check and load."""

"""`postrx privacy` commands."""

import click


@click.group("privacy")
def privacy_group() -> None:
    """The draft-post privacy checker."""

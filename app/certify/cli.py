"""`postrx certificates` commands."""

import click


@click.group("certificates")
def certificates_group() -> None:
    """CE certificates."""

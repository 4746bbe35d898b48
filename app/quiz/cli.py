"""`postrx scenarios` commands."""

import click


@click.group("scenarios")
def scenarios_group() -> None:
    """The scenario bank: list, check, export, import."""

"""`postrx certificates` commands: thin wrappers over services.certificates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app


@click.group("certificates")
def certificates_group() -> None:
    """CE certificates."""


@certificates_group.command("render-sample")
@click.option("--name", required=True, help="Learner name to print (any script).")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="PDF file."
)
@click.option("--duplicate", is_flag=True, help="Mark the specimen as a DUPLICATE reprint.")
def render_sample(name: str, out: Path, duplicate: bool) -> None:
    """Render a specimen certificate for NAME; the same name always gives the same bytes."""
    from certificates.fonts import missing_characters
    from certificates.render import render_pdf
    from certificates.sample import specimen_data

    missing = missing_characters(name)
    if missing:
        raise click.ClickException(
            f"Cannot print these characters: {' '.join(sorted(set(missing)))}"
        )
    pdf = render_pdf(specimen_data(name, duplicate=duplicate), current_app.config["BASE_URL"])
    out.write_bytes(pdf)
    click.echo(f"Wrote {out} ({len(pdf):,} bytes).")


@certificates_group.command("revoke")
@click.argument("number")
@click.option("--reason", required=True, help="Shown on the public verify page.")
def revoke(number: str, reason: str) -> None:
    """Revoke the certificate NUMBER (audited; the verify page shows the reason)."""
    from app.db_tx import transaction
    from app.services.certificates import CertificateError, revoke_by_number

    try:
        with transaction():
            cert = revoke_by_number(number, reason=reason, now=datetime.now(UTC))
    except CertificateError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Revoked {cert.number}: {cert.revoked_reason}")


@certificates_group.command("setup-keys")
def setup_keys_command() -> None:
    """Create the Open Badges signing key if there is none (postrx setup does this too)."""
    from app.db_tx import transaction
    from app.services.certificates import setup_keys

    with transaction():
        status = setup_keys()
    click.echo(status)

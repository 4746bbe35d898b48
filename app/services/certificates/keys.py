"""Open Badges signing keys.

The public JWK is a row (``SigningKey``); the PRIVATE key is a PEM file
``INSTANCE_DIR/keys/<kid>.pem`` written with mode 0600 in a 0700 folder. A database dump or
backup therefore never carries it, and rotating SECRET_KEY does not break signing. Back the
keys folder up with the instance folder; on several app servers share it (or run
``postrx setup`` once and copy it). A server that cannot find a key's file makes a new key
(the row lands with the caller's transaction); older keys stay in the JWKS so credentials
they signed keep verifying.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models.certificate import SigningKey
from certificates import ob3


def _keys_dir() -> Path:
    path = Path(current_app.config["INSTANCE_DIR"]) / "keys"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _key_path(kid: str) -> Path:
    return _keys_dir() / f"{kid}.pem"


def _create_key() -> tuple[str, bytes]:
    pem, jwk = ob3.generate_keypair()
    kid = f"postrx-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"
    fd = os.open(_key_path(kid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    db.session.add(SigningKey(kid=kid, public_jwk={**jwk, "kid": kid}))
    return kid, pem


def signing_key() -> tuple[str, bytes]:
    """(kid, private PEM) of the newest key whose file this server has; made on first use."""
    for row in db.session.scalars(
        select(SigningKey).order_by(SigningKey.created_at.desc(), SigningKey.id.desc())
    ):
        path = _key_path(row.kid)
        if path.exists():
            return row.kid, path.read_bytes()
    return _create_key()


def setup_keys() -> str:
    """Make sure a signing key exists (called by `postrx setup`); returns a status line."""
    kid, _pem = signing_key()
    return f"Open Badges signing key {kid} ready (private key in {_keys_dir()})."


def jwks() -> dict[str, Any]:
    """Every public key ever used, so old credentials keep verifying after a new key."""
    rows = db.session.scalars(select(SigningKey).order_by(SigningKey.id))
    return {"keys": [dict(row.public_jwk) for row in rows]}

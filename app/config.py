"""Configuration read from the environment.

Everything deploy-specific comes from environment variables so the same code runs on a laptop
(SQLite, generated secret) and in production (PostgreSQL, Redis, a real secret).

Nothing here touches the filesystem or depends on the current directory: the instance folder
(SQLite file, generated secret key, Open Badges signing keys) is Flask's ``app.instance_path``,
fixed by ``create_app()``, and ``apply_instance_defaults()`` derives the paths from it then.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections.abc import MutableMapping
from datetime import timedelta
from pathlib import Path
from typing import Any

# The folder holding the `app` package (and pyproject.toml in a checkout). A relative
# POSTRX_INSTANCE_DIR is resolved against it, so `postrx` finds the same instance from any cwd.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """Raised when the environment is not good enough to start the app."""


def normalize_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver, which is the one we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_hops(name: str) -> int:
    """How many proxies in front of the app to trust (0, the default: X-Forwarded-* ignored)."""
    value = os.environ.get(name, "0").strip() or "0"
    if not value.isdigit():
        raise ConfigError(f"{name}={value!r} must be a whole number of proxies (0 for none).")
    return int(value)


def _log_level(value: str) -> int:
    """A level name (any case) or number; a typo fails at start-up instead of logging nothing."""
    text = value.strip()
    if text.isdigit():
        return int(text)
    level = logging.getLevelNamesMapping().get(text.upper())
    if level is None:
        raise ConfigError(f"POSTRX_LOG_LEVEL={value!r} is not a logging level (e.g. INFO, DEBUG).")
    return level


def resolve_instance_path(configured: str | os.PathLike[str] | None) -> str | None:
    """The absolute instance folder for a configured value; None means Flask's default.

    Relative values are taken from the project root, never the current directory, so a command
    started in a subfolder cannot silently create a second database and signing key there.
    """
    if configured is None or not str(configured).strip():
        return None
    path = Path(configured).expanduser()
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return os.path.normpath(path)


def _secret_key(instance_path: Path, production: bool) -> str:
    """In development, generated once into the instance folder and reused by every process.

    Written to a private temporary file and linked into place, so two processes starting at
    once agree on one key and no reader ever sees a half-written or world-readable file.
    """
    if production:
        raise ConfigError("SECRET_KEY must be set when POSTRX_ENV=production.")
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        tmp = instance_path / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
            with contextlib.suppress(FileExistsError):  # another process won: use its key
                os.link(tmp, path)
        finally:
            tmp.unlink()
    key = path.read_text().strip()
    if not key:
        raise ConfigError(f"{path} is empty: delete it to generate a new key, or set SECRET_KEY.")
    return key


def apply_instance_defaults(config: MutableMapping[str, Any], instance_path: str) -> None:
    """Fill what depends on the app's instance folder (called by create_app).

    INSTANCE_DIR becomes the resolved folder; a missing SECRET_KEY is read from (or generated
    into) ``<instance>/secret_key``; a missing database URL is ``<instance>/postrx.sqlite3``.
    """
    folder = Path(instance_path)
    config["INSTANCE_DIR"] = str(folder)
    production = config.get("ENV_NAME") == "production"
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _secret_key(folder, production)
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        folder.mkdir(parents=True, exist_ok=True)
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{folder / 'postrx.sqlite3'}"


class Config:
    """Settings for development and production, read from the environment when constructed."""

    TESTING = False

    def __init__(self) -> None:
        self.ENV_NAME = os.environ.get("POSTRX_ENV", "development")
        production = self.ENV_NAME == "production"
        # Absolute, or relative to the project root; unset: Flask's default instance folder.
        # create_app() replaces it with the resolved `app.instance_path`.
        self.INSTANCE_DIR: str | None = os.environ.get("POSTRX_INSTANCE_DIR") or None
        # None: create_app() reads or generates <instance>/secret_key (development only).
        self.SECRET_KEY: str | None = os.environ.get("SECRET_KEY") or None
        if production and not self.SECRET_KEY:
            raise ConfigError("SECRET_KEY must be set when POSTRX_ENV=production.")
        url = os.environ.get("DATABASE_URL")
        # None: create_app() uses <instance>/postrx.sqlite3.
        self.SQLALCHEMY_DATABASE_URI: str | None = normalize_database_url(url) if url else None
        self.LOG_LEVEL = _log_level(os.environ.get("POSTRX_LOG_LEVEL", "INFO"))
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.BASE_URL = os.environ.get("POSTRX_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        secure = production or self.BASE_URL.startswith("https://")
        self.SESSION_COOKIE_SECURE = secure
        self.REMEMBER_COOKIE_SECURE = secure
        self.PREFERRED_URL_SCHEME = "https" if secure else "http"
        self.RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
        self.RATELIMIT_ENABLED = _env_bool("POSTRX_RATELIMIT", True)
        self.TRUSTED_PROXIES = _env_hops("POSTRX_TRUSTED_PROXIES")  # ProxyFix hops; 0 = none
        # Server-side sign-in sessions (app/services/accounts/sessions.py): ended at this age
        # however active, and after this many idle minutes (0: no idle limit).
        self.PERMANENT_SESSION_LIFETIME = timedelta(
            days=float(os.environ.get("POSTRX_SESSION_LIFETIME_DAYS", "30"))
        )
        self.REMEMBER_COOKIE_DURATION = self.PERMANENT_SESSION_LIFETIME
        self.SESSION_IDLE_MINUTES = float(os.environ.get("POSTRX_SESSION_IDLE_MINUTES", "10080"))
        # Background jobs (app/jobs): the Celery broker. Unset: REDIS_URL; neither: the embedded
        # filesystem broker in the instance folder (one machine; `postrx run` starts a worker).
        self.CELERY_BROKER_URL = (
            os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""
        )
        self.JOBS_EAGER = _env_bool("POSTRX_JOBS_EAGER", False)  # run jobs in the caller
        self.JOB_RETENTION_HOURS = float(os.environ.get("POSTRX_JOB_RETENTION_HOURS", "168"))
        self.JOB_LEASE_SECONDS = float(os.environ.get("POSTRX_JOB_LEASE_SECONDS", "60"))
        self.JOB_SWEEP_SECONDS = float(os.environ.get("POSTRX_JOB_SWEEP_SECONDS", "30"))
        self.JOB_QUEUED_GRACE_SECONDS = float(
            os.environ.get("POSTRX_JOB_QUEUED_GRACE_SECONDS", "120")
        )
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
        self.MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "PostRx <no-reply@localhost>")
        # What learners are told to expect while a written answer waits for an educator.
        self.REVIEW_TARGET_DAYS = int(os.environ.get("POSTRX_REVIEW_TARGET_DAYS", "3"))
        self.PROVIDER_NAME = os.environ.get("POSTRX_PROVIDER_NAME", "PostRx Continuing Education")
        self.PROVIDER_ADDRESS = os.environ.get(
            "POSTRX_PROVIDER_ADDRESS", "100 Example Street, Springfield, IL 62701, USA"
        )
        self.PROVIDER_URL = os.environ.get("POSTRX_PROVIDER_URL", self.BASE_URL)
        self.ACCREDITATION_STATEMENT = os.environ.get(
            "POSTRX_ACCREDITATION_STATEMENT",
            "Demonstration provider: this installation has not been accredited. Set "
            "POSTRX_ACCREDITATION_STATEMENT to your provider's approved statement.",
        )

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    PASSWORD_RESET_MAX_AGE = 3600
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"


class TestConfig(Config):
    """Fast, isolated settings for the test suite: in-memory or TEST_DATABASE_URL."""

    TESTING = True

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = "test-secret-key"
        url = os.environ.get("TEST_DATABASE_URL")
        self.SQLALCHEMY_DATABASE_URI = normalize_database_url(url) if url else "sqlite://"
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_STORAGE_URI = "memory://"
        # Jobs run in the test's own process unless a test starts a real worker.
        self.CELERY_BROKER_URL = "memory://"
        self.JOBS_EAGER = True
        self.BASE_URL = "http://verify.test"
        self.SERVER_NAME = None

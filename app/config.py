"""Configuration read from the environment.

Everything deploy-specific comes from environment variables so the same code runs on a laptop
(SQLite, generated secret) and in production (PostgreSQL, Redis, a real secret).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("POSTRX_INSTANCE_DIR", Path.cwd() / "instance"))


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


def _secret_key(instance_dir: Path, production: bool) -> str:
    """SECRET_KEY from the environment; in development, generated once and kept on disk."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY must be set when POSTRX_ENV=production.")
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Config:
    """Settings for development and production, resolved when the app is built."""

    TESTING = False

    def __init__(self) -> None:
        instance_dir = INSTANCE_DIR
        self.ENV_NAME = os.environ.get("POSTRX_ENV", "development")
        production = self.ENV_NAME == "production"
        self.INSTANCE_DIR = str(instance_dir)
        self.SECRET_KEY = _secret_key(instance_dir, production)
        default_db = f"sqlite:///{instance_dir / 'postrx.sqlite3'}"
        self.SQLALCHEMY_DATABASE_URI = normalize_database_url(
            os.environ.get("DATABASE_URL", default_db)
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.BASE_URL = os.environ.get("POSTRX_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        secure = production or self.BASE_URL.startswith("https://")
        self.SESSION_COOKIE_SECURE = secure
        self.REMEMBER_COOKIE_SECURE = secure
        self.PREFERRED_URL_SCHEME = "https" if secure else "http"
        self.RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
        self.RATELIMIT_ENABLED = _env_bool("POSTRX_RATELIMIT", True)
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
        self.BASE_URL = "http://verify.test"
        self.SERVER_NAME = None

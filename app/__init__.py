"""PostRx web layer. `create_app()` is the only place a Flask app is built.

Importing this package (or any module under it) changes nothing global: the instance folder,
logging, the completion-record hook and SQLite's foreign keys are all set up by `create_app()`,
for the app it builds.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from app import input_limits
from app.config import Config, apply_instance_defaults, resolve_instance_path
from app.extensions import csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def create_app(config: Config | None = None) -> Flask:
    """Build an app bound to its own extensions, blueprints and configuration.

    The instance folder is fixed here, not at import: POSTRX_INSTANCE_DIR (absolute, or relative
    to the project root) or Flask's default, so every process finds the same database and keys
    whatever its working directory.
    """
    config = config or Config()
    instance_path = resolve_instance_path(getattr(config, "INSTANCE_DIR", None))
    app = Flask(__name__, instance_path=instance_path)
    app.config.from_object(config)
    apply_instance_defaults(app.config, app.instance_path)
    _configure_logging(app)
    _trust_proxies(app)

    db.init_app(app)
    _enable_sqlite_foreign_keys(app)
    migrate.init_app(
        app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True
    )
    from app.jobs.uploads import allow_large_roster

    app.before_request(allow_large_roster)  # before CSRF and the input checks read the form
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    limiter.init_app(app)
    input_limits.install(app)  # bounded <int:…> before any route; hostile text refused

    from app import models  # noqa: F401  (registers every table)
    from app.services import records

    records.register(db)

    from app.auth.sessions import load_user

    login_manager.user_loader(load_user)  # server-side sessions: a revoked one signs no one in

    from app.jobs import handlers as _handlers  # noqa: F401  (registers the job kinds)
    from app.jobs import init_celery

    init_celery(app)
    _register_blueprints(app)
    _register_errors(app)
    _register_security_headers(app)
    _register_template_helpers(app)

    from app.cli import register_commands

    register_commands(app)
    return app


def _configure_logging(app: Flask) -> None:
    """Give PostRx's loggers a level and, if nobody else has, somewhere to write.

    Only for a real run: under test the runner owns logging. The root logger is never touched,
    and nothing is added once any handler exists on the root or on `postrx` (gunicorn's
    --log-config, an embedding app, a second create_app()). Not dictConfig: a non-incremental
    dictConfig closes every handler already installed, gunicorn's included.
    """
    if app.testing:
        return
    level = app.config.get("LOG_LEVEL", logging.INFO)
    app.logger.setLevel(level)
    logger = logging.getLogger("postrx")  # services log under postrx.* (e.g. postrx.mail)
    logger.setLevel(level)
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()  # stderr, beside Flask's own default handler
    handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s in %(name)s: %(message)s"))
    logger.addHandler(handler)


def _trust_proxies(app: Flask) -> None:
    """Behind N trusted proxies, take the client's address, scheme and host from their headers.

    Only then: with no proxy (the default) X-Forwarded-* is whatever a client typed, and the
    per-address sign-in limit and the audit log must not believe it.
    """
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops > 0:
        fixed = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
        app.wsgi_app = fixed  # type: ignore[method-assign]


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    """Listen on this app's engines only, not on every Engine in the process."""
    with app.app_context():
        for engine in db.engines.values():
            if not event.contains(engine, "connect", _sqlite_foreign_keys):
                event.listen(engine, "connect", _sqlite_foreign_keys)


def _register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.author import bp as author_bp
    from app.certify import bp as certify_bp
    from app.check import bp as check_bp
    from app.institution import bp as institution_bp
    from app.jobs import bp as jobs_bp
    from app.learn import bp as learn_bp
    from app.main import bp as main_bp
    from app.quiz import bp as quiz_bp
    from app.verify import bp as verify_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp, url_prefix="/course")
    app.register_blueprint(quiz_bp, url_prefix="/quiz")
    app.register_blueprint(certify_bp, url_prefix="/certificates")
    app.register_blueprint(verify_bp, url_prefix="/verify")
    app.register_blueprint(check_bp, url_prefix="/check-my-post")
    app.register_blueprint(author_bp, url_prefix="/author")
    app.register_blueprint(institution_bp, url_prefix="/org")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(jobs_bp, url_prefix="/jobs")


def _register_errors(app: Flask) -> None:
    def render_error(code: int, title: str, message: str) -> tuple[str, int]:
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(403)
    def forbidden(_e: Exception) -> tuple[str, int]:
        return render_error(403, "Not allowed", "Your account does not have access to this page.")

    @app.errorhandler(404)
    def not_found(_e: Exception) -> tuple[str, int]:
        return render_error(404, "Page not found", "We could not find the page you asked for.")

    @app.errorhandler(413)
    def too_large(_e: Exception) -> tuple[str, int]:
        return render_error(413, "Upload too large", "The file you sent is larger than allowed.")

    @app.errorhandler(429)
    def too_many(_e: Exception) -> tuple[str, int]:
        return render_error(429, "Too many attempts", "Please wait a minute before you try again.")

    @app.errorhandler(500)
    def server_error(_e: Exception) -> tuple[str, int]:
        db.session.rollback()
        return render_error(
            500, "Something went wrong", "The error has been logged. Please try again shortly."
        )

    @app.errorhandler(CSRFError)
    def csrf_error(e: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            "Form expired",
            "Your form could not be accepted because its security token was missing or "
            "expired. Go back, reload the page and submit again.",
        )


def _register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint and request.endpoint.startswith("auth."):
            h["Cache-Control"] = "no-store"
        return response


def _register_template_helpers(app: Flask) -> None:
    from app.models import Role

    @app.context_processor
    def globals_() -> dict[str, Any]:
        return {"Role": Role, "provider_name": app.config["PROVIDER_NAME"]}


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys unless asked; we rely on them (cascades, integrity)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

"""The app edge: one instance folder whatever the cwd, logging left to the host, hooks per app."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from app import config as app_config
from app import create_app
from app.config import PROJECT_ROOT, Config, ConfigError, resolve_instance_path
from app.extensions import db
from app.models import Enrollment
from app.services import records
from app.services.institutions import COURSE_SLUG

POSTRX = Path(sys.executable).parent / "postrx"

# Lines fed to `postrx shell`: where this process's instance, database and secret are.
REPORT = (
    "import hashlib, json",
    'print("RESULT " + json.dumps({"instance": app.instance_path, '
    '"database": app.config["SQLALCHEMY_DATABASE_URI"], '
    '"secret": hashlib.sha256(app.config["SECRET_KEY"].encode()).hexdigest()}))',
)
# ...and, in a throwaway instance, a row written through the real database connection.
PROBE = (
    "import os",
    "from sqlalchemy import text",
    "from app.extensions import db",
    'db.session.execute(text("CREATE TABLE IF NOT EXISTS probe (cwd TEXT)"))',
    'db.session.execute(text("INSERT INTO probe VALUES (:cwd)"), {"cwd": os.getcwd()})',
    "db.session.commit()",
    'print("ROWS " + json.dumps(sorted(r[0] for r in db.session.execute(text("SELECT cwd FROM probe")))))',
)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The caller's environment minus every PostRx/Flask setting, with a fresh HOME."""
    dropped = {"SECRET_KEY", "DATABASE_URL", "TEST_DATABASE_URL", "PYTHONSTARTUP"}
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in dropped and not k.startswith(("POSTRX_", "FLASK_"))
    }
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    # The checkout first on the path, as the editable install has it; this keeps the test
    # about the working directory, not about how fresh the venv's install mapping is.
    env.update(HOME=str(home), PYTHONPATH=str(PROJECT_ROOT), **extra)
    return env


def _postrx_shell(cwd: Path, env: dict[str, str], lines: tuple[str, ...]) -> dict[str, Any]:
    result = subprocess.run(
        [str(POSTRX), "shell"],
        input="\n".join(lines) + "\n",
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out: dict[str, Any] = {}
    for line in result.stdout.splitlines():
        for tag in ("RESULT ", "ROWS "):
            if tag in line:
                out[tag.strip()] = json.loads(line.split(tag, 1)[1])
    assert "RESULT" in out, result.stdout + result.stderr
    return out


def _two_working_dirs(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "one", tmp_path / "elsewhere" / "deeper"
    first.mkdir()
    second.mkdir(parents=True)
    return first, second


def test_postrx_uses_the_configured_instance_from_any_directory(tmp_path):
    instance = tmp_path / "instance-here"
    env = _env(tmp_path, POSTRX_INSTANCE_DIR=str(instance))
    first, second = _two_working_dirs(tmp_path)

    a = _postrx_shell(first, env, REPORT + PROBE)
    b = _postrx_shell(second, env, REPORT + PROBE)

    assert a["RESULT"] == b["RESULT"]
    assert a["RESULT"]["instance"] == str(instance)
    assert a["RESULT"]["database"] == f"sqlite:///{instance / 'postrx.sqlite3'}"
    assert b["ROWS"] == sorted([str(first), str(second)])  # one database, written twice
    key_file = instance / "secret_key"
    assert a["RESULT"]["secret"] == hashlib.sha256(key_file.read_bytes().strip()).hexdigest()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert not (first / "instance").exists() and not (second / "instance").exists()


def test_postrx_without_an_instance_setting_uses_flasks_default_from_any_directory(tmp_path):
    """Unset, the instance is Flask's default for the package (`instance/` at the root of a
    checkout). Read-only here: no probe table in a developer's real database."""
    env = _env(tmp_path)
    first, second = _two_working_dirs(tmp_path)

    a = _postrx_shell(first, env, REPORT)
    b = _postrx_shell(second, env, REPORT)

    assert a["RESULT"] == b["RESULT"]
    default = Flask("app").instance_path
    assert a["RESULT"]["instance"] == default
    assert a["RESULT"]["database"] == f"sqlite:///{Path(default) / 'postrx.sqlite3'}"
    assert not (first / "instance").exists() and not (second / "instance").exists()


def test_a_relative_instance_dir_is_taken_from_the_project_root_not_the_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POSTRX_INSTANCE_DIR", "var/postrx-instance")

    app = create_app(app_config.TestConfig())

    expected = str(PROJECT_ROOT / "var" / "postrx-instance")
    assert app.instance_path == expected == app.config["INSTANCE_DIR"]
    assert resolve_instance_path("/srv/postrx") == "/srv/postrx"
    assert resolve_instance_path(None) is None and resolve_instance_path("") is None
    assert not (tmp_path / "var").exists()


@pytest.fixture
def _own_logging() -> Iterator[None]:
    """A non-test app sets PostRx's log levels; put them back for the rest of the suite."""
    loggers = [logging.getLogger("postrx"), logging.getLogger("app")]
    saved = [(lg, lg.level, list(lg.handlers)) for lg in loggers]
    yield
    for lg, level, handlers in saved:
        lg.setLevel(level)
        lg.handlers[:] = handlers


@pytest.fixture
def dev_env(tmp_path, monkeypatch) -> Path:
    """A development environment with nothing set but the instance folder."""
    for name in ("SECRET_KEY", "DATABASE_URL", "POSTRX_ENV", "POSTRX_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "inst"
    monkeypatch.setenv("POSTRX_INSTANCE_DIR", str(instance))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return instance


def test_config_reads_no_files_the_app_derives_the_secret_and_database_from_its_instance(
    dev_env, _own_logging
):
    config = Config()
    assert config.SECRET_KEY is None and config.SQLALCHEMY_DATABASE_URI is None
    assert not dev_env.exists()

    first, second = create_app(Config()), create_app(Config())

    assert first.instance_path == str(dev_env) == first.config["INSTANCE_DIR"]
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert first.config["SECRET_KEY"] == (dev_env / "secret_key").read_text().strip()
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{dev_env / 'postrx.sqlite3'}"
    assert not (Path.cwd() / "instance").exists()
    assert [p.name for p in dev_env.iterdir()] == ["secret_key"]  # no temporary file left


def test_production_still_requires_a_secret_key_and_writes_nothing(dev_env, monkeypatch):
    monkeypatch.setenv("POSTRX_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        Config()
    assert not dev_env.exists()


def test_an_unknown_log_level_stops_the_start(dev_env, monkeypatch):
    monkeypatch.setenv("POSTRX_LOG_LEVEL", "LOUD")
    with pytest.raises(ConfigError, match="POSTRX_LOG_LEVEL"):
        Config()


def test_creating_an_app_neither_calls_basicconfig_nor_touches_the_root_logger(
    dev_env, monkeypatch, _own_logging
):
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level

    def forbidden(*_a: Any, **_k: Any) -> None:
        raise AssertionError("logging.basicConfig called")

    monkeypatch.setattr(logging, "basicConfig", forbidden)
    create_app(Config())
    create_app(app_config.TestConfig())

    assert root.handlers == handlers and root.level == level


LOGGING_SCRIPT = """
import json, logging, sys
logging.basicConfig = lambda *a, **k: sys.exit("basicConfig called")
from app import create_app
from app.config import Config, TestConfig
from app.services.mail import send_mail

create_app(TestConfig())
under_test = len(logging.getLogger("postrx").handlers)
app = create_app(Config())
create_app(Config())
with app.app_context():
    send_mail("learner@example.org", "Reset your password", "http://x/reset/abc")
pr = logging.getLogger("postrx")
print("RESULT " + json.dumps({
    "under_test": under_test,
    "root_handlers": len(logging.getLogger().handlers),
    "root_level": logging.getLogger().level,
    "postrx_handlers": len(pr.handlers),
    "postrx_level": pr.level,
    "app_level": app.logger.level,
}), flush=True)
"""


def _run_logging_script(tmp_path: Path, prelude: str = "", **env: str) -> tuple[dict, str, str]:
    result = subprocess.run(
        [sys.executable, "-c", prelude + LOGGING_SCRIPT],
        cwd=tmp_path,
        env=_env(tmp_path, POSTRX_INSTANCE_DIR=str(tmp_path / "inst"), **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :]), result.stdout, result.stderr


def test_a_real_run_logs_postrx_at_its_level_and_still_prints_unconfigured_mail(tmp_path):
    facts, stdout, stderr = _run_logging_script(tmp_path, POSTRX_LOG_LEVEL="debug")

    assert facts == {
        "under_test": 0,  # a test app leaves logging to the test runner
        "root_handlers": 0,
        "root_level": logging.WARNING,
        "postrx_handlers": 1,  # one handler, though two apps were built
        "postrx_level": logging.DEBUG,
        "app_level": logging.DEBUG,
    }
    assert "[mail not configured] To: learner@example.org" in stdout
    assert "http://x/reset/abc" in stdout
    assert "WARNING in postrx.mail: [mail not configured]" in stderr


def test_a_host_that_configured_logging_keeps_it(tmp_path):
    prelude = "import logging\nlogging.getLogger().addHandler(logging.StreamHandler())\n"
    facts, stdout, _stderr = _run_logging_script(tmp_path, prelude)

    assert facts["root_handlers"] == 1
    assert facts["postrx_handlers"] == 0  # the host's root handler gets our records
    assert facts["postrx_level"] == logging.INFO
    assert "[mail not configured]" in stdout


HOOK_SCRIPT = """
import json
from sqlalchemy import event
from sqlalchemy.orm import Session
from app.extensions import db
from app.services import records

def state():
    return {
        "db_session": [event.contains(db.session, n, fn) for n, fn in records._HOOKS],
        "every_session": [event.contains(Session, n, fn) for n, fn in records._HOOKS],
    }

before = state()
from app import create_app
from app.config import TestConfig
create_app(TestConfig())
print("RESULT " + json.dumps({"before": before, "after": state()}))
"""


def test_importing_records_registers_nothing_until_an_app_is_created(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", HOOK_SCRIPT],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    facts = json.loads(line[len("RESULT ") :])
    assert facts["before"] == {"db_session": [False] * 3, "every_session": [False] * 3}
    # Afterwards on the app's session only: other SQLAlchemy sessions stay unhooked.
    assert facts["after"] == {"db_session": [True] * 3, "every_session": [False] * 3}


def test_a_second_app_does_not_register_the_record_hook_twice(
    app, make_app, make_user, monkeypatch
):
    make_app()  # a second app on the same `db`
    records.register(db)  # and an explicit extra call
    notes: list[int] = []  # one per after_flush listener that ran
    refreshed: list[set[int]] = []
    touched, refresh = records._touched, records.refresh

    def counting_touched(session: Any) -> Any:
        notes.append(1)
        return touched(session)

    def counting_refresh(user_ids: Any, *args: Any, **kwargs: Any) -> None:
        refreshed.append(set(user_ids))
        refresh(user_ids, *args, **kwargs)

    monkeypatch.setattr(records, "_touched", counting_touched)
    monkeypatch.setattr(records, "refresh", counting_refresh)
    user = make_user()
    notes.clear()
    db.session.add(
        Enrollment(
            user_id=user.id,
            course_slug=COURSE_SLUG,
            course_version="1",
            started_at=datetime.now(UTC),
        )
    )
    db.session.flush()

    assert notes == [1]
    assert refreshed == [{user.id}]


def test_sqlite_foreign_keys_are_on_for_the_apps_engine_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragma")
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    other = create_engine("sqlite://")
    try:
        with other.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 0
    finally:
        other.dispose()

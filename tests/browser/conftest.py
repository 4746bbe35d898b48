"""A live server in a thread and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import gc
import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests.conftest import _Config, require_service

CHROMIUM = os.environ.get("POSTRX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Werkzeug's dev server leaks the open static file when the browser drops a connection
    mid-response; that ResourceWarning is the server's, not ours, so browser tests ignore it."""
    ignore = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(ignore)


@pytest.fixture
def live_app(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'live.db'}"
    app = create_app(
        _Config(
            SQLALCHEMY_DATABASE_URI=url,
            WTF_CSRF_ENABLED=True,
            INSTANCE_DIR=str(tmp_path),
            BASE_URL="http://127.0.0.1",
        )
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def live_server(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    live_app.config["BASE_URL"] = base
    yield base
    server.shutdown()
    thread.join(timeout=5)
    gc.collect()  # surface leaked-file warnings inside the browser test that caused them


@pytest.fixture(scope="session")
def browser():
    require_service(
        os.path.exists(CHROMIUM) or shutil.which("chromium") is not None,
        f"Chromium not found at {CHROMIUM} (apt-get install chromium)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"

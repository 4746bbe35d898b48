"""The lock files are in step with pyproject.toml: a dependency added there without `make lock`
fails here, before a fresh machine installs it at whatever version is newest that day."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
LOCKED_EXTRAS = ("dev", "production")  # what `make lock` resolves (scripts/lock.sh)
PRODUCTION_EXTRAS = ("production",)


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked(path: Path) -> dict[str, str]:
    """name -> version for every `name==version` line of a pip-compile output."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", path.read_text(), re.M)
    return {_name(n): v for n, v in pins}


def _requirements(extras: tuple[str, ...]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def _extra_packages(req: Requirement) -> set[str]:
    """What `name[extra]` adds (`flask-limiter[redis]`: limits, then redis), read from the
    installed distributions' metadata."""
    added: set[str] = set()
    if not req.extras:  # (not every locked package is installed: gunicorn is production's)
        return added
    for line in metadata.requires(req.name) or []:
        sub = Requirement(line)
        wanted = sub.marker and any(sub.marker.evaluate({"extra": e}) for e in req.extras)
        if wanted and not sub.marker.evaluate({"extra": ""}):
            added |= {_name(sub.name), *_extra_packages(sub)}
    return added


def _check(lock: Path, extras: tuple[str, ...]) -> None:
    pins = _locked(lock)
    for req in _requirements(extras):
        assert _name(req.name) in pins, f"{req.name} is not in {lock.name}: run `make lock`"
        assert req.specifier.contains(pins[_name(req.name)], prereleases=True), (
            f"{lock.name} pins {req.name}=={pins[_name(req.name)]}, outside {req.specifier}: "
            "run `make lock`"
        )
        for sub in _extra_packages(req):
            assert sub in pins, f"{sub} (from {req}) is not in {lock.name}: run `make lock`"


def test_every_dependency_and_extra_the_suite_installs_is_locked():
    _check(ROOT / "requirements.lock", LOCKED_EXTRAS)


def test_the_production_lock_has_hashes_and_the_versions_ci_tested():
    production = ROOT / "requirements-production.lock"
    _check(production, PRODUCTION_EXTRAS)
    tested = _locked(ROOT / "requirements.lock")
    prod = _locked(production)
    assert {n: v for n, v in prod.items() if tested.get(n) != v} == {}
    text = production.read_text()
    assert text.count("--hash=sha256:") >= len(prod)
    assert re.search(r"==[^\n]*\n(?!\s+--hash)", text) is None  # every pin carries its hashes

"""The core packages must stay framework-free (DESIGN.md principle 1)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "package", ["modules", "quizzes", "certificates", "privacy", "vocab", "yamlsrc"]
)
def test_core_package_imports_without_flask_or_sqlalchemy(package):
    code = (
        f"import importlib, pkgutil, sys; import {package} as p\n"
        "for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.'):\n"
        "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
        "top = {n.split('.')[0] for n in sys.modules}\n"
        "bad = sorted(top & {'flask', 'sqlalchemy', 'app'})\n"
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"{package} pulled in: {out}"

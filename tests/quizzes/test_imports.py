from __future__ import annotations

import subprocess
import sys


def test_importing_quizzes_loads_neither_flask_nor_sqlalchemy_nor_privacy():
    code = (
        "import sys, quizzes, quizzes.bank, quizzes.grading, quizzes.scorers, quizzes.matching, "
        "quizzes.__main__; "
        "print(sorted(m for m in ('flask', 'sqlalchemy', 'app', 'privacy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from quizzes import Bank, load_bank

FIXTURE_BANK = Path(__file__).parent / "fixtures" / "bank"


@dataclass(frozen=True)
class FakeFinding:
    category: str
    start: int
    end: int
    text: str
    explanation: str = "explained"
    guideline: int = 2


@dataclass(frozen=True)
class FakeReport:
    risk: str
    findings: tuple[FakeFinding, ...]


class FakeChecker:
    """Flags 'bed <n>' as a high-risk context cue and 'today' as a low one."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, text: str) -> FakeReport:
        self.calls.append(text)
        findings = []
        lowered = text.lower()
        i = lowered.find("bed ")
        if i >= 0:
            end = i + 5
            findings.append(
                FakeFinding("context", i, end, text[i:end], "A bed number locates a patient.", 2)
            )
            return FakeReport("high", tuple(findings))
        j = lowered.find("today")
        if j >= 0:
            findings.append(
                FakeFinding("date", j, j + 5, text[j : j + 5], "A date narrows it down.", 2)
            )
            return FakeReport("low", tuple(findings))
        return FakeReport("none", ())


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank(FIXTURE_BANK)


@pytest.fixture
def fake_checker() -> FakeChecker:
    return FakeChecker()


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    root = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    seen = 0
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return i
    raise AssertionError(f"{needle!r} not found in {path}")

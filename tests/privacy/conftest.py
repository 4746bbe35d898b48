import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def load_posts(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def labelled() -> list[dict]:
    return load_posts("labelled_posts.jsonl")


@pytest.fixture(scope="session")
def blind() -> list[dict]:
    return load_posts("blind_posts.jsonl")

"""The browser's zip import: a YAML file the bank does not read is a problem (nothing is
imported); files that are not bank content are listed as skipped on the result page."""

from __future__ import annotations

import html
import io
import zipfile

from sqlalchemy import func, select

from app.extensions import db
from app.models.quiz import ScenarioVersion
from tests.app.author.conftest import BANK

NOT_IN_BANK = "not part of a bank — scenarios go in scenarios/, rubrics in rubrics/"


def _zip(files: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _bank_files(prefix: str = "", **extra: str | bytes) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        prefix + str(p.relative_to(BANK)): p.read_text(encoding="utf-8")
        for p in BANK.rglob("*.yaml")
    }
    files.update({prefix + k: v for k, v in extra.items()})
    return files


def _upload(client, files: dict[str, str | bytes]) -> str:
    resp = client.post(
        "/author/bank",
        data={"files": (io.BytesIO(_zip(files)), "bank.zip")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200
    return html.unescape(resp.get_data(as_text=True))


def _count() -> int:
    return db.session.execute(select(func.count()).select_from(ScenarioVersion)).scalar_one()


def test_a_broken_yaml_file_beside_quizzes_yaml_imports_nothing(client, bank, as_educator):
    files = _bank_files()
    files["scenarios/selfie-cleanup.yaml"] = str(files["scenarios/selfie-cleanup.yaml"]).replace(
        "Cleaning up", "Tidying up"
    )
    page = _upload(client, {**files, "zz.yaml": "id: zz\ntitle: [unclosed\n"})
    assert "Nothing was imported" in page
    assert f"zz.yaml:1: {NOT_IN_BANK}" in page
    assert "zz.yaml:3: invalid YAML" in page
    assert "/tmp" not in page
    assert _count() == 4  # the good change did not land either


def test_the_exported_layout_with_a_stray_file_names_it_inside_its_folder(
    client, bank, as_educator
):
    files = _bank_files("social-media-for-hcps/", **{"zz.yaml": "id: zz\n"})
    page = _upload(client, files)
    assert f"social-media-for-hcps/zz.yaml:1: {NOT_IN_BANK}" in page
    assert _count() == 4


def test_files_that_are_not_bank_content_are_listed_as_skipped(client, bank, as_educator):
    files = _bank_files(
        **{
            "README.md": "# Our bank\n",
            ".DS_Store": b"\0\1\2",
            "__MACOSX/scenarios/._night-shift-selfie.yaml": b"\0\5\26\7",
            "scenarios/.notes.yaml": "x: [\n",
        }
    )
    page = _upload(client, files)
    assert "Nothing changed." in page
    assert "Skipped: 4 files that are not bank content" in page
    for name in ("README.md", ".DS_Store", "__MACOSX/", "scenarios/.notes.yaml"):
        assert f"<li><code>{name}</code></li>" in page
    assert _count() == 4


def test_an_import_with_nothing_skipped_shows_no_skipped_list(client, bank, as_educator):
    page = _upload(client, _bank_files())
    assert "Import result" in page and "Skipped:" not in page

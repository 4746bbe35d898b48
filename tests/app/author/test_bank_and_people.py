"""Import/export through the browser (all or nothing, FILE:LINE problems), permissions and the
site-admin page that grants the educator role."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Role
from app.models.quiz import ScenarioVersion
from app.services import author as authoring
from app.services.author import bank_upload
from tests.app.author.conftest import BANK


def _zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def _bank_files(**changes: str) -> dict[str, str]:
    files = {str(p.relative_to(BANK)): p.read_text(encoding="utf-8") for p in BANK.rglob("*.yaml")}
    files.update(changes)
    return files


def _count() -> int:
    return db.session.execute(select(func.count()).select_from(ScenarioVersion)).scalar_one()


def test_a_zip_of_the_bank_imports_everything(client, as_educator):
    resp = client.post(
        "/author/bank",
        data={"files": (io.BytesIO(_zip(_bank_files())), "bank.zip")},
        content_type="multipart/form-data",
    )
    html = resp.get_data(as_text=True)
    assert "Import complete." in html
    assert _count() == 4


def test_one_bad_file_imports_nothing_and_names_file_and_line(client, bank, as_educator):
    files = _bank_files()
    good = files["scenarios/selfie-cleanup.yaml"].replace("Cleaning up", "Tidying up")
    bad = files["scenarios/night-shift-selfie.yaml"].replace("platform:", "platfrom:")
    resp = client.post(
        "/author/bank",
        data={
            "files": (
                io.BytesIO(
                    _zip(
                        {
                            **files,
                            "scenarios/selfie-cleanup.yaml": good,
                            "scenarios/night-shift-selfie.yaml": bad,
                        }
                    )
                ),
                "bank.zip",
            )
        },
        content_type="multipart/form-data",
    )
    html = resp.get_data(as_text=True)
    assert "Nothing was imported" in html
    assert "scenarios/night-shift-selfie.yaml:7: scenario: unknown field &#39;platfrom&#39;" in html
    assert "/tmp" not in html
    assert _count() == 4  # the good change was not imported either


def test_loose_yaml_files_import_against_the_stored_rubric(client, bank, as_educator):
    text = (
        (BANK / "scenarios" / "selfie-cleanup.yaml")
        .read_text()
        .replace("Cleaning up", "Tidying up")
    )
    resp = client.post(
        "/author/bank",
        data={"files": [(io.BytesIO(text.encode()), "selfie-cleanup.yaml")]},
        content_type="multipart/form-data",
    )
    assert "Import complete." in resp.get_data(as_text=True)
    assert _count() == 5


def test_an_upload_over_the_limit_is_refused_with_a_clear_error(client, as_educator, monkeypatch):
    monkeypatch.setattr(bank_upload, "UPLOAD_MAX_BYTES", 1024)
    resp = client.post(
        "/author/bank",
        data={"files": (io.BytesIO(b"x" * 2048), "big.yaml")},
        content_type="multipart/form-data",
    )
    html = resp.get_data(as_text=True)
    assert 'id="files-error"' in html and "the limit is" in html
    assert _count() == 0


def test_a_zip_with_unsafe_paths_only_writes_inside_the_upload(tmp_path):
    data = _zip({"../../evil.yaml": "x: 1", "rubrics/ok.yaml": "id: ok"})
    paths = authoring.unpack([("b.zip", data)], tmp_path)
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.yaml"))
    assert written == ["bank/rubrics/ok.yaml"] and paths == [tmp_path / "bank"]


def test_the_export_is_a_zip_in_the_bank_layout(client, bank, as_educator):
    resp = client.get("/author/bank/export.zip")
    assert resp.mimetype == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(resp.data)).namelist())
    assert "social-media-for-hcps/quizzes.yaml" in names
    assert "social-media-for-hcps/scenarios/night-shift-selfie.yaml" in names
    assert "social-media-for-hcps/rubrics/patient-confidentiality.yaml" in names


def test_learners_get_403_everywhere_in_authoring(client, bank, make_user, login):
    login(make_user())
    for url in (
        "/author/",
        "/author/scenarios/new",
        "/author/review",
        "/author/analytics",
        "/author/bank/export.zip",
        "/author/people",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/author/scenarios/night-shift-selfie/publish").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    resp = client.get("/author/scenarios")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_educators_cannot_open_the_people_page(client, as_educator):
    assert client.get("/author/people").status_code == 403
    assert client.post("/author/people", data={"email": "x@example.org"}).status_code == 403


def test_a_site_admin_grants_and_revokes_the_educator_role_audited(client, make_user, login):
    admin = make_user(Role.SITE_ADMIN, email="admin@example.org")
    person = make_user(email="nurse@example.org")
    login(admin)
    resp = client.post("/author/people", data={"email": "nurse@example.org"})
    assert resp.status_code == 302
    db.session.refresh(person)
    assert Role.EDUCATOR in person.roles
    assert "nurse@example.org" in client.get("/author/people").get_data(as_text=True)
    client.post("/author/people", data={"email": "nurse@example.org", "action": "revoke"})
    db.session.refresh(person)
    assert Role.EDUCATOR not in person.roles
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [(e.action, e.actor_id, e.detail["role"]) for e in events[-2:]] == [
        ("role.granted", admin.id, "educator"),
        ("role.revoked", admin.id, "educator"),
    ]


def test_granting_to_an_unknown_email_is_an_error_at_the_field(client, make_user, login):
    login(make_user(Role.SITE_ADMIN))
    html = client.post("/author/people", data={"email": "nobody@example.org"}).get_data(
        as_text=True
    )
    assert 'id="email-error"' in html and "there is no account with that email" in html

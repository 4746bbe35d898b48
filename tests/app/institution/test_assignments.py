"""Assignment status: not started, in progress, completed, overdue; yearly cycles; SQL agrees."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.services import reports
from app.services.institutions import (
    assignments_for_user,
    create_assignment,
    current_cycle,
    status_for,
)
from tests.app.institution.conftest import NOW, add_learner
from tests.conftest import csrf_token

TODAY = NOW.date()


def _at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 12, tzinfo=UTC)


def test_a_one_off_assignment_gives_each_status():
    future = current_cycle(TODAY + timedelta(days=10), "none", TODAY)
    past = current_cycle(TODAY - timedelta(days=10), "none", TODAY)
    assert status_for(future, None, None)[0] == "not_started"
    assert status_for(future, None, _at(TODAY))[0] == "in_progress"
    assert status_for(past, _at(TODAY - timedelta(days=400)), None)[0] == "completed"
    assert status_for(past, None, _at(TODAY))[0] == "overdue"


def test_a_yearly_assignment_needs_a_completion_in_each_cycle():
    cycle = current_cycle(date(2025, 1, 31), "yearly", date(2026, 3, 1))
    assert cycle.due == date(2027, 1, 31)
    # Completed after the last due date: done for this cycle.
    assert status_for(cycle, _at(date(2026, 2, 10)), None) == ("completed", date(2027, 1, 31))
    # Completed in the year before the last due date only: due again, not overdue.
    assert status_for(cycle, _at(date(2025, 6, 1)), None) == ("not_started", date(2027, 1, 31))
    # Nothing in the year before the last due date: overdue for that date.
    assert status_for(cycle, _at(date(2024, 12, 1)), None) == ("overdue", date(2026, 1, 31))
    assert status_for(cycle, None, None) == ("overdue", date(2026, 1, 31))


def test_the_report_computes_each_status_in_sql_like_the_python_rule(app, admin_org, make_user):
    admin, org = admin_org
    pharmacy = org.departments[1]
    create_assignment(org, admin, due_date=TODAY - timedelta(days=3))
    create_assignment(org, admin, due_date=TODAY + timedelta(days=30), department_id=pharmacy.id)
    add_learner(org, make_user, name="A Overdue")
    add_learner(org, make_user, name="B Progress", state="in_progress", department=pharmacy)
    add_learner(org, make_user, name="C Done", state="completed")
    add_learner(org, make_user, name="D Certified", state="certified", department=pharmacy)
    add_learner(org, make_user, name="E Waiting", department=pharmacy)
    rows, total = reports.report_page(org, today=TODAY)
    got = {r.name: (r.status, r.due_date) for r in rows}
    assert got["A Overdue"] == ("overdue", TODAY - timedelta(days=3))
    assert got["B Progress"] == ("in_progress", TODAY + timedelta(days=30))
    assert got["C Done"][0] == "completed"
    assert got["D Certified"][0] == "completed"
    assert got["E Waiting"] == ("not_started", TODAY + timedelta(days=30))
    assert got["Ada Admin"][0] == "overdue" and total == 6


def test_a_learner_sees_their_due_date_and_status(app, admin_org, make_user):
    admin, org = admin_org
    create_assignment(org, admin, due_date=TODAY + timedelta(days=14), recurrence="yearly")
    learner = add_learner(org, make_user, name="Lee", state="in_progress")
    [due] = assignments_for_user(learner, today=TODAY)
    assert (due.institution_name, due.due_date, due.status) == (
        "Hospital A",
        TODAY + timedelta(days=14),
        "in_progress",
    )


def test_the_dashboard_partial_lists_due_training(client, login, admin_org, make_user):
    from flask import render_template_string

    admin, org = admin_org
    create_assignment(org, admin, due_date=date(2030, 5, 1))
    learner = add_learner(org, make_user, name="Lee")
    login(learner)
    with client:
        client.get("/dashboard")
        html = render_template_string('{% include "institution/_learner_due.html" %}')
    assert "Training due" in html and "1 May 2030" in html and "Not started" in html


def test_the_assignments_page_saves_one_and_names_the_course(client, login, admin_org):
    admin, org = admin_org
    login(admin)
    page = client.get(f"/org/{org.slug}/assignments").get_data(as_text=True)
    token = csrf_token(page)
    resp = client.post(
        f"/org/{org.slug}/assignments",
        data={
            "csrf_token": token,
            "department": "",
            "due_date": "2030-05-01",
            "recurrence": "yearly",
        },
        follow_redirects=True,
    )
    html = resp.get_data(as_text=True)
    assert "Assignment saved." in html and "2030-05-01" in html and "Every year" in html
    from app.services.learning import get_course

    assert f"<td>{get_course().title}</td>" in html

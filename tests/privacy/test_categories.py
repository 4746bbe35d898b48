"""One case per category: the finding, its exact span and how a patient cue changes the risk."""

import pytest

from privacy import check_post


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


CASES = [
    ("Get well soon Mr. D, we miss you on the ward", "name", "Mr. D", (14, 19)),
    ("Discharging my favourite patient Rosa today", "name", "Rosa", (33, 37)),
    (
        "So the patient I mentioned: his daughter Rosa brought cake",
        "relative",
        "daughter Rosa",
        (32, 45),
    ),
    (
        "The dairy farmer from Elk Creek who rolled his tractor came in tonight",
        "geography",
        "Elk Creek",
        (22, 31),
    ),
    ("My patient lives on Maple Street, so sweet", "geography", "Maple Street", (20, 32)),
    ("Lost a patient at St. Mary's tonight", "facility", "St. Mary's", (18, 28)),
    ("Room 412 keeps pressing the call bell", "room", "Room 412", (0, 8)),
    ("Caught the guy in bed 4 sneaking biscuits", "room", "bed 4", (18, 23)),
    ("Admitted Christmas Eve, my patient went home today", "date", "Christmas Eve", (9, 22)),
    ("On 3/14 we had a lady come in with 40 bee stings", "date", "3/14", (3, 7)),
    ("Our 93-year-old in bay 2 is a legend", "age-over-89", "93", (4, 6)),
    ("He left 555-201-7788 on the whiteboard", "phone", "555-201-7788", (8, 20)),
    ("Referral came through on fax 020 7946 0321 at 3am", "fax", "020 7946 0321", (29, 42)),
    (
        "Patient email: jdoe1974@gmail.com asking about his rash",
        "email",
        "jdoe1974@gmail.com",
        (15, 33),
    ),
    ("Facesheet selfie, SSN 123-45-6789 showing", "ssn", "123-45-6789", (22, 33)),
    ("MRN 00482913 is back again", "mrn", "00482913", (4, 12)),
    ("Member ID XJH884512907 on the card", "health-plan", "XJH884512907", (10, 22)),
    ("Look what this costs: Account #4417-2290-118", "account", "4417-2290-118", (31, 44)),
    ("His licence number D1234-56789-01 fell out", "licence", "D1234-56789-01", (19, 33)),
    ("MVC of the night: plate 7KJM204, driver came in", "vehicle", "7KJM204", (24, 31)),
    ("Explanted pacemaker, serial PJN219843H", "device", "PJN219843H", (28, 38)),
    (
        "One of my patients needs help: gofundme.com/f/help-baby-liam",
        "url",
        "gofundme.com/f/help-baby-liam",
        (31, 60),
    ),
    ("Telehealth log: patient connected from 192.168.44.17", "ip", "192.168.44.17", (39, 52)),
    ("Pic of my patient's tattoo", "media", "Pic", (0, 3)),
    ("The mayor's son came in tonight", "unique-characteristic", "The mayor's son", (0, 15)),
    (
        "Delivered the only quadruplets born here this year",
        "unique-characteristic",
        "the only quadruplets",
        (10, 30),
    ),
    ("Another frequent flyer tonight", "patient-context", "frequent flyer", (8, 22)),
]


@pytest.mark.parametrize(("text", "category", "part", "span"), CASES)
def test_each_category_is_found_with_its_exact_span(text, category, part, span):
    assert _span(text, part) == span  # guards the table itself
    report = check_post(text)
    matches = [f for f in report.findings if f.category == category]
    assert [(f.start, f.end, f.text) for f in matches if f.text == part] == [(*span, part)]


@pytest.mark.parametrize(("text", "category", "part", "span"), CASES)
def test_every_category_case_is_a_risky_post_or_a_cue(text, category, part, span):
    report = check_post(text)
    if category == "patient-context":
        assert report.risk == "low"
    else:
        assert report.risky


def test_a_first_name_alone_is_low_but_high_beside_a_patient_cue():
    alone = check_post("Had coffee with Rosa before work")
    beside = check_post("Discharged my patient Rosa after three weeks")
    assert alone.risk == "low"
    assert [f.severity for f in alone.findings if f.category == "name"] == ["low"]
    assert beside.risk == "high"


def test_a_condition_and_a_time_are_harmless_alone_but_high_beside_a_patient_cue():
    assert check_post("Stroke symptoms can start at 3am. Know the signs.").risk == "none"
    report = check_post("My patient had a stroke at 3am on the ward")
    details = [
        f for f in report.findings if f.category == "patient-context" and f.severity == "high"
    ]
    assert [f.text for f in details] == ["stroke"]


def test_a_doctor_named_in_a_post_is_a_colleague_unless_they_are_in_a_bed():
    assert check_post("Thanks Dr. Okafor for the teaching today").risk == "none"
    assert check_post("Dr. Okafor in bed 3 is our favourite patient").risky


def test_a_meeting_room_is_not_a_patient_room():
    assert check_post("Journal club is in Room 101 on the second floor.").risk == "none"


def test_guideline_is_one_for_media_and_two_for_identifiers():
    report = check_post("Video of my patient in bed 4")
    guidelines = {f.category: f.guideline for f in report.findings}
    assert guidelines["media"] == 1
    assert guidelines["room"] == 2


def test_three_different_identifiers_make_the_risk_high_even_without_a_cue():
    report = check_post("Mrs. Alvarez, 97, room 12")
    assert report.risk == "high"

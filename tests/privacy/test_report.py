"""The public shape of a report: dataclasses, to_dict, risk order, rewrite hints."""

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from privacy import (
    REPORT_RISKS,
    RISK_LEVELS,
    UNKNOWN,
    Finding,
    PrivacyReport,
    check_post,
    rewrite_hint,
)


def test_risk_levels_are_ordered_from_none_to_high():
    assert RISK_LEVELS == ("none", "low", "medium", "high")


def test_report_and_finding_are_frozen():
    report = check_post("Caught Mr. Patel in bed 4 again")
    assert isinstance(report, PrivacyReport)
    assert all(isinstance(f, Finding) for f in report.findings)
    try:
        report.findings[0].start = 0
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("Finding should be frozen")


def test_to_dict_has_risk_findings_confidence_and_language_with_the_documented_keys():
    text = "Caught Mr. Patel in bed 4 again"
    data = check_post(text).to_dict()
    assert set(data) == {"risk", "findings", "confidence", "language"}
    assert data["language"] == "en"
    assert 0.5 < data["confidence"] <= 1.0
    assert data["risk"] == "high"
    assert data["findings"] == [
        {
            "category": "name",
            "start": 7,
            "end": 16,
            "text": "Mr. Patel",
            "explanation": data["findings"][0]["explanation"],
            "guideline": 2,
        },
        {
            "category": "room",
            "start": 20,
            "end": 25,
            "text": "bed 4",
            "explanation": data["findings"][1]["explanation"],
            "guideline": 2,
        },
    ]
    assert all(f["explanation"] for f in data["findings"])


def test_findings_come_in_text_order():
    report = check_post("Room 9: Mrs. Begum, 07700 900461, admitted Christmas Eve")
    starts = [f.start for f in report.findings]
    assert starts == sorted(starts)


def test_rewrite_hint_names_what_to_remove_and_quotes_it():
    hint = rewrite_hint(check_post("Caught Mr. Patel in bed 4 again"))
    assert "'Mr. Patel'" in hint
    assert "'bed 4'" in hint
    assert "\n" not in hint


def test_rewrite_hint_for_a_clean_post_says_so():
    hint = rewrite_hint(check_post("Wash your hands, folks."))
    assert hint.startswith("Nothing in this post points to a patient")


def test_rewrite_hint_mentions_consent_for_media():
    hint = rewrite_hint(check_post("Selfie with my patient on her last day of chemo"))
    assert "written consent" in hint


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_consistent_report(text):
    report = check_post(text)
    assert report.risk in REPORT_RISKS
    assert 0.0 <= report.confidence <= 1.0
    if report.risk != UNKNOWN:
        assert (report.risk == "none") == (not report.findings)
    for finding in report.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text


def test_a_direct_identifier_decides_with_high_confidence():
    report = check_post("MRN 00482913 is back again")
    assert report.risk == "high"
    assert report.confidence >= 0.9


def test_confidence_is_low_when_only_a_weak_cue_decides():
    report = check_post("A patient came in today and we had a laugh about the weather.")
    assert report.risk == "low"
    assert report.confidence < 0.6


def test_a_clean_post_is_none_with_fair_confidence():
    report = check_post("Flu shots cut hospital admissions by about 40% in adults over 65.")
    assert report.risk == "none"
    assert report.confidence >= 0.8


def test_a_report_says_whether_the_post_is_about_a_person_in_care():
    assert check_post("My patient Rosa went home today").about_person
    assert not check_post("Wash your hands, folks.").about_person


def test_needs_review_covers_risky_and_unreadable_posts():
    assert check_post("Mr. Patel in bed 4").needs_review
    assert check_post(
        "Grabe si Lola sa room 22 ng Wattle Grove kanina, ayaw uminom ng gamot"
    ).needs_review
    assert not check_post("Wash your hands, folks.").needs_review

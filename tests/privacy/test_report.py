"""The public shape of a report: dataclasses, to_dict, risk order, rewrite hints."""

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from privacy import RISK_LEVELS, Finding, PrivacyReport, check_post, rewrite_hint


def test_risk_levels_are_ordered_from_none_to_high():
    assert RISK_LEVELS == ("none", "low", "medium", "high")


def test_report_and_finding_are_frozen():
    report = check_post("Caught Mr. Patel in bed 4 again")
    assert isinstance(report, PrivacyReport)
    assert all(isinstance(f, Finding) for f in report.findings)
    try:
        report.findings[0].start = 0  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("Finding should be frozen")


def test_to_dict_has_risk_and_findings_with_the_documented_keys():
    text = "Caught Mr. Patel in bed 4 again"
    data = check_post(text).to_dict()
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
    assert report.risk in RISK_LEVELS
    assert (report.risk == "none") == (not report.findings)
    for finding in report.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text

"""The snapshot model and the credit rules."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal

import pytest

from certificates.model import CertificateData, CreditLine, claimable_credit, format_amount
from certificates.sample import specimen_data


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, "0.00"),
        (7, "0.00"),
        (8, "0.25"),  # 7.5 min is half a quarter: rounds up
        (60, "1.00"),
        (82, "1.25"),
        (83, "1.50"),  # 82.5 min = 1.375 h, the midpoint, rounds up
        (90, "1.50"),
        (97, "1.50"),
        (98, "1.75"),
    ],
)
def test_claimable_credit_rounds_attested_minutes_to_the_nearest_quarter_hour(minutes, expected):
    assert claimable_credit(minutes, Decimal("5")) == Decimal(expected)


def test_claimable_credit_is_capped_at_the_activity_maximum():
    assert claimable_credit(240, Decimal("1.50")) == Decimal("1.50")
    assert claimable_credit(240, "1.5") == Decimal("1.50")
    assert claimable_credit(240, 1.5) == Decimal("1.50")


def test_claimable_credit_returns_two_decimal_places_for_printing():
    assert str(claimable_credit(60, 2)) == "1.00"


@pytest.mark.parametrize("bad", [-1, 1.5, True, "60"])
def test_claimable_credit_refuses_negative_or_non_integer_minutes(bad):
    with pytest.raises((ValueError, TypeError)):
        claimable_credit(bad, 2)


def test_format_amount_always_shows_two_decimals():
    assert format_amount(Decimal("1.5")) == "1.50"
    assert format_amount(Decimal("0.25")) == "0.25"


def test_snapshot_round_trips_through_json_unchanged():
    data = specimen_data("Zoë Ørsted 王小明")
    data = dataclasses.replace(
        data,
        duplicate=True,
        status="revoked",
        revoked_on=date(2025, 4, 1),
        revocation_reason="issued in error",
    )
    stored = json.loads(json.dumps(data.to_dict()))
    assert CertificateData.from_dict(stored) == data


def test_snapshot_is_frozen():
    data = specimen_data("A B")
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.learner_name = "C D"


def test_credit_amount_is_kept_exact_as_a_decimal():
    line = CreditLine("Nursing (ANCC)", 1.5, "nursing contact hours")
    assert line.amount == Decimal("1.5")
    with pytest.raises(ValueError):
        CreditLine("Nursing (ANCC)", Decimal("-1"), "nursing contact hours")


def test_verify_url_joins_the_base_url_and_number():
    data = specimen_data("A B")
    assert data.verify_url("https://x.example/") == f"https://x.example/verify/{data.number}"


def test_status_on_reports_valid_expired_and_revoked():
    data = specimen_data("A B")
    assert data.status_on(data.expiry_date) == "valid"
    assert data.status_on(date(2030, 1, 1)) == "expired"
    revoked = dataclasses.replace(data, status="revoked")
    assert revoked.status_on(data.issue_date) == "revoked"


def test_expiry_before_issue_is_refused():
    with pytest.raises(ValueError):
        dataclasses.replace(specimen_data("A B"), expiry_date=date(2000, 1, 1))


def test_signature_can_be_given_as_a_path(tmp_path):
    data = specimen_data("A B")
    png = data.signer.signature_bytes()
    path = tmp_path / "sig.png"
    path.write_bytes(png)
    signer = dataclasses.replace(data.signer, signature_png=str(path))
    assert signer.signature_bytes() == png
    assert type(signer).from_dict(signer.to_dict()) == signer

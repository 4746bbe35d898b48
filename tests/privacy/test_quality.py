"""Measured quality on the labelled posts: post-level risky means risk medium or high."""

from privacy import CATEGORIES, check_post


def _precision_recall(rows: list[dict]) -> tuple[float, float]:
    tp = fp = fn = 0
    for row in rows:
        predicted = check_post(row["text"]).risky
        tp += predicted and row["risky"]
        fp += predicted and not row["risky"]
        fn += (not predicted) and row["risky"]
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def test_labelled_set_is_big_balanced_and_uses_known_categories(labelled):
    assert len(labelled) >= 140
    risky = [r for r in labelled if r["risky"]]
    assert abs(len(risky) - len(labelled) / 2) <= 5
    for row in labelled:
        assert set(row) == {"text", "risky", "categories"}
        assert bool(row["categories"]) == row["risky"]
        assert set(row["categories"]) <= set(CATEGORIES)


def test_checker_meets_recall_and_precision_on_the_labelled_set(labelled):
    precision, recall = _precision_recall(labelled)
    assert recall >= 0.95
    assert precision >= 0.90


def test_checker_meets_the_targets_on_the_held_out_third(labelled):
    held_out = [row for i, row in enumerate(labelled) if i % 3 == 2]
    precision, recall = _precision_recall(held_out)
    assert recall >= 0.95
    assert precision >= 0.90


def test_checker_meets_the_targets_on_the_posts_written_after_the_rules(blind):
    precision, recall = _precision_recall(blind)
    assert recall >= 0.95
    assert precision >= 0.90


def test_risky_posts_report_most_of_their_labelled_categories(labelled):
    expected = found = 0
    for row in labelled:
        if row["risky"]:
            got = set(check_post(row["text"]).categories())
            expected += len(row["categories"])
            found += len(set(row["categories"]) & got)
    assert found / expected >= 0.9


def test_every_finding_span_matches_its_text(labelled, blind):
    for row in labelled + blind:
        for finding in check_post(row["text"]).findings:
            assert row["text"][finding.start : finding.end] == finding.text
            assert finding.category in CATEGORIES


def _batch_tuning_parts():
    from .conftest import DATA

    # Only tuning parts: held-out parts are scored once by the lead, never by tests.
    return sorted((DATA / "batches").glob("*/tuning.jsonl"))


def test_checker_meets_the_targets_on_every_tuning_part():
    import json

    for path in _batch_tuning_parts():
        with path.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        english = [r for r in rows if r.get("language", "en") == "en"]
        precision, recall = _precision_recall(english)
        assert recall >= 0.9, path
        assert precision >= 0.9, path
        for row in rows:
            if row.get("language", "en") != "en":
                assert check_post(row["text"]).needs_review, row.get("id")

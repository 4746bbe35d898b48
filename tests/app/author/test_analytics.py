"""Item and guideline statistics on small hand-computed data, CSV safety and the CLI."""

from __future__ import annotations

import csv
import io

import pytest

from app.services.author import analytics
from app.services.author.analytics import AnswerRow, build_report, pearson, safe_cell


def _result(score: float, levels: list[tuple[str, float, float, list[int]]]) -> dict:
    return {
        "score": score,
        "criteria": [
            {
                "criterion_id": c,
                "level_id": f"{c}-{p:g}",
                "points": p,
                "max_points": m,
                "guidelines": g,
            }
            for c, p, m, g in levels
        ],
    }


def _row(
    attempt: int, total: float, selected: str, score: float, month: str = "2025-03", key: str = "q1"
) -> AnswerRow:
    return AnswerRow(
        attempt_id=attempt,
        user_id=attempt,
        attempt_score=total,
        month=month,
        scenario_key=key,
        version=1,
        title="Question one",
        type="single",
        selected=(selected,),
        result=_result(score, [("conf", 2 * score, 2, [2, 1])]),
        options=(("a", "Right answer", True), ("b", "Wrong answer", False)),
    )


ROWS = [_row(1, 0.9, "a", 1.0), _row(2, 0.2, "b", 0.0), _row(3, 0.6, "a", 1.0, "2025-04")]


def test_facility_is_the_mean_item_score():
    (item,) = build_report(ROWS).items
    assert item.facility == pytest.approx(2 / 3)
    assert item.responses == 3


def test_discrimination_is_the_point_biserial_with_the_attempt_total():
    # x = [1, 0, 1], y = [.9, .2, .6]: sxy = .36667, sxx = .66667, syy = .24667 -> r = .9042
    (item,) = build_report(ROWS).items
    assert item.discrimination == pytest.approx(0.9042, abs=1e-4)


def test_pearson_is_undefined_without_variance():
    assert pearson([1, 1, 1], [0.2, 0.5, 0.9]) is None
    assert pearson([1], [1]) is None


def test_option_distribution_counts_each_option():
    (item,) = build_report(ROWS).items
    dist = {o.option_id: (o.count, round(o.share, 4), o.correct) for o in item.options}
    assert dist == {"a": (2, 0.6667, True), "b": (1, 0.3333, False)}


def test_average_level_per_criterion():
    (item,) = build_report(ROWS).items
    (crit,) = item.criteria
    assert crit.mean_points == pytest.approx(4 / 3)
    assert crit.fraction == pytest.approx(2 / 3)
    assert dict(crit.levels) == {"conf-0": 1, "conf-2": 2}


def test_guideline_mastery_overall_and_by_month():
    rep = build_report(ROWS)
    g2 = rep.guidelines[1]
    assert (g2.guideline, g2.learners, g2.results) == (2, 3, 3)
    assert g2.mastery == pytest.approx(2 / 3)
    assert g2.by_month == (("2025-03", 0.5, 2), ("2025-04", 1.0, 1))
    assert rep.guidelines[3].mastery is None  # guideline 4 not assessed


def test_items_that_are_too_easy_too_hard_or_negative_are_flagged():
    easy = [_row(i, t, "a", 1.0, key="easy") for i, t in ((1, 0.9), (2, 0.5))]
    easy.append(_row(3, 0.4, "a", 0.9, key="easy"))
    hard = [_row(4, 0.9, "b", 0.0, key="hard"), _row(5, 0.1, "a", 0.5, key="hard")]
    rep = build_report(easy + hard)
    flags = {i.scenario_key: i.flags for i in rep.items}
    assert "too easy" in flags["easy"]
    assert flags["hard"] == ("too hard", "negative discrimination")
    assert {i.scenario_key for i in rep.flagged} == {"easy", "hard"}


def test_csv_cells_cannot_start_a_formula():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell(-0.25) == "-0.2500"  # numbers stay numbers
    row = _row(1, 0.5, "a", 1.0)
    rows = [
        AnswerRow(
            row.attempt_id,
            row.user_id,
            row.attempt_score,
            row.month,
            row.scenario_key,
            row.version,
            "=cmd|' /C calc'!A0",
            row.type,
            row.selected,
            row.result,
            row.options,
        )
    ]
    parsed = list(csv.reader(io.StringIO(analytics.csv_text(build_report(rows)))))
    assert parsed[0][:3] == ["section", "id", "title"]
    assert parsed[1][2] == "'=cmd|' /C calc'!A0"


def test_report_reads_graded_attempts_from_the_database(take):
    take({"night-shift-selfie": ["a"], "selfie-cleanup": ["a", "b"]})
    take({"night-shift-selfie": ["b"], "selfie-cleanup": ["c"]})
    rep = analytics.report()
    items = {i.scenario_key: i for i in rep.items}
    assert rep.attempts == 2
    assert items["night-shift-selfie"].facility == pytest.approx(0.5)
    assert {o.option_id: o.count for o in items["night-shift-selfie"].options} == {
        "a": 1,
        "b": 1,
        "c": 0,
    }
    assert items["night-shift-selfie"].discrimination == pytest.approx(1.0)


def test_the_analytics_page_shows_charts_with_text_alternatives(client, take, as_educator):
    take({"night-shift-selfie": ["a"], "selfie-cleanup": ["a", "b"]})
    html = client.get("/author/analytics").get_data(as_text=True)
    assert '<svg class="chart"' in html and '<title id="facility-chart-title">' in html
    assert '<desc id="facility-chart-desc">' in html and "night-shift-selfie: 100%" in html
    assert "style=" not in html
    resp = client.get("/author/analytics.csv")
    assert resp.mimetype == "text/csv"
    assert "item,night-shift-selfie" in resp.get_data(as_text=True)


def test_the_cli_writes_the_csv(runner, take, tmp_path):
    take({"night-shift-selfie": ["a"]})
    out = tmp_path / "items.csv"
    result = runner.invoke(args=["author", "analytics", "--csv", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 graded attempts" in result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == list(analytics.CSV_HEADER)
    assert any(r[:2] == ["item", "night-shift-selfie"] for r in rows)

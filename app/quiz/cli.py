"""`postrx scenarios` commands: thin wrappers over app.services.quiz."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

import quizzes


@click.group("scenarios")
def scenarios_group() -> None:
    """The scenario bank: list, check, export, import."""


@scenarios_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_command(as_json: bool) -> None:
    """List scenarios: the latest published versions in the database once a bank has been
    imported, otherwise the bundled files (the source is printed to stderr)."""
    from app.services.quiz import bank_listing

    try:
        source, rows = bank_listing()
    except quizzes.BankError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"source: {source}", err=True)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for r in rows:
        gl = ",".join(map(str, r["guidelines"]))
        click.echo(f"{r['id']:<36} v{r['version']:<3} {r['type']:<10} G{gl:<8} {r['title']}")


@scenarios_group.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 on item-writing warnings too.")
def check_command(paths: tuple[Path, ...], strict: bool) -> None:
    """Validate bank files or folders: FILE:LINE: problems, then FILE:LINE: warning: item-writing
    cues (longest key, key positions, stem echoes, absolute words, missing feedback or model
    answer). Exits 1 on any problem, or with --strict on any warning."""
    from quizzes.itemcheck import check_paths, format_warning

    problems = quizzes.check(paths)
    warnings = check_paths(paths)
    for p in problems:
        click.echo(str(p), err=True)
    for w in warnings:
        click.echo(format_warning(w), err=True)
    counts = f"{len(problems)} problem(s), {len(warnings)} warning(s)"
    if problems or (strict and warnings):
        click.echo(counts, err=True)
        raise SystemExit(1)
    click.echo(f"ok ({len(warnings)} warning(s))" if warnings else "ok")


def _points(x: float) -> str:
    return f"{x:g}"


def _evidence(e: dict[str, Any]) -> str:
    text = " ".join((e.get("text") or "").split())
    if len(text) > 70:
        text = text[:69] + "…"
    quoted = f' "{text}"' if text else ""
    detail = f" ({e['detail']})" if e.get("detail") else ""
    return f"{e['kind']}{quoted}{detail}"


def _echo_result(
    record: dict[str, Any], scenario: quizzes.Scenario, rubric: quizzes.Rubric
) -> None:
    click.echo(
        f"{scenario.id} v{scenario.version} ({scenario.type}), rubric {rubric.id} v{rubric.version}"
    )
    got = best = 0.0
    for c in record["criteria"]:
        crit = rubric.criterion(c["id"])
        got += crit.weight * c["points"]
        best += crit.weight * c["max_points"]
        critical = ", critical" if crit.critical else ""
        click.echo(
            f"  {c['id']}: {c['level']} — {_points(c['points'])} of {_points(c['max_points'])} "
            f"points (weight {_points(crit.weight)}{critical})"
        )
        for e in c["evidence"]:
            click.echo(f"      evidence: {_evidence(e)}")
    click.echo(f"Total: {record['score']:.0%} ({_points(got)} of {_points(best)} weighted points)")
    failed = [
        c["id"]
        for c in record["criteria"]
        if rubric.criterion(c["id"]).critical and c["level"] == rubric.criterion(c["id"]).lowest.id
    ]
    click.echo(f"Critical failure: {', '.join(failed) if failed else 'none'}")
    click.echo(f"Needs review: {'yes' if record['needs_review'] else 'no'}")
    click.echo(f"Confidence: {record['confidence']:.2f}")


@scenarios_group.command("grade")
@click.argument("scenario_id", required=False)
@click.option("--text", default=None, help="The written answer (free_text, post_draft).")
@click.option("--option", "options", multiple=True, help="An option id; repeat it for multi.")
@click.option(
    "--jsonl",
    "jsonl",
    type=click.File("r", encoding="utf-8"),
    default=None,
    help='Grade a file of {"scenario": …, "text" | "options": …} lines (- for stdin).',
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def grade_command(
    scenario_id: str | None,
    text: str | None,
    options: tuple[str, ...],
    jsonl: Any,
    as_json: bool,
) -> None:
    """Grade an answer (or a JSONL file of answers) exactly as a learner's attempt is graded:
    per-criterion levels, evidence and the total. The scenario is the latest published version
    once a bank has been imported, else the bundled file (the source is printed to stderr).
    Exits 2 on bad input, naming FILE:LINE, without grading anything."""
    from app.services.quiz import grade_cli as ag

    if jsonl is not None and (scenario_id or text is not None or options):
        raise click.UsageError("--jsonl grades a file: give no SCENARIO_ID, --text or --option")
    if jsonl is None and not scenario_id:
        raise click.UsageError("give SCENARIO_ID with --text or --option, or --jsonl FILE")
    try:
        source = ag.scenario_source()
    except quizzes.BankError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"source: {source.name}", err=True)
    try:
        if jsonl is not None:
            name = "<stdin>" if jsonl.name in ("-", "<stdin>") else jsonl.name
            records = ag.grade_jsonl(jsonl, name, source)
            for r in records:
                click.echo(json.dumps(r, ensure_ascii=False))
            return
        answer = ag.Answer(scenario_id or "", tuple(options) or None, text, "<command line>")
        [record] = ag.grade_answers([answer], source)
    except ag.AnswerError as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        click.echo(f"{len(exc.problems)} problem(s); nothing was graded.", err=True)
        raise SystemExit(2) from None
    except (quizzes.InvalidResponse, quizzes.PrivacyCheckerUnavailable) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
        return
    pair = source.get(answer.scenario)
    assert pair is not None  # graded above
    _echo_result(record, *pair)


@scenarios_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(directory: Path) -> None:
    """Write the published bank to DIRECTORY as YAML that `check` and `import` accept."""
    from app.services.quiz import export_bank

    files = export_bank(directory)
    click.echo(f"Wrote {len(files)} files to {directory}")


@scenarios_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_command(paths: tuple[Path, ...]) -> None:
    """Import bank folders or files, all or nothing; a changed item becomes a new version."""
    from app.db_tx import transaction
    from app.services.quiz import import_bank

    try:
        with transaction():
            report = import_bank(list(paths))
    except quizzes.BankError as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        click.echo(f"{len(exc.problems)} problem(s); nothing was imported.", err=True)
        raise SystemExit(1) from None
    click.echo(str(report))

"""Command logic for `python -m privacy check` (and the web app's `postrx privacy check`)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import NoReturn, TextIO

from privacy.checker import check_post
from privacy.hints import rewrite_hint
from privacy.model import UNKNOWN, PrivacyReport
from privacy.rewrite import rewrite_post

EXIT_OK = 0
EXIT_INPUT_ERROR = 2


class _UsageError(Exception):
    pass


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that writes to the given stream and never exits the interpreter."""

    out: TextIO = sys.stdout

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self.out.write(message)
        raise _Exit(status)

    def _print_message(self, message: str, file: object = None) -> None:
        if message:
            self.out.write(message)


def _parser(out: TextIO) -> _Parser:
    _Parser.out = out
    parser = _Parser(prog="python -m privacy", description="Flag patient identifiers in a post.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check one post, or a JSON Lines file of posts")
    check.add_argument("text", nargs="?", default="-", help="the post; '-' or absent reads stdin")
    check.add_argument(
        "--json",
        action="store_true",
        help='print the result object as JSON ({"risk", "findings", "confidence", "language"})',
    )
    check.add_argument("--jsonl", metavar="FILE", help='read {"text": ...} per line, write results')
    return parser


def format_report(
    report: PrivacyReport, text: str | None = None, rewrite: str | None = None
) -> str:
    """Readable report: risk, one line per finding with its span, the hint and a safer draft."""
    lines = [f"Risk: {report.risk.upper()}"]
    if report.risk == UNKNOWN:
        lines[0] += f" (language {report.language}: checked as English only, not rated safe)"
    lines.append(f"Confidence: {report.confidence:.2f}")
    for f in report.findings:
        lines.append(
            f"  [{f.severity}] {f.category} '{f.text}' (chars {f.start}-{f.end}, "
            f"guideline {f.guideline}): {f.explanation}"
        )
    lines.append("")
    lines.append(f"Suggestion: {rewrite_hint(report)}")
    if rewrite is not None and rewrite != text:
        lines.append("")
        lines.append(f"Safer draft: {rewrite}")
    return "\n".join(lines) + "\n"


def _check_jsonl(path: str, stdout: TextIO, stderr: TextIO) -> int:
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below, streamed line by line
    except OSError as exc:
        stderr.write(f"{path}: cannot read: {exc.strerror}\n")
        return EXIT_INPUT_ERROR
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                stderr.write(f"{path}:{number}: invalid JSON: {exc.msg}\n")
                return EXIT_INPUT_ERROR
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                stderr.write(f'{path}:{number}: expected an object with a string "text"\n')
                return EXIT_INPUT_ERROR
            stdout.write(json.dumps(check_post(record["text"]).to_dict(), ensure_ascii=False))
            stdout.write("\n")
    return EXIT_OK


def run_cli(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO | None = None) -> int:
    """Run `check` with the given arguments and streams; returns the exit status (0 or 2)."""
    err = stderr if stderr is not None else sys.stderr
    parser = _parser(stdout)
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        err.write(f"{parser.format_usage()}error: {exc}\n")
        return EXIT_INPUT_ERROR
    except _Exit as exc:
        return exc.status
    if args.jsonl:
        return _check_jsonl(args.jsonl, stdout, err)
    text = stdin.read() if args.text == "-" else args.text
    report = check_post(text)
    if args.json:
        stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    else:
        rewrite = rewrite_post(text) if report.risk in ("low", "medium", "high") else None
        stdout.write(format_report(report, text, rewrite))
    return EXIT_OK

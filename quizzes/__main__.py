"""Bank tools for educators and CI.

python -m quizzes check PATH...   validate files or folders (exit 1 on any problem)
python -m quizzes list [--json]   list the bundled bank's scenarios
python -m quizzes schema [KIND]   print the JSON Schema of rubric / scenario / quizzes files
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .bank import JSON_SCHEMA, BankError, check, default_bank_root, load_bank


def _check(args: argparse.Namespace) -> int:
    problems = check(args.paths)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


def _list(args: argparse.Namespace) -> int:
    try:
        bank = load_bank(args.root)
    except BankError as exc:
        print(exc, file=sys.stderr)
        return 1
    rows: list[dict[str, Any]] = [
        {
            "id": s.id,
            "title": s.title,
            "type": s.type,
            "guidelines": list(s.guidelines),
            "risks": list(s.risks),
            "rubric": s.rubric,
            "version": s.version,
            "module": s.module,
        }
        for s in bank.scenarios.values()
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for r in rows:
            gl = ",".join(map(str, r["guidelines"]))
            print(f"{r['id']:<40} {r['type']:<10} G{gl:<8} {r['module']:<24} {r['title']}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    data = JSON_SCHEMA[args.kind] if args.kind else JSON_SCHEMA
    print(json.dumps(data, indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m quizzes",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="validate bank files or folders (exit 1 on any problem)")
    p.add_argument("paths", nargs="+", type=Path)
    p.set_defaults(func=_check)
    p = sub.add_parser("list", help="list the scenarios of a bank")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.add_argument("--root", type=Path, default=default_bank_root(), help="bank folder")
    p.set_defaults(func=_list)
    p = sub.add_parser("schema", help="print the JSON Schema of rubric, scenario and quizzes files")
    p.add_argument("kind", nargs="?", choices=sorted(JSON_SCHEMA))
    p.set_defaults(func=_schema)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())

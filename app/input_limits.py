"""Hostile input stops at the edge, with a 4xx that names the field, never a 500.

One place for rules every view would otherwise repeat:

- text with a NUL, another C0 control (tab, newline and carriage return are fine) or a lone
  surrogate cannot be stored (PostgreSQL refuses NUL, UTF-8 refuses surrogates), so a form
  field, query argument, path segment, file name or JSON string holding one is refused with
  a 400 that names it, before any view runs;
- a JSON body is at most MAX_JSON_BYTES and MAX_JSON_DEPTH levels deep (the parser recurses);
- integers in paths fit a 64-bit column (`<int:…>` beyond it simply does not match: 404), and
  `page_arg()` keeps page numbers between 1 and MAX_PAGE.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**63 - 1  # the largest value of a BIGINT / SQLite INTEGER
MAX_PAGE = 1_000_000
MAX_JSON_BYTES = 1_000_000
MAX_JSON_DEPTH = 32

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` that only matches values a database integer can hold (others answer 404)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)


def page_arg(name: str = "page") -> int:
    """The page number asked for in the query string, kept within 1..MAX_PAGE.

    Anything that is not a number means the first page; a huge number means the last page we
    would ever serve (an empty one), never an integer overflow in the database.
    """
    raw = request.args.get(name, "")
    value = int(raw) if raw.strip().isascii() and raw.strip().isdigit() else 1
    return min(max(value, 1), MAX_PAGE)


def forbidden_character(text: str) -> str | None:
    """The first character we refuse to store, as "U+0000", or None."""
    found = _FORBIDDEN.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _control_message(where: str, name: str, char: str) -> str:
    shown = _FORBIDDEN.sub("?", name)[:80]
    return (
        f"The {where} “{shown}” contains a control character ({char}) that cannot be saved. "
        "Remove it and try again."
    )


def _texts() -> Iterator[tuple[str, str, str]]:
    """(where, name, text) for every piece of text the request carries outside its body."""
    for key, value in (request.view_args or {}).items():
        if isinstance(value, str):
            yield "address part", key, value
    for key, value in request.args.items(multi=True):
        yield "query argument", key, key
        yield "query argument", key, value
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in request.form.items(multi=True):
            yield "field", key, key
            yield "field", key, value
        for key, upload in request.files.items(multi=True):
            yield "file name of field", key, upload.filename or ""


def _check_json() -> None:
    data = request.get_data(cache=True)
    if len(data) > MAX_JSON_BYTES:
        raise _Refused(413, f"The JSON body is larger than {MAX_JSON_BYTES:,} bytes.")
    try:
        payload = json.loads(data)
    except RecursionError:
        message = f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."
        raise _Refused(400, message) from None
    except ValueError:
        return  # not JSON at all: the view's own get_json(silent=True) answers that
    stack: list[tuple[Any, str, int]] = [(payload, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if char := forbidden_character(value):
                raise _Refused(400, _control_message("JSON field", path or "(body)", char))
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= MAX_JSON_DEPTH:
            message = f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."
            raise _Refused(400, message)
        if isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
            continue
        for key, item in value.items():
            name = f"{path}.{key}" if path else key
            if char := forbidden_character(key):
                raise _Refused(400, _control_message("JSON field name", name, char))
            stack.append((item, name, depth + 1))


def _refusal(err: _Refused) -> tuple[Response | str, int]:
    if request.blueprint == "api":
        return jsonify(error={"status": err.status, "message": err.message}), err.status
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(error=err.message), err.status
    title = "Input refused" if err.status == 400 else "Request too large"
    page = render_template("errors/error.html", code=err.status, title=title, message=err.message)
    return page, err.status


def check_request() -> tuple[Response | str, int] | None:
    """Refuse (before the view runs) a request carrying text that cannot be stored safely."""
    try:
        for where, name, text in _texts():
            if char := forbidden_character(text):
                raise _Refused(400, _control_message(where, name, char))
        if request.is_json:
            _check_json()
    except _Refused as err:
        return _refusal(err)
    return None


def install(app: Flask) -> None:
    """Bound `<int:…>` (before any route is added) and check every request."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(check_request)

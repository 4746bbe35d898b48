"""The "Check my post" service: run the checker and shape the result for a page or JSON.

Nothing typed is stored or logged: the text lives only for the length of the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from privacy import UNKNOWN, PrivacyReport, check_post, rewrite_hint, rewrite_post

MAX_POST_CHARS = 5000


class PostTooLong(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the post, plain or flagged, for highlighting without trusting any HTML."""

    text: str
    finding_index: int | None = None


@dataclass(frozen=True, slots=True)
class CheckedPost:
    report: PrivacyReport
    segments: tuple[Segment, ...]
    hint: str
    rewrite: str | None = None  # a safer draft, when the post needs one and can be read

    @property
    def unknown(self) -> bool:
        """Not English: the checker could not read it, which is not the same as safe."""
        return self.report.risk == UNKNOWN


def check_text(text: str) -> CheckedPost:
    """Check a draft post; raises PostTooLong past MAX_POST_CHARS."""
    if len(text) > MAX_POST_CHARS:
        raise PostTooLong(
            f"Posts are checked up to {MAX_POST_CHARS:,} characters; yours has {len(text):,}."
        )
    report = check_post(text, all_details=True)
    rewrite = rewrite_post(text) if report.risk in ("low", "medium", "high") else None
    if rewrite == text:
        rewrite = None
    return CheckedPost(
        report=report,
        segments=_segments(text, report),
        hint=rewrite_hint(report),
        rewrite=rewrite,
    )


def _segments(text: str, report: PrivacyReport) -> tuple[Segment, ...]:
    out: list[Segment] = []
    pos = 0
    for index, finding in enumerate(report.findings):
        if finding.start < pos:  # overlapping spans: the earlier finding already covers it
            continue
        if finding.start > pos:
            out.append(Segment(text[pos : finding.start]))
        out.append(Segment(text[finding.start : finding.end], index))
        pos = finding.end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return tuple(out)


def report_json(checked: CheckedPost) -> dict[str, Any]:
    """The API body: the report's own fields plus the hint and the safer draft (or null)."""
    data = checked.report.to_dict()
    data["hint"] = checked.hint
    data["rewrite"] = checked.rewrite
    return data

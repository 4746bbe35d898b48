"""check_post: run the detectors, resolve overlaps, let patient cues raise the stakes, rate risk."""

from __future__ import annotations

from privacy.detectors import DETECTORS, Candidate, Scan
from privacy.model import RISK_LEVELS, Finding, PrivacyReport

_RANK = {level: i for i, level in enumerate(RISK_LEVELS)}
_ESCALATED_NOTE = " This post also shows it is about a real patient, which makes this identifying."


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the strongest reading of each stretch of text (an MRN beats a phone number there)."""
    ordered = sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start))
    kept: list[Candidate] = []
    for cand in ordered:
        if not any(_overlaps(cand, k) for k in kept):
            kept.append(cand)
    return kept


def _merge_cues(cues: list[Candidate], kept: list[Candidate]) -> list[Candidate]:
    """One finding per stretch of cue text, leaving out cues inside an identifier finding."""
    merged: list[Candidate] = []
    for cue in sorted(cues, key=lambda c: (c.start, -c.end)):
        if any(_overlaps(cue, k) for k in kept):
            continue
        if merged and cue.start <= merged[-1].end:
            last = merged[-1]
            last.end = max(last.end, cue.end)
            continue
        merged.append(
            Candidate(
                cue.category,
                cue.start,
                cue.end,
                cue.alone,
                cue.with_cue,
                cue.explanation,
                cue.guideline,
                cue.priority,
                cue.is_cue,
            )
        )
    return merged


def check_post(text: str) -> PrivacyReport:
    """Read a draft post and report what could identify a patient, with spans into `text`."""
    scan = Scan(text)
    candidates = [cand for detector in DETECTORS.values() for cand in detector(scan)]
    # Plain cues only raise the stakes; case details ("overdose … last night") are findings too.
    cues = [c for c in candidates if c.category == "patient-context" and c.is_cue]
    kept = _resolve([c for c in candidates if not (c.category == "patient-context" and c.is_cue)])
    cue_findings = _merge_cues(cues, kept)

    context_sources = len(cues) + sum(1 for c in kept if c.is_cue)
    findings: list[Finding] = []
    for cand in kept:
        others = context_sources - (1 if cand.is_cue else 0)
        severity = cand.with_cue if others > 0 else cand.alone
        explanation = cand.explanation
        if _RANK[severity] > _RANK[cand.alone]:
            explanation += _ESCALATED_NOTE
        findings.append(
            Finding(
                cand.category,
                cand.start,
                cand.end,
                text[cand.start : cand.end],
                explanation,
                cand.guideline,
                severity,
            )
        )
    for cue in cue_findings:
        findings.append(
            Finding(
                cue.category,
                cue.start,
                cue.end,
                text[cue.start : cue.end],
                cue.explanation,
                cue.guideline,
                cue.alone,
            )
        )
    findings.sort(key=lambda f: (f.start, f.end, f.category))
    return PrivacyReport(risk=_risk(findings), findings=tuple(findings))


def _risk(findings: list[Finding]) -> str:
    """The worst finding decides; three or more different identifiers together are high."""
    if not findings:
        return "none"
    risk = max((f.severity for f in findings), key=_RANK.__getitem__)
    serious = {
        f.category
        for f in findings
        if f.category != "patient-context" and _RANK[f.severity] >= _RANK["medium"]
    }
    if len(serious) >= 3:
        risk = "high"
    return risk

"""check_post: find the spans, ask the two questions, rate the risk and how sure that is.

1. Detectors find identifiers and patient-context cues (privacy.detectors.DETECTORS).
2. Question one (privacy.subject): is the post about a specific person the author cared for?
3. If so, detail detectors find the quasi-identifiers that single that person out
   (DETAIL_DETECTORS), and question two adds up how much everything found singles them out.
4. Risk: the worst finding, raised by the singling-out score; confidence says how clear-cut.
5. A statistical check trained on the labelled posts may raise a none/low post to medium or
   lower a medium one to low, and says so (privacy.learned); it never lowers a high.
"""

from __future__ import annotations

from privacy.detectors import DETAIL_DETECTORS, DETECTORS
from privacy.language import ENGLISH, UNDETERMINED, detect_language
from privacy.learned import reconsider
from privacy.model import RISK_LEVELS, UNKNOWN, Finding, PrivacyReport
from privacy.scan import Candidate, Scan
from privacy.singling import HIGH_AT, assess, singling_score
from privacy.subject import Subject, ask_subject

_RANK = {level: i for i, level in enumerate(RISK_LEVELS)}
_ESCALATED_NOTE = " This post also shows it is about a real patient, which makes this identifying."
_FRAMED_NOTE = " (Read as {frame}, so it counts for less.)"
_FRAME_WORDS = {
    "simulation": "a simulation, not a real patient",
    "hypothetical": "a hypothetical case",
    "privacy-talk": "a post about privacy itself",
    "own-care": "about your own care",
    "public-news": "public news, not your care",
    "consented": "shared with consent and details changed",
}


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
            merged[-1].end = max(merged[-1].end, cue.end)
            continue
        merged.append(
            Candidate(cue.category, cue.start, cue.end, cue.alone, cue.with_cue, cue.explanation)
        )
    return merged


def _severity(cand: Candidate, subject: Subject, context_sources: int) -> str:
    """A finding's severity: raised beside a real person in care, lowered when framed."""
    if subject.frame == "simulation":
        return "low"
    others = context_sources - (1 if cand.is_cue else 0)
    if subject.specific and others > 0:
        return cand.with_cue
    if subject.framed and cand.alone != "high" and cand.category != "name":
        return "low"  # a picture of a record or a direct identifier keeps its severity
    if subject.names_cleared and cand.category == "name":
        return "low"  # an invented character, or a name the family asked to share
    return cand.alone


def _explain(cand: Candidate, severity: str, subject: Subject) -> str:
    explanation = cand.explanation
    if _RANK[severity] > _RANK[cand.alone]:
        explanation += _ESCALATED_NOTE
    elif subject.frame and _RANK[severity] < _RANK[cand.alone]:
        explanation += _FRAMED_NOTE.format(frame=_FRAME_WORDS[subject.frame])
    return explanation


def _finding(text: str, cand: Candidate, severity: str, subject: Subject) -> Finding:
    return Finding(
        cand.category,
        cand.start,
        cand.end,
        text[cand.start : cand.end],
        _explain(cand, severity, subject),
        cand.guideline,
        severity,
    )


def _is_cue(cand: Candidate) -> bool:
    return cand.category == "patient-context" and cand.is_cue


def _candidates(scan: Scan, all_details: bool) -> tuple[list[Candidate], list[Candidate], Subject]:
    """Every candidate; detail candidates too when question one says yes.

    When the identifiers found already make the post high, the details cannot change the risk,
    so they are only looked for if `all_details` asks for every finding (the web page does).
    """
    candidates = [cand for detector in DETECTORS.values() for cand in detector(scan)]
    subject = ask_subject(scan, candidates)
    cues = [c for c in candidates if _is_cue(c)]
    kept = _resolve([c for c in candidates if not _is_cue(c)])
    if not subject.specific or (not all_details and singling_score(kept) >= HIGH_AT):
        return cues, kept, subject
    details = [cand for detector in DETAIL_DETECTORS.values() for cand in detector(scan)]
    return cues, _resolve(kept + details), subject


def rule_evidence(text: str, *, all_details: bool = False) -> tuple[PrivacyReport, float]:
    """The rules' verdict alone, with the singling-out score behind it.

    The learned layer reads both (privacy.learned); `check_post` is this plus that layer.
    """
    scan = Scan(text, all_details=all_details)
    language = detect_language(text, scan.lower)
    cues, kept, subject = _candidates(scan, all_details)
    context_sources = len(cues) + sum(1 for c in kept if c.is_cue)
    findings = [_finding(text, c, _severity(c, subject, context_sources), subject) for c in kept]
    findings += [_finding(text, c, "low", subject) for c in _merge_cues(cues, kept)]
    findings.sort(key=lambda f: (f.start, f.end, f.category))
    verdict = assess(findings, kept, subject)
    risk, confidence = verdict.risk, verdict.confidence
    if language not in (ENGLISH, UNDETERMINED):
        risk, confidence = UNKNOWN, 0.2
    elif language == UNDETERMINED:
        confidence = min(confidence, 0.6)
    report = PrivacyReport(
        risk=risk,
        findings=tuple(findings),
        confidence=confidence,
        language=language,
        about_person=subject.specific,
        frame=subject.frame,
    )
    return report, verdict.score


def check_post(text: str, *, all_details: bool = False, learned: bool = True) -> PrivacyReport:
    """Read a draft post and report what could identify a patient, with spans into `text`.

    `all_details=True` also lists the job, place, time and other details in a post that is
    already high on its identifiers (slower; the risk is the same). `learned=False` gives the
    rules' verdict without the statistical check that may raise or lower it (privacy.learned).
    """
    report, score = rule_evidence(text, all_details=all_details)
    if not learned:
        return report
    return reconsider(text, report, score)

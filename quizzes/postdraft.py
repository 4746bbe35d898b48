"""The `post_draft` scorer: the privacy checker on what is published, concept rules for the rest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .assessment import (
    CONFIDENCE_CONFLICT,
    CONFIDENCE_PRIVACY,
    PEOPLE,
    SENTENCE_END,
    Assessment,
    PrivacyCheckerUnavailable,
    wordset,
)
from .concepts import _Compiled, _compiled, _concept_assessments, _finish
from .matching import Reading
from .model import Criterion, Evidence, PrivacyChecker, Response, Rubric, Scenario
from .published import _keep, _mask, _published

# --------------------------------------------------------------------------- post draft


_default_checker: PrivacyChecker | None = None


def default_privacy_checker() -> PrivacyChecker:
    """`privacy.check_post`, imported on first use so `import quizzes` stays light."""
    global _default_checker
    if _default_checker is None:
        try:
            from privacy import check_post
        except ImportError as exc:
            raise PrivacyCheckerUnavailable(
                "post_draft grading needs the privacy checker, but `from privacy import "
                f"check_post` failed ({exc}); install the privacy package or pass "
                "privacy_check=... to grade()"
            ) from exc
        _default_checker = check_post
    return _default_checker


# The privacy checker reports category words ("picture", "photos", "my patient") wherever they
# stand. Read in the sentence, some are not there at all: "I did not name, tag or picture her",
# "no photos of patients". And when the prompt itself asks what image you would use, naming the
# image is answering the prompt; what matters is whether it shows anything of a patient. Such
# findings are discounted: the post is checked again with them blanked out (so an identifier
# next to them is still found), and the evidence says what was not counted and why.
_CATEGORY_WORD_FINDINGS = frozenset({"media", "patient-context"})
_PATIENT_IN_PICTURE = wordset(
    """patient patients pt pts resident residents chart charts notes record records wristband
    wristbands whiteboard whiteboards board boards screen screens monitor monitors xray xrays
    scan scans wound wounds bedside ward bed beds bay bays background face faces
    prescription prescriptions medication medications theatre theater resus"""
)
_CLEARED_BY = wordset(
    """checked check checking free clear cleared cropped crop blurred blur removed hidden
    covered stock graphic illustration"""
)


def _shows_a_patient(text: str, reading: Reading, start: int) -> bool:
    """Whether the sentence around `start` puts anything of a patient in the picture."""
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right_m = SENTENCE_END.search(text, start)
    right = right_m.start() if right_m else len(text)
    first, last = reading.index_at(left), reading.index_at(right)
    last = len(reading.words) if last < 0 else last
    words = reading.words
    cleared = False  # "checked for screens, whiteboards and patients"
    for j in range(max(first, 0), last):
        w = words[j]
        if w in _CLEARED_BY:
            cleared = True
        elif (
            w in _PATIENT_IN_PICTURE
            and reading.negated_by[j] < 0
            and not cleared
            and not any(x in _CLEARED_BY for x in words[j + 1 : j + 3])  # "screens blurred"
        ):
            return True
    return False


def _discounted(
    compiled: _Compiled, text: str, reading: Reading, findings: Iterable[Any]
) -> list[tuple[Any, str]]:
    """The category-word findings that the sentence says are not there, with why."""
    out = []
    for f in findings:
        if f.category not in _CATEGORY_WORD_FINDINGS:
            continue  # a name, date or room number is published whatever the grammar
        by = reading.negation_at(f.start)
        if by:
            out.append((f, f"negated by {by!r}"))
        elif (
            f.category == "media"
            and compiled.asks_for_image
            and not _shows_a_patient(text, reading, f.start)
        ):
            out.append((f, "the prompt asks what image you would use; this one shows no patient"))
    return out


@dataclass(frozen=True, slots=True)
class _Rated:
    """A privacy report with some findings taken out (same shape as the checker's)."""

    risk: str
    findings: tuple[Any, ...]


_RISKS = ("none", "low", "medium", "high")


def _without(
    report: Any, discounted: list[tuple[Any, str]], post: str, checker: PrivacyChecker
) -> Any:
    """The report without the discounted findings. The risk of what is left is worked out the
    way the checker does (the worst severity; three or more kinds of medium-or-worse identifier
    make it high), unless a discounted patient cue may have raised another finding's severity,
    or the findings carry no severity: then the post is checked again with the words blanked."""
    gone = {id(f) for f, _why in discounted}
    kept = tuple(f for f in report.findings if id(f) not in gone)
    cue_gone = any(f.category == "patient-context" for f, _why in discounted)
    if (cue_gone and kept) or not all(getattr(f, "severity", None) in _RISKS for f in kept):
        masked = list(post)
        for f, _why in discounted:
            masked[f.start : f.end] = " " * (f.end - f.start)
        return checker("".join(masked))
    if not kept:
        return _Rated("none", ())
    risk = max((f.severity for f in kept), key=_RISKS.index)
    serious = {
        f.category
        for f in kept
        if f.category != "patient-context" and _RISKS.index(f.severity) >= _RISKS.index("medium")
    }
    return _Rated("high" if len(serious) >= 3 else risk, kept)


def _finding_evidence(f: Any) -> Evidence:
    return Evidence(
        "identifier",
        f.text,
        f.start,
        f.end,
        f"{f.category}: {f.explanation} (guideline {f.guideline})",
    )


CONFIDENCE_UNCHECKED = 0.2  # the checker could not read the post (not English): to review
CONFIDENCE_WEAK_NONE = 0.4  # "none"/"low" while the post talks about someone in care: to review
_WEAK_CHECKER = 0.6  # the checker's own confidence below this makes its "none"/"low" weak


def _privacy_level(scenario: Scenario, report: Any) -> tuple[str, float, str]:
    """The level the checker's risk maps to, how far to trust it, and a note on why not.

    A "none" is not proof of safety: a post the checker could not read (`unknown`: not English)
    gets the middle level and goes to an educator, and so does a low or no risk that rests on
    weak evidence (patient-context cues, or a low checker confidence)."""
    if report.risk == "unknown":
        level = scenario.privacy_level_for("medium")
        note = "the privacy checker reads English only: an educator will check this post"
        return _mapped(scenario, level, report.risk), CONFIDENCE_UNCHECKED, note
    level = _mapped(scenario, scenario.privacy_level_for(report.risk), report.risk)
    if report.risk not in ("none", "low"):
        return level, CONFIDENCE_PRIVACY, ""
    cues = any(getattr(f, "category", "") == "patient-context" for f in report.findings)
    checker_confidence = getattr(report, "confidence", 1.0)
    if cues or checker_confidence < _WEAK_CHECKER:
        why = "talks about someone in care" if cues else "gives little to go on"
        note = f"the privacy checker found little, but the post {why}: an educator will check it"
        return level, CONFIDENCE_WEAK_NONE, note
    return level, CONFIDENCE_PRIVACY, ""


def _mapped(scenario: Scenario, level: str | None, risk: str) -> str:
    if level is None:
        raise ValueError(f"scenario {scenario.id!r} maps no level for privacy risk {risk!r}")
    return level


def score_post_draft(
    scenario: Scenario, rubric: Rubric, response: Response, privacy_check: PrivacyChecker | None
) -> dict[str, Assessment]:
    checker = privacy_check or default_privacy_checker()
    pcid = scenario.privacy_criterion
    if pcid is None:
        raise ValueError(f"post_draft scenario {scenario.id!r} has no privacy_criterion")
    text = response.text
    compiled = _compiled(scenario)
    ms = compiled.matcher.find(text)
    reading = ms.reading
    published = _published(compiled, text, reading)
    post = _mask(text, published)
    report = checker(post)
    discounted = _discounted(compiled, post, reading, report.findings) if reading else []
    if discounted:
        report = _without(report, discounted, post, checker)
    level, confidence, note = _privacy_level(scenario, report)
    evs = tuple(_finding_evidence(f) for f in report.findings) or (
        Evidence("default", "", detail=f"privacy checker found nothing (risk {report.risk})"),
    )
    evs += tuple(
        Evidence("default", f.text, f.start, f.end, f"{f.text!r} not counted: {why}")
        for f, why in discounted
    )
    if note:
        evs += (Evidence("default", "", detail=note),)
    privacy = Assessment(level, evs, confidence)
    others = tuple(c for c in scenario.criteria if c != pcid)
    out = _concept_assessments(scenario, rubric, ms, others, published, text)
    if scenario.concept_rules_for(pcid):  # concept rules for it too: the lower level wins
        order = [lvl.id for lvl in rubric.criterion(pcid).levels]
        in_post = ms if published == ((0, len(text)),) else _keep(ms, published)
        concept = _concept_assessments(scenario, rubric, in_post, (pcid,), published, text)[pcid]
        if concept.by_rule and order.index(concept.level_id) < order.index(level):
            privacy = Assessment(concept.level_id, concept.evidence + evs, concept.confidence)
        elif concept.by_rule:
            conf = min(CONFIDENCE_PRIVACY, concept.confidence)
            privacy = Assessment(level, evs + concept.evidence, conf)
    out[pcid] = _guarded(rubric.criterion(pcid), privacy, report, post, reading)
    return _finish(scenario, rubric, compiled, ms, out)


# Not enough for the top level: a published post that still carries an identifier of the
# person (a name or initial, an age, a town, a bed, a date) or a picture of them (a selfie),
# whatever risk the checker put on it. Consent may cover less than is shown ("she said she
# doesn't mind" for her age and town), so such a post is held at the middle level for an
# educator, never credited at the top with confidence.
_NOT_IDENTIFYING = wordset(
    """media patient-context url privacy-talk simulation hypothetical consented public-news
    own-care language"""
)
_SOMEONE = PEOPLE | wordset("patient patients")
_PLACE_OR_TRAIT = wordset("geography occupation unique-characteristic")
_PICTURE_OF_THEM = wordset("selfie selfies")
_PERSON = wordset(
    """name room date occupation mrn phone email address ssn health-plan account licence device
    vehicle ip fax"""
)


def _guarded(
    crit: Criterion, privacy: Assessment, report: Any, post: str, reading: Reading | None
) -> Assessment:
    ids = [lvl.id for lvl in crit.levels]
    if len(ids) < 3 or privacy.level_id == ids[0]:
        return privacy
    about_someone = reading is not None and _about_someone(reading, post)
    why = [f for f in report.findings if _identifying(f, about_someone)]
    kinds = {f.category for f in why}
    if kinds & _PERSON and len(kinds) >= 2:
        note = Evidence(
            "default",
            "",
            detail=f"{' + '.join(sorted(kinds))} together point to one person: "
            f"{ids[0]} whatever the overall risk",
        )
        return Assessment(ids[0], (*privacy.evidence, note), CONFIDENCE_CONFLICT)
    if privacy.level_id != ids[-1]:
        return privacy
    if not why and reading is not None:
        why = [
            f
            for f in report.findings
            if f.category == "media" and _pictures_them(reading, f.start, f.end)
        ]
    if not why:
        return privacy
    note = Evidence(
        "default",
        why[0].text,
        why[0].start,
        why[0].end,
        f"the post still carries {why[0].text!r} ({why[0].category}): not credited in full "
        "until an educator checks what the consent covers",
    )
    middle = ids[(len(ids) - 1) // 2]
    return Assessment(
        middle, (*privacy.evidence, note), min(privacy.confidence, CONFIDENCE_WEAK_NONE)
    )


def _identifying(f: Any, about_someone: bool) -> bool:
    """A finding that points at the person: of medium severity or worse, or a place or trait
    at any severity in a post about someone ("[PATIENT], from Westfield"); a low "today" does
    not, nor a place in a post about nobody."""
    if f.category in _NOT_IDENTIFYING:
        return False
    if getattr(f, "severity", "") in ("medium", "high"):
        return True
    return about_someone and f.category in _PLACE_OR_TRAIT


def _about_someone(reading: Reading, post: str) -> bool:
    """Whether the published words speak of a person (she, his, a patient, [PATIENT])."""
    return any(
        w in _SOMEONE and not post[a].isspace()
        for w, a in zip(reading.words, reading.starts, strict=True)
    )


def _pictures_them(reading: Reading, start: int, end: int) -> bool:
    first, last = reading.index_at(start), reading.index_at(end)
    last = len(reading.words) if last < 0 else last
    return any(
        reading.words[j] in _PICTURE_OF_THEM and reading.negated_by[j] < 0
        for j in range(max(first, 0), last)
    )

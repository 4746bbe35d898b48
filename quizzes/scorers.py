"""One scorer per scenario type, registered by name in SCORERS.

A scorer decides, for every criterion the scenario assesses, which level the response reaches,
with the evidence and a confidence. `grading.grade` turns that into points and a score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .matching import Match, MatchSet, PhraseMatcher, compile_phrases
from .model import (
    ConceptRule,
    Evidence,
    PrivacyChecker,
    Response,
    Rubric,
    Scenario,
)
from .vocabulary import is_common_word

__all__ = [
    "CONFIDENCE_CERTAIN",
    "CONFIDENCE_CONFLICT",
    "CONFIDENCE_DEFAULT",
    "CONFIDENCE_FUZZY",
    "CONFIDENCE_OTHER_WORD",
    "CONFIDENCE_PHRASE",
    "SCORERS",
    "Assessment",
    "InvalidResponse",
    "PrivacyCheckerUnavailable",
    "Scorer",
    "compiled_matcher",
    "default_privacy_checker",
]

CONFIDENCE_CERTAIN = 1.0  # an option, a combination rule, an answer below min_words
CONFIDENCE_PHRASE = 0.9  # a listed phrase matched exactly
CONFIDENCE_PRIVACY = 0.9  # the privacy checker set the level
CONFIDENCE_FUZZY = 0.7  # a phrase matched only thanks to typo tolerance
CONFIDENCE_OTHER_WORD = 0.45  # ... where the "typo" is a common word itself ("content"/"consent")
CONFIDENCE_CONFLICT = 0.4  # phrases of rules with different levels matched
CONFIDENCE_DEFAULT = 0.3  # nothing matched; the default rule applied
CONFIDENCE_NO_RULE = 0.2  # nothing matched and there is no default rule


class InvalidResponse(ValueError):
    """The response does not fit the scenario (unknown option, not exactly one choice...)."""


class PrivacyCheckerUnavailable(RuntimeError):
    """post_draft grading needs `privacy.check_post` and it could not be imported."""


@dataclass(frozen=True, slots=True)
class Assessment:
    """A scorer's verdict on one criterion."""

    level_id: str
    evidence: tuple[Evidence, ...]
    confidence: float = CONFIDENCE_CERTAIN


Scorer = Callable[[Scenario, Rubric, Response, "PrivacyChecker | None"], dict[str, Assessment]]


# --------------------------------------------------------------------------- single / multi


def _check_options(scenario: Scenario, response: Response) -> frozenset[str]:
    known = {o.id for o in scenario.options}
    unknown = [s for s in response.selected if s not in known]
    if unknown:
        raise InvalidResponse(f"scenario {scenario.id!r} has no option(s) {', '.join(unknown)}")
    return frozenset(response.selected)


def score_single(
    scenario: Scenario, rubric: Rubric, response: Response, privacy_check: PrivacyChecker | None
) -> dict[str, Assessment]:
    selected = _check_options(scenario, response)
    if len(selected) != 1:
        raise InvalidResponse(f"scenario {scenario.id!r} needs exactly one selected option")
    opt = scenario.option(next(iter(selected)))
    ev = (Evidence("option", opt.text, detail=f"selected option {opt.id}"),)
    return {cid: Assessment(lid, ev) for cid, lid in opt.levels}


def score_multi(
    scenario: Scenario, rubric: Rubric, response: Response, privacy_check: PrivacyChecker | None
) -> dict[str, Assessment]:
    selected = _check_options(scenario, response)
    out: dict[str, Assessment] = {}
    for cid, rules in scenario.mapping:
        for rule in rules:
            if not rule.holds(selected):
                continue
            if rule.is_default:
                chosen = ", ".join(sorted(selected)) or "nothing"
                ev: tuple[Evidence, ...] = (
                    Evidence("default", "", detail=f"default rule (selected: {chosen})"),
                )
            else:
                evs = []
                for oid in (*rule.all, *rule.any):
                    if oid in selected:
                        evs.append(
                            Evidence(
                                "option", scenario.option(oid).text, detail=f"selected option {oid}"
                            )
                        )
                for oid in rule.none:
                    evs.append(
                        Evidence(
                            "option",
                            scenario.option(oid).text,
                            detail=f"did not select option {oid}",
                        )
                    )
                ev = tuple(evs)
            out[cid] = Assessment(rule.level, ev)
            break
        else:  # the loader guarantees a default; stay total for hand-built scenarios
            crit = rubric.criterion(cid)
            out[cid] = Assessment(
                crit.lowest.id, (Evidence("default", "", detail="no rule matched"),)
            )
    return out


# --------------------------------------------------------------------------- free text

_COMPILED: dict[tuple[str, int], tuple[object, PhraseMatcher]] = {}
_COMPILED_MAX = 4096


def compiled_matcher(scenario: Scenario) -> PhraseMatcher:
    """The scenario's phrases compiled once, cached by (id, version) and checked for identity."""
    key = (scenario.id, scenario.version)
    hit = _COMPILED.get(key)
    if hit is not None and (hit[0] is scenario.concepts or hit[0] == scenario.concepts):
        return hit[1]
    phrases: list[str] = []
    for _cid, rules in scenario.concepts:
        for rule in rules:
            phrases.extend(rule.phrases)
            for group in rule.all_of:
                phrases.extend(group)
    matcher = compile_phrases(phrases)
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    _COMPILED[key] = (scenario.concepts, matcher)
    return matcher


def _other_words(m: Match) -> list[tuple[str, str]]:
    """The tolerated typos of `m` that are common words in their own right."""
    return [(said, meant) for said, meant in m.typos if is_common_word(said)]


def _match_confidence(m: Match) -> float:
    if not m.fuzzy:
        return CONFIDENCE_PHRASE
    return CONFIDENCE_OTHER_WORD if _other_words(m) else CONFIDENCE_FUZZY


def _rule_evidence(rule: ConceptRule, ms: MatchSet) -> tuple[tuple[Evidence, ...], float] | None:
    """(evidence, confidence) if `rule` holds on the matches, else None. The confidence is the
    weakest match's: exact, a tolerated typo, or a "typo" that is another word."""
    found: list[Match] = []
    if rule.phrases:
        for p in rule.phrases:
            found.extend(ms.hits.get(p, ()))
        if not found:
            return None
    for group in rule.all_of:
        m = ms.first(group)
        if m is None:
            return None
        found.append(m)
    evidence = tuple(_phrase_evidence(m, rule.level) for m in found)
    return evidence, min(_match_confidence(m) for m in found)


def _phrase_evidence(m: Match, level: str) -> Evidence:
    how = " (allowing for a typo)" if m.fuzzy else ""
    other = _other_words(m) if m.fuzzy else []
    if other:
        how = " (but " + ", ".join(f"{s!r} is a different word from {w!r}" for s, w in other)
        how += ": check)"
    return Evidence("phrase", m.text, m.start, m.end, f"matched {m.phrase!r}{how} -> {level}")


def _concept_assessments(
    scenario: Scenario, rubric: Rubric, text: str, criteria: tuple[str, ...]
) -> dict[str, Assessment]:
    ms = compiled_matcher(scenario).find(text)
    out: dict[str, Assessment] = {}
    for cid in criteria:
        crit = rubric.criterion(cid)
        if ms.word_count < scenario.min_words:
            detail = f"answer has {ms.word_count} words; at least {scenario.min_words} needed"
            out[cid] = Assessment(crit.lowest.id, (Evidence("default", "", detail=detail),))
            continue
        chosen: tuple[ConceptRule, tuple[Evidence, ...]] | None = None
        conflict = False
        matched = CONFIDENCE_PHRASE
        for rule in scenario.concept_rules_for(cid):
            if rule.is_default:
                if chosen is None:
                    chosen = (rule, ())
                continue
            held = _rule_evidence(rule, ms)
            if held is None:
                continue
            if chosen is None:
                chosen = (rule, held[0])
                matched = held[1]
            elif chosen[0].level != rule.level and not chosen[0].is_default:
                conflict = True
        if chosen is None or chosen[0].is_default:
            negated = [m for ms_ in ms.negated.values() for m in ms_]
            detail = "no listed phrase found; default rule"
            if negated:
                detail += "; negated: " + "; ".join(f"{m.text!r}" for m in negated[:3])
            level = chosen[0].level if chosen else crit.lowest.id
            conf = CONFIDENCE_DEFAULT if chosen else CONFIDENCE_NO_RULE
            out[cid] = Assessment(level, (Evidence("default", "", detail=detail),), conf)
            continue
        rule, ev = chosen
        out[cid] = Assessment(rule.level, ev, CONFIDENCE_CONFLICT if conflict else matched)
    return out


def score_free_text(
    scenario: Scenario, rubric: Rubric, response: Response, privacy_check: PrivacyChecker | None
) -> dict[str, Assessment]:
    return _concept_assessments(scenario, rubric, response.text, scenario.criteria)


_default_checker: PrivacyChecker | None = None


def default_privacy_checker() -> PrivacyChecker:
    """`privacy.check_post`, imported on first use so `import quizzes` stays light."""
    global _default_checker
    if _default_checker is None:
        try:
            from privacy import check_post  # type: ignore[attr-defined]
        except ImportError as exc:
            raise PrivacyCheckerUnavailable(
                "post_draft grading needs the privacy checker, but `from privacy import "
                f"check_post` failed ({exc}); install the privacy package or pass "
                "privacy_check=... to grade()"
            ) from exc
        _default_checker = check_post
    return _default_checker


def score_post_draft(
    scenario: Scenario, rubric: Rubric, response: Response, privacy_check: PrivacyChecker | None
) -> dict[str, Assessment]:
    checker = privacy_check or default_privacy_checker()
    pcid = scenario.privacy_criterion
    if pcid is None:
        raise ValueError(f"post_draft scenario {scenario.id!r} has no privacy_criterion")
    report = checker(response.text)
    level = scenario.privacy_level_for(report.risk)
    if level is None:
        raise ValueError(f"scenario {scenario.id!r} maps no level for privacy risk {report.risk!r}")
    evs = tuple(
        Evidence(
            "identifier",
            f.text,
            f.start,
            f.end,
            f"{f.category}: {f.explanation} (guideline {f.guideline})",
        )
        for f in report.findings
    ) or (Evidence("default", "", detail=f"privacy checker found nothing (risk {report.risk})"),)
    privacy = Assessment(level, evs, CONFIDENCE_PRIVACY)
    others = tuple(c for c in scenario.criteria if c != pcid)
    concept_ids = tuple(c for c, _ in scenario.concepts)
    out = _concept_assessments(
        scenario, rubric, response.text, others + ((pcid,) if pcid in concept_ids else ())
    )
    if pcid in out:  # concept rules for the privacy criterion too: the lower level wins
        crit = rubric.criterion(pcid)
        order = [lvl.id for lvl in crit.levels]
        concept = out[pcid]
        if (
            order.index(concept.level_id) < order.index(level)
            and concept.evidence[0].kind != "default"
        ):
            privacy = Assessment(concept.level_id, concept.evidence + evs, concept.confidence)
        elif concept.evidence and concept.evidence[0].kind != "default":
            privacy = Assessment(level, evs + concept.evidence, CONFIDENCE_PRIVACY)
    out[pcid] = privacy
    return out


SCORERS: dict[str, Scorer] = {
    "single": score_single,
    "multi": score_multi,
    "free_text": score_free_text,
    "post_draft": score_post_draft,
}

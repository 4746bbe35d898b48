"""Concept rules: a written answer's level on each criterion, from its phrases (breach first,
hedges and quotes to review, short answers, silence beside a breach)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .assessment import (
    CONFIDENCE_CERTAIN,
    CONFIDENCE_CONFLICT,
    CONFIDENCE_DEFAULT,
    CONFIDENCE_FUZZY,
    CONFIDENCE_HEDGED,
    CONFIDENCE_NO_RULE,
    CONFIDENCE_OTHER_WORD,
    CONFIDENCE_PHRASE,
    CONFIDENCE_SHORT,
    IMAGE_WORDS,
    PEOPLE,
    Assessment,
    wordset,
)
from .matching import Match, MatchSet, PhraseMatcher, Reading, compile_phrases, tokenize
from .model import ConceptRule, Criterion, Evidence, Rubric, Scenario
from .relevance import (
    _SHORT_ANSWER,
    _cap_off_topic,
    _copied_feedback,
    _relevance,
    _topic_words,
)
from .vocabulary import is_common_word

_NO_REPLY_OFFERED = re.compile(r"\bno\s+reply\b", re.I)
_NOTE_ASKED = re.compile(r"\bbefore\s+posting\b", re.I)

# --------------------------------------------------------------------------- free text
#
# Each criterion is decided in three steps, so that a crediting phrase can never mask a breach:
#   1. every rule is tested against the *affirmed* matches (a negated phrase never counts);
#   2. a rule at the criterion's lowest level (breach, missed) that holds wins over every other:
#      "I would still post it but remove the bed number" fails confidentiality even though other
#      phrases in it would credit it, and the conflict goes to review. Otherwise the first rule
#      that holds, in the author's order, gives the level (met before partial, say);
#   3. a fault (a rule at the lowest level) that holds only through hedged words
#      ("maybe I'd post it", "if she agreed…") is neither credited nor failed: the criterion is
#      held one level above that fault (never at the top) and the answer goes to review, unless
#      the condition is itself a credit ("if she signs the consent form, …"). A fault that holds
#      only by quoting the scenario ("calling him a 'frequent flyer'…") is held back the same
#      way unless another rule decides the criterion from the answer's own words, and a middle
#      rule that holds only by quoting does not hold. Inside the post of a post_draft answer
#      nothing is soft: a post is published as written, hedges and quotes included.
# Finally an answer that engages none of the scenario's specifics is capped (see `_relevance`).


@dataclass(frozen=True, slots=True)
class _Compiled:
    """What grading a scenario's written answers needs, built once per scenario version."""

    concepts: object
    matcher: PhraseMatcher
    topic: dict[str, str]  # stem -> a word of the scenario that has it
    examples: tuple[str, ...]  # a few distinctive words of the situation, for the evidence
    asks_for_image: bool  # the prompt asks what image you would use
    asks_for_note: bool  # the prompt asks for a "Before posting:" line after the post
    people: bool  # the situation has someone in it to call "he" or "she"
    offers_no_reply: bool  # the prompt offers "NO REPLY" as an answer
    situation: str  # its words, space-separated and padded, to tell a quotation of it
    seen: dict[str, str]  # answer word -> its stem if that is a topic stem, else "" (a cache)


_COMPILED: dict[tuple[str, int], _Compiled] = {}
_COMPILED_MAX = 4096


def _compiled(scenario: Scenario) -> _Compiled:
    key = (scenario.id, scenario.version)
    hit = _COMPILED.get(key)
    if hit is not None and (hit.concepts is scenario.concepts or hit.concepts == scenario.concepts):
        return hit
    phrases: list[str] = []
    for _cid, rules in scenario.concepts:
        for rule in rules:
            phrases.extend(rule.phrases)
            for group in rule.all_of:
                phrases.extend(group)
    topic = _topic_words(" ".join((scenario.title, scenario.prompt, scenario.debrief, *phrases)))
    situation = _topic_words(scenario.situation)
    topic.update(situation)
    examples = tuple(sorted(situation.values(), key=len, reverse=True)[:4])
    compiled = _Compiled(
        scenario.concepts,
        compile_phrases(phrases),
        topic,
        examples,
        bool(IMAGE_WORDS.search(scenario.prompt)),
        bool(_NOTE_ASKED.search(scenario.prompt)),
        not PEOPLE.isdisjoint(w for w, _s, _e in tokenize(scenario.situation)),
        bool(_NO_REPLY_OFFERED.search(scenario.prompt)),
        f" {' '.join(w for w, _s, _e in tokenize(scenario.situation))} ",
        {},
    )
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    _COMPILED[key] = compiled
    return compiled


def compiled_matcher(scenario: Scenario) -> PhraseMatcher:
    """The scenario's phrases compiled once, cached by (id, version) and checked for identity."""
    return _compiled(scenario).matcher


def _inflection(said: str, meant: str) -> bool:
    """'patients' for 'patient', 'approved' for 'approve': the same word, not another one."""
    short, long_ = sorted((said, meant), key=len)
    return long_ in (short + "s", short + "es", short + "d", short + "ed")


def _other_words(m: Match) -> list[tuple[str, str]]:
    """The tolerated typos of `m` that are common words in their own right."""
    return [
        (said, meant)
        for said, meant in m.typos
        if is_common_word(said) and not _inflection(said, meant)
    ]


def _match_confidence(m: Match) -> float:
    if not m.fuzzy:
        return CONFIDENCE_PHRASE
    return CONFIDENCE_OTHER_WORD if _other_words(m) else CONFIDENCE_FUZZY


Spans = tuple[tuple[int, int], ...]


def _within(pos: int, spans: Spans) -> bool:
    return any(a <= pos < b for a, b in spans)


@dataclass(frozen=True, slots=True)
class _Softness:
    """Which matches are soft: hedged, or quoting the scenario's own words ('frequent flyer'),
    outside the `published` spans (a post is published as written, hedges and all)."""

    published: Spans
    situation: str  # the situation's words, space-separated and padded
    any_soft: bool = True  # False: nothing in the answer is hedged or quoted (the usual case)
    refused: Spans = ()  # quotations right after a negated word ("never post the draft - '…'")

    def __call__(self, m: Match, lowest: bool) -> bool:
        """Soft for a rule at the lowest level (`lowest`) or, if only quoted, below the top."""
        if self.published and _within(m.start, self.published):
            return False
        if m.hedged_by and lowest:
            return True
        return self.quotes_scenario(m)

    def quotes_scenario(self, m: Match) -> bool:
        """Quoted only to be mentioned: the scenario's own words, or a quotation the answer
        refuses ("I would never put up the draft - '…'")."""
        if not m.quoted:
            return False
        if self.refused and _within(m.start, self.refused):
            return True
        return f" {' '.join(w for w, _s, _e in tokenize(m.text))} " in self.situation


_POSTING = wordset(
    """post posting posted publish publishing put putting share sharing write writing say
    saying reply replying send sending upload uploading tweet"""
)


_SENTENCE_STOP = re.compile(r"[.!?\n]\s")


def refused_quote(reading: Reading, start: int, text: str) -> bool:
    """Whether the quotation at `start` is introduced by a negated act ("I would never put up
    the draft - '…'", "I wouldn't post: '…'"): the nearest verb of posting in the few words
    before it, or failing one the word just before it, is negated ("I'd post it, without
    photos: '…'" is not refused)."""
    i = reading.index_at(start)
    end = len(reading.words) if i < 0 else i
    left = max((m.end() for m in _SENTENCE_STOP.finditer(text, 0, start)), default=0)
    for j in range(end - 1, max(-1, end - 9), -1):
        if reading.starts[j] < left:
            return False  # the quotation opens its sentence ("Instead: '…'")
        if reading.words[j] in _POSTING:
            return reading.negated_by[j] >= 0
    return end > 0 and reading.negated_by[end - 1] >= 0


def _refused(reading: Reading | None, text: str) -> Spans:
    """The quotations the answer mentions only to reject them."""
    if reading is None or not reading.quotes or not text:
        return ()
    return tuple(sp for sp in reading.quotes if refused_quote(reading, sp[0], text))


def _holds(
    rule: ConceptRule, ms: MatchSet, firm_only: bool, soft: _Softness, lowest: bool = False
) -> list[Match]:
    """The matches that make `rule` hold ([] if it does not). With `firm_only`, soft matches
    do not count."""

    def ok(m: Match) -> bool:
        return not firm_only or not soft(m, lowest)

    found: list[Match] = []
    hits = ms.hits
    if rule.phrases:
        for p in rule.phrases:
            got = hits.get(p)
            if got:
                found.extend(m for m in got if ok(m))
        if not found:
            return []
    for group in rule.all_of:
        best: Match | None = None
        for p in group:
            for m in hits.get(p, ()):
                if ok(m) and (best is None or m.start < best.start):
                    best = m
                    break
        if best is None:
            return []
        found.append(best)
    return found


def _phrase_evidence(m: Match, level: str) -> Evidence:
    how = " (allowing for a typo)" if m.fuzzy else ""
    other = _other_words(m) if m.fuzzy else []
    if other:
        how = " (but " + ", ".join(f"{s!r} is a different word from {w!r}" for s, w in other)
        how += ": check)"
    return Evidence("phrase", m.text, m.start, m.end, f"matched {m.phrase!r}{how} -> {level}")


def _soft_evidence(m: Match, level: str) -> Evidence:
    if m.hedged_by:
        why = f"is hedged ({m.hedged_by!r})"
    else:
        why = "quotes the scenario's own words (mentioned, perhaps not meant)"
    return Evidence(
        "default",
        m.text,
        m.start,
        m.end,
        f"{m.text!r} would mean {level}, but it {why}: neither credited nor failed; "
        "an educator decides",
    )


def _negated_note(ms: MatchSet) -> str:
    negated = [m for found in ms.negated.values() for m in found]
    negated.sort(key=lambda m: m.start)
    if not negated:
        return ""
    return "; not counted (negated): " + "; ".join(
        f"{m.text!r} (by {m.negated_by!r})" for m in negated[:3]
    )


_CONDITIONS = frozenset({"if", "unless", "provided", "providing", "assuming", "long"})


def _still_soft(m: Match, decided: bool, credits: list[Match]) -> bool:
    """Whether a soft fault still holds the criterion back. Not if it only quotes the scenario
    and a rule decides on the answer's own words; not if its condition is itself a credit
    ("if she signs the consent form, a feature with her selfie")."""
    if not m.hedged_by:
        return not decided
    if m.hedged_by in _CONDITIONS:
        return not any(c.hedged_at == m.hedged_at for c in credits)
    return True


def _assess(
    crit: Criterion, rules: tuple[ConceptRule, ...], ms: MatchSet, soft: _Softness
) -> Assessment:
    """One criterion's level from its concept rules (the three steps above)."""
    rank = {lvl.id: i for i, lvl in enumerate(crit.levels)}
    top = len(crit.levels) - 1
    default: ConceptRule | None = None
    held: list[tuple[ConceptRule, list[Match]]] = []
    hedged: list[tuple[ConceptRule, list[Match]]] = []
    for rule in rules:
        if rule.is_default:
            default = default or rule
            continue
        lowest = rank[rule.level] == 0  # breach, missed: what hedges soften
        found = _holds(rule, ms, soft.any_soft and rank[rule.level] < top, soft, lowest)
        if found:
            held.append((rule, found))
        elif lowest and soft.any_soft:
            loose = _holds(rule, ms, False, soft, lowest)
            if loose:
                hedged.append((rule, loose))
    by_rule = bool(held or hedged)
    if held:
        breaches = [h for h in held if rank[h[0].level] == 0]
        rule, found = (breaches or held)[0]  # a breach first, else the author's order
        level = rule.level
        evidence = [_phrase_evidence(m, level) for m in found]
        confidence = min(_match_confidence(m) for m in found)
        others = [(r, f) for r, f in held if r.level != level] if breaches else []
        if others:
            confidence = CONFIDENCE_CONFLICT
            outweighed = ", ".join(f"{f[0].text!r} ({r.level})" for r, f in others)
            evidence.append(
                Evidence("default", "", detail=f"{level} outweighs {outweighed}: check")
            )
    else:
        level = default.level if default else crit.lowest.id
        confidence = CONFIDENCE_DEFAULT if default else CONFIDENCE_NO_RULE
        detail = "no listed phrase found; default rule" + _negated_note(ms)
        evidence = [Evidence("default", "", detail=detail)]
    credits = [m for r, found in held if rank[r.level] == top for m in found]
    for rule, loose in hedged:
        found = [m for m in loose if _still_soft(m, bool(held), credits)]
        if not found:
            continue
        held_back = 1 if top > 1 else 0  # one above the fault, never the top
        if rank[level] > held_back:
            level = crit.levels[held_back].id
            evidence = [e for e in evidence if e.kind != "phrase"]
        confidence = min(confidence, CONFIDENCE_HEDGED)
        evidence.extend(_soft_evidence(m, rule.level) for m in found)
    return Assessment(level, tuple(evidence), confidence, by_rule)


def _concept_assessments(
    scenario: Scenario,
    rubric: Rubric,
    ms: MatchSet,
    criteria: tuple[str, ...],
    published: Spans = (),
    text: str = "",
) -> dict[str, Assessment]:
    """Levels from concept rules; hedges and quotes soften faults, except inside what a
    post_draft answer publishes."""
    any_soft = ms.reading is None or ms.reading.any_soft
    soft = _Softness(published, _compiled(scenario).situation, any_soft, _refused(ms.reading, text))
    return {
        cid: _assess(rubric.criterion(cid), scenario.concept_rules_for(cid), ms, soft)
        for cid in criteria
    }


def _too_short(
    scenario: Scenario, rubric: Rubric, ms: MatchSet, out: dict[str, Assessment]
) -> dict[str, Assessment]:
    """Below `min_words`: an answer that says nothing the rules know gets the lowest levels; one
    that does ("No. Delete it and talk to someone.") is graded on what it says, for review."""
    detail = f"answer has {ms.word_count} words; at least {scenario.min_words} asked for"
    concept_ids = {cid for cid, _rules in scenario.concepts}
    if not any(a.by_rule for cid, a in out.items() if cid in concept_ids):
        ev = (Evidence("default", "", detail=detail),)
        lowest = {
            cid: Assessment(rubric.criterion(cid).lowest.id, ev, CONFIDENCE_CERTAIN, False)
            for cid in out
            if cid in concept_ids and cid != scenario.privacy_criterion
        }
        return {**out, **lowest}
    note = Evidence("default", "", detail=detail + ": graded on what it says; an educator checks")
    return {
        cid: Assessment(a.level_id, (note, *a.evidence), min(a.confidence, CONFIDENCE_SHORT))
        for cid, a in out.items()
    }


_INFORMATION_QUALITY = 3  # guideline 3 (information quality: see vocab.GUIDELINES)


def _silent_beside_a_breach(
    scenario: Scenario, rubric: Rubric, out: dict[str, Assessment]
) -> dict[str, Assessment]:
    """An answer that breaches a critical criterion and says nothing about a safeguard of the
    same act (consent, the approved channel, boundaries, respect) has missed that safeguard too:
    silence is no partial credit beside a breach. Criteria of information quality (guideline 3:
    is the content accurate, sourced) are judged on the content whatever else it breaches."""
    breach = any(
        rubric.criterion(cid).critical
        and a.level_id == rubric.criterion(cid).lowest.id
        and a.confidence >= CONFIDENCE_CONFLICT
        for cid, a in out.items()
    )
    if not breach:
        return out
    concept_ids = {cid for cid, _rules in scenario.concepts}
    silent = {
        cid: Assessment(
            rubric.criterion(cid).lowest.id,
            (
                *a.evidence,
                Evidence("default", "", detail="silent on this beside a breach: lowest level"),
            ),
            a.confidence,
            False,
        )
        for cid, a in out.items()
        if cid in concept_ids
        and not a.by_rule
        and not rubric.criterion(cid).critical
        and _INFORMATION_QUALITY not in rubric.criterion(cid).guidelines
        and cid != scenario.privacy_criterion
    }
    return {**out, **silent} if silent else out


def _finish(
    scenario: Scenario,
    rubric: Rubric,
    compiled: _Compiled,
    ms: MatchSet,
    out: dict[str, Assessment],
) -> dict[str, Assessment]:
    out = _silent_beside_a_breach(scenario, rubric, out)
    if ms.word_count < scenario.min_words:
        return _too_short(scenario, rubric, ms, out)
    if ms.word_count < _SHORT_ANSWER:
        return out  # a reply this short is no generic paragraph ("Thanks, take care!")
    faults = sum(
        1 for cid, a in out.items() if a.by_rule and a.level_id == rubric.criterion(cid).lowest.id
    )
    off_topic = _copied_feedback(rubric, ms) or _relevance(compiled, ms, faults)
    return _cap_off_topic(rubric, out, off_topic) if off_topic else out

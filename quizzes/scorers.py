"""One scorer per scenario type, registered by name in SCORERS.

A scorer decides, for every criterion the scenario assesses, which level the response reaches,
with the evidence and a confidence. `grading.grade` turns that into points and a score.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .matching import (
    Match,
    MatchSet,
    PhraseMatcher,
    Reading,
    compile_phrases,
    tokenize,
)
from .model import (
    ConceptRule,
    Criterion,
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
    "CONFIDENCE_HEDGED",
    "CONFIDENCE_OFF_TOPIC",
    "CONFIDENCE_OTHER_WORD",
    "CONFIDENCE_PHRASE",
    "CONFIDENCE_SHORT",
    "SCORERS",
    "Assessment",
    "InvalidResponse",
    "PrivacyCheckerUnavailable",
    "Scorer",
    "compiled_matcher",
    "default_privacy_checker",
]

CONFIDENCE_CERTAIN = 1.0  # an option, a combination rule, an answer with nothing to grade
CONFIDENCE_PHRASE = 0.9  # a listed phrase matched exactly
CONFIDENCE_PRIVACY = 0.9  # the privacy checker set the level
CONFIDENCE_FUZZY = 0.7  # a phrase matched only thanks to typo tolerance
CONFIDENCE_OTHER_WORD = 0.45  # ... where the "typo" is a common word itself ("content"/"consent")
CONFIDENCE_CONFLICT = 0.4  # phrases of rules with different levels matched (the lowest wins)
CONFIDENCE_HEDGED = 0.35  # a fault matched only in a hedged or quoted clause
CONFIDENCE_DEFAULT = 0.3  # nothing matched; the default rule applied
CONFIDENCE_NO_RULE = 0.2  # nothing matched and there is no default rule
CONFIDENCE_OFF_TOPIC = 0.25  # the answer does not engage the scenario (capped, to review)
CONFIDENCE_SHORT = 0.3  # shorter than min_words, graded on what it says (to review)


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
    by_rule: bool = True  # False when only a default (no rule held, or too short) set it


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
        bool(_IMAGE_WORDS.search(scenario.prompt)),
        bool(_NOTE_ASKED.search(scenario.prompt)),
        not _PEOPLE.isdisjoint(w for w, _s, _e in tokenize(scenario.situation)),
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

    def __call__(self, m: Match, lowest: bool) -> bool:
        """Soft for a rule at the lowest level (`lowest`) or, if only quoted, below the top."""
        if self.published and _within(m.start, self.published):
            return False
        if m.hedged_by and lowest:
            return True
        return self.quotes_scenario(m)

    def quotes_scenario(self, m: Match) -> bool:
        return m.quoted and f" {' '.join(w for w, _s, _e in tokenize(m.text))} " in self.situation


def _holds(
    rule: ConceptRule, ms: MatchSet, firm_only: bool, soft: _Softness, lowest: bool = False
) -> list[Match]:
    """The matches that make `rule` hold ([] if it does not). With `firm_only`, soft matches
    do not count."""

    def ok(m: Match) -> bool:
        return not firm_only or not soft(m, lowest)

    found: list[Match] = []
    if rule.phrases:
        for p in rule.phrases:
            found.extend(m for m in ms.hits.get(p, ()) if ok(m))
        if not found:
            return []
    for group in rule.all_of:
        best: Match | None = None
        for p in group:
            for m in ms.hits.get(p, ()):
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
) -> dict[str, Assessment]:
    """Levels from concept rules; hedges and quotes soften faults, except inside what a
    post_draft answer publishes."""
    any_soft = ms.reading is None or ms.reading.any_soft
    soft = _Softness(published, _compiled(scenario).situation, any_soft)
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


# --------------------------------------------------------------------------- relevance
#
# A generic paragraph ("I always protect patient privacy, follow the social media policy…")
# matches the generic phrases of many rubrics and used to score 80–90% anywhere. An answer must
# therefore use some of the scenario's own words: content words of its title, situation, prompt,
# debrief and phrases, minus function words and the course's common vocabulary (`_GENERIC`),
# compared by a light stem ("thirsty" ~ "thirst"). Answers of 30 words or more need two such
# signs, shorter ones one; under 20 words an answer is too short to be a generic paragraph at
# all and is not checked. Speaking of someone in the scenario ("tell *her*", "*his* mum") is a
# sign too, since a generic paragraph has nobody in it; so is a breach or missed rule holding,
# since a generic paragraph is all good intentions. A short answer may also engage through any
# phrase of two or more words from the scenario's own rules ("Thank you for your kind words" is
# a complete reply to a tagged thank-you). An answer that falls short is capped: no criterion
# above its middle level (of three: partial, so at most half marks; human markers give a
# generic answer "partial" for what it gestures at), and the answer goes to review.

_SHORT_ANSWER = 20  # shorter answers are not checked for relevance
_LONG_ANSWER = 30


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PEOPLE = _wordset("he she him her his hers himself herself")


_IMAGE_WORDS = re.compile(r"\b(?:photo|image|picture|video)s?\b", re.I)
_STOP = _wordset(
    """a about above across after again against all almost alone along already also although
    always am among an and another any anyone anything anyway are around as at away back be
    because been before being below beside besides between beyond both but by can cannot could
    did do does doing done down during each either else enough etc even ever every everyone
    everything few first for from further get gets getting give given gives go goes going gone
    got had has have having he her here hers herself him himself his how however i if in into
    is it its itself just keep keeps kept know known last least less let lets like likely lot
    lots made make makes many may me might mine more most much must my myself need needs never
    next no nobody none nor not nothing now of off often on once one ones only onto or other
    others otherwise our ours ourselves out over own part per perhaps please put quite rather
    really said same say says see seem seems she should since so some someone something
    sometimes still such sure take takes taken than that the their theirs them themselves then
    there these they thing things think this those though through thus to together too toward
    towards under until up upon us use used uses using very want wants was way ways we well
    were what whatever when where whether which while who whole whom whose why will with within
    without would yes yet you your yours yourself yourselves able actually anybody better best
    big clear fine good great help helps helped important instead later little long look looks
    looking new okay ok place point real right time times true try trying word words id ill im
    ive youre theyre dont wont cant wouldnt shouldnt couldnt isnt arent wasnt didnt doesnt
    answer answers question questions model example"""
)
_GENERIC = _wordset(
    """account accounts advice advise approval approve approved awareness boundaries boundary
    careful carefully caution check checked checking colleague colleagues comment comments
    communicate communication communications comms concern concerns confidential
    confidentiality consent consult consulted contact content delete deleted deleting detail
    details disclose disclosure employer employers ethical ethics facebook instagram linkedin
    twitter tiktok youtube platform platforms feedback follow following guideline guidelines
    guidance health healthcare hospital hospitals identifiable identify identifying identity
    identified information inform job jobs law laws legal manager managers management media
    message messages messaging nurse nurses nursing doctor doctors clinician clinicians
    physician pharmacist therapist professional professionals professionally profession online
    offline organisation organization organisations organizations page pages patient patients
    permission personal policy policies post posted posting posts privacy private privately
    profile public publicly publish published regulator regulators reliable remember report
    reported reporting reputation respect respectful respectfully responsibility responsible
    risk risks risky safe safely safety share shared shares sharing social source sources staff
    team teams trust trusted trustworthy unit units work working workplace write writing
    written accurate accuracy appropriate inappropriate unprofessional kind kindly honest calm
    measured anonymous screenshot screenshots permanent forever ask asked asking fact facts
    protect protecting separate stay comes official talk talking thank thanks tool tools worker
    workers people person name names tell call number care family friend friends happy set
    hear issue issues problem problems situation decision action steps medical clinical
    consider line"""
)
_SUFFIXES = ("nesses", "ness", "ments", "ment", "ings", "ing", "edly", "ed", "ies", "es", "s")
_SUFFIXES += ("ly", "y")


_STEMS: dict[str, str] = {}


def _stem(word: str) -> str:
    """A light stem: one common suffix off, then the first six letters ("thirsty" ~ "thirst")."""
    stem = _STEMS.get(word)
    if stem is None:
        stem = word
        for suffix in _SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 4:
                stem = stem[: -len(suffix)]
                break
        stem = stem[:6]
        if len(_STEMS) >= 50_000:
            _STEMS.clear()
        _STEMS[word] = stem
    return stem


_COMMON_STEMS = frozenset(_stem(w) for w in _STOP | _GENERIC)


def _topic_words(text: str) -> dict[str, str]:
    """Distinctive words of `text`: stem -> first word seen with it."""
    out: dict[str, str] = {}
    for w, start, end in tokenize(text):
        if w in _STOP or w in _GENERIC or w.isdigit():
            continue
        if len(w) < 3 and not (len(w) == 2 and text[start:end].isupper()):
            continue  # two-letter words only as acronyms: QR, IV, ER
        stem = _stem(w)
        if stem not in _COMMON_STEMS:
            out.setdefault(stem, w)
    return out


def _relevance(compiled: _Compiled, ms: MatchSet, faults: int) -> Evidence | None:
    """None if the answer engages the scenario, else the evidence saying it does not. `faults`
    counts the criteria on which a breach/missed rule held: a generic paragraph has none."""
    topic, seen = compiled.topic, compiled.seen
    need = 2 if ms.word_count >= _LONG_ANSWER else 1
    people = compiled.people and not _PEOPLE.isdisjoint(ms.words)
    have = people + faults
    shared: set[str] = set()
    if have < need:
        for w in ms.words:
            stem = seen.get(w, "?")
            if stem == "?":
                stem = _stem(w) if len(w) > 1 and w not in _STOP else ""
                stem = seen[w] = stem if stem in topic else ""
                if len(seen) > 20_000:
                    seen.clear()
            if stem and stem not in shared:
                shared.add(stem)
                if have + len(shared) >= need:
                    break
    if have + len(shared) >= need:
        return None
    if ms.word_count < _LONG_ANSWER and any(len(m.phrase.split()) > 1 for m in _all_hits(ms)):
        return None
    said = ", ".join(repr(topic[s]) for s in sorted(shared)) or "none"
    like = ", ".join(repr(w) for w in compiled.examples)
    return Evidence(
        "default",
        "",
        detail=(
            f"does not engage the scenario: it uses {said} of the scenario's own words "
            f"(such as {like}); a general answer earns little until an educator reviews it"
        ),
    )


def _all_hits(ms: MatchSet) -> list[Match]:
    return [m for found in ms.hits.values() for m in found if not m.hedged_by]


def _cap_off_topic(
    rubric: Rubric, out: dict[str, Assessment], evidence: Evidence
) -> dict[str, Assessment]:
    capped: dict[str, Assessment] = {}
    for cid, a in out.items():
        crit = rubric.criterion(cid)
        ids = [lvl.id for lvl in crit.levels]
        cap = (len(ids) - 1) // 2  # the middle level (of three: partial)
        level = a.level_id if ids.index(a.level_id) <= cap else ids[cap]
        confidence = min(a.confidence, CONFIDENCE_OFF_TOPIC)
        capped[cid] = Assessment(level, (evidence, *a.evidence), confidence, a.by_rule)
    return capped


def score_free_text(
    scenario: Scenario, rubric: Rubric, response: Response, privacy_check: PrivacyChecker | None
) -> dict[str, Assessment]:
    compiled = _compiled(scenario)
    ms = compiled.matcher.find(response.text)
    out = _concept_assessments(scenario, rubric, ms, scenario.criteria)
    return _finish(scenario, rubric, compiled, ms, out)


def _finish(
    scenario: Scenario,
    rubric: Rubric,
    compiled: _Compiled,
    ms: MatchSet,
    out: dict[str, Assessment],
) -> dict[str, Assessment]:
    if ms.word_count < scenario.min_words:
        return _too_short(scenario, rubric, ms, out)
    if ms.word_count < _SHORT_ANSWER:
        return out  # a reply this short is no generic paragraph ("Thanks, take care!")
    faults = sum(
        1 for cid, a in out.items() if a.by_rule and a.level_id == rubric.criterion(cid).lowest.id
    )
    off_topic = _relevance(compiled, ms, faults)
    return _cap_off_topic(rubric, out, off_topic) if off_topic else out


# --------------------------------------------------------------------------- post draft


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


# The privacy checker reports category words ("picture", "photos", "my patient") wherever they
# stand. Read in the sentence, some are not there at all: "I did not name, tag or picture her",
# "no photos of patients". And when the prompt itself asks what image you would use, naming the
# image is answering the prompt; what matters is whether it shows anything of a patient. Such
# findings are discounted: the post is checked again with them blanked out (so an identifier
# next to them is still found), and the evidence says what was not counted and why.
_CATEGORY_WORD_FINDINGS = frozenset({"media", "patient-context"})
_PATIENT_IN_PICTURE = _wordset(
    """patient patients pt pts resident residents chart charts notes record records wristband
    wristbands whiteboard whiteboards board boards screen screens monitor monitors xray xrays
    scan scans wound wounds bedside ward bed beds bay bays background face faces
    prescription prescriptions medication medications theatre theater resus"""
)
_CLEARED_BY = _wordset(
    """checked check checking free clear cleared cropped crop blurred blur removed hidden
    covered stock graphic illustration"""
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def _shows_a_patient(text: str, reading: Reading, start: int) -> bool:
    """Whether the sentence around `start` puts anything of a patient in the picture."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_m = _SENTENCE_END.search(text, start)
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


# What a post_draft answer publishes. Learners often write around the post: a "Before posting:"
# note the prompt asks for, a "Caption:" label, or a sentence or two about the post with the post
# itself in quotation marks ("For today: 'Big weekend for runners…'"). Only the post is
# published, so only the post is checked for what it discloses; the words around it are read as
# statements about what the learner would do (and may hedge).
_NOTE = re.compile(r"\bbefore\s+posting\s*:", re.I)
_NOTE_ASKED = re.compile(r"\bbefore\s+posting\b", re.I)
_POST_LABEL = re.compile(
    r"(?im)^[\s>*_(\[]*(?:caption|post|reply|my reply|my post|draft(?: for [\w ]{1,20})?)\s*:"
)
_IMAGE_LINE = re.compile(r"(?im)^[\s>*_(\[]*(?:image|photo|picture|pic)\s*:[^\n]*")
_FIRST_PERSON = _wordset("i id ill im ive my")
_MIN_QUOTED_POST = 6  # words
# What introduces the post itself: a colon, or a word of posting or saying just before the quote.
_INTRODUCED = re.compile(
    r"(?i)(?::|\b(?:post|reply|write|say|something like|publicly|instead|to (?:her|him|them))"
    r"\b[^\n.!?]{0,12})\s*$"
)


def _published(compiled: _Compiled, text: str, reading: Reading | None) -> Spans:
    """The spans of `text` that would be published (see above)."""
    end = len(text)
    if compiled.asks_for_note and (note := _NOTE.search(text)):
        end = note.start()
    if ":" in text:
        labels = list(_POST_LABEL.finditer(text, 0, end))
        images = tuple(m.span() for m in _IMAGE_LINE.finditer(text, 0, end))
    else:
        labels, images = [], ()
    if labels:  # the last label before the note
        label = labels[-1]
        return (*(sp for sp in images if sp[1] <= label.start()), (label.end(), end))
    if reading is not None:
        spans = [sp for sp in reading.quotes if sp[1] <= end]
        introduced = [sp for sp in spans if _INTRODUCED.search(text, max(0, sp[0] - 40), sp[0])]
        if introduced:  # "My reply: '…'", "Publicly just 'Thank you ❤️'."
            return images + tuple(introduced)
        quoted = [sp for sp in spans if _words_in(reading, sp) >= _MIN_QUOTED_POST]
        if quoted:
            around = [
                w
                for w, a in zip(reading.words, reading.starts, strict=True)
                if a < end and not _within(a, tuple(quoted)) and not _within(a, images)
            ]
            if not _FIRST_PERSON.isdisjoint(around):
                return images + tuple(quoted)
    return ((0, end),)


def _words_in(reading: Reading, span: tuple[int, int]) -> int:
    return sum(1 for a in reading.starts if span[0] <= a < span[1])


def _keep(ms: MatchSet, spans: Spans) -> MatchSet:
    """The matches of `ms` that start inside `spans`."""

    def cut(d: dict[str, tuple[Match, ...]]) -> dict[str, tuple[Match, ...]]:
        kept = {p: tuple(m for m in found if _within(m.start, spans)) for p, found in d.items()}
        return {p: found for p, found in kept.items() if found}

    return MatchSet(cut(ms.hits), cut(ms.negated), ms.word_count, ms.reading)


def _mask(text: str, spans: Spans) -> str:
    """`text` with everything outside `spans` blanked (line breaks kept), so offsets still fit."""
    if spans == ((0, len(text)),):
        return text
    out = [c if c == "\n" else " " for c in text]
    for a, b in spans:
        out[a:b] = text[a:b]
    return "".join(out)


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
    out = _concept_assessments(scenario, rubric, ms, others, published)
    if scenario.concept_rules_for(pcid):  # concept rules for it too: the lower level wins
        order = [lvl.id for lvl in rubric.criterion(pcid).levels]
        in_post = ms if published == ((0, len(text)),) else _keep(ms, published)
        concept = _concept_assessments(scenario, rubric, in_post, (pcid,), published)[pcid]
        if concept.by_rule and order.index(concept.level_id) < order.index(level):
            privacy = Assessment(concept.level_id, concept.evidence + evs, concept.confidence)
        elif concept.by_rule:
            conf = min(CONFIDENCE_PRIVACY, concept.confidence)
            privacy = Assessment(level, evs + concept.evidence, conf)
    out[pcid] = privacy
    return _finish(scenario, rubric, compiled, ms, out)


SCORERS: dict[str, Scorer] = {
    "single": score_single,
    "multi": score_multi,
    "free_text": score_free_text,
    "post_draft": score_post_draft,
}

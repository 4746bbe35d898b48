"""Whether a written answer engages the scenario at all (a generic paragraph is capped)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .assessment import CONFIDENCE_OFF_TOPIC, PEOPLE, Assessment, wordset
from .matching import Match, MatchSet, tokenize
from .model import Evidence, Rubric

if TYPE_CHECKING:
    from .concepts import _Compiled

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


_STOP = wordset(
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
_GENERIC = wordset(
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
_SUFFIXES: tuple[str, ...] = ("nesses", "ness", "ments", "ment", "ings", "ing", "edly", "ed")
_SUFFIXES += ("ies", "es", "s", "ly", "y")


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
    people = compiled.people and not PEOPLE.isdisjoint(ms.words)
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


# A learner who fails a written item sees the rubric's feedback for each criterion; pasting it
# back on a retake repeats the course's words without answering the scenario. An answer most of
# whose word 4-grams come from the rubric's feedback and descriptors is capped like a generic one.
_COPIED_SHARE = 0.4
_RUBRIC_GRAMS: dict[tuple[str, int], frozenset[tuple[str, ...]]] = {}


def _grams(words: list[str] | tuple[str, ...]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def _rubric_grams(rubric: Rubric) -> frozenset[tuple[str, ...]]:
    key = (rubric.id, rubric.version)
    hit = _RUBRIC_GRAMS.get(key)
    if hit is None:
        grams: set[tuple[str, ...]] = set()
        for crit in rubric.criteria:
            for lvl in crit.levels:
                for text in (lvl.feedback, lvl.descriptor):
                    grams |= _grams([t[0] for t in tokenize(text.lower())])
        hit = _RUBRIC_GRAMS[key] = frozenset(grams)
    return hit


def _copied_feedback(rubric: Rubric, ms: MatchSet) -> Evidence | None:
    """Evidence that the answer repeats the rubric's feedback rather than answering, or None."""
    mine = _grams(ms.words)
    if len(mine) < 6:
        return None
    copied = len(mine & _rubric_grams(rubric)) / len(mine)
    if copied < _COPIED_SHARE:
        return None
    return Evidence(
        "default",
        "",
        detail=(
            f"repeats the course's feedback ({copied:.0%} of its phrases) instead of answering "
            "this scenario in your own words; an educator will review it"
        ),
    )

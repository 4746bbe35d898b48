"""The words that open, end or turn a clause when reading an answer (see `reading`)."""

from __future__ import annotations


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# Apostrophes are removed before comparison, so "don't" and "dont" are the same token.
NEGATORS = _words(
    """not never no nor neither without cannot refuse refuses refused refusing avoid avoids
    avoided avoiding nothing nobody none nowhere dont doesnt didnt wont wouldnt shouldnt cant
    couldnt isnt arent wasnt werent mustnt neednt havent hasnt hadnt aint shant"""
)
# Two-word negators; the scope starts after the second word. "instead of" and "rather than"
# are narrow: they negate the action they introduce and stop at the next comma or subject
# ("instead of posting it, I would talk to a colleague" negates only the posting).
_NEGATING_PAIRS = {
    ("instead", "of"): True,
    ("rather", "than"): True,
    ("far", "from"): False,
    ("refrain", "from"): False,
    ("hold", "off"): False,
    ("decline", "to"): False,
    ("declined", "to"): False,
    ("advise", "against"): False,
    ("advised", "against"): False,
    ("decide", "against"): False,
    ("decided", "against"): False,
    ("warn", "against"): False,
    ("recommend", "against"): False,
}
_GERUND_NEGATORS = _words("stop stops stopped stopping")  # "stop posting", not "stop and think"
# "no matter", "not only", "not worth my job": the next word is not what is negated.
_NOT_NEGATING_NEXT = _words("matter doubt only just hesitate wait delay worth")
_HEDGING_NEXT = _words("sure certain")  # "not sure whether to post it" hedges
# "No, …", "Nothing. …": a negator that stands alone before punctuation negates nothing after.
_STANDALONE = _words("no nothing nobody none neither")
_PUNCT = frozenset(",.;:!?")
# Negating a verb of thinking or saying negates its whole complement, across a new subject:
# "I don't think it's fine", "I won't confirm she was my patient".
_RAISING = _words(
    """think believe feel suppose expect want say confirm mention reveal disclose imply suggest
    admit agree imagine reckon claim write tell post show let saying says said telling told
    confirming mentioning revealing disclosing implying suggesting admitting"""
)
# "it would be unprofessional to call them clowns": the judgement negates what follows "to".
_JUDGE_TO = _words(
    """unprofessional inappropriate unacceptable wrong unsafe unwise unethical illegal mistake
    irresponsible disrespectful"""
)
# "calling them clowns would be unprofessional": a judgement just after a copula negates the
# words of its clause before the copula (the act being judged).
_JUDGE_AFTER = _words(
    """unprofessional inappropriate unacceptable disrespectful derogatory demeaning dehumanising
    dehumanizing stigmatising stigmatizing offensive wrong mistake breach violation violates
    dismissive undermine undermines unfair unkind hurtful harmful damaging insulting cruel
    illegal unethical unsafe risky irresponsible disciplined fired sacked suspended backfire
    backfires"""
)
# "…is not okay", "a selfie is not consent": a copula, a negator, then one of these.
_GOOD_AFTER_NOT = _words(
    """ok okay acceptable appropriate professional right fine wise allowed safe consent enough
    permission approval sufficient valid agreement authorisation authorization"""
)
# "privacy settings don't protect you": a negated verb of success judges what came before.
_FAILS_AFTER = _words(
    "protect protects help helps work works matter stop prevent count make apply applies"
)
# "'clowns who gamble with lives' is accurate": the quotation is endorsed, not just mentioned.
_ENDORSE_AFTER = _words("accurate true right fair correct deserved spot")
_COPULAS = _words(
    """is are was were be been being isnt arent wasnt werent would wouldnt will wont could can
    might may makes make made sounds seems looks feels comes its thats"""
)
# "I'd probably still post it" states an intention, so "probably" is no hedge.
HEDGES = _words(
    """maybe perhaps possibly might may guess suppose unsure undecided tempted consider
    considering depends depending"""
)
_CONDITIONALS = _words("if unless provided providing assuming")
_NOT_CONDITIONAL_BEFORE = _words("even as what at")  # "even if", "as if", "at once"
_NOT_CONDITIONAL_AFTER = _words("anything you your in")  # "if anything", "if you…", "if in doubt"
_OPENERS = _words(
    """but however although though whereas because so then therefore thus which who whom whose
    while whilst since otherwise except unless if when whenever where until till before after
    once plus as"""
)
# Subject pronouns as written (apostrophe kept): "I'd" opens a clause, "id" does not.
_SUBJECTS = _words(
    """i we he she they i'd i'll i'm i've we'd we'll we're we've he'd he'll he's she'd she'll
    she's they'd they'll they're they've you'd you'll you're you've it's that's there's"""
)
_AUX = _words(
    """would will should could can did do does have has had must shall might may am is are was
    were nor neither so"""
)  # "nor would I post it": an inverted subject does not open a clause
_MODALS = _words(
    """would will should could can might may must shall id ill then also instead just still
    definitely probably immediately"""
)
_THAT_CLAUSE = _MODALS | _AUX | _words("identifies shows reveals names mentions makes")
_CONJUNCTIONS = _words("and or nor")
_CONTRAST = _words("but however although though whereas yet")
_POINTERS = _words("that this it thats its which")
_LIST_LOOKAHEAD = 3

# Only these words can open a scope or be a subject: a cheap test before the real ones.
_OPENING_WORDS = (
    NEGATORS
    | HEDGES
    | _GERUND_NEGATORS
    | _HEDGING_NEXT
    | {second for _first, second in _NEGATING_PAIRS}
    | {"to"}
)
_SUBJECT_WORDS = frozenset(w.replace("'", "") for w in _SUBJECTS)
# Words that can end a clause where they stand.
_SPECIAL_WORDS = _CONTRAST | _OPENERS | _CONJUNCTIONS | _SUBJECT_WORDS | {"that"}
_JUDGING_WORDS = _ENDORSE_AFTER | _JUDGE_AFTER | _GOOD_AFTER_NOT
_FAILING = NEGATORS - _JUDGING_WORDS  # "… don't protect you"
_TRIGGERS = _OPENING_WORDS | _JUDGING_WORDS | _CONDITIONALS | {"long"}

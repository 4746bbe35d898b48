"""Question one's wider vocabulary: allied-health, care-home and community words, the author's
own acts of care, repeat visits, outcomes told through the person, and replies to them.

Each entry is (lower-case trigger substrings, regex); `privacy.detectors.cues` compiles them.
"""

from __future__ import annotations

OWN_CONDITION_WORDS = (
    r"bypass|hip|knee|op|operation|surgery|procedure|chemo|dialysis|diagnosis|fall|MS|ACL|"
    r"cruciate|transplant|biopsy|results|scan|delivery|labou?r|baby"
)
PERSON = (
    r"(?:guy|man|lady|woman|gentleman|gent|kid|boy|girl|toddler|teen|teenager|baby|bloke|fella|"
    r"chap|lad|lass|mum|mom|mam|dad|couple|family|patient|pt|client|resident|child|infant|"
    r"newborn|granny|grandad|grandma|grandpa|nan|person|student|worker|player|one|driver|rider|"
    r"cyclist|pedestrian|passenger|casualty|victim|shearer|farmer|star|elder)"
)

# Question one also hears allied-health, care-home and community words, the author's own acts of
# care, and repeat visits: "our client", "one of ours", "I cared for", "was in with chest pain".
SUBJECT_SOURCES: tuple[tuple[str, str], ...] = (
    (
        "client|resident|service user",
        r"\b(?:my|our|this|that|the|a|one|favou?rite|lovely|new)(?: [\w-]+){0,2} "
        r"(?:client|resident|service user)s?(?:['’]s?)?\b",
    ),
    ("client|resident", r"\b(?:client|resident)['’]s\b"),
    ("one of ours|one of my|one of our", rf"\bone of (?:ours|(?:my|our) (?:\w+ )?{PERSON}s)\b"),
    (
        "cared for|looked after|took care of|nursed|treated|looking after|caring for|nursing",
        r"\b(?:I|we|team|I['’]ve|we['’]ve|who I|I have|we have) (?:\w+ )?(?:cared for|looked after|"
        r"took care of|nursed|treated|(?:been )?looking after|(?:been )?caring for|"
        r"(?:been )?nursing)\b|"
        r"\b(?:caring for|looking after|nursing|cared for|looked after|nursed) (?:him|her)\b",
    ),
    (
        "i had|i saw|i met|i treated|i visited|we had|we saw|i nursed|i scheduled|i sectioned|"
        "i diagnosed|i assessed|i stitched|i intubated|i delivered|i caught|i helped|we met|"
        "we treated|we visited|we nursed|we scheduled|we sectioned|we diagnosed|we assessed|"
        "we stitched|we intubated|we delivered|we caught|we helped",
        rf"\b(?:I|we) (?:had|saw|met|treated|visited|nursed|scheduled|sectioned|diagnosed|"
        rf"assessed|stitched|intubated|delivered|caught|helped) (?:a|an|the|this|that|our|my|"
        rf"your|his|her|their|\d+)(?: [\w'’-]+){{0,2}} (?:{PERSON}|\w+yo|\d+ ?yo)s?\b|"
        r"\b(?:I|we) delivered (?!my (?:son|daughter|baby|twins)\b)(?:[\w'’-]+ ){0,4}?(?:baby|"
        r"babies|twins|triplets|granddaughter|grandson|daughter|son|girl|boy)\b",
    ),
    (
        "i was the",
        r"\bI was the (?:\w+ )?(?:nurse|doctor|physician|paramedic|midwife|medic|surgeon|"
        r"pharmacist|carer|one|registrar|resident|consultant) (?:on shift|on duty|on call|who|"
        r"looking after|caring for|that|on that)\b",
    ),
    (
        "i had|we had|had a",
        r"\b(?:I|we|just|had)(?: just)? (?:had|got) an? (?:[\w-]+ ){0,3}(?:in|on|through)\b"
        r"(?! (?:the|my|our) (?:diary|calendar|inbox|post))",
    ),
    ("as a patient", r"\bas (?:a|my|our) (?:patient|pt|client)\b"),
    (
        " in with | in about | in for | in earlier| in today| in yesterday| in again| in at ",
        r"\b(?:was|were|is|came|been|he['’]s|she['’]s|they['’]re)? ?in (?:with|about|for|earlier|"
        r"today|yesterday|again)\b(?= (?:a|an|his|her|their|chest|abdo|back|the|today|yesterday|"
        r"\w+ (?:pain|cut|fracture|injury)|[a-z]+ing\b))|"
        rf"\b{PERSON} in at (?:\d|midnight|noon)",
    ),
    (
        "took in|on scene|flown to|helicopter|lift assist|called to|transported|conveyed|rosc|"
        "the job at|home visit|visited the|visiting the",
        r"\b(?:we )?took (?:him|her|them|in)\b|\bon scene\b|\bflown to\b|\bhelicopter(?:ed)? out\b|"
        r"\blift assist\b|\bcalled (?:out )?to\b|\btransported\b|\bconveyed\b|\bROSC\b|"
        r"\b(?:do|did|doing|on) the job (?:at|in|on)\b|\b(?:a|my|the|this|that|arvo|morning) home "
        r"visit\b|\bhome visit (?:to|for|with|today|this|out)\b|\bvisit(?:ed|ing) the\b",
    ),
    (
        "session|therapy|physio|treatment|dressing|dress ",
        r"\b(?:session|sessions|therapy|physio|appointment|consult|treatment|dressings?) "
        r"(?:with|for) (?:me|us|a|an|the|this|that|her|him)\b|"
        r"\bdress (?:that|his|her|the) (?:leg )?(?:ulcer|wound|leg)\b",
    ),
    (
        "pray|thoughts|passed",
        r"\b(?:please )?(?:pray for|keep (?:\w+ ){1,6}in your (?:prayers|thoughts))\b|"
        r"\bprayers (?:please|needed|requested|for)\b|\b(?:he|she|they|who) passed(?: away)?\b|"
        r"\bpassed (?:this|last|yesterday|today|away)\b",
    ),
    (
        "support worker|key worker|carer for|caregiver for|primary",
        r"\b(?:support|key) worker for\b|\b(?:carer|caregiver) for (?:a|an|the)\b|"
        r"\bbeen (?:her|his|their) primary\b",
    ),
    (
        "with us|born|baby",
        r"\b(?:baby|babies|twins|triplets) (?:with us|born)\b|\bhad (?:their|her) \w+ baby\b|"
        r"\bborn (?:at|in|on) (?:home|\d)",
    ),
    (
        "prescription|script",
        r"\byour (?:prescription|script|meds|medication|results?) (?:is|are) (?:ready|in|back)\b",
    ),
    (
        "same |regular|time this|time in|time since|time today|visit this|visit in|visit since|"
        "visit today",
        r"\bthe same (?:[\w-]+ ){0,2}" + PERSON + r"\b|\b(?:one of )?(?:our|the) regulars?\b|"
        r"\b(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth) (?:time|visit) (?:this|in a|"
        r"since|today)\b",
    ),
    (
        "no names|no patient|no details|won't name|wont name",
        r"\b(?:no names?|no patient (?:names|details|info\w*)|no details|won['’]?t name "
        r"(?:him|her|them))\b(?:[^.!?\n]{0,12}\bbut\b|[^.!?\n]{0,40}\))",
    ),
    (
        " i met| i had| i saw| i cared| i looked| i treated| i nursed| we had| we saw",
        rf"\b{PERSON} (?:I|we) (?:met|had|saw|cared for|looked after|treated|nursed)\b",
    ),
    (
        "been visiting|been seeing|been treating|been nursing|been caring|been looking|"
        "been supporting",
        rf"\b{PERSON} (?:I|we)(?:['’]ve| have) been (?:visiting|seeing|treating|nursing|caring for|"
        r"looking after|supporting)\b",
    ),
    (
        "we lost|i lost|whose",
        r"\b(?:I|we) lost (?:him|her|them|their|his|a|the)\b|"
        r"\bwhose (?:baby|son|daughter|child|mum|mom|dad|husband|wife) (?:we|I) (?:lost|delivered|"
        r"treated|saw|looked after|cared for)\b",
    ),
    (
        "shot|jab|vaccin|injection|cannula|bloods|referral|referred",
        r"\b(?:gave|giving|did|doing|first) (?:my |a |an |the |his |her )?(?:first )?(?:flu )?"
        r"(?:shot|jab|vaccine|vaccination|injection|cannula|bloods|IV)\b|\bmade (?:a|the) "
        r"(?:\w+ )?referral\b|\breferred (?:him|her|them)\b",
    ),
    (
        "#digits|year-old|year old|yr old|yrs old|years old|yr-old",
        r"\b\d{1,3}[- ](?:year|yr)s?[- ]old (?:[\w-]+ )?[a-z]+ (?:with|who|in|from|came)\b",
    ),
    (
        " case",
        r"\b(?:interesting|teaching|great|wild|crazy|tough|sad|rare|weird|memorable|fascinating) "
        r"case\b(?! (?:for|study|studies|series|law|that))",
    ),
    (
        "worked with|working with|work with",
        r"\b(?:worked|working) with (?:a|an|the|this|that) (?:[\w-]+ ){0,2}[a-z]+"
        r"(?= (?:from|who|in|at|today|this|whose|with)\b)",
    ),
    (
        "back ",
        r"\bback (?:\w+ing|at work|on the (?:pitch|field|court|sidelines)) "
        r"(?:after|since|following) (?:his|her|their|the)\b",
    ),
    (
        " bypass| hip| knee| op| operation| surgery| procedure| chemo| dialysis| diagnosis| fall|"
        " ms| acl| cruciate| transplant| biopsy| results| scan| delivery| labo| baby",
        rf"\b(?:after|since|with|from|for|during|before|getting|having|undergoing|needs|needed|"
        rf"recovering from) (?:his|her|their) (?:[\w-]+ )?(?:{OWN_CONDITION_WORDS})\b",
    ),
    (
        "showed|came back|confirmed|revealed",
        r"\b(?:his|her|their) (?:[\w-]+ ){0,2}(?:biopsy|scan|results|bloods|x-?ray|mri|ct|tests?|"
        r"swab) (?:showed|came back|confirmed|revealed)\b",
    ),
    (
        "in his|in her|in their",
        r"\b(?:man|woman|guy|lady|bloke|fella|gentleman|gent|chap|patient|mum|mom|dad|mother|"
        r"father|client|resident) in (?:his|her|their) (?:early |late |mid-?)?\d0s\b",
    ),
    (
        "#digits|#case|F|M",
        r"(?-i:\b\d{1,3} ?(?:F|M)\b)(?=[,:;)]| (?:with|in|from|who|presenting|pt|patient|mom|mum|"
        r"dad|fall|fever|brought|came|c/o))",
    ),
    (
        "#digits|g1|g2|g3|g4|g5|g6|g7|g8|g9|g 1",
        r"\bG\d{1,2} ?P\d{1,2}\b",
    ),
    (
        "est job|est call|est case|est shout|est patient|est pt|st job|st call|st case|st shout|"
        "call from|call to",
        r"(?<!\bhis )(?<!\bher )(?<!\bmy )(?<!\byour )(?<!\btheir )"
        r"\b(?:weirdest|worst|best|strangest|last|first|funniest|saddest|toughest|hardest) "
        r"(?:job|call|case|shout|patient|pt|callout)\b|\b(?:a )?call (?:from|to) (?:last|this|"
        r"yesterday|today|the)\b",
    ),
    (
        "autopsy|post-mortem|post mortem|path case|obs case|peds case|paeds case",
        r"\b(?:autopsy|post-?mortem) (?:confirmed|showed|found|revealed)\b|\b(?:path|obs|peds|"
        r"paeds|ortho|derm|neuro|cardio) case\b",
    ),
    (
        "stitch|patch|dressed|splint|cannulat|scann|x-ray|swabb|resuscitat|reviv|triag|defibrillat|"
        "extricat|sutur",
        r"\b(?:stitch(?:ed|ing)?|patch(?:ed|ing)?|splint(?:ed|ing)|cannulat(?:ed|ing)|"
        r"scann(?:ed|ing)|x-?ray(?:ed|ing)|swabb(?:ed|ing)|resuscitat(?:ed|ing)|reviv(?:ed|ing)|"
        r"triag(?:ed|ing)|defibrillat(?:ed|ing)|extricat(?:ed|ing)|sutur(?:ed|ing)) (?:up )?"
        r"(?:a|an|the|this|that|him|her|them|his|our|my)\b",
    ),
    (
        "better|worse|healing|healed|improv|working|worked|failed|stopped|cleared|infected|"
        "swollen|sore|soaked|leaking",
        r"\b(?:his|her) (?:[\w-]+ )?(?:legs?|feet|foot|arms?|hands?|hips?|knees?|back|chest|skin|"
        r"wounds?|ulcers?|sores?|bruises?|breathing|sugars|bloods|pain|mobility|memory|chemo|"
        r"treatment|meds|medication|dressings?|infection|rash|eczema|psoriasis|stitches|scar) "
        r"(?:is|are|was|were|has|have|isn['’]t|aren['’]t|wasn['’]t|hasn['’]t|haven['’]t)"
        r"(?: [\w-]+){0,3}? (?:better|worse|healing|healed|improving|improved|working|worked|"
        r"failed|stopped|cleared|infected|swollen|sore|soaked|leaking|off|worse)\b",
    ),
    (
        "session|appointment|visit|review|check",
        r"\b(?:his|her) (?:next |last |first |new |follow-up )?(?:[\w-]+ )?(?:session|appointment|"
        r"home visit|review|check-?up)s?\b",
    ),
    (
        "visit to",
        r"\bvisit to (?:the|a|an|our|my) (?:[\w-]+ )?"
        rf"(?:{PERSON}|[a-z]+(?:man|woman)|"
        r"(?!(?:doctor|manager|barber|butcher|baker|hairdresser|centre|center)\b)[a-z]+er)s?\b",
    ),
    (
        "been in|been on|our latest",
        r"\b(?:has|have|had) been (?:in|on) (?:the )?(?:(?-i:ICU|NICU|PICU|HDU|CCU|SCBU|ED|ER|A&E)|"
        r"ward|unit|resus|theatre|intensive care|hospital|a ventilator|ECMO)\b|"
        r"\bour latest(?:,| (?:case|one|admission|patient|arrival))",
    ),
    (
        "helped",
        r"\bhelped (?:a|an|the|our|my|this|that) (?:[\w'’-]+ ){0,3}?(?:deliver|give birth|"
        r"breastfeed|walk|stand|feed)\b",
    ),
    (
        "pre-op|didn't make it|didn’t make it|did not make it|my list|my caseload|my books|"
        "biopsy on|scan on|bloods on|x-ray on|xray on",
        r"\b(?:did|doing|done) (?:the|a|his|her) pre-?op\b|\b(?:he|she|they) (?:didn['’]t|did not) "
        r"make it\b|\b(?:on|in) my (?:\w+ )?(?:list|caseload|books)\b(?! of)|"
        r"\b(?:biopsy|scan|bloods|x-?ray|swab|results) (?:on|for) (?:the|a|an|our|my|this|that) "
        r"(?:[\w'’-]+ ){0,3}?\w+\b",
    ),
    (
        "#case|Lad |Guy |Lady |Woman |Man |Bloke |Fella |Girl |Boy |Kid ",
        r"(?:^|(?<=[.!?]\s))(?-i:Lad|Guy|Lady|Woman|Man|Bloke|Fella|Girl|Boy|Kid) (?:in|from|who|"
        r"with|at)\b",
    ),
    (
        "worked on|working on",
        rf"\b(?:worked|working) on (?:him|her|them|(?:a|an|the|this|that|our) (?:[\w-]+ ){{0,2}}"
        rf"{PERSON})"
        r"\b",
    ),
    (
        "diagnos",
        r"\bdiagnos(?:ed|ing) (?:[\w-]+ ){1,4}?in (?:a|an|the|my|our|this|that|\d+)\b",
    ),
    (
        "participant",
        r"\b(?:participant|trial participant|subject) (?:#|no\.? ?|number )?\d+\b|"
        r"\bour (?:[\w-]+ ){0,2}participants?\b",
    ),
    (
        "went home|going home|gone home|she delivered|he delivered",
        r"\b(?:went|going|gone|sent) home (?:today|yesterday|tonight|this|last|on|after)\b|"
        r"\b(?:went|going|gone|sent) home from (?:our|the|my)\b|"
        r"\b(?:she|they) delivered\b",
    ),
    (
        "your prayers|your thoughts",
        r"\bkeep (?:in|them in|her in|him in) your (?:prayers|thoughts)\b",
    ),
    (
        "won't say|wont say|can't say|cant say|not saying",
        r"\b(?:won['’]?t|can['’]?t|not) say(?:ing)? (?:who|which|her name|his name)\b",
    ),
    (
        "diagnos|scheduled|sectioned",
        r"\b(?:diagnosed|scheduled|sectioned) (?:a|an|the|him|her|this|that|our|my)\b",
    ),
    (
        "is home|back on|home now|doing |is stable|home after",
        r"\b(?:is|are|she['’]s|he['’]s|they['’]re|both) (?:home|back on (?:her|his|their) feet|"
        r"(?:both )?doing (?:ok|okay|well|better|brilliantly|great|fine))\b|"
        r"\bhome (?:now|after (?:his|her|their))\b",
    ),
)

ELIDED_CARE = (
    r"(?:just |today |this morning |tonight |finally |also )?"
    r"(?:seen|saw|had|treated|visited|sat with|diagnosed|admitted|assessed|examined|reviewed|"
    r"triaged|discharged|referred|scanned|removed (?:[\w-]+ ){1,3}from) "
    r"(?:(?:a|an|the|my|our|this|that|another|\d+|two|three|four|five|several) "
    rf"(?:[\w'’-]+ ){{0,3}}?(?:{PERSON}|\w*yo|cases? of)(?:s|['’]s)?\b|"
    r"(?-i:(?:Mr|Mrs|Ms|Miss|Councill?or|Cllr|Father|Fr|Pastor|Rev|Coach|Sgt|Captain)\.? "
    r"[A-Z]))"
)
"""An act of care with its subject left out, at the start of a sentence: "Sat with a mum today",
"Seen three cases of measles", "Just seen Councillor Hughes' wife"."""

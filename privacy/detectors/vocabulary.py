"""Shared vocabulary: word lists and regex fragments several detectors read."""

from __future__ import annotations

import re

from privacy.scan import words

UNITS = (
    r"(?:(?-i:ER|ED|A&E|ICU|NICU|PICU|CCU|HDU|SCBU|OR|L&D)|resus|trauma bay|theat(?:re|er)s?|"
    r"ward|unit|clinic|department|emergency (?:department|room)|ambulance|"
    r"labou?r (?:ward|and delivery)|maternity|peds|paeds|surgery)"
)

COLLEAGUE = re.compile(
    r"\b(?:colleague(?!['’]s)|co-?worker|consultant|surgeon|physician|registrar|attending|matron|"
    r"charge nurse|clerk|physio|therapist|pharmacist|midwife|paramedic|teacher|professor|"
    r"lecturer|mentor|preceptor|manager|boss|director|chief|head of|dean|principal|team ?mate|"
    r"promotion|promoted|retire(?:ment|s|d)?|retiring|award|OBE|MBE|congrat\w*|welcome|"
    r"joins us|joined us|new role|talk|lecture|keynote|speaker|presenting|webinar|conference|"
    r"graduat\w*|well[- ]deserved|and I|with me)\b",
    re.I,
)
OWN_CIRCLE_BEFORE = re.compile(
    r"\b(?:my|our) (?:\w+ )?(?:daughter|son|wife|husband|partner|friend|colleague|mentor|boss|"
    r"manager|sister|brother|mum|mom|dad|mother|father|kids?|child|niece|nephew|cousin|"
    r"granddaughter|grandson|team ?mate|buddy|bestie|preceptor|student|new \w+)\W{0,3}$",
    re.I,
)
OWN_FAMILY = re.compile(
    r"\b(?:my|our) (?:\w+ )?(?:grand(?:ma|mother|pa|father|dad|mum|mom|parents?|ad)|granddad|"
    r"gramps|grampa|great[- ]\w+|"
    r"gran|granny|nan|nana|nanna|nanny|mum|mom|mother|dad|father|papa|pops|aunt(?:ie)?|uncle|"
    r"\w+-in-law)\b|^\W*(?:happy \w+ birthday,? )?(?-i:Dad|Mum|Mom|Grandma|Grandpa|Gran|Granny|"
    r"Nan|Nana|Pops|Papa|Grandad|Granddad)\b",
    re.I,
)
INSTITUTION_BIRTHDAY = re.compile(
    r"\b(?:to|for) (?:our|the|my) (?:\w+ )?(?:hospital|clinic|practice|trust|service|department|"
    r"unit|ward|school|charity|NHS|organi[sz]ation|hospice|college|university|team)\b|"
    r"\b(?:hospital|clinic|practice|trust|NHS|charity|school)(?:['’]s)? (?:is|turns|turned)\b",
    re.I,
)
FIRST_PERSON_BEFORE = re.compile(
    r"\b(?:I['’]m|I am|I was|I['’]ve been|we['’]re|we are|we were|you['’]re|you are)\W*"
    r"(?:\w+\W+){0,2}$|"
    r"\bas an?\s+(?:\w+\s+)?$",
    re.I,
)

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"

STOP_CAPS = words(
    """the our my a an this that these those new local main his her their your children's
    women's community district county regional royal general teaching university state city
    national veterans medical private public nursing dental care health mental happy welcome
    thanks congrats congratulations proud from at in on today tonight shoutout big great best
    amazing sunrise night day every all each no by any one easy hard right wrong old i it
    is was we you he she they hi hey dear and or but so if when then there here what who how
    why where just also not still very good bad pls please ps"""
)
NON_NAMES = words(
    """i the a an this that safety care experience zero day week month year satisfaction portal
    advocate education first centred centered shark boomers boomer friendly steps led voice
    voices rights story stories information leaflet group forum survey feedback liaison
    transport records record notes id number is was and with relations services loss awareness
    support affairs access partners council panel advice line"""
)
STATES_AND_COUNTRIES = words(
    """alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
    hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
    michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon
    pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming england
    scotland wales ireland britain canada mexico india china japan france germany spain italy
    nigeria ghana kenya australia pakistan bangladesh philippines poland portugal brazil europe
    africa asia america"""
)
NOT_PLACES = words(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday mr mrs ms miss dr twitter facebook
    instagram tiktok reddit linkedin youtube google amazon apple netflix home work school
    scratch experience day night here there today tonight yesterday tomorrow above below
    heaven hell start finish behind now then day one"""
)
BIRTHDAY_AGE = re.compile(r"\bbirthday\b", re.I)
YEAR = re.compile(r"^(?:19|20)\d\d$")

"""Direct identifiers: email, links, IP, SSN, record and account numbers, plates, phones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from privacy.detectors.vocabulary import YEAR
from privacy.lexicon import PERSONAL_DOMAINS, PUBLIC_DOMAINS, domain_in
from privacy.scan import Candidate, Gated, Scan, words

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_ROLE_MAILBOX = words(
    """careers jobs job recruitment recruiting hiring hr info contact hello enquiries inquiries
    appointments appointment bookings booking admin office reception press media support help
    team feedback privacy research events comms communications marketing news education
    training volunteer volunteers"""
)
_FREE_MAIL = words(
    """gmail.com googlemail.com yahoo.com yahoo.co.uk hotmail.com hotmail.co.uk outlook.com
    live.com icloud.com me.com aol.com proton.me protonmail.com btinternet.com gmx.com
    mail.com"""
)


def detect_emails(scan: Scan) -> Iterator[Candidate]:
    """Email addresses; shared role mailboxes (careers@, appointments@) are public, not personal."""
    if "@" not in scan.text:
        return
    for m in _EMAIL.finditer(scan.text):
        local, _, host = m.group().partition("@")
        if local.lower() in _ROLE_MAILBOX:
            scan.suppressed.append(m.span())
            continue
        personal = host.lower() in _FREE_MAIL
        yield Candidate(
            "email",
            m.start(),
            m.end(),
            "high" if personal else "low",
            "high",
            "An email address leads straight to a person. Patient or family addresses must never "
            "appear in a post or a screenshot.",
            priority=94,
        )


_URL = re.compile(
    r"\b(?:https?://[^\s<>\"')\]]+|www\.[^\s<>\"')\]]+|"
    r"(?:[a-z0-9-]+\.)+(?:com|org|net|gov|edu|int|uk|io|me|ly|co|info|health|app|ca|au|ie|nz|"
    r"us|eu|tv|link|page|am|net)\b(?:/[^\s<>\"')\]]*)?)",
    re.I,
)
_HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")


_URL_GATE = Gated(
    "http|www.|.com|.org|.net|.gov|.edu|.int|.uk|.io|.me|.ly|.co|.info|.health|.app|.ca|.au|.ie|"
    ".nz|.us|.eu|.tv|.link|.page|.am",
    _URL,
)


def detect_urls(scan: Scan) -> Iterator[Candidate]:
    """Links and @handles. Public-health and journal links are fine; personal pages are not."""
    text = scan.text
    for m in _URL_GATE.finditer(scan):
        start, end = m.span()
        while end > start and text[end - 1] in ".,;:!?":
            end -= 1
        if start and text[start - 1] == "@":
            continue
        raw = text[start:end]
        host = urlsplit(raw if "://" in raw else "//" + raw).hostname or ""
        if domain_in(host, PUBLIC_DOMAINS):
            scan.suppressed.append((start, end))
            continue
        if domain_in(host, PERSONAL_DOMAINS):
            yield Candidate(
                "url",
                start,
                end,
                "low",
                "high",
                "This link points to one person's page (a fundraiser or profile). Beside a patient "
                "story it tells readers exactly who the patient is.",
                priority=85,
            )
        else:
            yield Candidate(
                "url",
                start,
                end,
                "low",
                "medium",
                "A link can lead readers to the person the post describes. Check it does not "
                "point at a patient or their family.",
                priority=85,
            )
    for m in _HANDLE.finditer(text) if "@" in text else ():
        end = m.end()
        while text[end - 1] == ".":
            end -= 1
        yield Candidate(
            "url",
            m.start(),
            end,
            "low",
            "high",
            "A social-media handle next to a patient story identifies the patient or their family.",
            priority=85,
        )


_IPV4 = re.compile(
    r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"(?![\d.]\d)"
)
_IPV6 = re.compile(r"\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b")


def detect_ips(scan: Scan) -> Iterator[Candidate]:
    """IPv4 and full IPv6 addresses, e.g. in a telehealth log screenshot."""
    if scan.digits < 4:
        return
    patterns = []
    if scan.text.count(".") >= 3:
        patterns.append(_IPV4)
    if scan.text.count(":") >= 7:
        patterns.append(_IPV6)
    for pattern in patterns:
        for m in pattern.finditer(scan.text):
            yield Candidate(
                "ip",
                m.start(),
                m.end(),
                "high",
                "high",
                "An IP address can be traced to a household. Crop logs and screenshots before "
                "sharing anything from a system.",
                priority=100,
            )


_SSN = re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")
_SSN_KEYWORD = re.compile(
    r"(?i:\b(?:SSN|SS#|social security(?: number| no\.?| #)?|national insurance(?: number| no\.?)?"
    r"|NI (?:number|no\.?)|NINO))[\s:#]*(?:(?i:is|was)\s+)?"
    r"(?P<id>\d{3}[- ]?\d{2}[- ]?\d{4}|[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b"
)
_NINO = re.compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")


def detect_ssns(scan: Scan) -> Iterator[Candidate]:
    """US social security numbers and UK national insurance numbers."""
    if scan.digits < 6:
        return
    seen: set[tuple[int, int]] = set()
    for pattern, group in ((_SSN_KEYWORD, "id"), (_SSN, 0), (_NINO, 0)):
        for m in pattern.finditer(scan.text):
            span = m.span(group)
            if span in seen:
                continue
            seen.add(span)
            yield Candidate(
                "ssn",
                span[0],
                span[1],
                "high",
                "high",
                "A social security or national insurance number identifies one person for life "
                "and enables identity theft.",
                priority=95,
            )


_ID_VALUE = (
    r"(?P<id>\d{2,5}(?: \d{2,5}){1,3}\b|"
    r"(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,}[A-Za-z0-9])"
)


def _keyword_id(keywords: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?i:\b(?:{keywords}))(?:\s*(?i:number|no\.?|num|#|id)\b)?[\s:#.]*"
        rf"(?:(?i:is|was|of)\s+)?{_ID_VALUE}"
    )


_KEYWORD_IDS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "mrn",
        _keyword_id(
            r"MRN|MR#|medical records?|hospital (?:number|no)|NHS (?:number|no)|"
            r"CHI (?:number|no)|patient (?:ID|number|no)|chart (?:number|no|#)|unit number|"
            r"UR number|case number|Rx|prescription (?:number|no|#)|script (?:number|no)"
        ),
        "A medical record, NHS or prescription number points to exactly one patient's chart.",
    ),
    (
        "health-plan",
        _keyword_id(
            r"member(?:ship)? (?:ID|number|no)|policy|subscriber (?:ID|number)|"
            r"group (?:number|no|#)|insurance (?:ID|number|no)|beneficiary (?:ID|number)|"
            r"medicaid|medicare|plan (?:ID|number)|MBI"
        ),
        "An insurance member or policy number identifies the patient to anyone who reads it.",
    ),
    (
        "account",
        _keyword_id(r"account|acct|a/c|invoice|billing (?:ID|number)|bill (?:number|no|#)"),
        "An account or bill number ties the post to one patient's records.",
    ),
    (
        "licence",
        _keyword_id(
            r"(?:driver['’]?s |driving )?licen[cs]e (?:number|no|#)|driver['’]?s licen[cs]e|"
            r"driving licen[cs]e|DL|passport|certificate (?:number|no|#)|permit (?:number|no|#)"
        ),
        "A licence, passport or certificate number identifies its holder.",
    ),
    (
        "device",
        _keyword_id(r"serial|S/N|SN|device (?:ID|serial)|UDI|IMEI|lot (?:number|no)|model number"),
        "A device serial number is registered to the patient who has the device.",
    ),
)

_VEHICLE = re.compile(
    r"(?i:\b(?:(?:licen[cs]e |number |reg(?:istration)? )?plates?|reg(?:istration)? "
    r"(?:number|no|mark)|VIN|reg))(?:\s+(?i:reads?|says?|said|literally|was|is|of|number|no\.?|"
    r"that|shows?|read))*[\s:#]*"
    r"(?P<id>(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}[- ]?[A-Z0-9]{1,5}\b|"
    r"[A-HJ-NPR-Z0-9]{17}\b)"
)


_UK_PLATE = re.compile(r"\b[A-Z]{2}\d{2} ?[A-Z]{3}\b")


_KEYWORD_TRIGGERS = {
    "mrn": "mrn|mr#|medical record|hospital|nhs|chi |patient|chart|unit number|ur number|"
    "case number|rx|prescription|script",
    "health-plan": "member|policy|subscriber|group|insurance|beneficiary|medicaid|medicare|plan|"
    "mbi",
    "account": "account|acct|a/c|invoice|billing|bill",
    "licence": "licen|dl|passport|certificate|permit",
    "device": "serial|s/n|sn|device|udi|imei|lot|model number",
}
_KEYWORD_GATES = tuple(
    (category, Gated(_KEYWORD_TRIGGERS[category], pattern), explanation)
    for category, pattern, explanation in _KEYWORD_IDS
)
_VEHICLE_GATE = Gated("plate|reg|vin", _VEHICLE)


def detect_keyword_ids(scan: Scan) -> Iterator[Candidate]:
    """Numbers introduced by what they are: MRN, member ID, account, licence, serial, plate."""
    if scan.digits == 0:
        return
    for category, gate, explanation in _KEYWORD_GATES:
        for m in gate.finditer(scan):
            yield Candidate(
                category, m.start("id"), m.end("id"), "high", "high", explanation, priority=90
            )
    plates = [m.span("id") for m in _VEHICLE_GATE.finditer(scan)]
    plates += [m.span() for m in _UK_PLATE.finditer(scan.text)]
    for start, end in plates:
        yield Candidate(
            "vehicle",
            start,
            end,
            "high",
            "high",
            "A number plate or VIN identifies the vehicle and, through it, its owner.",
            priority=90,
        )


_PHONE = re.compile(
    r"(?<![\w/.#-])(?:\+?\d{1,3}[\s.-]|\+\d{1,3})?(?:\(\d{2,5}\)\s?)?\d{2,5}(?:[\s.-]\d{2,6}){1,4}"
    r"(?![\w/-])"
    r"|(?<![\w/.#-])\+?\d{10,13}(?![\w/-])"
)
_TOLL_FREE = re.compile(r"^(?:1?8(?:00|88|77|66|55|44|33)|0800|0808|0300|0345|0330|116)")
_BUSINESS_LINE = re.compile(
    r"\b(?:book|booking|bookings|appointments?|call us|ring us|contact us|our (?:pharmacy|clinic|"
    r"practice|office|surgery|reception|helpline|front desk|hospital)|main line|switchboard|"
    r"opening hours|open (?:from|daily|mon\w*|until)|mon(?:day)?\s?[-–]\s?(?:fri|sat|sun)\w*|"
    r"helpline|hotline|crisis|text line|lifeline|walk-ins?|recruit\w*|hiring|we['’]re hiring|"
    r"apply|applications?|vacanc\w*|join (?:our|the) team|looking for|(?:reach|contact|call|ring|"
    r"phone|text) "
    r"(?:our|the) (?:\w+ )?(?:office|team|recruiter|desk|line)|our (?:\w+ )?office)\b",
    re.I,
)
_JOB_ADVERT = re.compile(
    r"\b(?:we['’]re hiring|now hiring|hiring:|vacancy|vacancies|join our team|apply (?:now|today|"
    r"online)|recruiting|job advert|position available|roles? available)\b",
    re.I,
)
_FAX = re.compile(r"\bfax", re.I)


def detect_phones(scan: Scan) -> Iterator[Candidate]:
    """Phone and fax numbers; toll-free lines and a practice's booking line are public."""
    text = scan.text
    if scan.digits < 7:
        return
    for m in _PHONE.finditer(text):
        groups = re.findall(r"\d+", m.group())
        digits = "".join(groups)
        if not 7 <= len(digits) <= 13 or all(YEAR.match(g) for g in groups):
            continue
        if _TOLL_FREE.match(digits):
            scan.suppressed.append(m.span())
            continue
        sentence = scan.sentence_text(m.start())
        if _BUSINESS_LINE.search(sentence) or _JOB_ADVERT.search(text):
            scan.suppressed.append(m.span())
            continue
        is_fax = bool(_FAX.search(sentence))
        yield Candidate(
            "fax" if is_fax else "phone",
            m.start(),
            m.end(),
            "high",
            "high",
            (
                "A fax number on a referral or form leads back to the patient's records."
                if is_fax
                else "A phone number leads straight to a person. Patient and family numbers must "
                "never appear in a post, even on a whiteboard in the background."
            ),
            priority=80,
        )

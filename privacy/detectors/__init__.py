"""Detectors by concern, in two registries (strategies by name, run in order).

`DETECTORS` find identifiers and patient cues in every post. `DETAIL_DETECTORS` find the
quasi-identifiers (a job, a small place, a time, a rare condition, a look, a repeat visit, a
news story, a link through someone else) and run only when the post is about one person in care.
"""

from __future__ import annotations

from privacy.detectors.cues import detect_cues
from privacy.detectors.dates import detect_ages, detect_dates
from privacy.detectors.details import (
    detect_appearance,
    detect_case_details,
    detect_events,
    detect_firsts,
    detect_links,
    detect_occupations,
    detect_public_hints,
    detect_rare_conditions,
    detect_repeat_visits,
    detect_small_places,
    detect_times,
    detect_told_to_you,
)
from privacy.detectors.media import detect_media
from privacy.detectors.names import detect_names, detect_relatives
from privacy.detectors.numbers import (
    detect_emails,
    detect_ips,
    detect_keyword_ids,
    detect_phones,
    detect_ssns,
    detect_urls,
)
from privacy.detectors.places import detect_facilities, detect_geography, detect_rooms
from privacy.detectors.traits import detect_unique
from privacy.scan import Detector

DETECTORS: dict[str, Detector] = {
    "cues": detect_cues,  # first: later detectors read scan.cue_spans
    "emails": detect_emails,
    "urls": detect_urls,
    "ips": detect_ips,
    "ssns": detect_ssns,
    "keyword-ids": detect_keyword_ids,
    "phones": detect_phones,
    "relatives": detect_relatives,
    "names": detect_names,
    "rooms": detect_rooms,
    "facilities": detect_facilities,
    "geography": detect_geography,
    "dates": detect_dates,
    "ages": detect_ages,
    "unique": detect_unique,
    "media": detect_media,
}
"""Identifiers and cues, run on every post (emails and links before names and numbers)."""

DETAIL_DETECTORS: dict[str, Detector] = {
    "case-details": detect_case_details,
    "rare-conditions": detect_rare_conditions,
    "times": detect_times,
    "occupations": detect_occupations,
    "small-places": detect_small_places,
    "appearance": detect_appearance,
    "repeat-visits": detect_repeat_visits,
    "events": detect_events,
    "links": detect_links,
    "public-hints": detect_public_hints,
    "firsts": detect_firsts,
    "told-to-you": detect_told_to_you,
}
"""Quasi-identifiers, run only when question one says the post is about one person in care."""

__all__ = ["DETAIL_DETECTORS", "DETECTORS"]

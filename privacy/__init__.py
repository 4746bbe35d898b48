"""Privacy checker for clinicians' social-media posts: flags what could identify a patient.

Framework-free: regexes, bundled word lists and two explicit questions (is this about a person in
my care? how much singles them out?); no network, no NLP stack.
"""

from privacy.checker import check_post
from privacy.hints import rewrite_hint
from privacy.language import detect_language
from privacy.model import (
    CATEGORIES,
    REPORT_RISKS,
    RISK_LEVELS,
    SEVERITIES,
    UNKNOWN,
    Finding,
    PrivacyReport,
)
from privacy.rewrite import rewrite_post

__all__ = [
    "CATEGORIES",
    "REPORT_RISKS",
    "RISK_LEVELS",
    "SEVERITIES",
    "UNKNOWN",
    "Finding",
    "PrivacyReport",
    "check_post",
    "detect_language",
    "rewrite_hint",
    "rewrite_post",
]

"""Privacy checker for clinicians' social-media posts: flags what could identify a patient.

Framework-free: regexes, small bundled word lists and context logic; no network, no NLP stack.
"""

from privacy.checker import check_post
from privacy.hints import rewrite_hint
from privacy.model import CATEGORIES, RISK_LEVELS, SEVERITIES, Finding, PrivacyReport

__all__ = [
    "CATEGORIES",
    "RISK_LEVELS",
    "SEVERITIES",
    "Finding",
    "PrivacyReport",
    "check_post",
    "rewrite_hint",
]

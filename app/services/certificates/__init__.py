"""CE certificates: eligibility, the evaluation and attestation, issue, reprint, verification,
revocation and reissue, and Open Badges 3.0 credentials signed as VC-JWT.

Rows meet the framework-free ``certificates`` package here: a certificate row stores
``CertificateData.to_dict()`` at issue and every PDF, verify page and badge is built from that
snapshot, so a later profile or provider change never alters what was issued.

- ``settings``     configured questions, provider, signer, logo, credit lines; CertificateError
- ``eligibility``  what is still missing before a certificate is released; attested credit
- ``issue``        the evaluation and the certificate, issued exactly once per enrollment
- ``lookup``       certificates by number, a learner's own, their state and snapshot; staff search
- ``documents``    the certificate PDF (original, then DUPLICATE) and the transcript
- ``renewal``      a new cycle after expiry; the dashboard card
- ``staff``        revoke and reissue
- ``keys``         Open Badges signing keys (private PEM files in INSTANCE_DIR/keys)
- ``badges``       issuer profile, achievement, VC-JWT, revocation list, pasted-credential check

Nothing here commits: the view or CLI command wraps each call in ``app.transaction``.
"""

from app.services.certificates.badges import (
    VERIFY_MESSAGES,
    PastedResult,
    achievement,
    achievement_id,
    badge_jwt,
    issuer_id,
    issuer_profile,
    revocation_list,
    status_url,
    verify_pasted,
)
from app.services.certificates.documents import download_pdf, transcript_pdf
from app.services.certificates.eligibility import (
    Eligibility,
    Missing,
    credit_for,
    eligibility,
    evaluation_for,
    max_minutes,
    recorded_minutes,
)
from app.services.certificates.issue import (
    active_certificate,
    claim_certificate,
    clean_answers,
    issue_certificate,
)
from app.services.certificates.keys import jwks, setup_keys, signing_key
from app.services.certificates.lookup import (
    certificate_data,
    find_by_number,
    learner_certificate,
    learner_certificates,
    staff_search,
    state_of,
    superseding,
)
from app.services.certificates.renewal import CardStatus, can_renew, dashboard_status, renew
from app.services.certificates.settings import (
    DEFAULT_EVALUATION_QUESTIONS,
    DEFAULT_SIGNER_NAME,
    DEFAULT_SIGNER_TITLE,
    MAX_REASON_LENGTH,
    SCALE_CHOICES,
    CertificateError,
    Question,
    credit_lines,
    evaluation_questions,
    get_course,
    logo_png,
    provider_info,
    signer_info,
)
from app.services.certificates.staff import reissue, revoke, revoke_by_number
from vocab import COURSE_SLUG

__all__ = [
    "COURSE_SLUG",
    "DEFAULT_EVALUATION_QUESTIONS",
    "DEFAULT_SIGNER_NAME",
    "DEFAULT_SIGNER_TITLE",
    "MAX_REASON_LENGTH",
    "SCALE_CHOICES",
    "VERIFY_MESSAGES",
    "CardStatus",
    "CertificateError",
    "Eligibility",
    "Missing",
    "PastedResult",
    "Question",
    "achievement",
    "achievement_id",
    "active_certificate",
    "badge_jwt",
    "can_renew",
    "certificate_data",
    "claim_certificate",
    "clean_answers",
    "credit_for",
    "credit_lines",
    "dashboard_status",
    "download_pdf",
    "eligibility",
    "evaluation_for",
    "evaluation_questions",
    "find_by_number",
    "get_course",
    "issue_certificate",
    "issuer_id",
    "issuer_profile",
    "jwks",
    "learner_certificate",
    "learner_certificates",
    "logo_png",
    "max_minutes",
    "provider_info",
    "recorded_minutes",
    "reissue",
    "renew",
    "revocation_list",
    "revoke",
    "revoke_by_number",
    "setup_keys",
    "signer_info",
    "signing_key",
    "staff_search",
    "state_of",
    "status_url",
    "superseding",
    "transcript_pdf",
    "verify_pasted",
]

"""Form data for the authoring tests."""

from __future__ import annotations

SINGLE_BODY = """\
options:
  - id: a
    text: "Ask him to take the video down and tell the manager."
    feedback: "Right: remove it, then report."
    levels: {confidentiality: met, escalation: met}
  - id: b
    text: "Like the video; the patient cannot be seen."
    feedback: "The monitor and voices can still identify the patient."
    levels: {confidentiality: breach, escalation: missed}
"""


def scenario_form(**overrides: object) -> dict[str, object]:
    """A valid new single-choice scenario as the editor posts it."""
    data: dict[str, object] = {
        "id": "ward-tiktok",
        "title": "The ward dance video",
        "type": "single",
        "rubric": "patient-confidentiality",
        "profession": "nurse",
        "platform": "TikTok",
        "module": "04-risks",
        "guidelines": ["2", "7"],
        "risks": ["privacy"],
        "situation": "A colleague films a dance in the corridor.\nA monitor shows a name.",
        "prompt": "What do you do first?",
        "debrief": "Get it removed and tell the manager.",
        "criteria": "confidentiality, escalation",
        "body": SINGLE_BODY,
    }
    data.update(overrides)
    return data

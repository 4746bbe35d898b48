"""The "Check my post" page and API show the new report: safer draft, confidence, unknown.

(Web-layer tests; they sit here with the checker's own tests because this change owns them.
They belong in tests/app/check/ and can move there as they are.)
"""

import re

RISKY = "Rough night on my unit. Mr. Alvarez in bed 4 finally went home, his daughter Rosa cried."
POLISH = "Dzisiaj w przychodni było bardzo dużo pacjentów i nie mieliśmy przerwy na obiad."


def test_the_page_shows_a_safer_draft_with_a_copy_button(client, make_user, login):
    login(make_user())
    html = client.post("/check-my-post/", data={"text": RISKY}).get_data(as_text=True)
    assert "A safer draft" in html
    draft = re.search(r'<pre class="rewrite" id="rewrite-text"[^>]*>(.*?)</pre>', html, re.S)
    assert draft and "Alvarez" not in draft.group(1) and "bed 4" not in draft.group(1)
    assert 'data-copy-target="rewrite-text"' in html
    assert "js/check.js" in html
    assert "How sure the checker is:" in html


def test_a_post_not_in_english_is_unknown_on_the_page_never_none(client, make_user, login):
    login(make_user())
    html = client.post("/check-my-post/", data={"text": POLISH}).get_data(as_text=True)
    assert 'Risk: <span class="risk-label">Unknown</span>' in html
    assert "Checked as English only" in html
    assert "Nothing in this post looks like it could identify a patient" not in html


def test_the_api_returns_confidence_language_and_the_safer_draft(client, make_user, login):
    login(make_user())
    data = client.post("/check-my-post/api", json={"text": RISKY}).get_json()
    assert data["risk"] == "high"
    assert data["language"] == "en"
    assert 0 < data["confidence"] <= 1
    assert "Alvarez" not in data["rewrite"]
    unknown = client.post("/check-my-post/api", json={"text": POLISH}).get_json()
    assert unknown["risk"] == "unknown" and unknown["language"] == "pl"
    assert unknown["rewrite"] is None


def test_the_copy_script_is_a_static_file_under_the_csp(client):
    resp = client.get("/static/js/check.js")
    try:
        assert resp.status_code == 200
        assert b"navigator.clipboard" in resp.get_data()
    finally:
        resp.close()

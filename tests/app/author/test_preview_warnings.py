"""The editor's preview lists the item-writing warnings of `postrx scenarios check`."""

from __future__ import annotations

import html

from tests.app.author.helpers import scenario_form

EVEN_BODY = """\
options:
  - id: a
    text: "Ask him to take it down and tell the manager."
    feedback: "Right: remove it, then report."
    levels: {confidentiality: met, escalation: met}
  - id: b
    text: "Like the video because the patient is hidden."
    feedback: "The monitor and voices can still identify the patient."
    levels: {confidentiality: breach, escalation: missed}
"""


def _page(client, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200
    return html.unescape(resp.get_data(as_text=True))


def test_the_preview_of_a_published_version_lists_its_warnings(client, bank, as_educator):
    page = _page(client, "/author/scenarios/night-shift-selfie/preview/1")
    assert "Item-writing checks" in page
    assert "option 'b' uses the absolute word(s) 'only' and no key does" in page


def test_the_preview_of_a_draft_lists_its_warnings_and_a_clean_one_none(client, bank, as_educator):
    client.post("/author/scenarios/new", data=scenario_form())  # key longer than the other
    page = _page(client, "/author/scenarios/ward-tiktok/preview/draft")
    assert "option 'a' is a key and the longest option by a wide margin" in page
    client.post("/author/scenarios/ward-tiktok/edit", data=scenario_form(body=EVEN_BODY))
    page = _page(client, "/author/scenarios/ward-tiktok/preview/draft")
    assert "Item-writing checks" not in page


def test_warnings_stay_on_the_page_after_trying_an_answer(client, bank, as_educator):
    resp = client.post("/author/scenarios/night-shift-selfie/preview/1", data={"choice": "a"})
    page = html.unescape(resp.get_data(as_text=True))
    assert "Grade: 100%" in page and "Item-writing checks" in page

"""Lesson Markdown renders to the HTML the templates expect, and hostile input comes out inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.render import render_inline, render_markdown

ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "hr", "table",
    "thead", "tbody", "tr", "th", "td", "aside", "div", "img", "a", "em", "strong", "code", "br",
}  # fmt: skip
ALLOWED_ATTRS = {"href", "title", "src", "alt", "start", "style", "id", "class", "role", "rel"}
URL_ATTRS = {"href", "src"}


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def browser_scheme(url: str) -> str:
    """The scheme a browser would see: tabs/newlines removed, leading controls stripped."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


def assert_inert(html: str) -> None:
    """Only allow-listed tags and attributes; URLs are http(s), mailto or relative."""
    audit = _Audit()
    audit.feed(html)
    for tag, attrs in audit.tags:
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRS, html
            if name in URL_ATTRS:
                assert browser_scheme(value or "") in ("", "http", "https", "mailto"), html
            if name == "style":
                assert value in ("text-align:left", "text-align:right", "text-align:center"), html


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x](java%0Ascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "::: note <img src=x onerror=alert(1)>\nbody\n:::",
    '[x](lesson:a/b#" onclick="alert(1))',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<svg><style>@import 'x'</style><a xlink:href=javascript:alert(1)>x</a></svg>",
    "<iframe src=//evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))" onclick="x">d</div>',
    "| a |\n|---|\n| <b onmouseover=alert(1)>x</b> |",
    '```"><script>alert(1)</script>\nx\n```',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_inert(text: str) -> None:
    assert_inert(render_markdown(text))
    assert_inert(render_inline(text))


def test_script_tags_are_shown_as_text_not_run() -> None:
    assert render_markdown("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )


def test_javascript_links_stay_plain_text() -> None:
    html = render_markdown("[x](javascript:alert(1)) [y](https://example.org)")
    assert html.startswith("<p>[x](javascript:alert(1)) <a ")
    assert '<a href="https://example.org" rel="noopener">y</a>' in html


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<",
                ">",
                '"',
                "'",
                "&",
                "#",
                ";",
                ":",
                "(",
                ")",
                "[",
                "]",
                "!",
                "`",
                "\n",
                "javascript",
                "script",
                "onerror=",
                "href=",
                "src=",
                "&#106;",
                "%0A",
                " ",
                "lesson:",
                "a/b",
                ":::",
                " note",
                "|",
                "---",
                "<img",
                "<a",
                "data:",
                "x",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_random_mixtures_of_dangerous_fragments_render_inert(text: str) -> None:
    assert_inert(render_markdown(text))
    assert_inert(render_inline(text))


def test_callout_renders_as_an_aside_with_its_title() -> None:
    html = render_markdown("::: case A night-shift selfie\nThe *story*.\n:::\n")
    assert html == (
        '<aside class="callout callout-case" role="note">'
        '<p class="callout-title">A night-shift selfie</p>\n'
        "<p>The <em>story</em>.</p>\n"
        "</aside>\n"
    )


@pytest.mark.parametrize(
    ("kind", "label"),
    [("note", "Note"), ("tip", "Tip"), ("warning", "Warning"), ("example", "Example"),
     ("do", "Do"), ("dont", "Don't"), ("case", "Case")],
)  # fmt: skip
def test_callout_without_a_title_gets_its_kind_as_label(kind: str, label: str) -> None:
    assert render_markdown(f"::: {kind}\nText\n:::\n") == (
        f'<aside class="callout callout-{kind}" role="note"><p class="callout-title">{label}</p>\n'
        "<p>Text</p>\n</aside>\n"
    )


def test_unknown_callout_kind_is_not_a_callout() -> None:
    assert "<aside" not in render_markdown("::: rumour\nText\n:::\n")


def test_tables_are_wrapped_for_horizontal_scrolling_and_keep_alignment() -> None:
    html = render_markdown("| a | b |\n|---|--:|\n| 1 | 2 |\n")
    assert html.startswith('<div class="table-wrap">\n<table>\n<thead>')
    assert html.rstrip().endswith("</table>\n</div>")
    assert '<td style="text-align:right">2</td>' in html


def test_headings_get_unique_slugified_ids() -> None:
    html = render_markdown("## What *changed*?\n\n## What changed\n\n### Café & co\n")
    assert '<h2 id="what-changed">' in html
    assert '<h2 id="what-changed-2">' in html
    assert '<h3 id="cafe-co">' in html


def test_lesson_links_are_rewritten_through_the_callback() -> None:
    html = render_markdown(
        "[privacy](lesson:04-risks/privacy-and-confidentiality#safe-harbor)",
        lesson_url=lambda module, lesson: f"/learn/{module}/{lesson}",
    )
    assert html == (
        '<p><a href="/learn/04-risks/privacy-and-confidentiality#safe-harbor" '
        'rel="noopener">privacy</a></p>\n'
    )


def test_lesson_links_default_to_a_sibling_relative_url() -> None:
    assert 'href="../04-risks/legal-and-ethical"' in render_markdown(
        "[x](lesson:04-risks/legal-and-ethical)"
    )


def test_malformed_lesson_links_keep_their_text_but_lose_the_target() -> None:
    assert render_markdown("[x](lesson:nowhere)") == '<p><a rel="noopener">x</a></p>\n'


def test_relative_images_go_through_the_image_callback_and_keep_alt_text() -> None:
    html = render_markdown(
        '![QR flow](images/qr-flow.svg "How a QR code works")',
        image_url=lambda path: f"/content/03-qr-codes/{path}",
    )
    assert html == (
        '<p><img src="/content/03-qr-codes/images/qr-flow.svg" alt="QR flow" '
        'title="How a QR code works"></p>\n'
    )


def test_absolute_images_are_not_passed_to_the_image_callback() -> None:
    seen: list[str] = []

    def record(path: str) -> str:
        seen.append(path)
        return path

    render_markdown("![a](https://example.org/a.png)", image_url=record)
    assert seen == []


def test_code_blocks_keep_their_text_but_not_a_language_class() -> None:
    assert render_markdown("```python\nx = '<b>'\n```\n") == (
        "<pre><code>x = '&lt;b&gt;'\n</code></pre>\n"
    )


def test_rendering_is_deterministic() -> None:
    text = "## A\n\n::: tip\n| a |\n|---|\n| [l](lesson:a/b) |\n:::\n"
    assert render_markdown(text) == render_markdown(text)


def test_render_inline_keeps_emphasis_and_links_without_a_paragraph() -> None:
    assert render_inline("The *seven* [guidelines](https://example.org) <b>x</b>") == (
        'The <em>seven</em> <a href="https://example.org" rel="noopener">guidelines</a> '
        "&lt;b&gt;x&lt;/b&gt;"
    )

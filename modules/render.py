"""Markdown → safe HTML for lesson bodies, titles and summaries.

Two layers of defence: markdown-it with raw HTML disabled, then nh3 with an allow-list of
exactly the tags and attributes this module emits. Output depends only on the input text and
the URL callbacks, so pages (and snapshots of them) are reproducible.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

CALLOUT_KINDS = ("note", "tip", "warning", "example", "do", "dont", "case")
CALLOUT_LABELS = {
    "note": "Note",
    "tip": "Tip",
    "warning": "Warning",
    "example": "Example",
    "do": "Do",
    "dont": "Don't",
    "case": "Case",
}

LessonUrl = Callable[[str, str], str]
ImageUrl = Callable[[str], str]

_LESSON_HREF = re.compile(r"^lesson:([a-z0-9-]+)/([a-z0-9-]+)(#[A-Za-z0-9_-]*)?$")
_URL_SCHEMES = {"http", "https", "mailto"}

_BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "aside", "div", "img",
}  # fmt: skip
_INLINE_TAGS = {"a", "em", "strong", "code", "br"}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
_CLASSES = {
    "aside": {"callout", *(f"callout-{kind}" for kind in CALLOUT_KINDS)},
    "p": {"callout-title"},
    "div": {"table-wrap"},
}

_BODY_CLEANER = nh3.Cleaner(
    tags=_BLOCK_TAGS | _INLINE_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    tag_attribute_values={"aside": {"role": {"note"}}},
    allowed_classes=_CLASSES,
    filter_style_properties={"text-align"},
    url_schemes=_URL_SCHEMES,
    link_rel="noopener",
)
_INLINE_CLEANER = nh3.Cleaner(
    tags=_INLINE_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title"}},
    url_schemes=_URL_SCHEMES,
    link_rel="noopener",
)


def _render_callout(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.nesting != 1:
        return "</aside>\n"
    kind, _, title = token.info.strip().partition(" ")
    title = title.strip() or CALLOUT_LABELS[kind]
    return (
        f'<aside class="callout callout-{kind}" role="note">'
        f'<p class="callout-title">{escape(title)}</p>\n'
    )


def _render_table_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    return '<div class="table-wrap">\n' + self.renderToken(tokens, idx, options, env)


def _render_table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


class _LessonLinkParser(MarkdownIt):
    """Lets `lesson:` links through the parser; nh3 drops them unless rewritten below."""

    def validateLink(self, url: str) -> bool:
        return url.startswith("lesson:") or super().validateLink(url)


def _parser() -> MarkdownIt:
    md = _LessonLinkParser("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    for kind in CALLOUT_KINDS:
        md.use(
            container_plugin,
            name=kind,
            render=_render_callout,
            validate=lambda params, *_, kind=kind: params.strip().split(" ", 1)[0] == kind,
        )
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    return md


_MD = _parser()  # configuration only: parsing state lives in each call's env


def slugify(text: str) -> str:
    """Heading text → anchor id: ASCII lowercase words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words) or "section"


def _default_lesson_url(module_slug: str, lesson_slug: str) -> str:
    return f"../{module_slug}/{lesson_slug}"


def _rewrite(tokens: Sequence[Token], lesson_url: LessonUrl, image_url: ImageUrl | None) -> None:
    used: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            base = slugify(tokens[index + 1].content)
            count = used.get(base, 0) + 1
            used[base] = count
            token.attrSet("id", base if count == 1 else f"{base}-{count}")
        for child in token.children or ():
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if href.startswith("lesson:"):
                    match = _LESSON_HREF.match(href)
                    if match:
                        url = lesson_url(match.group(1), match.group(2)) + (match.group(3) or "")
                        child.attrSet("href", url)
                    else:
                        child.attrs.pop("href", None)
            elif child.type == "image" and image_url is not None:
                src = str(child.attrGet("src") or "")
                if src and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/", src):
                    child.attrSet("src", image_url(src))


def render_markdown(
    text: str,
    *,
    lesson_url: LessonUrl | None = None,
    image_url: ImageUrl | None = None,
) -> str:
    """Render a lesson body to sanitized HTML.

    lesson_url(module_slug, lesson_slug) turns `lesson:` links into real URLs (default
    "../module/lesson"); image_url(relative_path) turns module-relative image paths into URLs
    (default: left as written).
    """
    env: dict[str, Any] = {}
    tokens = _MD.parse(text, env)
    _rewrite(tokens, lesson_url or _default_lesson_url, image_url)
    html = _MD.renderer.render(tokens, _MD.options, env)
    return _BODY_CLEANER.clean(html)


def render_inline(text: str) -> str:
    """Render a one-line string (title, summary, objective) with emphasis, code and links."""
    env: dict[str, Any] = {}
    tokens = _MD.parseInline(text, env)
    for token in tokens:
        for child in token.children or ():
            if child.type == "link_open" and str(child.attrGet("href")).startswith("lesson:"):
                child.attrs.pop("href", None)
    html = _MD.renderer.render(tokens, _MD.options, env)
    return _INLINE_CLEANER.clean(html)

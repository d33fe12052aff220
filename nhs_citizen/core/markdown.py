"""A small, safe subset of Markdown for what people write: paragraphs, line breaks, bold,
italic, links and lists. Rendered with markdown-it-py, then sanitised with nh3 so that nothing
else (scripts, images, styles, raw HTML) can reach a page."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("zero", {"breaks": True, "linkify": False}).enable(
    ["emphasis", "link", "list", "newline", "escape", "backticks"]
)

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render_markdown(text: str) -> str:
    html = _parser.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener noreferrer",
    )

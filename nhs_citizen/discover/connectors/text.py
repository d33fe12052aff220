"""Turn HTML into plain text and tidy whitespace. Standard library only."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

MAX_TEXT = 5000

# Tags that start a new line of text when they open or close.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
# Tags whose content is never text a person wrote.
_SKIP_TAGS = frozenset("script style head template noscript svg math iframe object".split())
_LOOKS_LIKE_HTML = re.compile(
    r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>|&[#\w]+;"
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")
        elif tag == "img" and not self._skip_depth:
            alt = dict(attrs).get("alt") or ""
            if alt.strip():
                self.parts.append(f" {alt.strip()} ")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag not in _SKIP_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in ("li", "dt", "dd", "tr"):
            pass  # the next item starts its own line
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """True when the text has HTML tags or entities in it."""
    return bool(_LOOKS_LIKE_HTML.search(text or ""))


def html_to_text(markup: str) -> str:
    """Plain text from an HTML fragment or document: tags dropped, entities decoded,
    block elements on their own lines, whitespace tidied."""
    if not markup:
        return ""
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # pragma: no cover - html.parser is very forgiving
        return normalise_whitespace(html.unescape(re.sub(r"<[^>]*>", " ", markup)))
    return normalise_whitespace("".join(parser.parts))


def normalise_whitespace(text: str) -> str:
    """Collapse runs of spaces, keep single line breaks and at most one blank line."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text)
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """At most ``limit`` characters, cut at a word break with an ellipsis when too long."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def to_plain(text: str, limit: int = MAX_TEXT) -> str:
    """HTML (if it looks like HTML) or text, to tidy plain text of at most ``limit`` characters."""
    if looks_like_html(text):
        return clip(html_to_text(text), limit)
    return clip(normalise_whitespace(text), limit)

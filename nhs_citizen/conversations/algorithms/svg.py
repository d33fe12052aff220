"""The opinion map as a server-drawn, accessible SVG.

One mark per participant, shaped and lettered by group (not told apart by colour alone), in
NHS colours that all have at least 3:1 contrast with the white background (WCAG 1.4.11) and
text in NHS black. Above :data:`DOT_LIMIT` participants the marks are binned: one mark per
group and grid cell, its area growing with the number of people in it, so the file stays small
(about 50 kB at 10,000 participants). The SVG has ``role="img"``, a ``<title>`` and a
``<desc>`` that says in words what the picture shows; the page should also give the same
figures in a table. Every piece of text is escaped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Sequence
from xml.sax.saxutils import escape

from .opinion import OpinionMap

#: Above this many participants, marks are binned into grid cells.
DOT_LIMIT = 1500
#: Grid for binning (columns, rows).
GRID = (48, 30)

WIDTH, HEIGHT = 640, 480
PLOT = (20, 20, 620, 380)  # left, top, right, bottom of the plotting area
TEXT = "#212B32"  # NHS black
UNGROUPED = "#768692"  # NHS mid grey, 3.6:1 on white
# NHS blue, dark pink, dark green, purple, red: each at least 3:1 on white.
COLOURS = ("#005EB8", "#7C2855", "#006747", "#330072", "#DA291C")
LETTERS = "ABCDEFGHIJ"
SHAPE_NAMES = ("circle", "square", "triangle", "diamond", "cross")

# Each shape drawn at the origin with a size of about 8 units; used by <use>.
_SHAPES = (
    '<circle r="4"/>',
    '<rect x="-3.5" y="-3.5" width="7" height="7"/>',
    '<path d="M0-4.6 4.2 3H-4.2Z"/>',
    '<path d="M0-4.8 4.8 0 0 4.8-4.8 0Z"/>',
    '<path d="M-1.5-4.5h3v3h3v3h-3v3h-3v-3h-3v-3h3Z"/>',
)


def _group_label(index: int, group_names: Sequence[str] | None) -> str:
    letter = LETTERS[index] if index < len(LETTERS) else str(index + 1)
    if group_names and index < len(group_names) and group_names[index]:
        return f"{letter}: {group_names[index]}"
    return f"Group {letter}"


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n:,} people"


def map_extent(m: OpinionMap) -> tuple[float, float]:
    """How far from the middle the map reaches (x, y): 98% of people fit inside it."""
    if not m.coords:
        return (1.0, 1.0)
    xs = sorted(abs(x) for x, _ in m.coords.values())
    ys = sorted(abs(y) for _, y in m.coords.values())
    q = min(len(xs) - 1, int(0.98 * len(xs)))
    return (xs[q] or max(xs) or 1.0, ys[q] or max(ys) or 1.0)


def placer(extent: tuple[float, float] | None):
    """A function from map coordinates to plot coordinates for a map of this extent; people
    outside it are drawn at the edge. No extent (nobody voted): everyone in the middle."""
    left, top, right, bottom = PLOT
    cx, cy = (left + right) / 2, (top + bottom) / 2
    half_w, half_h = (right - left) / 2 - 8, (bottom - top) / 2 - 8
    if extent is None:
        return lambda x, y: (cx, cy)
    ex, ey = extent

    def place(x: float, y: float) -> tuple[float, float]:
        px = max(-1.0, min(1.0, x / ex))
        py = max(-1.0, min(1.0, y / ey))
        return cx + px * half_w, cy - py * half_h

    return place


def _scale(m: OpinionMap):
    return placer(map_extent(m) if m.coords else None)


YOU_WORDS = "A black ring marked You shows where you are."


def you_mark(x: float, y: float, extent: tuple[float, float]) -> str:
    """The ring and the word "You" at map coordinates (x, y), for a map of this extent."""
    right = PLOT[2]
    hx, hy = placer(extent)(x, y)
    tx = hx + 14 if hx < right - 50 else hx - 14
    anchor = "start" if hx < right - 50 else "end"
    return (
        f'<g class="app-map-you"><circle cx="{hx:.1f}" cy="{hy:.1f}" r="9" fill="none" '
        f'stroke="{TEXT}" stroke-width="2.5"/><text x="{tx:.1f}" y="{hy + 4:.1f}" '
        f'text-anchor="{anchor}" font-size="14" font-weight="bold" fill="{TEXT}" '
        f'stroke="#FFFFFF" stroke-width="3" paint-order="stroke">You</text></g>'
    )


def mark_you(svg: str, x: float, y: float, extent: Sequence[float]) -> str:
    """A stored map (from :func:`opinion_map_svg`) with one person marked "You", drawn on top,
    and said in its description. The same mark as ``opinion_map_svg(highlight=...)``, without
    drawing the whole map again: a page can mark the reader on a map of 10,000 people."""
    if not svg.endswith("</svg>") or len(extent) != 2:
        raise ValueError("Not a map drawn by opinion_map_svg.")
    ex, ey = float(extent[0]), float(extent[1])
    if not (ex > 0 and ey > 0 and math.isfinite(float(x)) and math.isfinite(float(y))):
        raise ValueError("The map extent and the position must be finite numbers.")
    marked = svg[: -len("</svg>")] + you_mark(float(x), float(y), (ex, ey)) + "</svg>"
    return marked.replace("</desc>", f" {YOU_WORDS}</desc>", 1)


def describe(m: OpinionMap, group_names: Sequence[str] | None = None) -> str:
    """The map in words (also the SVG's <desc>)."""
    total = len(m.coords)
    if total == 0:
        return "Nobody has voted yet, so there is no map."
    parts = [f"Each mark is one person who voted: {_people(total)}."]
    if total > DOT_LIMIT:
        parts = [
            f"{_people(total)} voted. Each mark stands for the people of one group in one "
            "small area; bigger marks stand for more people."
        ]
    if m.k == 0:
        parts.append("There are not yet enough votes to find groups.")
    else:
        parts.append(f"People fall into {m.k} groups of similar views.")
        for g in m.groups:
            shape = SHAPE_NAMES[g.index % len(SHAPE_NAMES)]
            parts.append(
                f"{_group_label(g.index, group_names)}, {shape} marks: {_people(len(g.members))}."
            )
    ungrouped = total - len(m.membership)
    if ungrouped and m.k:
        parts.append(
            f"{_people(ungrouped)} not in a group yet (too few votes), hollow grey circles."
        )
    return " ".join(parts)


def _legend(
    m: OpinionMap, group_names: Sequence[str] | None, ids: str = "om"
) -> tuple[list[str], float]:
    """Legend under the plot (shape, letter, name and size of every group), and its bottom."""
    left, _, right, bottom = PLOT
    parts: list[str] = []
    y = bottom + 26
    x = left
    entries = [
        (
            f"{ids}-s{g.index % len(_SHAPES)}",
            COLOURS[g.index % len(COLOURS)],
            f"{_group_label(g.index, group_names)} ({_people(len(g.members))})",
        )
        for g in m.groups
    ]
    ungrouped = len(m.coords) - len(m.membership)
    if ungrouped:
        entries.append((f"{ids}-u", UNGROUPED, f"Not in a group yet ({_people(ungrouped)})"))
    for ref, colour, label in entries:
        width = 26 + 7.2 * len(label)
        if x + width > right and x > left:
            x = left
            y += 22
        paint = f'stroke="{colour}"' if ref == f"{ids}-u" else f'fill="{colour}"'
        parts.append(
            f'<use href="#{ref}" {paint} transform="translate({x + 6} {y - 5}) scale(1.4)"/>'
            f'<text x="{x + 16}" y="{y}" font-size="13" fill="{TEXT}">{escape(label)}</text>'
        )
        x += width + 14
    return parts, y + 12


def opinion_map_svg(
    m: OpinionMap,
    *,
    title: str,
    group_names: Sequence[str] | None = None,
    highlight: Hashable | None = None,
    id_prefix: str = "om",
) -> str:
    """The SVG text. ``id_prefix`` keeps element ids apart when a page has two maps."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,30}", id_prefix):
        raise ValueError("id_prefix must be a letter then letters, digits, - or _.")
    ids = id_prefix
    place = _scale(m)
    legend, legend_bottom = _legend(m, group_names, ids)
    height = max(HEIGHT, math.ceil(legend_bottom))
    out: list[str] = []
    w = out.append
    w(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{ids}-title {ids}-desc" '
        f'font-family="Frutiger W01, Arial, sans-serif">'
    )
    w(f'<title id="{ids}-title">{escape(title)}</title>')
    said = describe(m, group_names)
    if highlight is not None and highlight in m.coords:
        said = f"{said} {YOU_WORDS}"
    w(f'<desc id="{ids}-desc">{escape(said)}</desc>')
    w("<defs>")
    for i, shape in enumerate(_SHAPES):
        w(f'<g id="{ids}-s{i}">{shape}</g>')
    w(f'<circle id="{ids}-u" r="3" fill="none" stroke-width="1.2"/>')
    w("</defs>")
    left, top, right, bottom = PLOT
    w(
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
        f'fill="#FFFFFF" stroke="#D8DDE0"/>'
    )
    cx, cy = (left + right) / 2, (top + bottom) / 2
    w(
        f'<path d="M{left} {cy}H{right}M{cx} {top}V{bottom}" stroke="#E8EDEE" '
        f'stroke-dasharray="4 4"/>'
    )

    # Who goes where: participant -> (group or -1).
    binned = len(m.coords) > DOT_LIMIT
    layers: dict[int, list[tuple[float, float, int]]] = {}
    if binned:
        cols, rows = GRID
        cells: dict[tuple[int, int, int], list] = {}
        for p, (x, y) in m.coords.items():
            px, py = place(x, y)
            col = min(cols - 1, int((px - left) / (right - left) * cols))
            row = min(rows - 1, int((py - top) / (bottom - top) * rows))
            g = m.membership.get(p, -1)
            cell = cells.setdefault((g, col, row), [0, 0.0, 0.0])
            cell[0] += 1
            cell[1] += px
            cell[2] += py
        for (g, _, _), (n, sx, sy) in sorted(cells.items()):
            layers.setdefault(g, []).append((sx / n, sy / n, n))
    else:
        for p, (x, y) in m.coords.items():
            px, py = place(x, y)
            layers.setdefault(m.membership.get(p, -1), []).append((px, py, 1))

    def mark(ref: str, x: float, y: float, n: int) -> str:
        if n == 1:
            return f'<use href="#{ref}" x="{x:.1f}" y="{y:.1f}"/>'
        s = min(2.6, 0.55 + 0.35 * math.sqrt(n))
        return f'<use href="#{ref}" transform="translate({x:.1f} {y:.1f}) scale({s:.2f})"/>'

    if -1 in layers:
        w(f'<g stroke="{UNGROUPED}" fill-opacity="0">')
        w("".join(mark(f"{ids}-u", x, y, n) for x, y, n in layers[-1]))
        w("</g>")
    for g in range(m.k):
        colour = COLOURS[g % len(COLOURS)]
        w(f'<g fill="{colour}" fill-opacity="0.75" stroke="#FFFFFF" stroke-width="0.6">')
        w("".join(mark(f"{ids}-s{g % len(_SHAPES)}", x, y, n) for x, y, n in layers.get(g, [])))
        w("</g>")

    # Group letters at the middle of each group, on a white disc so they stay readable.
    for group in m.groups:
        pts = [place(*m.coords[p]) for p in group.members if p in m.coords]
        if not pts:
            continue
        gx = sum(p[0] for p in pts) / len(pts)
        gy = sum(p[1] for p in pts) / len(pts)
        letter = LETTERS[group.index] if group.index < len(LETTERS) else str(group.index + 1)
        colour = COLOURS[group.index % len(COLOURS)]
        w(
            f'<circle cx="{gx:.1f}" cy="{gy:.1f}" r="11" fill="#FFFFFF" stroke="{colour}" '
            f'stroke-width="2"/><text x="{gx:.1f}" y="{gy + 5:.1f}" text-anchor="middle" '
            f'font-size="14" font-weight="bold" fill="{TEXT}">{escape(letter)}</text>'
        )

    out.extend(legend)
    if highlight is not None and highlight in m.coords:
        w(you_mark(*m.coords[highlight], map_extent(m)))
    w("</svg>")
    return "".join(out)


__all__ = [
    "opinion_map_svg",
    "describe",
    "map_extent",
    "mark_you",
    "you_mark",
    "COLOURS",
    "SHAPE_NAMES",
    "DOT_LIMIT",
]

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


def _scale(m: OpinionMap):
    """A function from map coordinates to plot coordinates, fitting 98% of people; the rest
    are drawn at the edge."""
    left, top, right, bottom = PLOT
    cx, cy = (left + right) / 2, (top + bottom) / 2
    half_w, half_h = (right - left) / 2 - 8, (bottom - top) / 2 - 8
    if not m.coords:
        return lambda x, y: (cx, cy)
    xs = sorted(abs(x) for x, _ in m.coords.values())
    ys = sorted(abs(y) for _, y in m.coords.values())
    q = min(len(xs) - 1, int(0.98 * len(xs)))
    ex = xs[q] or max(xs) or 1.0
    ey = ys[q] or max(ys) or 1.0

    def place(x: float, y: float) -> tuple[float, float]:
        px = max(-1.0, min(1.0, x / ex))
        py = max(-1.0, min(1.0, y / ey))
        return cx + px * half_w, cy - py * half_h

    return place


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
    w(f'<desc id="{ids}-desc">{escape(describe(m, group_names))}</desc>')
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

    if highlight is not None and highlight in m.coords:
        hx, hy = place(*m.coords[highlight])
        tx = hx + 14 if hx < right - 50 else hx - 14
        anchor = "start" if hx < right - 50 else "end"
        w(
            f'<circle cx="{hx:.1f}" cy="{hy:.1f}" r="9" fill="none" stroke="{TEXT}" '
            f'stroke-width="2.5"/><text x="{tx:.1f}" y="{hy + 4:.1f}" text-anchor="{anchor}" '
            f'font-size="14" font-weight="bold" fill="{TEXT}" stroke="#FFFFFF" '
            f'stroke-width="3" paint-order="stroke">You</text>'
        )

    out.extend(legend)
    w("</svg>")
    return "".join(out)


__all__ = ["opinion_map_svg", "describe", "COLOURS", "SHAPE_NAMES", "DOT_LIMIT"]

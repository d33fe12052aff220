"""The server-drawn opinion map (conversations.algorithms.svg)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from nhs_citizen.conversations.algorithms.opinion import opinion_map
from nhs_citizen.conversations.algorithms.planted import planted_conversation
from nhs_citizen.conversations.algorithms.svg import (
    COLOURS,
    DOT_LIMIT,
    SHAPE_NAMES,
    describe,
    opinion_map_svg,
)

NS = {"s": "http://www.w3.org/2000/svg"}


def _contrast(hex_colour: str, against: str = "#FFFFFF") -> float:
    def luminance(h: str) -> float:
        rgb = [int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((luminance(hex_colour), luminance(against)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_accessible_svg_with_shapes_letters_and_you():
    c = planted_conversation(participants=150, statements=30, groups=3, missing=0.1, seed=2)
    few = [("new", 0, 1)]
    m = opinion_map(c.votes + few, c.statements)
    svg = opinion_map_svg(
        m,
        title="Evening GP appointments",
        group_names=["Wants more", "", "Happy as it is"],
        highlight=5,
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find("s:title", NS).text == "Evening GP appointments"
    desc = root.find("s:desc", NS).text
    sizes = [len(g.members) for g in m.groups]
    assert f"A: Wants more, circle marks: {sizes[0]} people." in desc
    assert f"Group B, square marks: {sizes[1]} people." in desc
    assert f"C: Happy as it is, triangle marks: {sizes[2]} people." in desc
    assert "1 person not in a group yet" in desc
    # One mark per participant, drawn with its group's shape.
    uses = re.findall(r'<use href="#om-(s\d|u)" x=', svg)
    assert len(uses) == len(m.coords)
    assert {u: uses.count(u) for u in set(uses)} == {
        "s0": sizes[0],
        "s1": sizes[1],
        "s2": sizes[2],
        "u": 1,
    }
    # Group letters and the legend are text, not colour alone.
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"A", "B", "C", "You"} <= set(texts)
    assert f"Group B ({sizes[1]} people)" in texts
    assert "Not in a group yet (1 person)" in texts


def test_group_colours_have_enough_contrast():
    for colour in COLOURS:
        assert _contrast(colour) >= 3.0
    assert len(SHAPE_NAMES) == len(COLOURS) == 5


def test_all_text_is_escaped():
    votes = [(p, s, 1 if p < 5 else -1) for p in range(10) for s in range(8)]
    m = opinion_map(votes)
    nasty = '<script>alert("x")</script> & co'
    svg = opinion_map_svg(m, title=nasty, group_names=[nasty, nasty])
    assert "<script>" not in svg
    root = ET.fromstring(svg)  # still well-formed XML
    assert root.find("s:title", NS).text == nasty
    assert nasty in root.find("s:desc", NS).text


def test_large_conversations_are_binned_and_stay_small():
    rng = np.random.default_rng(0)
    rows, cols, vals, _ = planted_conversation(
        participants=10_000, statements=100, groups=4, missing=0.8, seed=1, as_arrays=True
    )
    m = opinion_map(zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True))
    you = int(rng.choice(list(m.coords)))
    svg = opinion_map_svg(m, title="A big conversation", highlight=you)
    assert len(m.coords) > DOT_LIMIT
    assert len(svg.encode()) <= 200_000
    ET.fromstring(svg)
    assert svg.count("<use ") < 3000
    assert "bigger marks stand for more people" in describe(m)
    assert ">You</text>" in svg


def test_empty_and_ungrouped_maps():
    empty = opinion_map([])
    svg = opinion_map_svg(empty, title="Nothing yet")
    assert "Nobody has voted yet" in svg
    ET.fromstring(svg)
    one = opinion_map([("me", s, 1) for s in range(3)])
    svg = opinion_map_svg(one, title="Just me", highlight="me")
    assert "There are not yet enough votes to find groups." in svg
    assert ">You</text>" in svg
    assert opinion_map_svg(one, title="Not there", highlight="someone else").count("You") == 0


def test_two_maps_on_one_page_can_keep_their_ids_apart():
    m = opinion_map([(p, s, 1 if p < 5 else -1) for p in range(10) for s in range(8)])
    first = opinion_map_svg(m, title="One")
    second = opinion_map_svg(m, title="Two", id_prefix="pack-map")
    ids_first = set(re.findall(r'id="([^"]+)"', first))
    ids_second = set(re.findall(r'id="([^"]+)"', second))
    assert ids_first and ids_second and not ids_first & ids_second
    assert set(re.findall(r'href="#([^"]+)"', second)) <= ids_second
    assert 'aria-labelledby="pack-map-title pack-map-desc"' in second
    with pytest.raises(ValueError, match="id_prefix"):
        opinion_map_svg(m, title="Bad", id_prefix='x" onload="alert(1)')


def test_marking_you_on_a_stored_map_draws_the_same_mark_as_highlight():
    from nhs_citizen.conversations.algorithms.svg import map_extent, mark_you

    c = planted_conversation(participants=2000, statements=30, groups=3, seed=6)
    m = opinion_map(c.votes, c.statements)
    you = next(iter(m.coords))  # 2,000 people: a binned map
    drawn = opinion_map_svg(m, title="Map", highlight=you)
    stored = opinion_map_svg(m, title="Map")
    marked = mark_you(stored, *m.coords[you], map_extent(m))
    assert ET.fromstring(marked) is not None
    assert marked.count(">You</text>") == 1
    # The same ring in the same place, and the description says so, as highlight does.
    ring = re.search(r'<circle cx="[^"]+" cy="[^"]+" r="9"', drawn).group(0)
    assert ring in marked
    assert "A black ring marked You shows where you are." in marked
    assert "A black ring marked You" in drawn and "A black ring marked You" not in stored


@pytest.mark.parametrize(
    "svg, x, extent",
    [
        ("<svg></svg>", float("nan"), (1.0, 1.0)),
        ("<svg></svg>", 0.1, (0.0, 1.0)),
        ("<svg></svg>", 0.1, (1.0,)),
        ("not a map", 0.1, (1.0, 1.0)),
    ],
)
def test_marking_you_refuses_what_is_not_a_map_or_a_place(svg, x, extent):
    from nhs_citizen.conversations.algorithms.svg import mark_you

    with pytest.raises(ValueError):
        mark_you(svg, x, 0.2, extent)

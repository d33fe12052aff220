"""Draws the Easy Read pictograms into static/easyread/pictures: simple shapes, thick lines, NHS
blue and dark grey, made here (no copied artwork). Run from this folder:

    ../../.venv/bin/python draw_pictures.py
"""

import re
from pathlib import Path

OUT = Path("static/easyread/pictures")
B = "#005eb8"  # NHS blue
D = "#212b32"  # dark text grey
W = "#ffffff"
Y = "#ffb81c"  # warm yellow
G = "#007f3b"  # green
R = "#d5281b"  # red
S = f'stroke="{D}" stroke-width="4" stroke-linejoin="round" stroke-linecap="round"'


def head(x, y, r=9, fill=B):
    return f'<circle cx="{x}" cy="{y}" r="{r}" fill="{fill}" {S}/>'


def body(x, y, w=26, h=24, fill=B):
    return f'<path d="M{x - w / 2} {y + h} v-{h * 0.55} a{w / 2} {h * 0.45} 0 0 1 {w} 0 v{h * 0.55} z" fill="{fill}" {S}/>'


def person(x, y, s=1.0, fill=B):
    return head(x, y, 9 * s, fill) + body(x, y + 12 * s, 26 * s, 26 * s, fill)


P = {}
P["flag"] = (
    f'<path d="M28 88 V14" {S} fill="none" stroke-width="6"/><path d="M30 16 H78 L66 32 L78 48 H30 z" fill="{B}" {S}/>'
)
P["raise-flag"] = (
    person(30, 40)
    + f'<path d="M62 90 V20" {S} fill="none" stroke-width="5"/><path d="M64 22 H90 L82 32 L90 42 H64 z" fill="{B}" {S}/><path d="M43 56 L60 40" {S} fill="none" stroke-width="5"/>'
)
P["person"] = head(50, 30, 14) + body(50, 48, 44, 42)
P["people"] = person(28, 34, 0.9, W) + person(72, 34, 0.9, W) + person(50, 44, 1.05)
P["speech"] = (
    f'<path d="M14 20 H86 V64 H44 L26 82 V64 H14 z" fill="{W}" {S}/><path d="M28 36 H72 M28 50 H60" {S} fill="none"/>'
)
P["listen"] = (
    f'<path d="M38 84 C26 84 28 68 36 62 C44 56 56 52 56 36 A20 20 0 0 0 18 36" fill="none" {S} stroke-width="6"/><path d="M40 40 A6 6 0 0 1 50 44" fill="none" {S}/><path d="M70 30 Q80 44 70 58 M80 22 Q94 44 80 66" fill="none" stroke="{B}" stroke-width="5" stroke-linecap="round"/>'
)
P["computer"] = (
    f'<rect x="14" y="16" width="72" height="50" rx="4" fill="{W}" {S}/><rect x="22" y="24" width="56" height="34" fill="{B}"/><path d="M40 66 L36 82 H64 L60 66 M30 84 H70" fill="none" {S}/>'
)
P["paper"] = (
    f'<path d="M24 10 H64 L80 26 V90 H24 z" fill="{W}" {S}/><path d="M64 10 V26 H80" fill="none" {S}/><path d="M34 40 H70 M34 52 H70 M34 64 H70 M34 76 H56" fill="none" stroke="{B}" stroke-width="4" stroke-linecap="round"/>'
)
P["pen"] = (
    P["paper"].replace("M34 76 H56", "M34 76 H46")
    + f'<path d="M58 86 L88 44 L96 50 L66 92 L56 94 z" fill="{Y}" {S}/>'
)
P["lock"] = (
    f'<path d="M32 46 V32 A18 18 0 0 1 68 32 V46" fill="none" {S} stroke-width="7"/><rect x="22" y="46" width="56" height="42" rx="5" fill="{B}" {S}/><circle cx="50" cy="62" r="5" fill="{W}"/><path d="M50 64 V74" stroke="{W}" stroke-width="5" stroke-linecap="round"/>'
)
P["envelope"] = (
    f'<rect x="12" y="24" width="76" height="52" rx="3" fill="{W}" {S}/><path d="M12 26 L50 56 L88 26" fill="none" {S}/>'
)
P["eye"] = (
    f'<path d="M8 50 Q50 8 92 50 Q50 92 8 50 z" fill="{W}" {S}/><circle cx="50" cy="50" r="15" fill="{B}" {S}/><circle cx="50" cy="50" r="5" fill="{D}"/>'
)
P["vote"] = (
    f'<rect x="16" y="46" width="68" height="42" rx="3" fill="{B}" {S}/><path d="M36 56 H64" stroke="{D}" stroke-width="6" stroke-linecap="round"/><path d="M32 14 H66 V54 H32 z" fill="{W}" {S}/><path d="M40 34 L47 42 L60 24" fill="none" stroke="{G}" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/>'
)
P["calendar"] = (
    f'<rect x="14" y="20" width="72" height="66" rx="4" fill="{W}" {S}/><rect x="14" y="20" width="72" height="18" fill="{B}" {S}/><path d="M32 12 V28 M68 12 V28" {S} fill="none" stroke-width="6"/>'
    + "".join(
        f'<rect x="{24 + c * 18}" y="{46 + r * 14}" width="10" height="8" fill="{D}"/>'
        for r in range(3)
        for c in range(3)
    )
)
P["tick"] = (
    f'<circle cx="50" cy="50" r="38" fill="{G}" {S}/><path d="M32 52 L45 65 L70 36" fill="none" stroke="{W}" stroke-width="9" stroke-linecap="round" stroke-linejoin="round"/>'
)
P["cross"] = (
    f'<circle cx="50" cy="50" r="38" fill="{R}" {S}/><path d="M35 35 L65 65 M65 35 L35 65" stroke="{W}" stroke-width="9" stroke-linecap="round"/>'
)
P["hospital"] = (
    f'<path d="M16 88 V34 L50 14 L84 34 V88 z" fill="{W}" {S}/><rect x="38" y="36" width="24" height="24" fill="{B}"/><path d="M50 40 V56 M42 48 H58" stroke="{W}" stroke-width="6" stroke-linecap="round"/><rect x="42" y="68" width="16" height="20" fill="{B}" {S}/>'
)
P["meeting"] = (
    f'<ellipse cx="50" cy="66" rx="36" ry="12" fill="{Y}" {S}/>'
    + person(22, 30, 0.8)
    + person(50, 22, 0.8)
    + person(78, 30, 0.8)
)
P["lottery"] = (
    f'<path d="M18 40 H82 L74 88 H26 z" fill="{B}" {S}/>'
    + "".join(
        f'<circle cx="{x}" cy="{y}" r="9" fill="{c}" {S}/>'
        for x, y, c in ((36, 32, W), (56, 26, Y), (72, 36, W))
    )
    + f'<circle cx="50" cy="60" r="9" fill="{W}" {S}/>'
)
P["chart"] = (
    f'<path d="M14 12 V86 H90" fill="none" {S} stroke-width="5"/><rect x="24" y="54" width="14" height="30" fill="{B}" {S}/><rect x="46" y="38" width="14" height="46" fill="{B}" {S}/><rect x="68" y="22" width="14" height="62" fill="{B}" {S}/>'
)
P["clock"] = (
    f'<circle cx="50" cy="50" r="38" fill="{W}" {S}/><path d="M50 26 V50 L66 60" fill="none" {S} stroke-width="6"/>'
)
P["late"] = (
    f'<circle cx="50" cy="50" r="38" fill="{W}" stroke="{R}" stroke-width="8"/><path d="M50 26 V50 L66 60" fill="none" {S} stroke-width="6"/><circle cx="78" cy="20" r="12" fill="{R}"/><path d="M78 13 V21 M78 26 V27" stroke="{W}" stroke-width="4" stroke-linecap="round"/>'
)
P["home"] = (
    f'<path d="M12 50 L50 16 L88 50" fill="none" {S} stroke-width="6"/><path d="M22 44 V86 H78 V44" fill="{W}" {S}/><rect x="42" y="60" width="16" height="26" fill="{B}" {S}/>'
)
P["place"] = (
    f'<path d="M50 90 C30 62 22 50 22 38 A28 28 0 0 1 78 38 C78 50 70 62 50 90 z" fill="{B}" {S}/><circle cx="50" cy="38" r="10" fill="{W}" {S}/>'
)
P["question"] = (
    f'<circle cx="50" cy="50" r="38" fill="{B}" {S}/><path d="M38 38 A12 12 0 1 1 54 50 Q50 52 50 60" fill="none" stroke="{W}" stroke-width="7" stroke-linecap="round"/><circle cx="50" cy="72" r="4.5" fill="{W}"/>'
)
P["bin"] = (
    f'<path d="M22 28 H78 M40 28 V18 H60 V28" fill="none" {S} stroke-width="5"/><path d="M28 28 L32 88 H68 L72 28" fill="{W}" {S}/><path d="M42 40 V76 M58 40 V76" {S} fill="none"/>'
)
P["download"] = (
    f'<path d="M50 12 V58 M32 42 L50 60 L68 42" fill="none" stroke="{B}" stroke-width="8" stroke-linecap="round" stroke-linejoin="round"/><path d="M16 64 V84 H84 V64" fill="none" {S} stroke-width="6"/>'
)
P["support"] = (
    f'<path d="M30 88 V48 L46 14 C56 14 58 22 56 30 L52 44 H80 C88 44 90 52 86 58 L78 84 C76 88 72 88 68 88 z" fill="{Y}" {S}/><rect x="12" y="46" width="18" height="44" fill="{B}" {S}/>'
)
P["list"] = "".join(
    f'<rect x="14" y="{14 + i * 26}" width="14" height="14" fill="{B}" {S}/><path d="M38 {21 + i * 26} H88" {S} fill="none" stroke-width="5"/>'
    for i in range(3)
)
P["search"] = (
    f'<circle cx="42" cy="42" r="24" fill="{W}" {S} stroke-width="6"/><path d="M60 60 L86 86" {S} stroke-width="10" fill="none"/>'
)
P["phone"] = (
    f'<rect x="30" y="8" width="40" height="84" rx="7" fill="{D}"/><rect x="35" y="18" width="30" height="56" fill="{W}"/><circle cx="50" cy="82" r="4" fill="{W}"/>'
)
P["letter"] = P["envelope"] + f'<rect x="56" y="54" width="26" height="18" fill="{B}"/>'
P["shield"] = (
    f'<path d="M50 10 L84 22 V48 C84 70 68 84 50 92 C32 84 16 70 16 48 V22 z" fill="{B}" {S}/><path d="M34 50 L46 62 L68 38" fill="none" stroke="{W}" stroke-width="8" stroke-linecap="round" stroke-linejoin="round"/>'
)
P["handshake"] = (
    f'<path d="M8 44 L30 30 L50 38 L70 30 L92 44 L76 66 L56 80 L48 74 L40 80 L24 66 z" fill="{Y}" {S}/><path d="M38 48 L52 60 M46 44 L60 56" {S} fill="none"/>'
)
P["change"] = (
    f'<path d="M20 44 A32 32 0 0 1 76 30" fill="none" stroke="{B}" stroke-width="8" stroke-linecap="round"/><path d="M64 22 L80 28 L74 44" fill="none" stroke="{B}" stroke-width="8" stroke-linecap="round" stroke-linejoin="round"/><path d="M80 56 A32 32 0 0 1 24 70" fill="none" stroke="{G}" stroke-width="8" stroke-linecap="round"/><path d="M36 78 L20 72 L26 56" fill="none" stroke="{G}" stroke-width="8" stroke-linecap="round" stroke-linejoin="round"/>'
)
P["promise"] = (
    f'<path d="M24 10 H76 V90 H24 z" fill="{W}" {S}/><path d="M34 30 H66 M34 44 H66" stroke="{B}" stroke-width="4" stroke-linecap="round"/><path d="M34 70 Q42 58 48 70 T62 70" fill="none" {S}/><circle cx="66" cy="76" r="9" fill="{R}" {S}/>'
)
P["star"] = (
    f'<path d="M50 10 L61 37 L90 39 L68 58 L75 87 L50 71 L25 87 L32 58 L10 39 L39 37 z" fill="{Y}" {S}/>'
)
P["easy-read"] = (
    f'<path d="M50 26 C38 18 22 16 10 18 V80 C22 78 38 80 50 88 C62 80 78 78 90 80 V18 C78 16 62 18 50 26 z" fill="{W}" {S}/><path d="M50 26 V88" {S} fill="none"/><circle cx="30" cy="44" r="8" fill="{B}"/><path d="M60 40 H80 M60 52 H80 M20 64 H40" stroke="{B}" stroke-width="4" stroke-linecap="round"/>'
)
P["printer"] = (
    f'<rect x="28" y="10" width="44" height="26" fill="{W}" {S}/><rect x="10" y="34" width="80" height="36" rx="5" fill="{B}" {S}/><rect x="28" y="56" width="44" height="34" fill="{W}" {S}/><path d="M36 68 H64 M36 78 H56" {S} fill="none"/>'
)


def _one_width(art: str) -> str:
    """An element given S and its own stroke-width keeps only its own (XML allows one)."""
    return re.sub(r'( stroke-width="4")([^>]*? stroke-width="[\d.]+")', r"\2", art)


for name, art in P.items():
    art = _one_width(art)
    (OUT / f"{name}.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100" aria-hidden="true" focusable="false">{art}</svg>\n'
    )
print(len(P), "pictures")

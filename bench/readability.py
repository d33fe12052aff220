"""Benchmark: the reading level of every public page and every e-mail, against the target.

NHS Citizen's words should be readable at a reading age of 11 (Flesch-Kincaid grade 6 or
below, the NHS "How we write" guide asks for 9 to 11), and its Easy Read pages lower still. This
measures, in one run:

- every page a visitor can open (every named URL in the URL conf, with its address parts from
  nhs_citizen/tests/every_page.py), rendered by Django's test client against a database holding
  the demo data and the every-page world: the text of the page's <main> element only (no header,
  navigation or footer);
- every e-mail: our notification e-mail (text part) for each kind of message the seeded data
  produced, and each allauth account e-mail (its subject and text body), rendered with sample
  context.

The target is for NHS Citizen's own words. What people wrote themselves (flags, comments, quoted
Discover statements: elements marked app-user-text, app-statement__text or blockquote) is shown
as they wrote it; it is measured with the page and reported beside it, but not held to the target.

For each it gives the Flesch-Kincaid grade and the Flesch reading ease (textstat), prints the
worst 20 pages, the Easy Read pages, the e-mails, and how many are over the target, and writes
the figures to bench/results/readability.txt and bench/results/readability.json.

    .venv/bin/python bench/readability.py [--target 6] [--easy-read-target 4] [--no-demo]

Headings, list items, table cells and other blocks count as sentences of their own (a full stop
is added where a block has none), as a reader takes them; so does each fact in a line of details
separated by middle dots. Web addresses, codes (commands, file names, hashes) and text shown
only on paper are left out. Pages with fewer than MIN_WORDS words are
listed but not held to the target: a grade from a dozen words says little.

Runs against a fresh temporary SQLite database. Exits 1 if any public page is over the target,
so it can guard the wording.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

MIN_WORDS = 30

# Blocks that a reader takes as one unit: each ends a sentence.
BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "dt",
    "dd",
    "caption",
    "legend",
    "label",
    "summary",
    "figcaption",
    "blockquote",
    "pre",
    "div",
    "tr",
    "button",
    "option",
    "section",
    "article",
    "ul",
    "ol",
    "dl",
    "table",
    "form",
    "fieldset",
    "br",
}
SKIP = {"script", "style", "template", "noscript", "svg"}


# What people wrote themselves (flags, comments, quoted statements): shown as they wrote it, so
# measured with the page but not held to the target, which is for our own words.
PEOPLES_WORDS = ("app-user-text", "app-statement__text")


class MainText(HTMLParser):
    """The words inside <main>, block by block: all of them, and ours alone (without what
    people wrote themselves)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <main> when > 0
        self.skipping = 0
        # An element left out with everything inside it: (tag, depth of that tag), or None.
        self.hidden: list | None = None  # shown only on paper: left out of both
        self.theirs: list | None = None  # people's own words: left out of ours
        self.blocks: list[str] = []
        self.our_blocks: list[str] = []
        self.current: list[str] = []
        self.ours: list[str] = []

    def _end_block(self) -> None:
        for parts, blocks in ((self.current, self.blocks), (self.ours, self.our_blocks)):
            text = re.sub(r"\s+", " ", "".join(parts)).strip()
            if text:
                blocks.append(text)
        self.current, self.ours = [], []

    @staticmethod
    def _enter(subtree: list | None, tag: str) -> None:
        if subtree is not None and tag == subtree[0]:
            subtree[1] += 1

    @staticmethod
    def _leave(subtree: list | None, tag: str) -> list | None:
        if subtree is not None and tag == subtree[0]:
            subtree[1] -= 1
            if not subtree[1]:
                return None
        return subtree

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
            return
        if not self.depth:
            return
        self._enter(self.hidden, tag)
        self._enter(self.theirs, tag)
        classes = (dict(attrs).get("class") or "").split()
        if self.hidden is None and (
            tag == "code" or "app-print-only" in classes or "app-audit-hash" in classes
        ):
            self.hidden = [tag, 1]
        if self.theirs is None and (tag == "blockquote" or set(classes) & set(PEOPLES_WORDS)):
            self.theirs = [tag, 1]
        if tag in SKIP:
            self.skipping += 1
        elif tag in BLOCKS:
            self._end_block()
        # Alt text is left out: Easy Read pictures sit beside the words they show, and the
        # words are the text to measure.

    def handle_endtag(self, tag):
        if tag == "main" and self.depth:
            self._end_block()
            self.depth -= 1
            return
        if not self.depth:
            return
        self.hidden = self._leave(self.hidden, tag)
        self.theirs = self._leave(self.theirs, tag)
        if tag in SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self._end_block()

    def handle_data(self, data):
        if self.depth and not self.skipping and self.hidden is None:
            self.current.append(data)
            if self.theirs is None:
                self.ours.append(data)


def sentences(blocks: list[str]) -> str:
    """One text, each block ending as a sentence. A middle dot separates the facts in a line
    of details (a date · a place · a topic): each counts as a sentence of its own. Web
    addresses are not words to read and are left out."""
    out = []
    parts = []
    for block in blocks:
        block = re.sub(r"https?://\S+", "", block)
        parts += block.split(" · ")
    for block in parts:
        block = block.strip()
        if not re.search(r"[A-Za-z0-9]", block):
            continue
        # A block ends a sentence: one that leads into a list ("you can:") or greets ("Hello
        # Sam,") too.
        block = block.rstrip(":,;")
        out.append(block if block[-1] in ".!?" else block + ".")
    return " ".join(out)


def main_text(html: str) -> tuple[str, str]:
    """All the words of the page's <main>, and our words alone."""
    parser = MainText()
    parser.feed(html)
    parser.close()
    return sentences(parser.blocks), sentences(parser.our_blocks)


def email_text(text: str) -> str:
    """A plain-text e-mail: each non-empty line is a block; bare web addresses are dropped."""
    return sentences([line for line in text.splitlines() if line.strip()])


@dataclass
class Score:
    kind: str  # page, easy_read, email
    name: str
    address: str
    words: int  # our words (the whole text for e-mails)
    sentences: int
    grade: float  # Flesch-Kincaid grade of our words: what the target is for
    ease: float  # Flesch reading ease of our words
    grade_with_theirs: float  # the whole of <main>, with what people wrote themselves
    words_with_theirs: int

    @property
    def held_to_target(self) -> bool:
        return self.words >= MIN_WORDS


def _syllables_by_hyphenation() -> None:
    """Count syllables with Pyphen's hyphenation dictionary (shipped with the package), as
    textstat did up to 0.7.3, instead of the CMU pronouncing dictionary, which textstat would
    fetch from the internet at run time. Same counts on every machine, nothing downloaded."""
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = lambda lang: None


def _grade(text: str) -> tuple[float, float]:
    import textstat

    if not text:
        return 0.0, 0.0
    return (
        round(textstat.flesch_kincaid_grade(text), 1),
        round(textstat.flesch_reading_ease(text), 1),
    )


def score(kind: str, name: str, address: str, text: str, ours: str | None = None) -> Score:
    """``text`` is everything a reader reads; ``ours`` the part written by NHS Citizen."""
    import textstat

    ours = text if ours is None else ours
    grade, ease = _grade(ours)
    return Score(
        kind=kind,
        name=name,
        address=address,
        words=textstat.lexicon_count(ours),
        sentences=textstat.sentence_count(ours) if ours else 0,
        grade=grade,
        ease=ease,
        grade_with_theirs=_grade(text)[0],
        words_with_theirs=textstat.lexicon_count(text),
    )


def setup_database(demo: bool):
    """A throwaway database with the demo data and the every-page world; returns the world."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    if demo:
        from nhs_citizen.nonprod.seed import seed_demo_data

        started = time.perf_counter()
        seed_demo_data()
        print(f"Demo data loaded in {time.perf_counter() - started:.0f} s")
    from nhs_citizen.tests import every_page

    # The world's titles carry one long unbroken word to test wrapping; here titles should read
    # like people's own, so the long word becomes an ordinary one.
    every_page.LONG_WORD = "parking"
    return every_page.build_world()


def public_pages(world) -> list[tuple[str, str, str]]:
    """(URL name, address, HTML) of every page a visitor can open."""
    from django.test import Client

    from nhs_citizen.tests.every_page import addresses

    client = Client()
    found = []
    for name, address in addresses(world):
        response = client.get(address)
        if response.status_code != 200:
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        if getattr(response, "streaming", False):
            continue
        found.append((name, address, response.content.decode()))
    return found


ALLAUTH_EMAILS = [
    "account/email/account_already_exists",
    "account/email/email_changed",
    "account/email/email_confirm",
    "account/email/email_confirmation",
    "account/email/email_confirmation_signup",
    "account/email/email_deleted",
    "account/email/login_code",
    "account/email/password_changed",
    "account/email/password_reset",
    "account/email/password_reset_code",
    "account/email/password_reset_key",
    "account/email/password_set",
    "account/email/unknown_account",
    "mfa/email/recovery_codes_generated",
    "mfa/email/totp_activated",
    "mfa/email/totp_deactivated",
    "mfa/email/webauthn_added",
    "mfa/email/webauthn_removed",
]


def emails(world) -> list[tuple[str, str, str]]:
    """(name, template, plain text) of every e-mail, with sample or seeded context."""
    from django.conf import settings
    from django.contrib.sites.models import Site
    from django.template.loader import render_to_string

    from nhs_citizen.notifications.emails import build_email
    from nhs_citizen.notifications.models import Notification

    found = []
    # Our notification e-mail, once for each kind of message the seeded data produced (the
    # newest of each subject), as the person it went to would get it.
    seen = set()
    for notification in Notification.objects.select_related("user").order_by("-pk"):
        subject = re.sub(r"\d+", "N", notification.subject)
        if subject in seen:
            continue
        seen.add(subject)
        message = build_email(
            user=notification.user,
            subject=notification.subject,
            heading=notification.subject,
            intro="",
            notifications=[notification],
        )
        found.append(
            (f"notification: {notification.subject}", "notifications/email.txt", message.body)
        )
    # allauth's account e-mails, with sample context.
    user = world.people["citizen"]
    context = {
        "user": user,
        "email": user.email,
        "current_site": Site.objects.get_current(),
        "activate_url": f"{settings.SITE_URL}/accounts/confirm-email/KEY/",
        "password_reset_url": f"{settings.SITE_URL}/accounts/password/reset/key/KEY/",
        "key": "KEY",
        "code": "QX7-4KP",
        "signup_url": f"{settings.SITE_URL}/accounts/signup/",
        "password_reset_code": "QX7-4KP",
        "from_email": "old@example.com",
        "to_email": user.email,
        "deleted_email": "old@example.com",
        "timestamp": "4 December 2026",
        "ip": "203.0.113.7",
        "user_agent": "Firefox",
    }
    for prefix in ALLAUTH_EMAILS:
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        body = render_to_string(f"{prefix}_message.txt", context)
        found.append((f"account: {subject}", f"{prefix}_message.txt", subject + "\n" + body))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", type=float, default=6.0, help="Flesch-Kincaid grade")
    parser.add_argument("--easy-read-target", type=float, default=4.0)
    parser.add_argument("--no-demo", action="store_true", help="only the every-page world")
    parser.add_argument("--dump", type=Path, help="also write each text measured to this folder")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="nhs-citizen-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhs_citizen.config.settings")
    os.environ["NHS_CITIZEN_ENV"] = "test"
    os.environ["DATA_DIR"] = tmp
    os.environ["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    import django

    django.setup()
    # Pages a visitor may not open answer 403 or 404: expected here, not worth a traceback.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    _syllables_by_hyphenation()
    started = time.perf_counter()
    world = setup_database(demo=not args.no_demo)

    scores: list[Score] = []
    texts: dict[str, str] = {}
    for name, address, html in public_pages(world):
        kind = "easy_read" if name.startswith("easyread:") and "paper" not in name else "page"
        everything, ours = main_text(html)
        texts[name] = everything
        scores.append(score(kind, name, address, everything, ours))
    for name, template, text in emails(world):
        texts[name] = email_text(text)
        scores.append(score("email", name, template, texts[name]))
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:80]
            (args.dump / f"{safe}.txt").write_text(text.replace(". ", ".\n") + "\n")
    took = time.perf_counter() - started

    report = summarise(scores, args.target, args.easy_read_target, took, not args.no_demo)
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "readability.txt").write_text(report + "\n")
    pages = [s for s in scores if s.kind == "page"]
    (RESULTS / "readability.json").write_text(
        json.dumps(
            {
                "command": "bench/readability.py" + ("" if not args.no_demo else " --no-demo"),
                "target_grade": args.target,
                "easy_read_target_grade": args.easy_read_target,
                "min_words": MIN_WORDS,
                "summary": _summary(scores, args.target, args.easy_read_target),
                "pages": [asdict(s) for s in sorted(pages, key=lambda s: -s.grade)],
                "easy_read": [asdict(s) for s in scores if s.kind == "easy_read"],
                "emails": [asdict(s) for s in scores if s.kind == "email"],
            },
            indent=2,
        )
        + "\n"
    )
    over = [s for s in pages if s.held_to_target and s.grade > args.target]
    sys.exit(1 if over else 0)


def _summary(scores: list[Score], target: float, easy_target: float) -> dict:
    out = {}
    for kind, limit in (("page", target), ("easy_read", easy_target), ("email", target)):
        group = [s for s in scores if s.kind == kind]
        held = [s for s in group if s.held_to_target]
        out[kind] = {
            "count": len(group),
            "held_to_target": len(held),
            "over_target": len([s for s in held if s.grade > limit]),
            "worst_grade": max((s.grade for s in held), default=None),
            "median_grade": statistics.median([s.grade for s in held]) if held else None,
            "median_ease": statistics.median([s.ease for s in held]) if held else None,
        }
    return out


def _line(s: Score, limit: float) -> str:
    verdict = "short" if not s.held_to_target else ("OVER" if s.grade > limit else "ok")
    theirs = (
        f"{s.grade_with_theirs:5.1f} {s.words_with_theirs:6d}"
        if s.words_with_theirs != s.words
        else f"{'':5} {'':6}"
    )
    return (
        f"{s.grade:6.1f} {s.ease:6.1f} {s.words:6d}  {theirs}  {verdict:5}  {s.name}  {s.address}"
    )


def summarise(scores, target, easy_target, took, demo) -> str:
    pages = sorted((s for s in scores if s.kind == "page"), key=lambda s: -s.grade)
    easy = sorted((s for s in scores if s.kind == "easy_read"), key=lambda s: -s.grade)
    mails = sorted((s for s in scores if s.kind == "email"), key=lambda s: -s.grade)
    summary = _summary(scores, target, easy_target)
    header = "  grade   ease  words  +their grade, words  check  page"
    out = [
        "Reading level of NHS Citizen's public pages and e-mails (textstat "
        f"Flesch-Kincaid grade and Flesch reading ease), {'demo data and ' if demo else ''}"
        f"the every-page world, in {took:.0f} s.",
        f"Target: grade {target:g} or below (reading age 11); Easy Read {easy_target:g} or below. "
        f"Pages under {MIN_WORDS} words are listed as short and not held to the target.",
        "The target is for our words: what people wrote themselves (flags, comments, quoted "
        "statements) is left out of grade, ease and words, and shown with them in "
        '"+their grade, words" where a page has any.',
        "",
    ]
    for kind, title, limit in (
        ("page", "Public pages", target),
        ("easy_read", "Easy Read pages", easy_target),
        ("email", "E-mails", target),
    ):
        s = summary[kind]
        out.append(
            f"{title}: {s['count']} measured, {s['held_to_target']} held to the target, "
            f"{s['over_target']} over grade {limit:g}; worst {s['worst_grade']}, "
            f"median grade {s['median_grade']}, median ease {s['median_ease']}."
        )
    out += ["", "The worst 20 public pages:", header]
    out += [_line(s, target) for s in pages[:20]]
    out += ["", "Easy Read pages:", header]
    out += [_line(s, easy_target) for s in easy]
    out += ["", "E-mails:", header.replace("page", "e-mail")]
    out += [_line(s, target) for s in mails]
    return "\n".join(out)


if __name__ == "__main__":
    main()

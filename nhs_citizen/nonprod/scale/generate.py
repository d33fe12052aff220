"""Scale data: realistic, related rows at a chosen size, loaded fast (see ``generate``).

At ``scale=1.0``: 100,000 citizen accounts, 100,000 flags at every status, 1,000,000 supports
(one flag with 50,000), 200,000 comments, 20,000 referrals with their answers, 50,000
commitments with 150,000 updates, 200,000 Discover statements in 300 topics, 4 past Assembly
cycles and 1,000,000 audit entries on a valid hash chain. Every count is multiplied by
``scale``, with small minimums so that a tiny data set still has one of everything.

Accounts: ``voter{N}@scale.nhs-citizen.test`` (N from 1), all sharing ONE password hash of
``Scale-password-2026`` made once with Django's configured hasher; 70% have a verified e-mail
address. Staff (``curator1@…``, ``reviewer1@…``, ``moderator1@…``, ``secretariat1@…``,
``board1@…``) and responders (``responder{N}@…``) share the same hash; they would still need
two-step verification to act.

What is not filled: flag similarity (another job), item embeddings in Discover (statements have
topics but no vectors), notifications, panels, calls for views, moderation reports.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils.text import slugify

from nhs_citizen.core import audit_chain
from nhs_citizen.core.dates import when_words
from nhs_citizen.nonprod.scale import texts
from nhs_citizen.nonprod.scale.loader import Loader, TableTiming

SCALE_DOMAIN = "scale.nhs-citizen.test"
SCALE_PASSWORD = "Scale-password-2026"
DEMO_DOMAIN = "demo.nhs-citizen.test"
UTC = dt.UTC
DIMENSIONS = 384

# Counts at scale 1.0 and the smallest number kept at any scale.
BASE: dict[str, tuple[int, int]] = {
    "accounts": (100_000, 40),
    "flags": (100_000, 30),
    "supports": (1_000_000, 60),
    "hot_supporters": (50_000, 12),
    "comments": (200_000, 20),
    "referrals": (20_000, 6),
    "commitments": (50_000, 6),
    "updates": (150_000, 12),
    "items": (200_000, 20),
    "discover_topics": (300, 3),
    "entries_per_cycle": (100, 2),
    "ballots_per_cycle": (30_000, 6),
    "audit": (1_000_000, 60),
    "trusts": (200, 2),
    "councils": (90, 1),
    "healthwatch": (90, 1),
    "charities": (100, 1),
    "sources": (60, 2),
    "stories": (2_000, 3),
}
CYCLES = 4
STAFF = {
    "curator": 3,
    "reviewer": 3,
    "moderator": 2,
    "secretariat": 2,
    "board_member": 2,
}
STAFF_KEYS = {"board_member": "board", "review_panel": "reviewer"}
VERIFIED_SHARE = 0.7
SUPPORT_THRESHOLD_FALLBACK = 100
WIPE_APPS = {
    "accounts",
    "account",
    "mfa",
    "usersessions",
    "gather",
    "moderation",
    "panels",
    "assembly",
    "meetings",
    "tracker",
    "culture",
    "discover",
    "notifications",
}
KEEP_CORE = {"region", "icb", "topic", "organisation"}


class ScaleError(Exception):
    """The data cannot be generated here; the message says why and what to do."""


def counts_for(scale: float) -> dict[str, int]:
    if not scale > 0:
        raise ScaleError("The scale must be a number above 0, for example 1 or 0.001.")
    return {name: max(minimum, round(base * scale)) for name, (base, minimum) in BASE.items()}


@dataclass
class Result:
    counts: dict[str, int]
    timings: dict[str, tuple[int, float]]
    steps: dict[str, float]
    seconds: float
    audit_head: tuple[int, str] = (0, audit_chain.GENESIS_HASH)
    notes: list[str] = field(default_factory=list)


def scale_data_exists() -> bool:
    from nhs_citizen.accounts.models import User

    return User.objects.filter(email__endswith=f"@{SCALE_DOMAIN}").exists()


def real_data_exists() -> bool:
    from nhs_citizen.accounts.models import User

    return (
        User.objects.exclude(email__endswith=f"@{SCALE_DOMAIN}")
        .exclude(email__endswith=f"@{DEMO_DOMAIN}")
        .exists()
    )


def wipe() -> None:
    """Remove everything but reference data (scale and demo data alike)."""
    from nhs_citizen.core.models import Organisation

    doomed = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in WIPE_APPS
        or (m._meta.app_label == "core" and m._meta.model_name not in KEEP_CORE)
    ]
    tables = sorted({m._meta.db_table for m in doomed if m._meta.managed})
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tables with checks still waiting (earlier in this transaction) cannot be emptied.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(
                "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
            )
        else:
            for table in tables:
                cursor.execute(f'DELETE FROM "{table}"')
    Organisation.objects.filter(is_reference=False).delete()


def generate(
    scale: float = 1.0,
    seed: int = 0,
    *,
    fresh: bool = False,
    force: bool = False,
    sizes: dict[str, int] | None = None,
    log: Callable[[str], None] | None = None,
) -> Result:
    """Fill the database with scale data; returns counts and time per table.

    ``sizes`` sets some counts exactly (names as in ``BASE``), for example
    ``generate(scale=0.0005, sizes={"flags": 40, "audit": 100})``; every status needs about
    25 flags or more.

    Refuses (ScaleError) when scale data is already there (unless ``fresh``, which first
    removes every non-reference row, demo data included) or when the database holds accounts
    that are neither demo nor scale accounts (unless ``force``).
    """
    from django.conf import settings

    if getattr(settings, "PRODUCTION", False):
        raise ScaleError("Scale data is never loaded in production.")
    counts = counts_for(scale)
    unknown = set(sizes or {}) - set(counts)
    if unknown:
        raise ScaleError(f"Unknown sizes: {', '.join(sorted(unknown))}. Known: {', '.join(BASE)}.")
    counts.update({name: max(int(value), 1) for name, value in (sizes or {}).items()})
    started = time.perf_counter()
    steps: dict[str, float] = {}
    if real_data_exists() and not force:
        raise ScaleError(
            "This database has accounts that are not demo or scale accounts, so it may hold "
            "real data. Nothing was changed. Use --force only if you are sure."
        )
    with transaction.atomic():
        if scale_data_exists():
            if not fresh:
                raise ScaleError(
                    "This database already has scale data. Nothing was changed. Run again with "
                    "--fresh to remove it (and any demo data) and load it again."
                )
            t = time.perf_counter()
            wipe()
            steps["wipe"] = time.perf_counter() - t
        elif fresh:
            wipe()
        builder = _Builder(counts, seed, log or (lambda message: None))
        builder.run(steps)
        loader = builder.loader
        loader.reset_sequences()
    t = time.perf_counter()
    steps["analyze"] = loader.analyze()
    timings = {name: (t.rows, t.seconds) for name, t in loader.timings.items()}
    return Result(
        counts=builder.made,
        timings=timings,
        steps=steps,
        seconds=time.perf_counter() - started,
        audit_head=builder.audit_head,
        notes=builder.notes,
    )


def _spread(total: int, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split total into len(weights) whole numbers, in proportion to weights."""
    if total <= 0 or len(weights) == 0:
        return np.zeros(len(weights), dtype=np.int64)
    p = weights / weights.sum()
    return rng.multinomial(total, p).astype(np.int64)


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


class _Builder:
    def __init__(self, counts: dict[str, int], seed: int, log: Callable[[str], None]):
        self.n = counts
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.log = log
        self.loader = Loader()
        today = dt.date.today()
        self.now = dt.datetime(today.year, today.month, today.day, 6, 0, tzinfo=UTC)
        self.audit: list[tuple] = []
        self.made: dict[str, int] = {}
        self.notes: list[str] = []
        self.audit_head = (0, audit_chain.GENESIS_HASH)

    # Helpers ---------------------------------------------------------------------------------

    def at(self, days_ago: float) -> dt.datetime:
        return self.now - dt.timedelta(seconds=int(days_ago * 86400))

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        if end <= start:
            return start
        return start + dt.timedelta(seconds=self.rng.uniform(0, (end - start).total_seconds()))

    def record(self, when, actor, action, summary, target_type="", target_id="", **kw) -> None:
        self.audit.append(
            (
                when,
                actor,
                action,
                summary[:300],
                target_type,
                str(target_id) if target_id != "" else "",
                kw.get("reason", ""),
                kw.get("data") or {},
                kw.get("public", True),
            )
        )

    def write(self, model, fields, rows, rebuild: bool = False) -> int:
        return self.loader.write(model, fields, rows, rebuild=rebuild)

    def run(self, steps: dict[str, float]) -> None:
        for name, step in (
            ("organisations", self.organisations),
            ("accounts", self.accounts),
            ("flags", self.flags),
            ("comments", self.comments),
            ("supports and follows", self.supports),
            ("reviews and referrals", self.referrals),
            ("assembly cycles", self.cycles),
            ("commitments", self.commitments),
            ("discover", self.discover),
            ("culture", self.culture),
            ("ballots", self.ballots),
            ("audit log", self.audit_log),
            ("stored figures", self.figures),
        ):
            t = time.perf_counter()
            self.log(f"{name}…")
            step()
            steps[name] = time.perf_counter() - t
            self.log(f"{name}: {steps[name]:.1f} s")

    # Organisations ---------------------------------------------------------------------------

    def organisations(self) -> None:
        from nhs_citizen.core.models import Icb, Organisation, Topic

        self.icbs = list(Icb.objects.order_by("pk").values_list("pk", "region_id", "name"))
        self.topics = list(Topic.objects.order_by("slug").values_list("pk", "slug", "name"))
        existing = set(Organisation.objects.values_list("name", flat=True))
        slugs = set(Organisation.objects.values_list("slug", flat=True))
        org_id = self.loader.next_id(Organisation)
        rows = []
        places = list(texts.PLACES)

        def add(name, kind, description):
            nonlocal org_id
            slug = slugify(name)
            if name in existing or slug in slugs:
                return
            icb_id, region_id, _ = self.rng.choice(self.icbs)
            rows.append(
                (
                    org_id,
                    name,
                    slug,
                    kind,
                    "",
                    region_id,
                    icb_id,
                    "",
                    description,
                    False,
                    self.at(900),
                )
            )
            existing.add(name)
            slugs.add(slug)
            org_id += 1

        trust_kinds = (
            "Hospitals NHS Foundation Trust",
            "Community Healthcare NHS Trust",
            "Mental Health NHS Foundation Trust",
        )
        made = 0
        for kind in trust_kinds:
            for place in places:
                if made >= self.n["trusts"]:
                    break
                add(f"{place} {kind}", "nhs_trust", "Runs hospital and community services.")
                made += 1
        for place in places[: self.n["councils"]]:
            add(
                f"{place} Council",
                "local_authority",
                "The local council: public health and social care.",
            )
        for place in places[-self.n["healthwatch"] :]:
            add(
                f"Healthwatch {place}",
                "healthwatch",
                "The independent champion for people who use health and care services.",
            )
        causes = ("Carers Centre", "Mind", "Age Friends", "Parents' Forum", "Deaf Centre")
        made = 0
        for cause in causes:
            for place in places:
                if made >= self.n["charities"]:
                    break
                add(
                    f"{place} {cause}",
                    "charity",
                    "A local charity that supports people and speaks up for them.",
                )
                made += 1
        self.write(
            Organisation,
            ["id", "name", "slug", "type", "code", "region_id", "icb_id", "website", "description", "is_reference", "created_at"],
            rows,
        )  # fmt: skip
        self.made["organisations"] = len(rows)
        orgs = list(Organisation.objects.values_list("pk", "type", "icb_id", "region_id", "name"))
        self.org_name = {pk: name for pk, _, _, _, name in orgs}
        self.nhse = next(pk for pk, kind, *_ in orgs if kind == "nhs_england")
        self.region_team = {
            region: pk for pk, kind, _, region, _ in orgs if kind == "nhs_england_region"
        }
        self.icb_org = {icb: pk for pk, kind, icb, _, _ in orgs if kind == "icb"}
        self.trusts_in = {}
        for pk, kind, icb, _, _ in orgs:
            if kind == "nhs_trust" and icb:
                self.trusts_in.setdefault(icb, []).append(pk)
        public = {"nhs_england", "nhs_england_region", "icb", "nhs_trust", "local_authority"}
        self.public_bodies = sorted(pk for pk, kind, *_ in orgs if kind in public)

    # Accounts --------------------------------------------------------------------------------

    def accounts(self) -> None:
        from allauth.account.models import EmailAddress

        from nhs_citizen.accounts.models import RoleAssignment, User
        from nhs_citizen.core.models import Membership

        password = make_password(SCALE_PASSWORD)
        base = self.loader.next_id(User)
        n = self.n["accounts"]
        users, emails, interests = [], [], []
        rng = self.rng
        self.voters = list(range(base, base + n))
        joined_days = 30 + 1070 * np.sqrt(self.np.random(n))
        self.joined = {}
        self.verified = {}
        for i, user_id in enumerate(self.voters):
            email = f"voter{i + 1}@{SCALE_DOMAIN}"
            icb_id, region_id, _ = self.icbs[i % len(self.icbs)]
            joined = self.at(float(joined_days[i]))
            verified = joined + dt.timedelta(minutes=5) if rng.random() < VERIFIED_SHARE else None
            self.joined[user_id] = joined
            if verified:
                self.verified[user_id] = verified
                emails.append((user_id, email, True, True))
            users.append(
                (
                    user_id,
                    password,
                    email,
                    texts.display_name(i),
                    region_id,
                    icb_id,
                    True,
                    joined,
                    verified,
                )
            )
            if i % 2 == 0:
                for topic in rng.sample(self.topics, 1 + i % 3):
                    interests.append((user_id, topic[0]))
        # Staff and responders: their own addresses, so no voter needs two-step verification.
        next_id = base + n
        self.staff: dict[str, list[int]] = {}
        roles = []
        for role, how_many in STAFF.items():
            key = STAFF_KEYS.get(role, role)
            if role == "reviewer":
                role = "review_panel"
            for k in range(how_many):
                email = f"{key}{k + 1}@{SCALE_DOMAIN}"
                users.append(
                    (next_id, password, email, f"{key.title()} {k + 1}", None, None, True, self.at(1200), self.at(1200))
                )  # fmt: skip
                emails.append((next_id, email, True, True))
                roles.append((next_id, role, self.at(1199)))
                self.staff.setdefault(role, []).append(next_id)
                next_id += 1
        self.responder_of: dict[int, int] = {}
        memberships = []
        for k, org in enumerate(self.public_bodies):
            email = f"responder{k + 1}@{SCALE_DOMAIN}"
            users.append(
                (next_id, password, email, f"Responder {k + 1}", None, None, True, self.at(1100), self.at(1100))
            )  # fmt: skip
            emails.append((next_id, email, True, True))
            memberships.append(
                (next_id, org, "responder", "Engagement lead", self.at(1100), self.at(1099), self.staff["curator"][0])
            )  # fmt: skip
            self.responder_of[org] = next_id
            next_id += 1
        self.write(
            User,
            ["id", "password", "email", "display_name", "region_id", "icb_id", "is_active", "date_joined", "email_verified_at"],
            users,
            rebuild=True,
        )  # fmt: skip
        self.write(EmailAddress, ["user_id", "email", "verified", "primary"], emails, rebuild=True)
        self.write(User.interests.through, ["user_id", "topic_id"], interests, rebuild=True)
        self.write(RoleAssignment, ["user_id", "role", "granted_at"], roles)
        self.write(
            Membership,
            ["user_id", "organisation_id", "role", "job_title", "requested_at", "verified_at", "verified_by_id"],
            memberships,
        )  # fmt: skip
        for user_id, role, granted in roles:
            self.record(granted, None, "accounts.role_granted", f"Gave a staff role: {role}", "accounts.user", user_id, public=True, data={"role": role})  # fmt: skip
        self.made["accounts"] = len(users)
        self.made["verified_email_addresses"] = len(emails)

    def pick(self, role: str) -> int:
        return self.rng.choice(self.staff[role])

    # Flags -----------------------------------------------------------------------------------

    def flags(self) -> None:
        from django.conf import settings

        from nhs_citizen.gather.models import Flag

        threshold = settings.NHS_CITIZEN.get("SUPPORT_THRESHOLD", SUPPORT_THRESHOLD_FALLBACK)
        self.threshold = threshold
        rng, nrng = self.rng, self.np
        n = self.n["flags"]
        n_voters = len(self.voters)
        base = self.loader.next_id(Flag)
        self.flag_ids = np.arange(base, base + n)
        # Statuses: how many of each, at least one of every kind.
        entries = self.n["entries_per_cycle"] * CYCLES
        refs = self.n["referrals"]
        passed_on = max(1, round(refs * 0.05))
        referred_flags = max(2, refs - passed_on)
        plan = {
            "merged": max(1, round(n * 0.03)),
            "shortlisted": entries,
            "in_review": max(1, round(n * 0.015)),
            "closed": max(1, round(n * 0.06)),
            "referred": max(1, round(referred_flags * 0.2)),
        }
        plan["answered"] = max(1, referred_flags - plan["referred"])
        plan["open"] = n - sum(plan.values())
        if plan["open"] < 3:
            raise ScaleError("Too few flags for every status: use a larger --scale.")
        # Support counts: one flag with many supporters, the rest long-tailed.
        hot_count = min(self.n["hot_supporters"], n_voters)
        merged_n = plan["merged"]
        live = n - merged_n  # flags 0..live-1 are live; the last merged_n are merged
        rest = max(self.n["supports"] - hot_count, live - 1)
        x = nrng.lognormal(mean=0.0, sigma=1.6, size=live - 1)
        k = max(rest - (live - 1), 0) / x.sum()
        support = np.minimum(1 + np.floor(x * k).astype(np.int64), n_voters)
        # Open flags stay below the threshold; the ones above it (and some put forward by a
        # curator) are the ones in the review pipeline.
        order = np.argsort(-support, kind="stable")
        pipeline_n = (
            sum(plan[s] for s in ("shortlisted", "in_review", "closed", "referred", "answered")) - 1
        )
        above = int((support >= threshold).sum())
        if above > pipeline_n:
            support[order[pipeline_n:]] = np.minimum(support[order[pipeline_n:]], threshold - 1)
            above = pipeline_n
        chosen = list(order[:above])
        others = order[above:]
        chosen += list(nrng.choice(others, size=pipeline_n - above, replace=False))
        statuses = ["open"] * (live - 1)
        pipeline_statuses = []
        for s in ("shortlisted", "in_review", "closed", "referred", "answered"):
            pipeline_statuses += [s] * plan[s]
        pipeline_statuses.remove("referred")  # the hot flag is referred
        rng.shuffle(pipeline_statuses)
        # Put the highest supported flags in the assembly's shortlist first.
        pipeline_statuses.sort(key=lambda s: s != "shortlisted")
        for idx, status in zip(chosen, pipeline_statuses, strict=True):
            statuses[idx] = status
        self.put_forward = set(int(i) for i in chosen[above:])
        # Rounding down lost a few supports: give them to flags in the pipeline, which may have
        # any number (open ones stay below the threshold).
        missing = rest - int(support.sum())
        if missing > 0:
            pipeline_idx = np.array(chosen, dtype=np.int64)
            room_left = n_voters - support[pipeline_idx]
            extra = _spread(missing, support[pipeline_idx].astype(float) + 1.0, nrng)
            support[pipeline_idx] += np.minimum(extra, room_left)
        # The hot flag is index live-1; merged flags come after it.
        statuses += ["referred"] + ["merged"] * merged_n
        support = np.concatenate([support, [hot_count], np.zeros(merged_n, dtype=np.int64)])
        self.status = statuses
        self.support = support
        self.hot_index = live - 1
        # Dates.
        created_ago = np.empty(n)
        decided_ago = np.zeros(n)
        cycle_of = np.full(n, -1)
        self.cycle_cutoff_ago = [200 + (CYCLES - 1 - c) * 182 for c in range(CYCLES)]
        shortlisted = [i for i, s in enumerate(statuses) if s == "shortlisted"]
        for j, i in enumerate(shortlisted):
            cycle_of[i] = j % CYCLES
        for i, status in enumerate(statuses):
            if status == "open":
                created_ago[i] = rng.uniform(1, 700)
            elif status == "in_review":
                decided_ago[i] = 0
                created_ago[i] = rng.uniform(15, 200)
            elif status == "shortlisted":
                decided_ago[i] = self.cycle_cutoff_ago[cycle_of[i]] + rng.uniform(5, 120)
                created_ago[i] = decided_ago[i] + rng.uniform(20, 200)
            elif status == "referred":
                decided_ago[i] = rng.uniform(1, 60)
                created_ago[i] = decided_ago[i] + rng.uniform(20, 200)
            elif status == "answered":
                decided_ago[i] = rng.uniform(50, 900)
                created_ago[i] = decided_ago[i] + rng.uniform(20, 200)
            elif status == "closed":
                decided_ago[i] = rng.uniform(5, 900)
                created_ago[i] = decided_ago[i] + rng.uniform(20, 200)
            else:  # merged
                decided_ago[i] = rng.uniform(5, 900)
                created_ago[i] = decided_ago[i] + rng.uniform(1, 30)
        created_ago[self.hot_index] = 120
        decided_ago[self.hot_index] = 20
        self.created_ago, self.decided_ago, self.cycle_of = created_ago, decided_ago, cycle_of
        # Supporters: flag i's k-th supporter is voter (offset + k * step) mod n, distinct for
        # k < n because the step is prime to n. The first is the person who raised it.
        steps = [p for p in (7919, 7907, 7901, 7883, 7877, 7873, 7867, 7853, 104729, 1299709) if math.gcd(p, n_voters) == 1] or [1]  # fmt: skip
        self.offset = nrng.integers(0, n_voters, size=n)
        self.step = nrng.choice(steps, size=n)
        # Topics, places and text.
        topic_weights = np.array([1.0 / (1 + (i % 7)) for i in range(len(self.topics))])
        topic_index = nrng.choice(len(self.topics), size=n, p=topic_weights / topic_weights.sum())
        # Embeddings: a direction per topic, one per title template, and noise.
        topic_dirs = nrng.standard_normal((len(self.topics), DIMENSIONS))
        template_dirs = nrng.standard_normal((len(self.topics), 4, DIMENSIONS))
        noise = nrng.standard_normal((n, DIMENSIONS)).astype(np.float32)
        self.topic_index = topic_index
        rows = []
        self.titles = []
        self.flag_created = []
        self.flag_decided = []
        self.flag_last = []
        self.flag_place = []
        self.raiser = []
        merged_target = {}
        live_by_topic: dict[int, list[int]] = {}
        for i in range(live):
            live_by_topic.setdefault(int(topic_index[i]), []).append(i)
        hidden = set()
        hideable = [
            i for i, s in enumerate(statuses) if s in ("open", "closed") and i != self.hot_index
        ]
        for i in rng.sample(hideable, max(1, round(n * 0.005))):
            hidden.add(i)
        self.hidden_flags = hidden
        vectors = np.empty((n, DIMENSIONS), dtype=np.float32)
        for i in range(n):
            t = int(topic_index[i])
            topic_id, slug, topic_name = self.topics[t]
            spec = texts.TOPICS.get(slug) or texts.TOPICS["gp-and-primary-care"]
            ti = rng.randrange(len(spec["title"]))
            place = rng.choice(texts.PLACES)
            title = texts.fill(spec["title"][ti], rng, place=place)[:120]
            what = texts.fill(rng.choice(spec["what"]), rng, place=place)
            why = texts.fill(rng.choice(spec["why"]), rng, place=place)
            if i == self.hot_index:
                title = "Let people book GP appointments online up to four weeks ahead"
                t = next(k for k, row in enumerate(self.topics) if row[1] == "gp-and-primary-care")
                topic_id = self.topics[t][0]
                topic_index[i] = t
                ti = 0
            vectors[i] = topic_dirs[t] + 0.8 * template_dirs[t, ti % 4] + 0.9 * noise[i]
            created = self.at(created_ago[i])
            decided = self.at(decided_ago[i]) if decided_ago[i] else None
            status = statuses[i]
            raiser = self.voters[int(self.offset[i])]
            if status == "merged":
                candidates = live_by_topic.get(t) or [0]
                merged_target[i] = rng.choice(candidates)
            scope = rng.choices(("national", "region", "icb", "local"), weights=(35, 15, 35, 15))[0]
            if i == self.hot_index:
                scope = "national"
            icb_id, region_id, _ = rng.choice(self.icbs)
            place_name = place if scope == "local" else ""
            if scope == "national":
                icb_id = region_id = None
            elif scope == "region":
                icb_id = None
            self.flag_place.append((scope, region_id, icb_id))
            count = int(support[i])
            # Last activity: the latest support, or the decision.
            if count > 1:
                last = created + (self.now - created) * (1 - 1 / (count + 1))
            else:
                last = created + dt.timedelta(hours=1)
            if decided and decided > last:
                last = decided
            if status == "merged":
                last = decided
            threshold_at = None
            put_forward_by = None
            if status != "open" and status != "merged":
                if i in self.put_forward:
                    put_forward_by = self.pick("curator")
                elif count >= threshold:
                    threshold_at = created + (min(decided or self.now, self.now) - created) * 0.8
            closed_reason = ""
            if status == "closed":
                closed_reason = rng.choice(texts.REVIEW_REASONS["close"])
            hidden_at = hidden_reason = None
            if i in hidden:
                hidden_at = self.between(created, self.now)
                hidden_reason = "It is an advert. The house rules do not allow adverts."
            flag_id = int(self.flag_ids[i])
            self.titles.append(title)
            self.flag_created.append(created)
            self.flag_decided.append(decided)
            self.flag_last.append(last)
            self.raiser.append(raiser)
            rows.append(
                [flag_id, title, what, why, topic_id, raiser, status, count, created, last,
                 threshold_at, put_forward_by, closed_reason,
                 int(self.flag_ids[merged_target[i]]) if i in merged_target else None,
                 hidden_at, hidden_reason or "", None, scope, region_id, icb_id, place_name]
            )  # fmt: skip
            self.record(
                created,
                raiser,
                "gather.flag_raised",
                f"Raised the flag “{title}”",
                "gather.flag",
                flag_id,
            )
            if threshold_at:
                self.record(threshold_at, None, "gather.flag_reached_threshold", f"“{title}” reached {threshold} supporters and went to the review panel", "gather.flag", flag_id)  # fmt: skip
            if put_forward_by:
                pf = (
                    created + (decided - created) * 0.9
                    if decided
                    else self.between(created, self.now)
                )
                self.record(pf, put_forward_by, "gather.flag_put_forward", f"Put “{title}” forward to the review panel", "gather.flag", flag_id, reason="Many people raised this at a Healthwatch event.")  # fmt: skip
            if i in merged_target:
                into = int(self.flag_ids[merged_target[i]])
                self.record(decided, self.pick("curator"), "gather.flags_merged", f"Merged “{title}” into “{self.titles[merged_target[i]] if merged_target[i] < i else 'another flag'}”", "gather.flag", into, reason="Both ask for the same change.", data={"merged_flag_id": flag_id, "into_flag_id": into})  # fmt: skip
            if hidden_at:
                self.record(hidden_at, self.pick("moderator"), "moderation.hidden", "Hid a flag", "gather.flag", flag_id, reason=hidden_reason)  # fmt: skip
        vectors = _unit(vectors)
        for i, row in enumerate(rows):
            row[16] = vectors[i].tobytes()
        fields = [
            "id", "title", "what_should_change", "why", "topic_id", "raised_by_id", "status",
            "support_count", "created_at", "last_activity_at", "threshold_reached_at",
            "put_forward_by_id", "closed_reason", "merged_into_id", "hidden_at", "hidden_reason",
            "embedding", "scope", "region_id", "icb_id", "place_name",
        ]  # fmt: skip
        self.flag_fields = fields
        self.flag_rows = rows
        self.made["flags"] = n
        self.made["hot_flag_id"] = int(self.flag_ids[self.hot_index])
        self.made.update({f"flags_{k}": v for k, v in plan.items()})
        self.made["flags_hidden"] = len(hidden)

    # Supports and follows --------------------------------------------------------------------

    def supports(self) -> None:
        from nhs_citizen.gather.models import Follow, Support

        counts = self.support
        n_voters = len(self.voters)
        total = int(counts.sum())
        flag_index = np.repeat(np.arange(len(counts)), counts)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        k = np.arange(total) - np.repeat(starts, counts)
        users = (self.offset[flag_index] + k * self.step[flag_index]) % n_voters
        created = np.array([c.timestamp() for c in self.flag_created])
        last = np.array([c.timestamp() for c in self.flag_last])
        # The first supporter (who raised it) at the start; the rest spread until last activity.
        u = np.where(k == 0, 0.0, self.np.random(total))
        when = created[flag_index] + u * (last[flag_index] - created[flag_index])
        user_ids = np.asarray(self.voters, dtype=np.int64)[users]
        flag_ids = self.flag_ids[flag_index]
        fromts = dt.datetime.fromtimestamp
        times = [fromts(t, UTC) for t in when.astype(np.int64).tolist()]
        fl = flag_ids.tolist()
        us = user_ids.tolist()
        self.write(
            Support,
            ["flag_id", "user_id", "created_at"],
            zip(fl, us, times, strict=True),
            rebuild=True,
        )
        self.write(
            Follow,
            ["flag_id", "user_id", "created_at"],
            zip(fl, us, times, strict=True),
            rebuild=True,
        )
        self.made["supports"] = total
        self.made["follows"] = total

    # Comments --------------------------------------------------------------------------------

    def comments(self) -> None:
        from nhs_citizen.gather.models import Comment

        rng = self.rng
        live = [i for i, s in enumerate(self.status) if s != "merged"]
        weights = np.array([float(self.support[i]) ** 0.8 + 0.5 for i in live])
        per_flag = _spread(self.n["comments"], weights, self.np)
        comment_id = self.loader.next_id(Comment)
        stance_names = ("for", "against", "comment")
        hidden_n = 0
        rows = []
        for i, how_many in zip(live, per_flag.tolist(), strict=True):
            if not how_many:
                continue
            created, last = self.flag_created[i], self.flag_last[i]
            span = (last - created).total_seconds()
            offsets = sorted(rng.uniform(60, max(span, 120)) for _ in range(how_many))
            tops = []
            flag_id = int(self.flag_ids[i])
            for off in offsets:
                stance = rng.choices(stance_names, weights=(40, 15, 45))[0]
                body = texts.fill(rng.choice(texts.COMMENTS[stance]), rng)
                parent = None
                if tops and rng.random() < 0.2:
                    parent = rng.choice(tops)
                    stance = "comment"
                else:
                    tops.append(comment_id)
                hidden_at = None
                if rng.random() < 0.003:
                    hidden_at = created + dt.timedelta(seconds=off + 3600)
                    hidden_n += 1
                rows.append(
                    (comment_id, flag_id, rng.choice(self.voters), parent, stance, body,
                     f"<p>{html.escape(body, quote=False)}</p>\n",
                     created + dt.timedelta(seconds=off), hidden_at,
                     "It is a personal attack. The house rules ask everyone to be respectful." if hidden_at else "")
                )  # fmt: skip
                if hidden_at:
                    self.record(hidden_at, self.pick("moderator"), "moderation.hidden", "Hid a comment", "gather.comment", comment_id, reason=rows[-1][-1])  # fmt: skip
                comment_id += 1
        # The flags go in now, with their count of visible comments where the model keeps one.
        from nhs_citizen.gather.models import Flag

        fields = list(self.flag_fields)
        if any(f.attname == "comment_count" for f in Flag._meta.concrete_fields):
            visible: dict[int, int] = {}
            for row in rows:
                if row[8] is None:
                    visible[row[1]] = visible.get(row[1], 0) + 1
            fields.append("comment_count")
            for row in self.flag_rows:
                row.append(visible.get(row[0], 0))
        self.write(Flag, fields, (tuple(r) for r in self.flag_rows), rebuild=True)
        self.flag_rows = []
        fields = ["id", "flag_id", "author_id", "parent_id", "stance", "body", "body_html", "created_at", "hidden_at", "hidden_reason"]  # fmt: skip
        self.write(Comment, fields, rows, rebuild=True)
        self.made["comments"] = len(rows)
        self.made["comments_hidden"] = hidden_n

    # Review decisions, referrals and answers -------------------------------------------------

    def _body_for(self, i: int) -> int:
        scope, region_id, icb_id = self.flag_place[i]
        if scope == "national" or (scope == "region" and region_id not in self.region_team):
            return self.nhse
        if scope == "region":
            return self.region_team[region_id]
        trusts = self.trusts_in.get(icb_id)
        if scope == "local" and trusts and self.rng.random() < 0.6:
            return self.rng.choice(trusts)
        return self.icb_org.get(icb_id, self.nhse)

    def referrals(self) -> None:
        from nhs_citizen.gather.models import Referral, Response, ReviewDecision

        rng = self.rng
        decisions, referrals, responses = [], [], []
        referral_id = self.loader.next_id(Referral)
        response_id = self.loader.next_id(Response)
        self.commitment_sources = []  # (response_id, flag index, organisation, when)
        passed_on_left = max(1, round(self.n["referrals"] * 0.05))
        outcomes = ("will_act", "in_part", "will_not_act")
        for i, status in enumerate(self.status):
            if status not in ("shortlisted", "referred", "answered", "closed"):
                continue
            decided = self.flag_decided[i]
            flag_id = int(self.flag_ids[i])
            title = self.titles[i]
            decision = {"shortlisted": "shortlist", "closed": "close"}.get(status, "refer")
            reasons = rng.choice(texts.REVIEW_REASONS[decision])
            national = self.flag_place[i][0] == "national"
            reviewer = self.pick("review_panel")
            decisions.append((flag_id, reviewer, decision, national, national, reasons, decided))
            data = {"is_national": national, "within_remit": national}
            if decision != "refer":
                verb = "Shortlisted" if decision == "shortlist" else "Closed"
                summary = f"{verb} “{title}”" + (
                    " for the Assembly" if decision == "shortlist" else ""
                )
                self.record(decided, reviewer, f"gather.review_{decision}", summary, "gather.flag", flag_id, reason=reasons, data=data)  # fmt: skip
                continue
            org = self._body_for(i)
            due = decided.date() + dt.timedelta(days=28)
            data.update({"organisation_id": org, "due_date": due.isoformat()})
            self.record(decided, reviewer, "gather.review_refer", f"Referred “{title}” to {self.org_name[org]}, answer due {when_words(due)}", "gather.flag", flag_id, reason=reasons, data=data)  # fmt: skip
            referred_at = decided
            previous = None
            if status == "answered" and passed_on_left > 0 and org != self.nhse:
                # Passed on: the first body says it is not theirs; the next one answers.
                passed_on_left -= 1
                answered_at = referred_at + dt.timedelta(days=rng.uniform(3, 25))
                responsible = self.nhse
                referrals.append(
                    (referral_id, flag_id, org, reviewer, referred_at, due, "passed_on", None)
                )
                responses.append((response_id, referral_id, self.responder_of[org], "not_ours", texts.fill(texts.RESPONSES["not_ours"][0], rng), responsible, answered_at, answered_at.date() <= due))  # fmt: skip
                self.record(answered_at, self.responder_of[org], "gather.referral_answered", f"{self.org_name[org]} said “{title}” is for {self.org_name[responsible]} to answer", "gather.flag", flag_id, data={"referral_id": referral_id, "outcome": "not_ours", "on_time": True})  # fmt: skip
                previous = referral_id
                referral_id += 1
                response_id += 1
                org, referred_at = responsible, answered_at
                due = referred_at.date() + dt.timedelta(days=28)
            state = "awaiting" if status == "referred" else "answered"
            referrals.append(
                (referral_id, flag_id, org, reviewer, referred_at, due, state, previous)
            )
            if state == "answered":
                late = rng.random() < 0.15
                answered_at = referred_at + dt.timedelta(
                    days=rng.uniform(30, 60) if late else rng.uniform(3, 27)
                )
                answered_at = min(answered_at, self.now - dt.timedelta(hours=1))
                outcome = rng.choices(outcomes, weights=(35, 30, 35))[0]
                reasons_text = texts.fill(rng.choice(texts.RESPONSES[outcome]), rng)
                responder = self.responder_of[org]
                on_time = answered_at.date() <= due
                responses.append((response_id, referral_id, responder, outcome, reasons_text, None, answered_at, on_time))  # fmt: skip
                self.record(answered_at, responder, "gather.referral_answered", f"{self.org_name[org]} answered “{title}”", "gather.flag", flag_id, reason=reasons_text, data={"referral_id": referral_id, "outcome": outcome, "on_time": on_time})  # fmt: skip
                if outcome in ("will_act", "in_part"):
                    self.commitment_sources.append((response_id, i, org, answered_at))
                response_id += 1
            referral_id += 1
        self.write(ReviewDecision, ["flag_id", "decided_by_id", "decision", "is_national", "within_remit", "reasons", "created_at"], decisions)  # fmt: skip
        self.write(Referral, ["id", "flag_id", "organisation_id", "referred_by_id", "referred_at", "due_date", "status", "passed_on_from_id"], referrals)  # fmt: skip
        self.write(Response, ["id", "referral_id", "responder_id", "outcome", "reasons", "responsible_organisation_id", "created_at", "on_time"], responses)  # fmt: skip
        self.made["review_decisions"] = len(decisions)
        self.made["referrals"] = len(referrals)
        self.made["responses"] = len(responses)
        today = self.now.date()
        self.made["referrals_overdue"] = sum(
            1 for r in referrals if r[6] == "awaiting" and r[5] < today
        )

    # Assembly cycles -------------------------------------------------------------------------

    def cycles(self) -> None:
        from nhs_citizen.assembly.models import Cycle, CycleDecision, CycleEntry
        from nhs_citizen.meetings.models import AgendaItem, Meeting
        from nhs_citizen.tracker.models import BoardResponse

        rng = self.rng
        existing = set(Cycle.objects.values_list("name", flat=True))
        cycle_id = self.loader.next_id(Cycle)
        entry_id = self.loader.next_id(CycleEntry)
        meeting_id = self.loader.next_id(Meeting)
        item_id = self.loader.next_id(AgendaItem)
        board_id = self.loader.next_id(BoardResponse)
        cycles, decisions, meetings = [], [], []
        self.cycle_rows = []  # (cycle_id, name, vote_opens, vote_closes, cutoff, [entry ids], weights)
        self.board_sources = []
        secretariat = self.pick("secretariat")
        for c in range(CYCLES):
            cutoff = self.at(self.cycle_cutoff_ago[c])
            season = "Spring" if cutoff.month <= 6 else "Autumn"
            name = f"{season} {cutoff.year}"
            if name in existing:
                name = f"{name} (scale)"
            existing.add(name)
            flags_in = [i for i, cyc in enumerate(self.cycle_of.tolist()) if cyc == c]
            shortlist_size = min(10, len(flags_in))
            agenda_size = min(5, shortlist_size)
            vote_opens = cutoff + dt.timedelta(days=7)
            vote_closes = vote_opens + dt.timedelta(days=14)
            jury = (vote_closes + dt.timedelta(days=14)).date()
            meeting_day = jury + dt.timedelta(days=21)
            response_due = meeting_day + dt.timedelta(days=28)
            stocktake = meeting_day + dt.timedelta(days=120)
            cycles.append(
                (cycle_id, name, slugify(name), cutoff, vote_opens, vote_closes, jury, meeting_day,
                 response_due, stocktake, 5, shortlist_size, agenda_size, "stock_take", secretariat,
                 cutoff - dt.timedelta(days=180), vote_closes + dt.timedelta(hours=1))
            )  # fmt: skip
            ids, weights = [], []
            for rank, i in enumerate(sorted(flags_in, key=lambda i: -int(self.support[i]))):
                shortlisted_at = self.flag_decided[i]
                ids.append((entry_id, i, shortlisted_at))
                weights.append(1.0 / (rank + 1) ** 0.7)
                entry_id += 1
            self.cycle_rows.append(
                {"id": cycle_id, "name": name, "opens": vote_opens, "closes": vote_closes,
                 "cutoff": cutoff, "entries": ids, "weights": weights,
                 "shortlist_size": shortlist_size, "agenda_size": agenda_size}
            )  # fmt: skip
            stages = [
                ("cut_off", cutoff, "Flags cut off: the shortlist for the vote is fixed"),
                ("vote_opened", vote_opens, "Opened the priority vote"),
                ("vote_closed", vote_closes, "Closed the priority vote and published the scores"),
                ("jury", dt.datetime.combine(jury, dt.time(17), UTC), "Recorded the citizens' jury's choices"),
                ("meeting", dt.datetime.combine(meeting_day, dt.time(17), UTC), "The Assembly Meeting was held"),
                ("responding", dt.datetime.combine(response_due, dt.time(12), UTC), "Published the Board's responses"),
                ("stock_take", dt.datetime.combine(stocktake, dt.time(12), UTC), "Held the stock-take"),
            ]  # fmt: skip
            for kind, when, summary in stages:
                decisions.append((cycle_id, kind, summary, "As published in the timetable.", secretariat, "The secretariat", when))  # fmt: skip
                self.record(when, secretariat, f"assembly.{kind}", f"{name}: {summary}", "assembly.cycle", cycle_id, data={"decided_by": "The secretariat"})  # fmt: skip
            meetings.append(
                (meeting_id, cycle_id, dt.datetime.combine(meeting_day, dt.time(10), UTC),
                 dt.datetime.combine(meeting_day, dt.time(16), UTC), rng.choice(texts.PLACES) + " Conference Centre",
                 f"The Assembly met and discussed {agenda_size} flags chosen by the citizens' jury.",
                 dt.datetime.combine(meeting_day + dt.timedelta(days=7), dt.time(12), UTC))
            )  # fmt: skip
            self.cycle_rows[-1]["meeting"] = (meeting_id, meeting_day, response_due)
            meeting_id += 1
            cycle_id += 1
        self.write(Cycle, ["id", "name", "slug", "flag_cutoff", "vote_opens", "vote_closes", "jury_date", "meeting_date", "response_due", "stocktake_date", "max_choices", "shortlist_size", "agenda_size", "stage", "created_by_id", "created_at", "scores_published_at"], cycles)  # fmt: skip
        self.write(CycleDecision, ["cycle_id", "kind", "summary", "reasons", "decided_by_id", "decided_by_role", "created_at"], decisions)  # fmt: skip
        self.write(Meeting, ["id", "cycle_id", "starts_at", "ends_at", "place", "minutes", "minutes_published_at"], meetings)  # fmt: skip
        self.made["cycles"] = len(cycles)
        self.ids = {"agenda_item": item_id, "board": board_id}

    # Commitments -----------------------------------------------------------------------------

    def commitments(self) -> None:
        from nhs_citizen.tracker.models import Commitment, CommitmentUpdate

        rng = self.rng
        sources = self.commitment_sources
        total = self.n["commitments"]
        if not sources:
            self.notes.append("No answers to hang commitments on: none made.")
            self.made["commitments"] = 0
            self._pending_board = []
            return
        per_source = _spread(total, np.ones(len(sources)), self.np)
        commitment_id = self.loader.next_id(Commitment)
        rows, plans = [], []
        today = self.now.date()
        statuses = ("done", "in_progress", "not_started", "not_done")
        for (response_id, i, org, answered_at), how_many in zip(
            sources, per_source.tolist(), strict=True
        ):
            topic_id, slug, topic_name = self.topics[int(self.topic_index[i])]
            for _ in range(how_many):
                what = texts.fill(rng.choice(texts.COMMITMENTS), rng, topic=topic_name.lower())
                created = answered_at + dt.timedelta(hours=rng.uniform(1, 48))
                due = (created + dt.timedelta(days=rng.uniform(60, 365))).date()
                status = rng.choices(statuses, weights=(35, 35, 20, 10))[0]
                if due > today and status in ("done", "not_done") and rng.random() < 0.5:
                    status = "in_progress"
                elif (
                    due < today and status in ("in_progress", "not_started") and rng.random() < 0.7
                ):
                    status = "done" if rng.random() < 0.8 else "not_done"  # most finish
                rows.append([commitment_id, what, "", org, rng.choice(texts.OWNERS), due, status,
                             "The funding was not agreed." if status == "not_done" else "",
                             None, response_id, int(self.flag_ids[i]), None, topic_id,
                             self.responder_of[org], created, None, created])  # fmt: skip
                plans.append((commitment_id, org, status, created, due))
                self.record(created, self.responder_of[org], "tracker.commitment_added", f"Added a commitment: {what}", "tracker.commitment", commitment_id)  # fmt: skip
                commitment_id += 1
        # Updates: at least one per commitment, the rest spread; the last matches the status.
        per_commitment = 1 + _spread(
            max(self.n["updates"] - len(plans), 0), np.ones(len(plans)), self.np
        )
        updates = []
        for row, plan, how_many in zip(rows, plans, per_commitment.tolist(), strict=True):
            commitment_id, org, final, created, due = plan
            span = max((self.now - created).total_seconds() - 3600, 3600)
            times = sorted(
                created + dt.timedelta(seconds=rng.uniform(600, span)) for _ in range(how_many)
            )
            previous = "not_started"
            for k, when in enumerate(times):
                if k == how_many - 1:
                    status = final
                elif final == "not_started":
                    status = "not_started"
                else:
                    status = "in_progress"
                note = texts.fill(rng.choice(texts.UPDATE_NOTES[status]), rng)
                updates.append((commitment_id, self.responder_of[org], status, previous, note,
                                "The funding was not agreed." if status == "not_done" else "",
                                due, due, self.org_name[org], when))  # fmt: skip
                self.record(when, self.responder_of[org], "tracker.commitment_updated", f"Updated a commitment: {texts.UPDATE_NOTES[status][0][:60]}", "tracker.commitment", commitment_id, data={"status": status, "previous_status": previous})  # fmt: skip
                previous = status
            row[16] = times[-1]
            if final in ("done", "not_done"):
                row[15] = times[-1]
        fields = ["id", "what", "detail", "organisation_id", "owner", "due_date", "status", "status_reasons", "board_response_id", "referral_response_id", "flag_id", "cycle_id", "topic_id", "created_by_id", "created_at", "completed_at", "updated_at"]  # fmt: skip
        self.write(Commitment, fields, (tuple(r) for r in rows), rebuild=True)
        self.write(CommitmentUpdate, ["commitment_id", "author_id", "status", "previous_status", "note", "reasons", "due_date", "previous_due_date", "posted_as", "created_at"], updates, rebuild=True)  # fmt: skip
        self.made["commitments"] = len(rows)
        self.made["commitment_updates"] = len(updates)
        self.made["commitments_overdue"] = sum(
            1 for p in plans if p[2] in ("not_started", "in_progress") and p[4] < today
        )

    # Discover --------------------------------------------------------------------------------

    def discover(self) -> None:
        from nhs_citizen.discover.algorithms.dedupe import exact_key
        from nhs_citizen.discover.models import Item, Source, Topic
        from nhs_citizen.discover.services.pipeline import refresh_topic_stats

        rng, nrng = self.rng, self.np
        names = set(Source.objects.values_list("name", flat=True))
        source_id = self.loader.next_id(Source)
        sources = []
        kinds = ("rss", "mastodon", "bluesky", "upload", "json_feed", "imap")
        healthwatch = [pk for pk, name in self.org_name.items() if name.startswith("Healthwatch ")]
        for k in range(self.n["sources"]):
            place = texts.PLACES[k % len(texts.PLACES)]
            kind = kinds[k % len(kinds)]
            name = {
                "rss": f"{place} health news (feed)",
                "mastodon": f"#NHS{place.replace(' ', '').replace('-', '')} on Mastodon",
                "bluesky": f"Bluesky: {place} hospital",
                "upload": f"{place} listening event notes",
                "json_feed": f"{place} patient voice feed",
                "imap": f"{place} Healthwatch inbox",
            }[kind]
            if k >= len(texts.PLACES):
                name = f"{name} {k // len(texts.PLACES) + 1}"
            if name in names:
                continue
            names.add(name)
            icb_id, region_id, _ = rng.choice(self.icbs)
            org = rng.choice(healthwatch) if healthwatch and kind in ("upload", "imap") else None
            # Paused: scale data never reaches the internet.
            sources.append((source_id, name, kind, org, "" if org else f"{place} patients", {}, region_id, icb_id, False, self.at(800)))  # fmt: skip
            source_id += 1
        self.write(Source, ["id", "name", "kind", "organisation_id", "group_name", "config", "region_id", "icb_id", "active", "created_at"], sources)  # fmt: skip
        # Topics: 300 at full scale, each about one NHS topic.
        n_topics = self.n["discover_topics"]
        topic_base = self.loader.next_id(Topic)
        item_base = self.loader.next_id(Item)
        gather_of_topic = [t % len(self.topics) for t in range(n_topics)]
        dirs = _unit(nrng.standard_normal((n_topics, DIMENSIONS)))
        sizes = _spread(self.n["items"], 1.0 / (np.arange(n_topics) + 3.0) ** 0.9, nrng)
        items = []
        item_id = item_base
        typical = {}
        sentiments = ("negative", "negative", "neutral", "positive")
        rising = set(rng.sample(range(n_topics), max(1, n_topics // 30)))
        keys: dict[str, str] = {}
        for t, size in enumerate(sizes.tolist()):
            topic_id = topic_base + t
            slug = self.topics[gather_of_topic[t]][1]
            for _ in range(size):
                text = texts.statement(slug, rng)
                ago = (
                    rng.uniform(0, 7)
                    if (t in rising and rng.random() < 0.3)
                    else rng.uniform(0, 364)
                )
                said = self.at(ago)
                feeling = rng.choice(sentiments)
                source = sources[rng.randrange(len(sources))]
                icb_id, region_id, _ = rng.choice(self.icbs)
                typical.setdefault(topic_id, item_id)
                items.append(
                    (item_id, source[0], f"scale-{item_id}", said, said + dt.timedelta(minutes=7), text,
                     text, said + dt.timedelta(minutes=30), keys.get(text) or keys.setdefault(text, exact_key(text)), 1, feeling,
                     {"negative": -0.6, "neutral": 0.0, "positive": 0.7}[feeling], topic_id,
                     round(rng.uniform(0.45, 0.9), 3), region_id, icb_id)
                )  # fmt: skip
                item_id += 1
        topics = []
        for t in range(n_topics):
            topic_id = topic_base + t
            _, slug, name = self.topics[gather_of_topic[t]]
            words = slug.split("-")[:3] + [
                rng.choice(("waiting", "staff", "care", "access", "phone", "letters"))
            ]
            auto = f"{name}: {words[-1]}" + (
                f" ({t // len(self.topics) + 1})" if t >= len(self.topics) else ""
            )
            topics.append((topic_id, auto[:200], words, dirs[t].tobytes(), self.at(360), self.now))  # fmt: skip
        self.write(Topic, ["id", "auto_name", "words", "centroid", "created_at", "updated_at"], topics)  # fmt: skip
        fields = ["id", "source_id", "original_id", "said_at", "received_at", "raw_text", "text", "processed_at", "exact_key", "weight", "sentiment", "sentiment_score", "topic_id", "topic_similarity", "region_id", "icb_id"]  # fmt: skip
        self.write(Item, fields, items, rebuild=True)
        for topic_id, item_id in typical.items():
            Topic.objects.filter(pk=topic_id).update(typical_item_id=item_id)
        t = time.perf_counter()
        refresh_topic_stats(now=self.now, topic_ids=list(range(topic_base, topic_base + n_topics)))
        stats = self.loader.timings.setdefault(
            "discover_topic stats", TableTiming("discover_topic stats")
        )
        stats.rows = n_topics
        stats.seconds += time.perf_counter() - t
        self.made["discover_sources"] = len(sources)
        self.made["discover_topics"] = n_topics
        self.made["discover_items"] = len(items)

    # Culture ---------------------------------------------------------------------------------

    def culture(self) -> None:
        from nhs_citizen.culture.models import Story

        rng = self.rng
        story_id = self.loader.next_id(Story)
        rows = []
        for _ in range(self.n["stories"]):
            title, body = rng.choice(texts.STORIES)
            status = rng.choices(("published", "waiting", "not_published"), weights=(70, 20, 10))[0]
            created = self.at(rng.uniform(1, 700))
            curator = self.pick("curator") if status != "waiting" else None
            published = created + dt.timedelta(days=2) if status == "published" else None
            author = rng.choice(self.voters)
            rows.append((story_id, title, texts.fill(body, rng), rng.choice(("patient", "staff")), rng.choice(self.public_bodies), author, status, curator, "It breaks the house rules." if status == "not_published" else "", created, published))  # fmt: skip
            self.record(created, author, "culture.story_told", f"Told a story of change: {title}", "culture.story", story_id, public=False)  # fmt: skip
            if published:
                self.record(published, curator, "culture.story_published", f"Published a story of change: {title}", "culture.story", story_id)  # fmt: skip
            story_id += 1
        self.write(Story, ["id", "title", "body", "teller", "organisation_id", "author_id", "status", "decided_by_id", "decision_reason", "created_at", "published_at"], rows)  # fmt: skip
        self.made["stories"] = len(rows)

    # Ballots, votes, the jury and the Board (they need the audit total) ----------------------

    def ballots(self) -> None:
        from nhs_citizen.assembly.models import Ballot, Cycle, CycleEntry, JuryChoice
        from nhs_citizen.meetings.models import AgendaItem
        from nhs_citizen.tracker.models import BoardResponse, Commitment, CommitmentUpdate

        rng = self.rng
        ballot_id = self.loader.next_id(Ballot)
        plans = []
        for cycle in self.cycle_rows:
            eligible = [
                v
                for v, when in self.verified.items()
                if when < cycle["cutoff"] and self.joined[v] < cycle["cutoff"]
            ]
            how_many = min(self.n["ballots_per_cycle"], int(len(eligible) * 0.9))
            voters = rng.sample(eligible, how_many)
            for voter in voters:
                plans.append((ballot_id, cycle, voter))
                ballot_id += 1
        # Each ballot's final choice, and the votes it gives.
        finals = []
        votes: dict[int, int] = {}
        for _bid, cycle, _voter in plans:
            entry_ids = [e[0] for e in cycle["entries"]]
            k = rng.randint(1, min(5, len(entry_ids)))
            picks = sorted(set(rng.choices(entry_ids, weights=cycle["weights"], k=k)))
            finals.append(picks)
            for e in picks:
                votes[e] = votes.get(e, 0) + 1
        # Scores, the jury, the Meeting's agenda and the Board's responses.
        entries, choices, items, boards, commitments, updates = [], [], [], [], [], []
        item_id, board_id = self.ids["agenda_item"], self.ids["board"]
        commitment_id = self.loader.next_id(Commitment)
        board_member, secretariat = self.pick("board_member"), self.pick("secretariat")
        for cycle in self.cycle_rows:
            ranked = sorted(
                cycle["entries"],
                key=lambda e: (-votes.get(e[0], 0), e[2], int(self.flag_ids[e[1]])),
            )
            meeting_id, meeting_day, response_due = cycle["meeting"]
            chosen = set(e[0] for e in ranked[: cycle["agenda_size"]])
            for place, (entry_id, i, shortlisted_at) in enumerate(ranked, start=1):
                to_jury = place <= cycle["shortlist_size"]
                entries.append((entry_id, cycle["id"], int(self.flag_ids[i]), shortlisted_at, shortlisted_at, votes.get(entry_id, 0), place, to_jury))  # fmt: skip
                if not to_jury:
                    continue
                is_chosen = entry_id in chosen
                choices.append((entry_id, is_chosen, "The jury judged it the most important for people across England." if is_chosen else "Important, but others affect more people.", secretariat, dt.datetime.combine(meeting_day, dt.time(9), UTC) - dt.timedelta(days=21)))  # fmt: skip
                if not is_chosen:
                    continue
                title = self.titles[i][:150]
                items.append(
                    (
                        item_id,
                        meeting_id,
                        entry_id,
                        len(items) + 1,
                        title,
                        "The information pack for this item.",
                    )
                )
                published = dt.datetime.combine(response_due, dt.time(9), UTC) - dt.timedelta(
                    days=2
                )
                outcome = rng.choice(("will_act", "in_part", "will_not_act"))
                boards.append((board_id, item_id, outcome, f"The Board's response to “{title}”"[:300], texts.fill(rng.choice(texts.RESPONSES[outcome]), rng), board_member, published, response_due, True))  # fmt: skip
                self.record(published, board_member, "tracker.board_response_recorded", f"Recorded the Board's response to “{title}”", "tracker.boardresponse", board_id)  # fmt: skip
                if outcome != "will_not_act":
                    for _ in range(3):
                        due = published.date() + dt.timedelta(days=rng.randint(90, 300))
                        status = (
                            "done"
                            if due < self.now.date() and rng.random() < 0.6
                            else "in_progress"
                        )
                        what = texts.fill(rng.choice(texts.COMMITMENTS), rng, topic="this")
                        commitments.append((commitment_id, what, self.nhse, "National Director", due, status, board_id, int(self.flag_ids[i]), cycle["id"], board_member, published, published if status == "done" else None, published + dt.timedelta(days=30)))  # fmt: skip
                        updates.append((commitment_id, board_member, status, "not_started", texts.fill(rng.choice(texts.UPDATE_NOTES[status]), rng), due, due, "NHS England Board", published + dt.timedelta(days=30)))  # fmt: skip
                        self.record(published, board_member, "tracker.commitment_added", f"Added a commitment: {what}", "tracker.commitment", commitment_id)  # fmt: skip
                        commitment_id += 1
                board_id += 1
                item_id += 1
        self.write(CycleEntry, ["id", "cycle_id", "flag_id", "shortlisted_at", "entered_at", "votes", "place", "to_jury"], entries)  # fmt: skip
        # Versions: the audit log reaches its target size with ballots changed during the vote;
        # the last version of each is the ballot's choice, so the recount from the log matches.
        room = self.n["audit"] - len(self.audit) - len(plans)
        weights = self.np.pareto(2.0, len(plans)) + 1 if plans else np.ones(0)
        extra = _spread(max(room, 0), weights, self.np).tolist()
        ballots, chosen_rows = [], []
        for (bid, cycle, voter), picks, more in zip(plans, finals, extra, strict=True):
            entry_ids = [e[0] for e in cycle["entries"]]
            versions = 1 + int(more)
            span = (cycle["closes"] - cycle["opens"]).total_seconds() - 60
            times = sorted(
                cycle["opens"] + dt.timedelta(seconds=rng.uniform(0, span)) for _ in range(versions)
            )
            for v, when in enumerate(times, start=1):
                if v < versions:
                    k = rng.randint(1, min(5, len(entry_ids)))
                    chosen_now = sorted(set(rng.choices(entry_ids, weights=cycle["weights"], k=k)))
                else:
                    chosen_now = picks
                self.record(when, None, "assembly.ballot_cast",
                            f"A ballot was {'cast' if v == 1 else 'changed'} in the priority vote for {cycle['name']}",
                            "assembly.cycle", cycle["id"], data={"ballot": bid, "version": v, "entries": chosen_now}, public=False)  # fmt: skip
            chosen_rows.extend((bid, e) for e in picks)
            ballots.append((bid, cycle["id"], voter, versions, times[-1]))
        self.write(
            Ballot, ["id", "cycle_id", "voter_id", "version", "updated_at"], ballots, rebuild=True
        )
        self.write(
            Ballot.entries.through, ["ballot_id", "cycleentry_id"], chosen_rows, rebuild=True
        )

        self.write(JuryChoice, ["entry_id", "chosen", "reasons", "recorded_by_id", "recorded_at"], choices)  # fmt: skip
        self.write(
            AgendaItem, ["id", "meeting_id", "entry_id", "position", "title", "briefing"], items
        )
        self.write(BoardResponse, ["id", "agenda_item_id", "outcome", "summary", "reasons", "recorded_by_id", "published_at", "due_date", "on_time"], boards)  # fmt: skip
        self.write(Commitment, ["id", "what", "organisation_id", "owner", "due_date", "status", "board_response_id", "flag_id", "cycle_id", "created_by_id", "created_at", "completed_at", "updated_at"], commitments)  # fmt: skip
        self.write(CommitmentUpdate, ["commitment_id", "author_id", "status", "previous_status", "note", "due_date", "previous_due_date", "posted_as", "created_at"], updates)  # fmt: skip
        # What closing the vote stores on the cycle, where the model keeps it.
        names = {f.name for f in Cycle._meta.concrete_fields}
        for cycle in self.cycle_rows:
            stored = {
                "voters": sum(1 for _, c, _ in plans if c is cycle),
                "recount_matches": True,
                "recounted_at": cycle["closes"] + dt.timedelta(hours=1),
            }
            stored = {name: value for name, value in stored.items() if name in names}
            if stored:
                Cycle.objects.filter(pk=cycle["id"]).update(**stored)
        self.made["cycle_entries"] = len(entries)
        self.made["ballots"] = len(ballots)
        self.made["ballot_choices"] = len(chosen_rows)
        self.made["jury_choices"] = len(choices)
        self.made["board_responses"] = len(boards)
        self.made["commitments"] = self.made.get("commitments", 0) + len(commitments)
        self.made["commitment_updates"] = self.made.get("commitment_updates", 0) + len(updates)

    # The audit log ---------------------------------------------------------------------------

    def audit_log(self) -> None:
        from nhs_citizen.core.models import AuditEntry

        last = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        sequence = last["sequence"] if last else 0
        previous = last["entry_hash"] if last else audit_chain.GENESIS_HASH
        self.audit.sort(key=lambda e: e[0])
        entry_hash = audit_chain.entry_hash
        rows = []
        for (
            when,
            actor,
            action,
            summary,
            target_type,
            target_id,
            reason,
            data,
            public,
        ) in self.audit:
            sequence += 1
            content = {
                "sequence": sequence,
                "created_at": when.isoformat(),
                "actor_id": actor,
                "action": action,
                "summary": summary,
                "target_type": target_type,
                "target_id": target_id,
                "reason": reason,
                "data": data,
                "is_public": public,
                "previous_hash": previous,
            }
            digest = entry_hash(content)
            rows.append((sequence, when, actor, action, summary, target_type, target_id, reason, data, public, previous, digest))  # fmt: skip
            previous = digest
        self.audit = []
        fields = ["sequence", "created_at", "actor_id", "action", "summary", "target_type", "target_id", "reason", "data", "is_public", "previous_hash", "entry_hash"]  # fmt: skip
        self.write(AuditEntry, fields, rows, rebuild=True)
        self.made["audit_entries"] = len(rows)
        self.audit_head = (sequence, previous)
        # Read a few entries back and hash them the model's own way: the chain must verify
        # exactly as the database returns it (time zone, JSON), or nothing is kept.
        if rows:
            first, last = rows[0][0], rows[-1][0]
            for entry in AuditEntry.objects.filter(sequence__in={first, (first + last) // 2, last}):
                if entry.compute_hash() != entry.entry_hash:
                    raise ScaleError(
                        f"Audit entry {entry.sequence} does not hash the same once read back; "
                        "nothing was kept."
                    )

    # Stored figures the pages read, made by the apps' own refresh jobs ----------------------

    def figures(self) -> None:
        refreshers = (
            ("nhs_citizen.tracker.services.summaries", "do_refresh_tracker_summaries", {}),
            ("nhs_citizen.discover.services.figures", "do_refresh_figures", {"now": self.now}),
            ("nhs_citizen.culture.services.figures", "do_refresh_culture_measures", {}),
        )
        for module_name, function_name, kwargs in refreshers:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            refresh = getattr(module, function_name, None)
            if refresh is None:
                continue
            t = time.perf_counter()
            refresh(**kwargs)
            label = f"{module_name.split('.')[1]} {function_name}"
            timing = self.loader.timings.setdefault(label, TableTiming(label))
            timing.seconds += time.perf_counter() - t

"""Similar flags and "people who care about this", found by background jobs and stored.

Pages only read what is stored (``similar_flags_for``, ``people_lists_for``): a web request never
loads the sentence model or any vectors. The jobs (``gather/tasks.py``) call the ``do_…``
functions here; each is safe to run twice. See ADR 0018.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from nhs_citizen.core.streaming import iterate_keyset
from nhs_citizen.gather.models import (
    DraftSearch,
    Flag,
    FlagPeople,
    FlagStatus,
    Referral,
    SimilarFlag,
    Support,
)

# How many similar flags each flag keeps (pages show 3 or 5, after leaving out any hidden since).
KEEP = 10
# "People who care about this": how many names in each list, and how long a list is kept.
PEOPLE_LIMIT = 20
PEOPLE_MAX_AGE = timedelta(hours=6)
PEOPLE_ASK_AGAIN_AFTER = timedelta(minutes=5)
# A draft's search that has not finished by then is given up (no worker running?).
DRAFT_WAIT = timedelta(seconds=60)
DRAFT_KEEP = timedelta(days=1)


# Reading (pages) --------------------------------------------------------------------------------


# NumPy, the vector index and the sentence model are needed only by the jobs below, so they are
# imported when a job first needs them, never by a web worker that merely imports this module.
def _embeddings():
    from nhs_citizen.core import embeddings

    return embeddings


def _vectors():
    from nhs_citizen.core import vectors

    return vectors


def _similarity():
    from nhs_citizen.gather import similarity

    return similarity


def similar_flags_for(flag: Flag, limit: int = 5, cards: bool = False) -> list[Flag]:
    """The stored most similar flags, best first, leaving out any hidden or merged since.
    One query (two with ``cards``, which also loads referrals for their status lines)."""
    links = (
        SimilarFlag.objects.filter(flag=flag, similar__hidden_at__isnull=True)
        .exclude(similar__status=FlagStatus.MERGED)
        .select_related("similar__topic", "similar__region", "similar__icb__region")
        .defer("similar__embedding")
        .order_by("-score", "similar_id")
    )
    if cards:
        links = links.select_related("similar__raised_for").prefetch_related(
            Prefetch(
                "similar__referrals",
                queryset=Referral.objects.select_related("organisation", "response"),
            )
        )
    return [link.similar for link in links[:limit]]


def flags_in_order(ids: list[int]) -> list[Flag]:
    """Visible flags with these ids, in this order, ready for cards (two queries)."""
    if not ids:
        return []
    by_id = (
        Flag.objects.visible()
        .for_lists()
        .defer("embedding")
        .prefetch_related(
            Prefetch(
                "referrals", queryset=Referral.objects.select_related("organisation", "response")
            )
        )
        .in_bulk(ids)
    )
    return [by_id[pk] for pk in ids if pk in by_id]


def people_lists_for(flag: Flag, stored: FlagPeople | None):
    """(same topic, same area) people from the stored lists, without anyone who has since left
    or who now supports this flag; one query for both lists."""
    if stored is None or stored.found_at is None:
        return None, None
    User = get_user_model()
    ids = list(dict.fromkeys([*stored.same_topic, *stored.same_area]))
    people = User.objects.filter(pk__in=ids, deleted_at__isnull=True).in_bulk()
    return (
        [people[pk] for pk in stored.same_topic if pk in people],
        [people[pk] for pk in stored.same_area if pk in people],
    )


def people_need_finding(stored: FlagPeople | None, now=None) -> bool:
    now = now or timezone.now()
    if stored is not None and stored.asked_at and now - stored.asked_at < PEOPLE_ASK_AGAIN_AFTER:
        return False
    return stored is None or stored.found_at is None or now - stored.found_at > PEOPLE_MAX_AGE


def do_ask_for_people(flag: Flag) -> None:
    """Queue the job that finds the people lists (at most once every few minutes per flag)."""
    from nhs_citizen.gather.tasks import find_people_like_you

    now = timezone.now()
    FlagPeople.objects.update_or_create(flag=flag, defaults={"asked_at": now})
    find_people_like_you.enqueue(flag.pk)


# The vector index -------------------------------------------------------------------------------
def _searchable():
    return Flag.objects.visible().filter(embedding__isnull=False)


def _flag_vectors():
    """Every visible flag's vector, read by key in chunks (constant memory)."""
    rows = _searchable().values_list("pk", "embedding")
    for pk, data in iterate_keyset(rows, chunk_size=2000):
        yield pk, _embeddings().from_bytes(data)


def flag_index():
    return _vectors().vector_index("flags", source=_flag_vectors)


def fresh_flag_index(rebuild: bool = False):
    """The index, rebuilt from the database if it is missing or does not hold every visible
    flag's vector (or if asked)."""
    index = flag_index()
    if rebuild and hasattr(index, "rebuild"):
        index.rebuild()
    else:
        index.ensure_fresh(_fingerprint())
    return index


def _fingerprint() -> tuple[int, int]:
    """How many visible flags have a vector, and the sum of their ids (one query)."""
    from django.db.models import Count, Sum

    totals = _searchable().aggregate(n=Count("pk"), total=Sum("pk"))
    return totals["n"], totals["total"] or 0


def _fresh_index():
    return fresh_flag_index()


def _nearest(vector, exclude: int | None, limit: int, index=None) -> list[tuple[int, float]]:
    """The closest visible flags above the similarity floor, best first."""
    found = (index or _fresh_index()).search(vector, limit + 10)
    found = [
        (pk, score)
        for pk, score in found
        if pk != exclude and score >= _similarity().MINIMUM_SIMILARITY
    ]
    # The index may briefly hold a flag hidden or merged a moment ago: check with the database.
    visible = set(
        Flag.objects.visible().filter(pk__in=[pk for pk, _ in found]).values_list("pk", flat=True)
    )
    return [(pk, score) for pk, score in found if pk in visible][:limit]


def find_similar_to_text(title: str, what: str = "", limit: int = 5) -> list[int]:
    """Ids of the visible flags closest in meaning to this text. Loads the model: jobs only."""
    vector = _embeddings().embed([_similarity().flag_text(title, what)])[0]
    return [pk for pk, _ in _nearest(vector, None, limit)]


# Jobs -------------------------------------------------------------------------------------------
def _embed(flag: Flag) -> bytes:
    # Title and the change asked for: what someone starting a flag has written so far, so
    # like is compared with like.
    text = _similarity().flag_text(flag.title, flag.what_should_change)
    return _embeddings().to_bytes(_embeddings().embed([text])[0])


def do_find_similar_flags(flag_id: int, reembed: bool = False, index=None) -> int:
    """Embed the flag if it has no vector yet (or ``reembed``), put it in the index, store its
    most similar flags, and offer it to theirs. Returns how many it found. ``index``: an index
    already up to date with every flag (the backstop command), used as it is."""
    flag = Flag.objects.filter(pk=flag_id).first()
    if flag is None:
        return 0
    if flag.is_hidden or flag.status == FlagStatus.MERGED:
        do_forget_flag(flag_id)
        return 0
    if flag.embedding is None or reembed:
        flag.embedding = _embed(flag)
        Flag.objects.filter(pk=flag_id).update(embedding=flag.embedding)
    vector = _embeddings().from_bytes(flag.embedding)
    if index is None:
        flag_index().add([flag.pk], [vector])
    found = _nearest(vector, flag.pk, KEEP, index)
    with transaction.atomic():
        SimilarFlag.objects.filter(flag_id=flag.pk).delete()
        # Another worker may have just offered one of these to this flag: keep either.
        SimilarFlag.objects.bulk_create(
            [SimilarFlag(flag_id=flag.pk, similar_id=pk, score=score) for pk, score in found],
            ignore_conflicts=True,
        )
        for other, score in found:
            _offer(other, flag.pk, score)
        Flag.objects.filter(pk=flag.pk).update(similar_found_at=timezone.now())
    return len(found)


def do_find_similar_flags_in_bulk(flag_ids: list[int], index) -> int:
    """The backstop's way for many flags at once: search for each, check which neighbours are
    visible in one query, and replace their lists in one transaction. Every flag in the run
    gets its own list, so nobody needs to be offered the others (``_offer``). ``index`` must
    already hold every visible flag's vector. Returns how many similar flags were stored."""
    rows = list(_searchable().filter(pk__in=flag_ids).values_list("pk", "embedding").order_by("pk"))
    found: dict[int, list[tuple[int, float]]] = {}
    for pk, data in rows:
        found[pk] = [
            (other, score)
            for other, score in index.search(_embeddings().from_bytes(data), KEEP + 10)
            if other != pk and score >= _similarity().MINIMUM_SIMILARITY
        ]
    candidates = {other for pairs in found.values() for other, _ in pairs}
    visible = set(Flag.objects.visible().filter(pk__in=candidates).values_list("pk", flat=True))
    links = [
        SimilarFlag(flag_id=pk, similar_id=other, score=score)
        for pk, pairs in found.items()
        for other, score in [pair for pair in pairs if pair[0] in visible][:KEEP]
    ]
    with transaction.atomic():
        SimilarFlag.objects.filter(flag_id__in=list(found)).delete()
        SimilarFlag.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
        Flag.objects.filter(pk__in=list(found)).update(similar_found_at=timezone.now())
    return len(links)


def _offer(flag_id: int, candidate_id: int, score: float) -> None:
    """Put candidate among flag_id's similar flags if it is closer than the furthest kept."""
    SimilarFlag.objects.update_or_create(
        flag_id=flag_id, similar_id=candidate_id, defaults={"score": score}
    )
    beyond = list(
        SimilarFlag.objects.filter(flag_id=flag_id)
        .order_by("-score", "similar_id")
        .values_list("pk", flat=True)[KEEP : KEEP + 50]
    )
    if beyond:
        SimilarFlag.objects.filter(pk__in=beyond).delete()


def do_forget_flag(flag_id: int) -> list[int]:
    """A flag hidden or merged: out of the index, out of every list, and the flags that listed
    it look again. Returns the ids of those flags."""
    flag_index().remove([flag_id])
    pointing = list(
        SimilarFlag.objects.filter(similar_id=flag_id).values_list("flag_id", flat=True)
    )
    SimilarFlag.objects.filter(similar_id=flag_id).delete()
    SimilarFlag.objects.filter(flag_id=flag_id).delete()
    Flag.objects.filter(pk=flag_id).update(similar_found_at=None)
    return pointing


def do_find_people(flag_id: int) -> bool:
    """People who support other flags on the same topic, or in the same area, and not this
    one: by name, at most 20 each. Uses only what people did in public."""
    flag = Flag.objects.filter(pk=flag_id).select_related("icb", "region").first()
    if flag is None:
        return False
    User = get_user_model()
    supporters = Support.objects.filter(flag_id=flag.pk).values("user_id")

    def people(flag_filter: dict) -> list[int]:
        return list(
            User.objects.filter(
                deleted_at__isnull=True,
                pk__in=Support.objects.filter(**flag_filter)
                .exclude(flag_id=flag.pk)
                .values("user_id"),
            )
            .exclude(pk__in=supporters)
            .order_by("display_name", "pk")
            .values_list("pk", flat=True)[:PEOPLE_LIMIT]
        )

    same_topic = people({"flag__topic_id": flag.topic_id})
    same_area: list[int] = []
    if flag.icb_id:
        same_area = people({"flag__icb_id": flag.icb_id})
    elif flag.region_id:
        same_area = people({"flag__region_id": flag.region_id})
    FlagPeople.objects.update_or_create(
        flag=flag,
        defaults={"same_topic": same_topic, "same_area": same_area, "found_at": timezone.now()},
    )
    return True


# Flags like yours (a flag still being written) ---------------------------------------------------
def do_start_draft_search(*, user, title: str, what_should_change: str) -> DraftSearch:
    """Store the draft's words and queue the job that looks for flags like it."""
    from nhs_citizen.gather.tasks import search_for_draft

    now = timezone.now()
    DraftSearch.objects.filter(created_at__lt=now - DRAFT_KEEP).delete()
    draft = DraftSearch.objects.create(
        key=secrets.token_hex(16),
        user=user,
        title=title[:120],
        what_should_change=what_should_change[:2000],
        created_at=now,
    )
    search_for_draft.enqueue(draft.pk)
    return draft


def do_search_for_draft(draft_id: int) -> int:
    draft = DraftSearch.objects.filter(pk=draft_id).first()
    if draft is None or draft.found_at is not None:
        return 0
    ids = find_similar_to_text(draft.title, draft.what_should_change)
    DraftSearch.objects.filter(pk=draft.pk).update(flag_ids=ids, found_at=timezone.now())
    return len(ids)


def draft_search_state(draft: DraftSearch | None, now=None) -> str:
    """ "found", "waiting" or "gave_up" (the job did not finish in time)."""
    if draft is None:
        return "gave_up"
    if draft.found_at is not None:
        return "found"
    if (now or timezone.now()) - draft.created_at > DRAFT_WAIT:
        return "gave_up"
    return "waiting"


# Queuing ----------------------------------------------------------------------------------------
def queue_similar_flags(flag_id: int, reembed: bool = False) -> None:
    """After the change that made or edited the flag is saved, find its similar flags."""

    def enqueue() -> None:
        from nhs_citizen.gather.tasks import find_similar_flags

        find_similar_flags.enqueue(flag_id, reembed)

    transaction.on_commit(enqueue)


def queue_visibility_changed(flag_id: int) -> None:
    """A flag was hidden, merged or put back: drop it or find its place again, once saved."""

    def enqueue() -> None:
        from nhs_citizen.gather.tasks import flag_visibility_changed

        flag_visibility_changed.enqueue(flag_id)

    transaction.on_commit(enqueue)


def do_visibility_changed(flag_id: int) -> list[int]:
    """The job behind ``queue_visibility_changed``. Returns the flags that looked again."""
    flag = Flag.objects.filter(pk=flag_id).first()
    if flag is None:
        return []
    if flag.is_hidden or flag.status == FlagStatus.MERGED:
        pointing = do_forget_flag(flag_id)
        for other in pointing:
            do_find_similar_flags(other)
        return pointing
    do_find_similar_flags(flag_id)
    return [flag_id]

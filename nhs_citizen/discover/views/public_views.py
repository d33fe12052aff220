"""The state of the conversation: public pages and open data. Only redacted text is shown."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from nhs_citizen.core import streaming
from nhs_citizen.core.counting import cached_count
from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.discover import presenters, queries
from nhs_citizen.discover.forms import DashboardFilterForm, ItemFilterForm
from nhs_citizen.discover.models import (
    Batch,
    BatchKind,
    FlaggedItem,
    Item,
    Review,
    Source,
    Topic,
)
from nhs_citizen.discover.queries import (
    ITEM_COLUMNS,
    export_items,
    item_csv_row,
    statement_record,
)
from nhs_citizen.discover.services import review
from nhs_citizen.discover.services.curation import representative_items

ITEMS_PER_PAGE = 25
# Newest first; the key breaks ties. Every public statement has a date (see the pipeline).
ITEM_ORDER = ("-said_at", "-pk")


def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()
    board = queries.dashboard(filters)
    last_topics = (
        Batch.objects.filter(kind=BatchKind.RECLUSTER, status="done")
        .order_by("-finished_at")
        .first()
    )
    return render(
        request,
        "discover/dashboard.jinja",
        {
            "page_title": "Discover: what people are saying",
            "filter_form": form,
            "error_form": form,
            "filters": filters,
            "board": board,
            "size_bars": presenters.bars([(r.topic.name, r.weight) for r in board.rows[:12]]),
            "sentiment_segments": presenters.stacked(
                board.sentiment.get("positive", 0),
                board.sentiment.get("neutral", 0),
                board.sentiment.get("negative", 0),
            ),
            "last_topics": last_topics,
            "p": presenters,
        },
    )


def _topic_or_redirect(pk: int):
    topic = get_object_or_404(Topic, pk=pk)
    final = topic.final()
    return topic, final


def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic, final = _topic_or_redirect(pk)
    if final.pk != topic.pk:
        return redirect("discover:topic_detail", final.pk, permanent=True)
    curator = request.user.has_perm("discover.curate")
    if topic.hidden_at and not curator:
        return render(
            request,
            "discover/topic_hidden.jinja",
            {"page_title": "This topic has been hidden", "topic": topic},
            status=410,
        )
    weeks = queries.weekly_counts(topic)
    return render(
        request,
        "discover/topic_detail.jinja",
        {
            "page_title": topic.name,
            "topic": topic,
            "statements": representative_items(topic, limit=8),
            "weeks": weeks,
            "week_bars": presenters.bars([(f"{d:%-d %b}", n) for d, n in weeks]),
            "places": queries.topic_places(topic),
            "networks": queries.topic_networks(topic),
            "segments": presenters.stacked(
                round(topic.positive_share * topic.weight),
                round(topic.neutral_share * topic.weight),
                round(topic.negative_share * topic.weight),
            ),
            "split_into": list(Topic.objects.live().filter(split_from=topic)),
            "merged_from": list(topic.merged_from.all()),
            "is_curator": curator,
            "p": presenters,
        },
    )


def item_list(request: HttpRequest) -> HttpResponse:
    form = ItemFilterForm(request.GET or None)
    filters = form.filters()
    items = filters.apply(Item.objects.public())
    total = cached_count(items)
    page, pagination = keyset_page(
        request,
        items.select_related("source", "topic", "region", "icb"),
        ITEM_ORDER,
        per_page=ITEMS_PER_PAGE,
        total=total,
    )
    return render(
        request,
        "discover/item_list.jinja",
        {
            "page_title": "What people said",
            "filter_form": form,
            "error_form": form,
            "page": page,
            "pagination": pagination,
            "total": total,
            "export_query": _export_query(request),
            "p": presenters,
        },
    )


def _export_query(request: HttpRequest) -> str:
    """The list's filters, without its page, for the download links."""
    query = request.GET.copy()
    query.pop("after", None)
    query.pop("before", None)
    return query.urlencode()


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        Item.objects.select_related("source", "topic", "region", "icb", "duplicate_of"),
        pk=pk,
        processed_at__isnull=False,
    )
    curator = request.user.has_perm("discover.curate")
    if item.review in (Review.WAITING, Review.REJECTED) and not curator:
        # Never public: a curator has not published it (or turned it down).
        raise Http404
    if item.duplicate_of_id and not item.hidden_at:
        return redirect("discover:item_detail", item.duplicate_of_id)
    return render(
        request,
        "discover/item_detail.jinja",
        {
            "page_title": "A statement" if not item.hidden_at else "This statement has been hidden",
            "item": item,
            "topic": item.topic.final() if item.topic_id else None,
            "is_curator": curator,
            "taken_out": review.taken_out(item) if curator else [],
            "p": presenters,
        },
    )


def network(request: HttpRequest) -> HttpResponse:
    networks, connections = queries.networks()
    return render(
        request,
        "discover/network.jinja",
        {
            "page_title": "Where the conversation comes from",
            "networks": networks,
            "connections": connections[:40],
            "network_bars": presenters.bars([(n.name, n.weight) for n in networks[:12]]),
            "p": presenters,
        },
    )


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(
        Source.objects.select_related("organisation", "region", "icb"), pk=pk
    )
    items = Item.objects.public().filter(source=source)
    total = cached_count(items, key=f"discover:source:{source.pk}:public")
    page, pagination = keyset_page(
        request,
        items.select_related("source", "topic", "region", "icb"),
        ITEM_ORDER,
        per_page=ITEMS_PER_PAGE,
        total=total,
    )
    waiting = cached_count(
        Item.objects.waiting().filter(source=source), key=f"discover:source:{source.pk}:waiting"
    )
    is_curator = request.user.has_perm("discover.curate")
    return render(
        request,
        "discover/source_detail.jinja",
        {
            "page_title": source.name,
            "source": source,
            "page": page,
            "pagination": pagination,
            "total": total,
            "waiting": waiting,
            "is_curator": is_curator,
            "batches": list(source.batches.all()[:10]) if is_curator else [],
            "p": presenters,
        },
    )


def flag_sources(request: HttpRequest, flag_pk: int) -> HttpResponse:
    links = list(
        FlaggedItem.objects.filter(flag_id=flag_pk)
        .select_related("flag", "topic", "item__source", "item__region")
        .filter(item__hidden_at__isnull=True)
        .order_by("-item__weight", "item__pk")
    )
    if not links:
        raise Http404
    return render(
        request,
        "discover/flag_sources.jinja",
        {
            "page_title": f"Where the flag “{links[0].flag.title}” came from",
            "flag": links[0].flag,
            "topic": links[0].topic.final(),
            "links": links,
            "p": presenters,
        },
    )


# Open data ----------------------------------------------------------------------------------------
def _export_items(request: HttpRequest):
    return export_items(request.GET)


def items_csv(request: HttpRequest) -> HttpResponse:
    def rows():
        for item in _export_items(request):
            yield item_csv_row(statement_record(item))

    return streaming.download(
        streaming.csv_rows(ITEM_COLUMNS, rows()), streaming.CSV, "discover-statements.csv"
    )


def items_jsonl(request: HttpRequest) -> HttpResponse:
    """Every public statement the filters choose, one JSON object per line (the CSV's columns)."""
    records = (statement_record(item) for item in _export_items(request))
    return streaming.download(
        streaming.json_lines(records), streaming.JSONL, "discover-statements.jsonl"
    )


def topics_json(request: HttpRequest) -> HttpResponse:
    topics = queries.topic_records()
    response = streaming.download(
        streaming.json_document({"licence": "Open Government Licence v3.0"}, "topics", topics),
        streaming.JSON,
        "discover-topics.json",
    )
    # As before: opened in the browser, not saved as a file.
    del response["Content-Disposition"]
    return response

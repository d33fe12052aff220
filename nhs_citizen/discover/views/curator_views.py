"""Curators: the pipeline's status, sources, and looking after topics and statements."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.core.counting import cached_count
from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.discover import presenters, tasks
from nhs_citizen.discover.forms import (
    FlagTopicForm,
    MergeTopicForm,
    ReasonForm,
    RenameForm,
    SourceForm,
)
from nhs_citizen.discover.models import Batch, Item, Source, SourceKind, Topic
from nhs_citizen.discover.services import curation, review, sources
from nhs_citizen.discover.services.status import needs_reclustering
from nhs_citizen.nhsuk_forms.errors import add_service_errors as _add_errors
from nhs_citizen.nhsuk_forms.errors import flash_errors

curate = permission_required("discover.curate", raise_exception=True)


# Counts on the pipeline page may be this many seconds behind.
PIPELINE_COUNTS_SECONDS = 30


@curate
def pipeline(request: HttpRequest) -> HttpResponse:
    def count(queryset, key):
        return cached_count(
            queryset, key=f"discover:pipeline:{key}", timeout=PIPELINE_COUNTS_SECONDS
        )

    public = Item.objects.public()
    unsorted = count(public.filter(topic__isnull=True), "unsorted")
    return render(
        request,
        "discover/pipeline.jinja",
        {
            "page_title": "Discover pipeline",
            "waiting": count(Item.objects.waiting(), "waiting"),
            "to_review": count(Item.objects.to_review(), "to_review"),
            "processed": count(Item.objects.filter(processed_at__isnull=False), "processed"),
            "unsorted": unsorted,
            "needs_reclustering": needs_reclustering(
                total=count(public, "public"), unsorted=unsorted
            ),
            "batches": list(Batch.objects.select_related("source")[:30]),
            "sources": list(Source.objects.select_related("organisation")),
            "hidden_topics": list(Topic.objects.live().filter(hidden_at__isnull=False)),
            "p": presenters,
        },
    )


@curate
@require_POST
def process_now(request: HttpRequest) -> HttpResponse:
    tasks.process_waiting.enqueue()
    messages.success(request, "We have asked for waiting items to be processed.")
    return redirect("discover:pipeline")


@curate
@require_POST
def find_topics(request: HttpRequest) -> HttpResponse:
    tasks.recluster.enqueue(request.user.pk, "Asked for by a curator")
    messages.success(request, "We have asked for topics to be found again.")
    return redirect("discover:pipeline")


@curate
def source_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk) if pk else None
    if source is not None and not source.is_polled:
        messages.info(request, "This source is sent to us, so there is nothing to set up.")
        return redirect("discover:source_detail", source.pk)
    initial = {"poll_every_minutes": 60}
    if source is not None:
        initial = {
            **source.config,
            "name": source.name,
            "kind": source.kind,
            "organisation": source.organisation,
            "group_name": source.group_name,
            "region": source.region,
            "icb": source.icb,
            "poll_every_minutes": source.poll_every_minutes,
        }
    form = SourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = sources.check_save_source(
                curator=request.user,
                source=source,
                name=data["name"],
                kind=data["kind"],
                settings_values=form.settings_values(),
                organisation=data.get("organisation"),
                group_name=data.get("group_name", ""),
                region=data.get("region"),
                icb=data.get("icb"),
                poll_every_minutes=data["poll_every_minutes"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Saved “{saved.name}”. We will fetch from it now.")
            return redirect("discover:source_detail", saved.pk)
    return render(
        request,
        "discover/source_form.jinja",
        {
            "page_title": "Change a source" if source else "Add a source",
            "form": form,
            "source": source,
            "kinds": SourceKind,
        },
    )


@curate
@require_POST
def fetch_now(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    batch = sources.do_poll_source(source.pk, force=True)
    if batch is None:
        messages.info(
            request, "This source is paused or is sent to us, so there is nothing to fetch."
        )
    elif batch.status == "failed":
        messages.error(request, batch.message)
    else:
        messages.success(request, batch.message)
    return redirect("discover:source_detail", source.pk)


def _set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    try:
        sources.check_set_active(curator=request.user, source=source, active=active)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request, f"{'Started' if active else 'Paused'} fetching from “{source.name}”."
        )
    return redirect("discover:source_detail", source.pk)


@curate
@require_POST
def pause_source(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, False)


@curate
@require_POST
def resume_source(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, True)


# Topics -------------------------------------------------------------------------------------------
def _live_topic(pk: int) -> Topic:
    return get_object_or_404(Topic.objects.live(), pk=pk)


def _topic_action(request, pk, *, form_class, template, title, action, form_kwargs=None):
    topic = _live_topic(pk)
    form = form_class(request.POST or None, **(form_kwargs(topic) if form_kwargs else {}))
    if request.method == "POST" and form.is_valid():
        try:
            message, target = action(topic, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(target)
    return render(
        request,
        template,
        {"page_title": title, "form": form, "topic": topic, "p": presenters},
    )


@curate
def rename_topic(request: HttpRequest, pk: int) -> HttpResponse:
    def action(topic, data):
        topic = curation.check_rename_topic(
            curator=request.user,
            topic=topic,
            name=data.get("name", ""),
            reason=data.get("reason", ""),
        )
        return f"The topic is now called “{topic.name}”.", reverse(
            "discover:topic_detail", args=[topic.pk]
        )

    return _topic_action(
        request,
        pk,
        form_class=RenameForm,
        template="discover/rename_topic.jinja",
        title="Rename a topic",
        action=action,
    )


@curate
def merge_topic(request: HttpRequest, pk: int) -> HttpResponse:
    def action(topic, data):
        target = curation.check_merge_topics(
            curator=request.user, source=topic, target=data["target"], reason=data["reason"]
        )
        return f"Merged “{topic.name}” into “{target.name}”.", reverse(
            "discover:topic_detail", args=[target.pk]
        )

    return _topic_action(
        request,
        pk,
        form_class=MergeTopicForm,
        template="discover/merge_topic.jinja",
        title="Merge topics",
        action=action,
        form_kwargs=lambda t: {"topic": t},
    )


@curate
def split_topic(request: HttpRequest, pk: int) -> HttpResponse:
    def action(topic, data):
        curation.check_split_topic(curator=request.user, topic=topic, reason=data["reason"])
        return (
            "We are splitting the topic in two. This can take a minute. The new topic will be "
            "listed on this page when it is ready.",
            reverse("discover:topic_detail", args=[topic.pk]),
        )

    return _topic_action(
        request,
        pk,
        form_class=ReasonForm,
        template="discover/split_topic.jinja",
        title="Split a topic",
        action=action,
    )


def _hide_topic(request: HttpRequest, pk: int, hide: bool) -> HttpResponse:
    def action(topic, data):
        curation.check_hide_topic(
            curator=request.user, topic=topic, hide=hide, reason=data["reason"]
        )
        return (
            f"{'Hid' if hide else 'Showed again'} the topic “{topic.name}”.",
            reverse("discover:topic_detail", args=[topic.pk]),
        )

    return _topic_action(
        request,
        pk,
        form_class=ReasonForm,
        template="discover/hide_topic.jinja",
        title="Hide a topic" if hide else "Show a topic again",
        action=action,
    )


@curate
def hide_topic(request: HttpRequest, pk: int) -> HttpResponse:
    return _hide_topic(request, pk, True)


@curate
def show_topic(request: HttpRequest, pk: int) -> HttpResponse:
    return _hide_topic(request, pk, False)


@curate
def flag_topic(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _live_topic(pk)
    if topic.flag_id:
        messages.info(request, "This topic has already been taken to Gather.")
        return redirect("gather:flag_detail", topic.flag_id)
    typical = topic.typical_item.text if topic.typical_item_id else ""
    form = FlagTopicForm(
        request.POST or None,
        initial={"title": topic.name[:120], "why": typical[:4000], "scope": "national"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            flag = curation.check_flag_topic(
                curator=request.user,
                topic=topic,
                title=data["title"],
                what_should_change=data["what_should_change"],
                why=data["why"],
                gather_topic=data["topic"],
                place=form.place(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Raised the flag “{flag.title}” in Gather.")
            return redirect("gather:flag_detail", flag.pk)
    return render(
        request,
        "discover/flag_topic.jinja",
        {
            "page_title": "Take a topic to Gather",
            "form": form,
            "topic": topic,
            "statements": curation.representative_items(topic, limit=5),
        },
    )


# Statements ---------------------------------------------------------------------------------------
def _hide_item(request: HttpRequest, pk: int, hide: bool) -> HttpResponse:
    item = get_object_or_404(Item.objects.select_related("source"), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            curation.check_hide_item(
                curator=request.user, item=item, hide=hide, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, "Hid the statement." if hide else "Showed the statement again."
            )
            return redirect("discover:item_detail", item.pk)
    return render(
        request,
        "discover/hide_item.jinja",
        {
            "page_title": "Hide a statement" if hide else "Show a statement again",
            "form": form,
            "item": item,
            "hide": hide,
        },
    )


@curate
def hide_item(request: HttpRequest, pk: int) -> HttpResponse:
    return _hide_item(request, pk, True)


@curate
def show_item(request: HttpRequest, pk: int) -> HttpResponse:
    return _hide_item(request, pk, False)


# Visitors' messages waiting for a check, and words taken out by mistake ---------------------------
REVIEW_PER_PAGE = 20


@curate
def review_queue(request: HttpRequest) -> HttpResponse:
    """Visitors' "Tell us" messages, redacted, oldest first, waiting for a curator."""
    items = Item.objects.to_review().select_related("source", "region", "icb")
    page, pagination = keyset_page(request, items, ("pk",), REVIEW_PER_PAGE)
    return render(
        request,
        "discover/review_queue.jinja",
        {
            "page_title": "Messages to check",
            "page": page,
            "pagination": pagination,
            "p": presenters,
        },
    )


def _review_item(pk: int, title: str) -> tuple[Item, dict]:
    item = get_object_or_404(
        Item.objects.select_related("source", "region", "icb"), pk=pk, processed_at__isnull=False
    )
    return item, {
        "page_title": title,
        "item": item,
        "taken_out": review.taken_out(item),
        "p": presenters,
    }


@curate
def review_item(request: HttpRequest, pk: int) -> HttpResponse:
    """One waiting message: publish it, or turn it down with a reason."""
    form = ReasonForm(request.POST or None)
    item, context = _review_item(pk, "Check a message")
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "publish":
                form = ReasonForm()
                review.check_publish(curator=request.user, item=item)
                messages.success(request, "Published the message.")
                return redirect("discover:review_queue")
            if form.is_valid():
                review.check_reject(
                    curator=request.user, item=item, reason=form.cleaned_data["reason"]
                )
                messages.success(request, "The message will not be published.")
                return redirect("discover:review_queue")
        except ValidationError as error:
            if form.is_bound:
                _add_errors(form, error)
            else:
                flash_errors(request, error)
                return redirect("discover:review_item", item.pk)
    context["form"] = form
    return render(request, "discover/review_item.jinja", context)


@curate
def restore_words(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Put back words redaction took out, when they are not personal data."""
    form = ReasonForm(request.POST or None)
    item, context = _review_item(pk, "Put back words taken out")
    span = next((t for t in context["taken_out"] if t.number == number), None)
    if span is None:
        raise Http404("Those words were not taken out of this statement")
    if request.method == "POST" and form.is_valid():
        try:
            review.check_restore_span(
                curator=request.user, item=item, number=number, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Put the words back. The statement now shows them.")
            if item.review == "waiting":
                return redirect("discover:review_item", item.pk)
            return redirect("discover:item_detail", item.pk)
    context.update(form=form, span=span)
    return render(request, "discover/restore_words.jinja", context)

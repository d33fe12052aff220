"""Browsing, raising, supporting, following and discussing flags."""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nhs_citizen.assisted.services import flag_on_behalf
from nhs_citizen.conversations.presenters import conversations_on
from nhs_citizen.core.counting import cached_count
from nhs_citizen.core.models import Icb, Membership, Organisation, Region
from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.gather import presenters
from nhs_citizen.gather.feeds import flags_feed_href
from nhs_citizen.gather.forms import (
    CommentForm,
    EvidenceForm,
    FlagDetailsForm,
    FlagSearchForm,
    FlagStartForm,
    ReplyForm,
)
from nhs_citizen.gather.models import (
    Comment,
    DraftSearch,
    Evidence,
    Flag,
    FlagPeople,
    FlagStatus,
    Follow,
    Referral,
    Support,
)
from nhs_citizen.gather.search import filter_flag_list
from nhs_citizen.gather.services import flags as services
from nhs_citizen.gather.services import similar
from nhs_citizen.nhsuk_forms.errors import add_service_errors as _add_errors
from nhs_citizen.nhsuk_forms.errors import flash_errors

DRAFT_KEY = "gather.raise_flag_draft"


def _referrals_prefetch() -> Prefetch:
    return Prefetch(
        "referrals", queryset=Referral.objects.select_related("organisation", "response")
    )


def followed_flags(user):
    """The flags a person raised, supports or follows, most recently active first."""
    return (
        Flag.objects.listed()
        .filter(Q(raised_by=user) | Q(follows__user=user) | Q(supports__user=user))
        .distinct()
        .for_lists()
        .prefetch_related(_referrals_prefetch())
        .order_by("-last_activity_at", "-pk")
    )


ORDERINGS = {
    "supported": ("-support_count", "-last_activity_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "active": ("-last_activity_at", "-pk"),
}


def flag_list(request: HttpRequest) -> HttpResponse:
    form = FlagSearchForm(request.GET or None)
    flags, sort = filter_flag_list(Flag.objects.listed(), form)
    total = cached_count(flags, timeout=120)
    page, pagination = keyset_page(
        request,
        flags.for_lists().defer("embedding").prefetch_related(_referrals_prefetch()),
        ORDERINGS[sort],
        per_page=settings.NHS_CITIZEN["FLAGS_PER_PAGE"],
        total=total,
    )
    return render(
        request,
        "gather/flag_list.jinja",
        {
            "page_title": "Gather: flags",
            "search_form": form,
            "error_form": form,
            "page": page,
            "total": total,
            "cards": presenters.flag_cards(page.object_list),
            "pagination": pagination,
            "threshold": settings.NHS_CITIZEN["SUPPORT_THRESHOLD"],
            "feed_href": flags_feed_href(form),
        },
    )


COMMENTS_PER_PAGE = 50
EVIDENCE_SHOWN = 50
DECISIONS_SHOWN = 20


def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(
        Flag.objects.select_related(
            "topic", "region", "icb__region", "raised_by", "raised_for", "merged_into", "roundup"
        )
        .defer("embedding", "merged_into__embedding")
        .prefetch_related(_referrals_prefetch()),
        pk=pk,
    )
    if flag.status == FlagStatus.MERGED and flag.merged_into_id:
        # The old address of a merged flag takes people to the flag it became.
        return redirect(flag.merged_into.get_absolute_url(), permanent=True)
    user = request.user
    supports = follows = False
    if user.is_authenticated:
        supports = Support.objects.filter(flag=flag, user=user).exists()
        follows = Follow.objects.filter(flag=flag, user=user).exists()
    words, colour = presenters.status_line(flag)
    threshold = settings.NHS_CITIZEN["SUPPORT_THRESHOLD"]
    threads_page, comment_pagination = presenters.threads_page(
        request, flag, per_page=COMMENTS_PER_PAGE
    )
    evidence = list(flag.evidence.select_related("added_by")[: EVIDENCE_SHOWN + 1])
    referrals = presenters.referral_rows(flag.referrals.all())
    loop = presenters.loop(flag, referrals)
    return render(
        request,
        "gather/flag_detail.jinja",
        {
            "page_title": flag.title if not flag.is_hidden else "Hidden flag",
            "flag": flag,
            "status": words,
            "status_colour": colour,
            "threshold": threshold,
            "progress": min(flag.support_count, threshold),
            "supports": supports,
            "follows": follows,
            "roundup": getattr(flag, "roundup", None),
            "referrals": referrals,
            "board_commitments": loop["board_commitments"],
            "more_commitments": loop["more"],
            "decisions": flag.review_decisions.all()[:DECISIONS_SHOWN],
            "evidence": evidence[:EVIDENCE_SHOWN],
            "more_evidence": len(evidence) > EVIDENCE_SHOWN,
            "threads": threads_page.object_list,
            "comment_pagination": comment_pagination,
            "timeline": presenters.timeline_links(presenters.timeline(flag), loop["answer_of"]),
            "similar": [] if flag.is_hidden else similar.similar_flags_for(flag, limit=3),
            "comment_form": CommentForm(),
            "evidence_form": EvidenceForm(),
            "follower_count": services.follower_count(flag),
            "on_behalf": flag_on_behalf(flag),
            "conversations": conversations_on(flag=flag),
        },
    )


@login_required
def raise_flag(request: HttpRequest) -> HttpResponse:
    """Step 1: what it is about. Step 2 (?step=similar): flags like it. Step 3 (?step=details)."""
    step = request.GET.get("step", "start")
    draft = request.session.get(DRAFT_KEY)
    if step == "similar" and draft:
        return _raise_similar(request, draft)
    if step == "details" and draft:
        return _raise_details(request, draft)
    form = FlagStartForm(request.POST or None, initial=draft)
    if request.method == "POST" and form.is_valid():
        title = " ".join(form.cleaned_data["title"].split())
        what = form.cleaned_data["what_should_change"].strip()
        search = similar.do_start_draft_search(
            user=request.user, title=title, what_should_change=what
        )
        request.session[DRAFT_KEY] = {
            "title": title,
            "what_should_change": what,
            "search": search.key,
        }
        return redirect(f"{request.path}?step=similar")
    return render(request, "gather/raise_start.jinja", {"page_title": "Raise a flag", "form": form})


def _raise_similar(request: HttpRequest, draft: dict) -> HttpResponse:
    """Flags like yours, found by a background job: until it has finished, a page that looks
    again every 2 seconds by itself (no JavaScript needed), with a way to skip."""
    search = DraftSearch.objects.filter(key=draft.get("search") or "", user=request.user).first()
    state = similar.draft_search_state(search)
    cards = presenters.flag_cards(similar.flags_in_order(search.flag_ids)) if search else []
    return render(
        request,
        "gather/raise_similar.jinja",
        {
            "page_title": "Looking for flags like yours"
            if state == "waiting"
            else "Flags like yours",
            "draft": draft,
            "state": state,
            "cards": cards,
        },
    )


def _raise_details(request: HttpRequest, draft: dict) -> HttpResponse:
    organisations = Organisation.objects.filter(
        pk__in=Membership.objects.verified().filter(user=request.user).values("organisation_id")
    )
    form = FlagDetailsForm(
        request.POST or None, request.FILES or None, organisations=organisations or None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            flag = services.check_raise_flag(
                user=request.user,
                title=draft["title"],
                what_should_change=draft["what_should_change"],
                why=data["why"],
                topic=data["topic"],
                place=form.place(),
                raised_for=data.get("raised_for"),
                evidence_links=[(link, link) for link in data["links"]],
                evidence_files=[("", data["file"])] if data.get("file") else [],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            request.session.pop(DRAFT_KEY, None)
            messages.success(
                request, "Your flag has been raised. Share it so that others can support it."
            )
            return redirect(flag)
    return render(
        request,
        "gather/raise_details.jinja",
        {
            "page_title": "Tell us more about your flag",
            "form": form,
            "draft": draft,
            "regions": Region.objects.all(),
            "icbs": Icb.objects.all(),
        },
    )


def _flag_for_action(pk: int) -> Flag:
    return get_object_or_404(Flag, pk=pk)


@login_required
@require_POST
def support_flag(request: HttpRequest, pk: int) -> HttpResponse:
    flag = _flag_for_action(pk)
    try:
        added = services.do_support_flag(user=request.user, flag=flag)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if added:
            messages.success(
                request, "You support this flag. We will tell you when anything happens to it."
            )
        else:
            messages.info(
                request, "You already support this flag. Each person can support a flag once."
            )
    return redirect(flag.merged_into or flag if flag.status == FlagStatus.MERGED else flag)


@login_required
@require_POST
def withdraw_support(request: HttpRequest, pk: int) -> HttpResponse:
    flag = _flag_for_action(pk)
    try:
        if services.do_withdraw_support(user=request.user, flag=flag):
            messages.success(request, "You no longer support this flag.")
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(flag)


@login_required
@require_POST
def follow_flag(request: HttpRequest, pk: int) -> HttpResponse:
    flag = _flag_for_action(pk)
    services.do_follow_flag(user=request.user, flag=flag)
    messages.success(
        request, "You are following this flag. We will tell you when anything happens to it."
    )
    return redirect(flag)


@login_required
@require_POST
def unfollow_flag(request: HttpRequest, pk: int) -> HttpResponse:
    flag = _flag_for_action(pk)
    services.do_unfollow_flag(user=request.user, flag=flag)
    messages.success(request, "You are no longer following this flag.")
    return redirect(flag)


@login_required
def add_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Comments are posted from the flag page; replies, and any errors, use this page."""
    flag = _flag_for_action(pk)
    parent = None
    if reply_to := request.GET.get("reply_to") or request.POST.get("reply_to"):
        parent = get_object_or_404(
            Comment, pk=reply_to if str(reply_to).isdigit() else 0, flag=flag
        )
    form = (ReplyForm if parent else CommentForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.check_add_comment(
                user=request.user,
                flag=flag,
                body=form.cleaned_data["body"],
                stance=form.cleaned_data.get("stance", "comment"),
                parent=parent,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your comment has been added.")
            return redirect(f"{flag.get_absolute_url()}#comment-{comment.pk}")
    return render(
        request,
        "gather/add_comment.jinja",
        {
            "page_title": "Reply to a comment" if parent else "Add a comment",
            "flag": flag,
            "parent": parent,
            "form": form,
        },
    )


@login_required
def add_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    flag = _flag_for_action(pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = services.check_add_evidence(
                user=request.user,
                flag=flag,
                title=form.cleaned_data["title"],
                url=form.cleaned_data.get("url") or "",
                upload=form.cleaned_data.get("file"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your evidence has been added.")
            return redirect(f"{flag.get_absolute_url()}#evidence-{evidence.pk}")
    return render(
        request,
        "gather/add_evidence.jinja",
        {"page_title": "Add evidence", "flag": flag, "form": form},
    )


def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("flag"), pk=pk)
    if not evidence.file or evidence.hidden_at or evidence.flag.hidden_at:
        raise Http404
    extension = os.path.splitext(evidence.file.name)[1]
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.file_type)
    # Served with the type we checked when it was uploaded, and never run as a page.
    response["Content-Disposition"] = f'inline; filename="evidence-{evidence.pk}{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; object-src 'self'"
    return response


SUPPORTERS_PER_PAGE = 50


def people_like_you(request: HttpRequest, pk: int) -> HttpResponse:
    """People who support this flag (a page at a time), people who support flags on the same
    topic or in the same area (lists a background job keeps), and flags like this one. Built only
    from what people have done in public (supporting flags), never from profiles."""
    flag = get_object_or_404(Flag.objects.select_related("topic", "region", "icb", "people"), pk=pk)
    stored = getattr(flag, "people", None)
    if similar.people_need_finding(stored):
        similar.do_ask_for_people(flag)
        stored = FlagPeople.objects.filter(flag=flag).first()
    same_topic, same_area = similar.people_lists_for(flag, stored)
    supporters, pagination = keyset_page(
        request,
        Support.objects.filter(flag=flag, user__deleted_at__isnull=True).select_related("user"),
        ("-pk",),
        per_page=SUPPORTERS_PER_PAGE,
    )
    return render(
        request,
        "gather/people.jinja",
        {
            "page_title": "People who care about this",
            "flag": flag,
            "supporters": [support.user for support in supporters],
            "pagination": pagination,
            "lists_ready": same_topic is not None,
            "same_topic": same_topic or [],
            "same_area": same_area or [],
            "similar": presenters.flag_cards(similar.similar_flags_for(flag, cards=True)),
        },
    )

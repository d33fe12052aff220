"""Conversation pages: taking part, the report, statements, opening one, and downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from nhs_citizen.conversations import presenters
from nhs_citizen.conversations.forms import (
    ChangeConversationForm,
    CloseConversationForm,
    HideStatementForm,
    OpenConversationForm,
    StatementForm,
    VoteForm,
)
from nhs_citizen.conversations.models import Choice, Conversation, Statement
from nhs_citizen.conversations.moderation import KIND
from nhs_citizen.conversations.services import conversations as opening
from nhs_citizen.conversations.services import statements as statement_services
from nhs_citizen.conversations.services import votes as vote_services
from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.nhsuk_forms.errors import add_service_errors as _add_errors
from nhs_citizen.nhsuk_forms.errors import flash_errors

CONVERSATIONS_PER_PAGE = 20
OWN_VOTES_SHOWN = 200


def _conversation(slug: str) -> Conversation:
    return get_object_or_404(
        Conversation.objects.select_related("flag", "agenda_item__meeting__cycle", "call"),
        slug=slug,
    )


def _wants_fragment(request: HttpRequest) -> bool:
    # The page's script asks for just the next statement; everyone else gets whole pages.
    return request.headers.get("X-Requested-With") == "conversation-vote"


def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = Conversation.objects.select_related("flag", "agenda_item", "call")
    page, pagination = keyset_page(
        request, conversations, ("-opens_at", "-pk"), CONVERSATIONS_PER_PAGE
    )
    return render(
        request,
        "conversations/list.jinja",
        {"page_title": "Conversations", "page": page, "pagination": pagination},
    )


def _next_context(request, conversation, participant) -> dict:
    statement = vote_services.next_statement(conversation, participant)
    return {
        "conversation": conversation,
        "next_statement": statement,
        "remaining": vote_services.remaining_count(conversation, participant) if statement else 0,
        "choices": Choice,
        "is_open": conversation.is_open(),
    }


def conversation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Taking part: the next statement to vote on, adding one, and one's own votes."""
    conversation = _conversation(slug)
    participant = vote_services.participant_for(conversation, request.user)
    own_votes = []
    if participant is not None:
        own_votes = list(
            participant.votes.filter(statement__hidden_at__isnull=True)
            .select_related("statement")
            .order_by("-voted_at", "-pk")[:OWN_VOTES_SHOWN]
        )
    return render(
        request,
        "conversations/detail.jinja",
        {
            "page_title": conversation.question,
            **_next_context(request, conversation, participant),
            "attached": presenters.attached_to(conversation),
            "participant": participant,
            "own_votes": own_votes,
            "statement_form": StatementForm(),
            "statement_count": Statement.objects.public().filter(conversation=conversation).count(),
            "can_manage": request.user.has_perm("conversations.manage", conversation),
        },
    )


@require_POST
def vote(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    conversation = _conversation(slug)
    if not request.user.is_authenticated:
        if _wants_fragment(request):
            return JsonResponse({"error": "Sign in to vote."}, status=403)
        return redirect_to_login(conversation.get_absolute_url())
    statement = get_object_or_404(
        Statement.objects.select_related("conversation"), conversation=conversation, number=number
    )
    form = VoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Select agree, disagree or pass")
        voted = vote_services.check_vote(
            user=request.user, statement=statement, choice=form.cleaned_data["choice"]
        )
    except ValidationError as error:
        if _wants_fragment(request):
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        flash_errors(request, error, then="Your vote has not been saved.")
        return redirect(conversation)
    said = Choice(voted.vote.choice).label.lower()
    if voted.changed:
        message = f"You changed your vote on statement {statement.number} to {said}."
    else:
        message = f"Your vote on statement {statement.number} is saved: {said}."
    if _wants_fragment(request):
        participant = voted.vote.participant
        context = _next_context(request, conversation, participant)
        html = render_to_string(
            "conversations/_next_statement.jinja", {**context, "message": message}, request=request
        )
        return JsonResponse({"html": html, "message": message})
    messages.success(request, message)
    return redirect(f"{conversation.get_absolute_url()}#next")


@login_required
@require_POST
def add_statement(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = _conversation(slug)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            statement = statement_services.check_add_statement(
                user=request.user, conversation=conversation, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            note = " We took out what looked like personal details." if statement.redacted else ""
            messages.success(
                request,
                f"Thank you. Your statement is added as statement {statement.number}. Other "
                f"people will now vote on it.{note}",
            )
            return redirect(f"{conversation.get_absolute_url()}#add")
    participant = vote_services.participant_for(conversation, request.user)
    return render(
        request,
        "conversations/detail.jinja",
        {
            "page_title": f"Error: {conversation.question}",
            **_next_context(request, conversation, participant),
            "attached": presenters.attached_to(conversation),
            "participant": participant,
            "own_votes": [],
            "statement_form": form,
            "error_form": form,
            "statement_count": Statement.objects.public().filter(conversation=conversation).count(),
        },
        status=400,
    )


def report(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = _conversation(slug)
    participant = vote_services.participant_for(conversation, request.user)
    figures = presenters.report_for(conversation)
    your_group = None
    if participant is not None and participant.group is not None:
        your_group = next((g for g in figures.groups if g.index == participant.group), None)
    return render(
        request,
        "conversations/report.jinja",
        {
            "page_title": f"What people think: {conversation.question}",
            "conversation": conversation,
            "attached": presenters.attached_to(conversation),
            "report": figures,
            "participant": participant,
            "your_group": your_group,
            "map_svg": presenters.map_svg(figures.result, participant),
        },
    )


def statement_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    conversation = _conversation(slug)
    statement = get_object_or_404(
        Statement.objects.select_related("author"), conversation=conversation, number=number
    )
    can_hide = request.user.has_perm("conversations.hide_statement")
    return render(
        request,
        "conversations/statement.jinja",
        {
            "page_title": "This statement has been hidden"
            if statement.is_hidden
            else f"Statement {number}",
            "conversation": conversation,
            "statement": statement,
            "can_hide": can_hide,
            "is_author": request.user.is_authenticated and statement.author_id == request.user.pk,
            "kind": KIND,
        },
    )


def hide_statement(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Curators (and moderators) hide a statement here, through the moderation service, so it
    is in the moderation log and its author can appeal."""
    from nhs_citizen.moderation.services import check_hide

    if not request.user.has_perm("conversations.hide_statement"):
        raise Http404
    conversation = _conversation(slug)
    statement = get_object_or_404(Statement, conversation=conversation, number=number)
    form = HideStatementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            check_hide(
                moderator=request.user,
                kind=KIND,
                object_id=statement.pk,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Statement {number} is hidden. Everyone will see your reason in its place.",
            )
            return redirect(statement.get_absolute_url())
    return render(
        request,
        "conversations/hide_statement.jinja",
        {
            "page_title": f"Hide statement {number}",
            "conversation": conversation,
            "statement": statement,
            "form": form,
        },
    )


def _open(request: HttpRequest, *, flag=None, agenda_item=None, call=None, back) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        opening._check_opener(request.user, flag=flag, agenda_item=agenda_item, call=call)
    except ValidationError:
        raise Http404 from None
    form = OpenConversationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = opening.check_open_conversation(
                opener=request.user,
                question=form.cleaned_data["question"],
                about=form.cleaned_data["about"],
                seeds=form.cleaned_data["seeds"],
                closes_at=form.cleaned_data["closes_on"],
                flag=flag,
                agenda_item=agenda_item,
                call=call,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, "The conversation is open. People can now vote on its statements."
            )
            return redirect(conversation)
    what, title, href = back
    return render(
        request,
        "conversations/open.jinja",
        {
            "page_title": "Open a conversation",
            "form": form,
            "what": what,
            "title": title,
            "back_href": href,
        },
    )


def open_on_flag(request: HttpRequest, flag_pk: int) -> HttpResponse:
    from nhs_citizen.gather.models import Flag

    flag = get_object_or_404(Flag, pk=flag_pk)
    return _open(request, flag=flag, back=("flag", flag.title, flag.get_absolute_url()))


def open_on_agenda_item(request: HttpRequest, cycle_slug: str, item_pk: int) -> HttpResponse:
    from nhs_citizen.meetings.views.common import get_item

    item = get_item(cycle_slug, item_pk)
    href = reverse("meetings:item_detail", args=[cycle_slug, item.pk])
    return _open(request, agenda_item=item, back=("agenda item", item.title, href))


def open_on_call(request: HttpRequest, call_pk: int) -> HttpResponse:
    from nhs_citizen.gather.models import CallForViews

    call = get_object_or_404(CallForViews.objects.select_related("organisation"), pk=call_pk)
    href = reverse("gather:call_detail", args=[call.pk])
    return _open(request, call=call, back=("call for views", call.title, href))


def _managed(request: HttpRequest, slug: str) -> Conversation:
    """The conversation, if the signed-in person may change it; otherwise not found."""
    conversation = _conversation(slug)
    if not request.user.has_perm("conversations.manage", conversation):
        raise Http404
    return conversation


def _last_day(conversation: Conversation) -> str:
    """The closing date as the form reads it back: the last day people can vote, in words."""
    from nhs_citizen.core.dates import when_words

    return when_words(conversation.last_day)


def change_conversation(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    conversation = _managed(request, slug)
    if not conversation.is_open() and conversation.has_started():
        messages.info(request, "This conversation has closed. It can no longer be changed.")
        return redirect(conversation)
    form = ChangeConversationForm(
        request.POST if request.method == "POST" else None,
        initial={"question": conversation.question, "closes_on": _last_day(conversation)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            opening.check_change_conversation(
                actor=request.user,
                conversation=conversation,
                question=form.cleaned_data["question"],
                closes_at=form.cleaned_data["closes_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The conversation is changed. The public log shows why.")
            return redirect(conversation)
    return render(
        request,
        "conversations/change.jinja",
        {"page_title": "Change the conversation", "conversation": conversation, "form": form},
        status=400 if form.errors else 200,
    )


def close_conversation(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    conversation = _managed(request, slug)
    if not conversation.is_open():
        messages.info(request, "This conversation is not open, so it cannot be closed.")
        return redirect(conversation)
    form = CloseConversationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            opening.check_close_conversation(
                actor=request.user, conversation=conversation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                "The conversation is closed. People can still read it. The final map will be "
                "ready in a few minutes.",
            )
            return redirect(conversation)
    return render(
        request,
        "conversations/close.jinja",
        {"page_title": "Close the conversation now", "conversation": conversation, "form": form},
        status=400 if form.errors else 200,
    )


def download(request: HttpRequest, slug: str, filename: str) -> HttpResponse:
    """The conversation in Pol.is's openData format: public statements only, participants as
    numbers, no names."""
    from nhs_citizen.conversations.downloads import polis_file_response

    response = polis_file_response(_conversation(slug), filename)
    if response is None:
        raise Http404
    return response

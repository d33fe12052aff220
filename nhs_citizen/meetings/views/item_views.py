"""An agenda item: its information pack, the workshop notes and the remote participants'
thread; and the pages to edit it, add to its pack, record notes, post, and hide posts."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.conversations.presenters import conversation_open_href, conversations_on
from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.discover.queries import topics_near
from nhs_citizen.meetings import presenters
from nhs_citizen.meetings.forms import (
    AgendaItemForm,
    PackDocumentForm,
    RemotePostForm,
    WorkshopNoteForm,
)
from nhs_citizen.meetings.models import PackDocument, RemotePost
from nhs_citizen.meetings.services import meetings as meeting_services
from nhs_citizen.meetings.services import workshops
from nhs_citizen.meetings.views.common import get_item
from nhs_citizen.nhsuk_forms.errors import add_service_errors as add_errors
from nhs_citizen.nhsuk_forms.errors import flash_errors

POSTS_PER_PAGE = 50


def item_detail(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    item = get_item(cycle_slug, pk)
    meeting = item.meeting
    flag = item.entry.flag
    user = request.user
    posts, posts_pagination = keyset_page(
        request, presenters.thread(item), presenters.THREAD_ORDER, POSTS_PER_PAGE
    )
    if posts_pagination:
        for link in posts_pagination.values():
            link["href"] += "#thread"
    return render(
        request,
        "meetings/item_detail.jinja",
        {
            "page_title": item.title,
            "item": item,
            "meeting": meeting,
            "cycle": meeting.cycle,
            "flag": flag,
            "jury_reasons": presenters.jury_reasons(item),
            "documents": list(item.documents.all()),
            "conversations": conversations_on(agenda_item=item),
            "conversation_open_href": conversation_open_href(user, item),
            "roundup": presenters.roundup_of(flag),
            "evidence": list(flag.evidence.filter(hidden_at__isnull=True)),
            "topic_flags": presenters.topic_flags(flag),
            "discover_topics": topics_near(flag.embedding),
            "question_notes": presenters.notes_by_question(item),
            "posts": posts.object_list,
            "posts_page": posts,
            "posts_pagination": posts_pagination,
            "post_form": RemotePostForm() if meeting.remote_posting_open else None,
            "board_response_url": presenters.board_response_url(item),
            "commissions": list(item.commissions.all()),
            "can_manage": user.has_perm("meetings.manage_meeting"),
            "can_record_notes": user.has_perm("meetings.record_notes"),
            "can_hide": user.has_perm("meetings.hide_remote_post"),
        },
    )


@permission_required("meetings.manage_meeting", raise_exception=True)
def edit_item(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    item = get_item(cycle_slug, pk)
    form = AgendaItemForm(
        request.POST or None, initial={"title": item.title, "briefing": item.briefing}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.check_edit_agenda_item(
                secretariat=request.user, item=item, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The agenda item has been saved.")
            return redirect(item)
    return render(
        request,
        "meetings/edit_item.jinja",
        {"page_title": "Edit the agenda item", "item": item, "form": form},
    )


@permission_required("meetings.manage_meeting", raise_exception=True)
@require_POST
def move_item(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    item = get_item(cycle_slug, pk)
    try:
        meeting_services.do_move_agenda_item(
            secretariat=request.user, item=item, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("meetings:manage_agenda", cycle_slug)


@permission_required("meetings.manage_meeting", raise_exception=True)
def add_document(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    item = get_item(cycle_slug, pk)
    form = PackDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = meeting_services.check_add_pack_document(
                secretariat=request.user,
                item=item,
                title=form.cleaned_data["title"],
                url=form.cleaned_data.get("url") or "",
                upload=form.cleaned_data.get("file"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The document has been added to the information pack.")
            return redirect(f"{item.get_absolute_url()}#document-{document.pk}")
    return render(
        request,
        "meetings/add_document.jinja",
        {"page_title": "Add a document to the information pack", "item": item, "form": form},
    )


@permission_required("meetings.manage_meeting", raise_exception=True)
@require_POST
def remove_document(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    document = get_object_or_404(
        PackDocument.objects.select_related("item__meeting__cycle"),
        pk=pk,
        item__meeting__cycle__slug=cycle_slug,
    )
    item = document.item
    meeting_services.do_remove_pack_document(secretariat=request.user, document=document)
    messages.success(request, f"“{document.title}” has been removed from the information pack.")
    return redirect(f"{item.get_absolute_url()}#pack")


def document_file(request: HttpRequest, cycle_slug: str, pk: int) -> FileResponse:
    document = get_object_or_404(PackDocument, pk=pk, item__meeting__cycle__slug=cycle_slug)
    if not document.file:
        raise Http404
    extension = os.path.splitext(document.file.name)[1]
    response = FileResponse(document.file.open("rb"), content_type=document.file_type)
    # Served with the type checked when it was uploaded, and never run as a page.
    response["Content-Disposition"] = (
        f'inline; filename="information-pack-{document.pk}{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; object-src 'self'"
    return response


@permission_required("meetings.record_notes", raise_exception=True)
def record_note(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    item = get_item(cycle_slug, pk)
    form = WorkshopNoteForm(request.POST or None, initial={"question": request.GET.get("question")})
    if request.method == "POST" and form.is_valid():
        try:
            note = workshops.check_record_workshop_note(
                facilitator=request.user, item=item, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"The note from {note.table} has been recorded.")
            return redirect(f"{item.get_absolute_url()}#note-{note.pk}")
    return render(
        request,
        "meetings/record_note.jinja",
        {"page_title": "Record a workshop note", "item": item, "form": form},
    )


@login_required
def post_to_thread(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    """Posts are sent from the item page; this page shows any errors, and says plainly when
    posting is closed."""
    item = get_item(cycle_slug, pk)
    form = RemotePostForm(request.POST or None)
    closed = not workshops.posting_is_open(item)
    if request.method == "POST" and form.is_valid():
        try:
            post = workshops.check_post_remotely(user=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            closed = not workshops.posting_is_open(item)
        else:
            messages.success(request, "Your post has been added to the thread.")
            return redirect(f"{item.get_absolute_url()}#post-{post.pk}")
    return render(
        request,
        "meetings/post_to_thread.jinja",
        {
            "page_title": "Post to the thread",
            "item": item,
            "form": form,
            "closed": closed,
            "closed_message": workshops.POSTING_CLOSED,
        },
        status=403 if closed and request.method == "POST" else 200,
    )


# Hiding is the moderation app's, like every other kind of content (ADR 0025). This address
# stays, and leads to its page for the post.
@permission_required("meetings.hide_remote_post", raise_exception=True)
def hide_post(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    post = get_object_or_404(RemotePost, pk=pk, item__meeting__cycle__slug=cycle_slug)
    return redirect("moderation:decide", "remote_post", post.pk)

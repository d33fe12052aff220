"""Reporting, the moderators' queue and decisions, appeals, and the public moderation log."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from rules.contrib.views import permission_required

from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.pagination import keyset_page, paginate
from nhs_citizen.moderation import services
from nhs_citizen.moderation.forms import (
    DISMISS,
    HIDE,
    KEEP_HIDDEN,
    RESTORE,
    AppealForm,
    ModerationDecisionForm,
    ReportForm,
)
from nhs_citizen.moderation.models import Appeal, Report
from nhs_citizen.moderation.presenters import (
    PUBLIC_ACTIONS,
    QUEUE_ORDER,
    ContentItem,
    load_item,
    log_rows,
    moderation_log_entries,
    open_counts,
    queue_for,
    queue_rows,
)
from nhs_citizen.nhsuk_forms.errors import add_service_errors

QUEUE_PER_PAGE = 20


def _content_or_404(request: HttpRequest, kind: str, pk: int) -> ContentItem:
    content = load_item(kind, pk)
    if content is None or not content.spec.visible_to(request.user, content.item):
        raise Http404("There is nothing to report here.")
    return content


def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Anyone can report anything public that someone else wrote. No account is needed."""
    content = _content_or_404(request, kind, pk)
    own = services.is_own(request.user, kind, content.item)
    already_reported = (
        request.user.is_authenticated
        and not own
        and Report.objects.open().about(kind, pk).filter(reporter=request.user).exists()
    )
    form = ReportForm(request.POST or None)
    can_report = not content.hidden_from_public and not already_reported and not own
    if request.method == "POST" and can_report and form.is_valid():
        try:
            services.check_report(
                reporter=request.user,
                kind=kind,
                object_id=pk,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                ip=get_adapter(request).get_client_ip(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("moderation:report_sent", kind, pk)
    return render(
        request,
        "moderation/report.jinja",
        {
            "page_title": f"Report this {content.noun}",
            "content": content,
            "form": form,
            "can_report": can_report,
            "already_reported": already_reported,
            "own": own,
        },
    )


def report_sent(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    content = _content_or_404(request, kind, pk)
    return render(
        request,
        "moderation/report_sent.jinja",
        {"page_title": "Thank you for your report", "content": content},
    )


@permission_required("moderation.see_queue", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    """Read from the stored queue a page at a time, oldest first."""
    page, pagination = keyset_page(request, queue_for(request.user), QUEUE_ORDER, QUEUE_PER_PAGE)
    return render(
        request,
        "moderation/queue.jinja",
        {
            "page_title": "Reports to check",
            "rows": queue_rows(page.object_list, request.user),
            "page": page,
            "pagination": pagination,
            "counts": open_counts(),
            "is_moderator": request.user.has_perm("moderation.moderate"),
        },
    )


def _decisions_for(
    content: ContentItem, has_reports: bool, appeal, may_moderate: bool, may_decide_appeal: bool
):
    if appeal is not None:
        # Only someone other than the moderator who hid it decides, either way.
        return [RESTORE, KEEP_HIDDEN] if may_decide_appeal else []
    if not may_moderate:
        return []
    if content.is_hidden:
        return [RESTORE]
    return [HIDE] + ([DISMISS] if has_reports else [])


@permission_required("moderation.see_queue", raise_exception=True)
def decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    content = _content_or_404(request, kind, pk)
    may_moderate = request.user.has_perm("moderation.moderate")
    open_reports = list(Report.objects.open().about(kind, pk).select_related("reporter"))
    appeal = (
        Appeal.objects.open().about(kind, pk).select_related("appellant", "assigned_to").first()
    )
    may_decide_appeal = services.may_decide_appeal(request.user, appeal)
    if not may_moderate and not may_decide_appeal:
        raise PermissionDenied("Only moderators, or the administrator an appeal was sent to.")
    hidden_by_you = bool(
        appeal is not None and appeal.hidden_by_id and appeal.hidden_by_id == request.user.pk
    )
    decisions = _decisions_for(content, bool(open_reports), appeal, may_moderate, may_decide_appeal)
    form = ModerationDecisionForm(request.POST or None, decisions=decisions)
    if request.method == "POST" and decisions and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == HIDE:
                services.check_hide(moderator=request.user, kind=kind, object_id=pk, reason=reason)
                done = f"You hid the {content.noun}. We have told the author why."
            elif decision == DISMISS:
                services.check_dismiss_reports(
                    moderator=request.user, kind=kind, object_id=pk, reason=reason
                )
                done = f"You left the {content.noun} in place and closed the reports about it."
            elif decision == RESTORE:
                services.check_restore(
                    moderator=request.user, kind=kind, object_id=pk, reason=reason
                )
                done = f"You put the {content.noun} back. We have told the author."
            else:  # KEEP_HIDDEN: the form offers it only when there is an appeal
                services.check_refuse_appeal(moderator=request.user, appeal=appeal, reason=reason)
                done = f"The {content.noun} stays hidden. We have told the author why."
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("moderation:queue")
    history = (
        AuditEntry.objects.public()
        .filter(
            action__in=list(PUBLIC_ACTIONS),
            target_type=content.item._meta.label_lower,
            target_id=str(pk),
        )
        .select_related("actor")
        .order_by("-sequence")
    )
    past_reports = Report.objects.about(kind, pk).exclude(status="open").order_by("-created_at")
    return render(
        request,
        "moderation/decide.jinja",
        {
            "page_title": f"Check this {content.noun}",
            "content": content,
            "open_reports": open_reports,
            "past_reports": past_reports,
            "appeal": appeal,
            "hidden_by_you": hidden_by_you,
            "history": log_rows(history),
            "form": form,
            "decisions": decisions,
        },
    )


@login_required
def appeal(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The author of something hidden asks for the decision to be looked at again."""
    content = _content_or_404(request, kind, pk)
    item = content.item
    if content.spec.author_id(item) != request.user.pk:
        raise PermissionDenied("Only the person who wrote it can appeal.")
    already = (
        services.is_hidden(item)
        and Appeal.objects.about(kind, pk).filter(created_at__gte=item.hidden_at).exists()
    )
    form = AppealForm(request.POST or None)
    can_appeal = services.is_hidden(item) and not already
    if request.method == "POST" and can_appeal and form.is_valid():
        try:
            services.check_appeal(
                appellant=request.user, kind=kind, object_id=pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                (
                    "We have your appeal. Someone other than the moderator who hid it will "
                    "look at it and tell you what they decide."
                ),
            )
            return redirect(content.url)
    return render(
        request,
        "moderation/appeal.jinja",
        {
            "page_title": f"Appeal against hiding your {content.noun}",
            "content": content,
            "form": form,
            "can_appeal": can_appeal,
            "already": already,
        },
    )


def moderation_log(request: HttpRequest) -> HttpResponse:
    page, pagination = paginate(request, moderation_log_entries(), per_page=25)
    return render(
        request,
        "moderation/moderation_log.jinja",
        {
            "page_title": "Moderation log",
            "rows": log_rows(page.object_list),
            "page": page,
            "pagination": pagination,
        },
    )

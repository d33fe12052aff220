"""E-mail settings (signed in) and unsubscribing from a link in an e-mail (not signed in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from nhs_citizen.notifications import emails, services
from nhs_citizen.notifications.forms import EmailSettingsForm
from nhs_citizen.notifications.kinds import Kind


@login_required
def email_settings(request: HttpRequest) -> HttpResponse:
    current = services.preferences_for(request.user)
    form = EmailSettingsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_set_preferences(user=request.user, choices=form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, "Your email choices have been saved.")
            return redirect("accounts:your_account")
    return render(
        request,
        "notifications/email_settings.jinja",
        {"page_title": "How often we email you", "form": form},
    )


@csrf_exempt  # a mail provider's one-click POST (RFC 8058) has no cookie and no token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST (the button, or the mail provider's one-click request)
    turns the e-mails off at once. The signed link is the proof: no signing in."""
    found = emails.read_unsubscribe_token(token)
    if found is None:
        return render(
            request,
            "notifications/unsubscribe_bad_link.jinja",
            {"page_title": "This link does not work"},
            status=400,
        )
    user_id, kinds = found
    labels = [Kind(k).label.lower() for k in kinds]
    if request.method == "POST":
        changed = services.do_unsubscribe(user_id=user_id, kinds=kinds)
        return render(
            request,
            "notifications/unsubscribed.jinja",
            {"page_title": "You have unsubscribed", "labels": labels, "changed": bool(changed)},
        )
    return render(
        request,
        "notifications/unsubscribe.jinja",
        {"page_title": "Stop these emails", "labels": labels},
    )

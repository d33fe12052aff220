"""Telling us directly, and hosts uploading notes from an event."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from nhs_citizen.core.models import Icb, Organisation, Region
from nhs_citizen.core.words import count_words
from nhs_citizen.discover.connectors.tabular import Table, TableError, guess_mapping, read_table
from nhs_citizen.discover.forms import MappingForm, TellUsForm, UploadForm
from nhs_citizen.discover.models import PendingUpload
from nhs_citizen.discover.services import ingest
from nhs_citizen.nhsuk_forms.errors import add_service_errors as _add_errors

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def tell_us(request: HttpRequest) -> HttpResponse:
    form = TellUsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ingest.check_tell_us(
                user=request.user,
                text=data["text"],
                place_text=data.get("place_text", ""),
                region=data.get("region"),
                icb=data.get("icb"),
                ip=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("discover:tell_us_done")
    return render(
        request,
        "discover/tell_us.jinja",
        {"page_title": "Tell us what matters to you", "form": form},
    )


def tell_us_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "discover/tell_us_done.jinja",
        {
            "page_title": "Thank you for telling us",
            # Visitors' messages wait for a curator (services/ingest.py).
            "checked_first": not request.user.is_authenticated,
        },
    )


def _organisations_for(user):
    if user.has_perm("discover.curate"):
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(
        memberships__user=user, memberships__verified_at__isnull=False
    ).order_by("name")


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("discover.upload_notes"):
        raise PermissionDenied
    curator = request.user.has_perm("discover.curate")
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        organisations=_organisations_for(request.user),
        allow_none=curator,
    )
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            if upload_file.size > MAX_UPLOAD_BYTES:
                raise TableError("The file must be smaller than 5MB")
            table = read_table(upload_file.read(), upload_file.name)
        except TableError as error:
            form.add_error("file", str(error))
        else:
            data = form.cleaned_data
            with transaction.atomic():
                PendingUpload.objects.filter(
                    created_at__lt=timezone.now() - dt.timedelta(days=1)
                ).delete()
                pending = PendingUpload.objects.create(
                    owner=request.user,
                    filename=upload_file.name[:200],
                    headers=table.headers,
                    rows=table.rows,
                    details={
                        "event_name": data["event_name"],
                        "event_date": data["event_date"].isoformat(),
                        "organisation": data["organisation"].pk
                        if data.get("organisation")
                        else None,
                        "group_name": data.get("group_name", ""),
                        "region": data["region"].pk if data.get("region") else None,
                        "icb": data["icb"].pk if data.get("icb") else None,
                        "question": " ".join((data.get("question") or "").split()),
                    },
                )
            return redirect("discover:upload_columns", pending.pk)
    return render(
        request,
        "discover/upload.jinja",
        {"page_title": "Add notes from an event", "form": form},
    )


@login_required
def upload_columns(request: HttpRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(PendingUpload, pk=pk, owner=request.user)
    table = Table(headers=list(pending.headers), rows=[list(r) for r in pending.rows])
    initial = {k: v or "" for k, v in guess_mapping(table.headers).items()}
    form = MappingForm(request.POST or None, headers=table.headers, initial=initial)
    if request.method == "POST" and form.is_valid():
        details = pending.details
        mapping = {name: form.cleaned_data.get(name) or None for name in ingest.FIELDS}
        try:
            result = ingest.check_upload(
                user=request.user,
                event_name=details["event_name"],
                event_date=dt.date.fromisoformat(details["event_date"]),
                organisation=Organisation.objects.filter(pk=details["organisation"]).first()
                if details["organisation"]
                else None,
                group_name=details["group_name"],
                region=Region.objects.filter(pk=details["region"]).first()
                if details["region"]
                else None,
                icb=Icb.objects.filter(pk=details["icb"]).first() if details["icb"] else None,
                table=table,
                mapping=mapping,
                skip_bad_rows=form.cleaned_data.get("skip_bad_rows", False),
                question=details.get("question", ""),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            pending.delete()
            r = result.result
            text = f"We added {r.new} comment{'s' if r.new != 1 else ''} from your file."
            if r.already_had:
                text += f" {r.already_had} were already here, so we did not add them again."
            if result.row_errors:
                text += f" We left out {count_words(len(result.row_errors), 'row')} with problems."
            text += " They will appear below once names and contact details have been taken out."
            messages.success(request, text)
            return redirect("discover:source_detail", result.source.pk)
    return render(
        request,
        "discover/upload_columns.jinja",
        {
            "page_title": "Match your columns",
            "form": form,
            "pending": pending,
            "preview_headers": table.headers,
            "preview_rows": table.rows[:3],
            # The question for the whole event, for rows with no question of their own.
            "event_question": pending.details.get("question", ""),
        },
    )

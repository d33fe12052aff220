"""Community helpers' pages. Everything about a person is for the organisation's confirmed
members only; moderators see the activity without names or contact details."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.assisted import presenters, services
from nhs_citizen.assisted.forms import (
    CallChoiceForm,
    LookUpForm,
    PersonForm,
    RecordAnswersForm,
    RecordFlagForm,
    RecordPoolEntryForm,
    RecordStoryForm,
    RecordSupportForm,
)
from nhs_citizen.assisted.models import OfflinePerson, OnBehalfRecord
from nhs_citizen.assisted.rules import (
    COMMUNITY_TYPES,
    SECRETARIAT_ORGANISATION,
    is_secretariat_organisation,
)
from nhs_citizen.core.models import Membership, Organisation
from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.gather.models import Flag
from nhs_citizen.nhsuk_forms.errors import add_service_errors

ACTIVITY_PER_PAGE = 50
PEOPLE_SHOWN = 20


def about(request: HttpRequest) -> HttpResponse:
    """For everyone: what "recorded by ... for a local resident" means."""
    return render(request, "assisted/about.jinja", {"page_title": "Community helpers"})


def _flag_param(request: HttpRequest) -> str:
    """The flag a helper came from (?flag=123), carried to the support form; digits only."""
    value = request.GET.get("flag", "")
    return value if value.isdigit() and len(value) < 12 else ""


def _with_flag(url: str, flag: str) -> str:
    return f"{url}?flag={flag}" if flag else url


def _organisation_for_helper(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("assisted.record_for", organisation):
        raise PermissionDenied("Only confirmed members of this organisation can see this page.")
    return organisation


def _person(organisation: Organisation, reference: str) -> OfflinePerson:
    person = services.find_person(organisation, reference)
    if person is None:
        raise Http404("No person has that reference here.")
    return person


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The organisations this person helps for (for the secretariat, NHS England, for paper
    forms); moderators also get every organisation's activity."""
    helping = Organisation.objects.filter(
        memberships__user=request.user,
        memberships__verified_at__isnull=False,
        memberships__role=Membership.Role.MEMBER,
        type__in=COMMUNITY_TYPES,
    )
    if request.user.has_perm("assisted.type_in_paper"):
        helping = helping | Organisation.objects.filter(slug=SECRETARIAT_ORGANISATION)
    organisations = list(helping.distinct().order_by("name"))
    moderator = request.user.has_perm("assisted.see_all_activity")
    if not organisations and not moderator:
        raise PermissionDenied(
            "Only confirmed members of Healthwatch, a patient group or a charity can record for people."
        )
    flag = _flag_param(request)
    if len(organisations) == 1 and not moderator:
        return redirect(
            _with_flag(reverse("assisted:organisation", args=[organisations[0].slug]), flag)
        )
    return render(
        request,
        "assisted/home.jinja",
        {
            "page_title": "Record for people who are offline",
            "organisations": organisations,
            "moderator": moderator,
            "flag": flag,
        },
    )


@login_required
@permission_required("assisted.type_in_paper", raise_exception=True)
def paper_forms(request: HttpRequest) -> HttpResponse:
    """The secretariat's way in: paper forms posted to NHS England are typed in for it, on
    the same page as a helper's organisation page."""
    return organisation_home(request, SECRETARIAT_ORGANISATION)


@login_required
def organisation_home(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_helper(request, slug)
    looking = "reference" in request.GET
    form = LookUpForm(request.GET if looking else None)
    not_found = ""
    if looking and form.is_valid():
        person = services.find_person(organisation, form.cleaned_data["reference"])
        if person is not None:
            return redirect(
                _with_flag(
                    reverse("assisted:person", args=[organisation.slug, person.reference]),
                    _flag_param(request),
                )
            )
        not_found = form.cleaned_data["reference"].strip().upper()
        form.add_error(
            "reference",
            f"We cannot find {not_found} at {organisation.name}. Check the reference and try again",
        )
    people = list(
        OfflinePerson.objects.filter(organisation=organisation).order_by("-created_at", "-pk")[
            :PEOPLE_SHOWN
        ]
    )
    return render(
        request,
        "assisted/organisation.jinja",
        {
            "page_title": f"Record for people who are offline: {organisation.name}",
            "organisation": organisation,
            "form": form,
            "people": people,
            "flag": _flag_param(request),
            "paper_desk": is_secretariat_organisation(organisation),
        },
    )


@login_required
def add_person(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_helper(request, slug)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.check_add_person(
                helper=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Their reference is {person.reference}. Give it to them, so they can ask about what you record by phone or letter.",
            )
            return redirect(
                _with_flag(
                    reverse("assisted:person", args=[organisation.slug, person.reference]),
                    _flag_param(request),
                )
            )
    return render(
        request,
        "assisted/add_person.jinja",
        {"page_title": "Add a person to record for", "organisation": organisation, "form": form},
    )


@login_required
def person_detail(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = _organisation_for_helper(request, slug)
    person = _person(organisation, reference)
    records = person.records.select_related(
        "recorded_by", "flag", "call_submission__call", "story", "pool_member__pool"
    ).order_by("-recorded_at", "-pk")
    return render(
        request,
        "assisted/person.jinja",
        {
            "page_title": f"Person {person.reference}",
            "organisation": organisation,
            "person": person,
            "rows": presenters.record_rows(records, with_people=True),
            "flag": _flag_param(request),
        },
    )


@login_required
@require_POST
def forget_person(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = _organisation_for_helper(request, slug)
    person = _person(organisation, reference)
    services.do_forget_person(helper=request.user, person=person)
    messages.success(
        request,
        f"We removed the name and contact details of {person.reference}. What you recorded for them stays.",
    )
    return redirect("assisted:person", organisation.slug, person.reference)


@login_required
def record_flag(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = _organisation_for_helper(request, slug)
    person = _person(organisation, reference)
    form = RecordFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            flag = services.check_record_flag(
                helper=request.user,
                person=person,
                consent=form.consent(),
                title=data["title"],
                what_should_change=data["what_should_change"],
                why=data["why"],
                topic=data["topic"],
                place=form.place(),
                paper_reference=data.get("paper_reference", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            shows_as = (
                "sent in on paper"
                if is_secretariat_organisation(organisation)
                else f"recorded by {organisation.name} for a local resident"
            )
            messages.success(
                request,
                f"You recorded this flag for {person.reference}. It shows as {shows_as}.",
            )
            return redirect(flag)
    return render(
        request,
        "assisted/record_flag.jinja",
        {
            "page_title": "Record a flag for someone",
            "organisation": organisation,
            "person": person,
            "form": form,
            "paper_desk": is_secretariat_organisation(organisation),
        },
    )


@login_required
def record_support(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = _organisation_for_helper(request, slug)
    person = _person(organisation, reference)
    initial = {"flag": request.GET.get("flag", "")[:20]}
    form = RecordSupportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        flag = Flag.objects.filter(pk=form.cleaned_data["flag"]).first()
        if flag is None:
            form.add_error(
                "flag", f"There is no flag number {form.cleaned_data['flag']}. Check the number"
            )
        else:
            try:
                services.check_record_support(
                    helper=request.user,
                    person=person,
                    flag=flag,
                    consent=form.consent(),
                    paper_reference=form.cleaned_data.get("paper_reference", ""),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, f"You recorded {person.reference}'s support for “{flag.title}”."
                )
                return redirect("assisted:person", organisation.slug, person.reference)
    return render(
        request,
        "assisted/record_support.jinja",
        {
            "page_title": "Record support for a flag",
            "organisation": organisation,
            "person": person,
            "form": form,
        },
    )


@login_required
def activity(request: HttpRequest, slug: str) -> HttpResponse:
    """What the organisation's helpers recorded, by whom, when, with the consent. Its helpers
    see the people's references; moderators see neither names nor references."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("assisted.see_activity", organisation):
        raise PermissionDenied(
            "Only this organisation's confirmed members and moderators can see this page."
        )
    with_people = request.user.has_perm("assisted.see_people", organisation)
    return _activity_page(
        request,
        OnBehalfRecord.objects.filter(organisation=organisation),
        organisation=organisation,
        with_people=with_people,
    )


@login_required
def all_activity(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("assisted.see_all_activity"):
        raise PermissionDenied("Only moderators can see every organisation's helpers.")
    return _activity_page(
        request, OnBehalfRecord.objects.all(), organisation=None, with_people=False
    )


def _activity_page(request, queryset, *, organisation, with_people: bool) -> HttpResponse:
    page, pagination = keyset_page(
        request,
        queryset.select_related(
            "organisation",
            "person",
            "recorded_by",
            "flag",
            "call_submission__call",
            "story",
            "pool_member__pool",
        ),
        ("-recorded_at", "-pk"),
        per_page=ACTIVITY_PER_PAGE,
    )
    return render(
        request,
        "assisted/activity.jinja",
        {
            "page_title": f"Helpers' activity: {organisation.name}"
            if organisation
            else "Helpers' activity",
            "organisation": organisation,
            "rows": presenters.record_rows(page.object_list, with_people=with_people),
            "pagination": pagination,
            "with_people": with_people,
            "moderation_url": reverse("moderation:queue")
            if request.user.has_perm("assisted.see_all_activity")
            else "",
        },
    )


def _open_calls():
    from django.utils import timezone

    from nhs_citizen.gather.models import CallForViews

    return CallForViews.objects.filter(closes_on__gte=timezone.localdate()).order_by(
        "closes_on", "pk"
    )


@login_required
def record_answers(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    """Choose the call (?call=), then type in the answers as on the paper version."""
    organisation = _organisation_for_helper(request, slug)
    person = _person(organisation, reference)
    calls = list(_open_calls()[:50])
    call = next((c for c in calls if str(c.pk) == request.GET.get("call", "")), None)
    if call is None:
        choice = CallChoiceForm(request.GET or None, calls=calls)
        if request.GET and choice.is_valid():
            return redirect(f"{request.path}?call={choice.cleaned_data['call']}")
        return render(
            request,
            "assisted/choose_call.jinja",
            {
                "page_title": "Choose the call for views",
                "organisation": organisation,
                "person": person,
                "form": choice,
                "calls": calls,
            },
        )
    questions = list(call.questions.order_by("position"))
    form = RecordAnswersForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_record_call_answers(
                helper=request.user,
                person=person,
                call=call,
                answers=form.answers(),
                consent=form.consent(),
                paper_reference=form.cleaned_data.get("paper_reference", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"You typed in {person.reference}'s answers to “{call.title}”."
            )
            return redirect("assisted:person", organisation.slug, person.reference)
    return render(
        request,
        "assisted/record_answers.jinja",
        {
            "page_title": "Type in answers to a call for views",
            "organisation": organisation,
            "person": person,
            "call": call,
            "questions": questions,
            "form": form,
        },
    )


@login_required
def record_story(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = _organisation_for_helper(request, slug)
    person = _person(organisation, reference)
    form = RecordStoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_record_story(
                helper=request.user,
                person=person,
                consent=form.consent(),
                title=data["title"],
                body=data["body"],
                organisation=data.get("organisation"),
                paper_reference=data.get("paper_reference", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You sent {person.reference}'s story to a curator to check.")
            return redirect("assisted:person", organisation.slug, person.reference)
    return render(
        request,
        "assisted/record_story.jinja",
        {
            "page_title": "Record a story of change",
            "organisation": organisation,
            "person": person,
            "form": form,
        },
    )


@login_required
def record_pool_entry(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = _organisation_for_helper(request, slug)
    person = _person(organisation, reference)
    form = RecordPoolEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = {
            key: data[key]
            for key in ("age_band", "sex", "ethnic_group", "disability", "region", "deprivation")
        }
        try:
            services.check_record_pool_entry(
                helper=request.user,
                person=person,
                consent=form.consent(),
                answers=answers,
                address=data["address"],
                postcode=data["postcode"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{person.reference} is now in the pool people are chosen from by lot."
            )
            return redirect("assisted:person", organisation.slug, person.reference)
    return render(
        request,
        "assisted/record_pool_entry.jinja",
        {
            "page_title": "Add someone to the pool",
            "organisation": organisation,
            "person": person,
            "form": form,
        },
    )

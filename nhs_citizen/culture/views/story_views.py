"""Stories of change: reading them, telling one, curators deciding, moderators hiding."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from rules.contrib.views import permission_required

from nhs_citizen.core.counting import cached_count
from nhs_citizen.core.pagination import keyset_page, paginate
from nhs_citizen.culture import presenters
from nhs_citizen.culture.forms import StoryDecisionForm, StoryFilterForm, StoryForm
from nhs_citizen.culture.models import Story, StoryStatus
from nhs_citizen.culture.services import stories as services
from nhs_citizen.nhsuk_forms.errors import add_service_errors as _add_errors

STORIES_PER_PAGE = 20
OWN_SHOWN = 50


def story_list(request: HttpRequest) -> HttpResponse:
    form = StoryFilterForm(request.GET or None)
    stories = Story.objects.published().select_related(
        "author", "organisation", "on_behalf__organisation"
    )
    form.is_valid()  # keep what is valid; anything not understood is shown as an error
    data = getattr(form, "cleaned_data", {})
    if organisation := data.get("organisation"):
        stories = stories.filter(organisation=organisation)
    if teller := data.get("teller"):
        stories = stories.filter(teller=teller)
    count = cached_count(stories.order_by(), timeout=300)
    page, pagination = keyset_page(
        request, stories, ("-published_at", "-pk"), STORIES_PER_PAGE, total=count
    )
    own = []
    if request.user.is_authenticated:
        own = list(
            Story.objects.filter(author=request.user).order_by("-created_at", "-pk")[:OWN_SHOWN]
        )
    waiting = (
        Story.objects.filter(status=StoryStatus.WAITING).count()
        if request.user.has_perm("culture.curate_stories")
        else None
    )
    return render(
        request,
        "culture/story_list.jinja",
        {
            "page_title": "Stories of change",
            "filter_form": form,
            "error_form": form,
            "page": page,
            "count": count,
            "pagination": pagination,
            "own_stories": own,
            "waiting_count": waiting,
            "p": presenters,
        },
    )


def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(
        Story.objects.select_related("author", "organisation", "on_behalf__organisation"), pk=pk
    )
    # Stories nobody else may see yet are "not found", so that they cannot be guessed at.
    if not request.user.has_perm("culture.view_story", story):
        raise Http404
    show_hidden = request.user.has_perm("culture.see_hidden_story", story)
    return render(
        request,
        "culture/story_detail.jinja",
        {
            "page_title": "This story has been hidden"
            if story.hidden_at and not show_hidden
            else story.title,
            "story": story,
            "show_hidden": show_hidden,
            "is_teller": request.user.is_authenticated and story.author_id == request.user.pk,
            "p": presenters,
        },
    )


@login_required
def tell_story(request: HttpRequest) -> HttpResponse:
    form = StoryForm(
        request.POST if request.method == "POST" else None,
        initial={"organisation": request.GET.get("about")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            story = services.check_tell_story(author=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                "Thank you. We have your story. A curator will check it against the house "
                "rules, and we will tell you when it is published.",
            )
            return redirect(story)
    return render(
        request, "culture/tell_story.jinja", {"page_title": "Tell your story", "form": form}
    )


@permission_required("culture.curate_stories", raise_exception=True)
def story_queue(request: HttpRequest) -> HttpResponse:
    waiting = (
        Story.objects.filter(status=StoryStatus.WAITING)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
    page, pagination = paginate(request, waiting, per_page=STORIES_PER_PAGE)
    return render(
        request,
        "culture/story_queue.jinja",
        {"page_title": "Stories waiting for a curator", "page": page, "pagination": pagination},
    )


@permission_required("culture.curate_stories", raise_exception=True)
def decide_story(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(
        Story.objects.select_related("author", "organisation"), pk=pk, status=StoryStatus.WAITING
    )
    form = StoryDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == "publish":
                services.check_publish_story(curator=request.user, story=story, reason=reason)
            else:
                services.check_decline_story(curator=request.user, story=story, reason=reason)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"“{story.title}” is published."
                if decision == "publish"
                else "The story is not published. We have told the person why.",
            )
            return redirect("culture:story_queue")
    return render(
        request,
        "culture/decide_story.jinja",
        {"page_title": "Check a story", "story": story, "form": form, "p": presenters},
    )


# Hiding and putting back are the moderation app's, like every other kind of content
# (ADR 0025). These addresses stay, and lead to its page for the story.
@permission_required("culture.hide_story", raise_exception=True)
def hide_story(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(Story, pk=pk, status=StoryStatus.PUBLISHED)
    return redirect("moderation:decide", "story", story.pk)


@permission_required("culture.hide_story", raise_exception=True)
def restore_story(request: HttpRequest, pk: int) -> HttpResponse:
    return hide_story(request, pk)

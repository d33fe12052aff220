from django.urls import path, register_converter

from nhs_citizen.assembly.services.cycles import RESERVED_SLUGS
from nhs_citizen.assembly.views import cycle_views, paper_views, staff_views, vote_views

app_name = "assembly"


class CycleSlugConverter:
    """A cycle's slug, but never a word that other pages under /assembly/ use (the meetings
    app's "panels-commissioned/" is mounted after these URLs)."""

    regex = "[-a-zA-Z0-9_]+"
    reserved = RESERVED_SLUGS

    def to_python(self, value: str) -> str:
        if value in self.reserved:
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CycleSlugConverter, "assembly_cycle")

urlpatterns = [
    path("", cycle_views.index, name="index"),
    path("past/", cycle_views.past_cycles, name="past_cycles"),
    path("calendar.ics", cycle_views.calendar_feed, name="calendar"),
    path("new/", staff_views.create_cycle, name="create_cycle"),
    path("paper-voters/", paper_views.paper_voters, name="paper_voters"),
    path(
        "paper-voters/<int:pk>/remove/",
        paper_views.remove_paper_voter,
        name="remove_paper_voter",
    ),
    path("<assembly_cycle:slug>/", cycle_views.cycle_detail, name="cycle_detail"),
    path("<assembly_cycle:slug>/results.json", cycle_views.results_json, name="results_json"),
    path("<assembly_cycle:slug>/vote/", vote_views.vote, name="vote"),
    path("<assembly_cycle:slug>/change/", staff_views.edit_cycle, name="edit_cycle"),
    path("<assembly_cycle:slug>/manage/", staff_views.manage_cycle, name="manage_cycle"),
    path("<assembly_cycle:slug>/move-on/", staff_views.move_on, name="move_on"),
    path("<assembly_cycle:slug>/jury/", staff_views.jury, name="jury"),
    path("<assembly_cycle:slug>/paper-ballots/", paper_views.paper_ballots, name="paper_ballots"),
    path("<assembly_cycle:slug>/paper-ballots/enter/", paper_views.enter_paper, name="enter_paper"),
    path(
        "<assembly_cycle:slug>/paper-ballots/<int:pk>/", paper_views.print_paper, name="print_paper"
    ),
    path(
        "<assembly_cycle:slug>/paper-ballots/<int:pk>/cancel/",
        paper_views.cancel_paper,
        name="cancel_paper",
    ),
]

"""The Easy Read pages: each one's address name, title and the standard page it stands beside.

A standard page links to its Easy Read version with ``easy_read_link(key)`` (the macro in
easyread/link.jinja), and each Easy Read page links back to its standard page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EasyReadPage:
    key: str  # the URL name in the easyread namespace and the template's name
    title: str
    standard: str  # the URL name of the standard page (the vote's is worked out per cycle)
    standard_title: str


PAGES = {
    page.key: page
    for page in (
        EasyReadPage("home", "NHS Citizen in Easy Read", "core:home", "NHS Citizen"),
        EasyReadPage("discover", "Discover in Easy Read", "core:discover", "Discover"),
        EasyReadPage("gather", "Gather in Easy Read", "core:gather", "Gather"),
        EasyReadPage("assembly", "The Assembly in Easy Read", "core:assembly", "Assembly"),
        EasyReadPage("tracker", "The tracker in Easy Read", "core:tracker", "Tracker"),
        EasyReadPage(
            "culture",
            "How NHS bodies respond, in Easy Read",
            "culture:league_table",
            "How NHS bodies respond",
        ),
        EasyReadPage("privacy", "Your information, in Easy Read", "core:privacy", "Privacy notice"),
        EasyReadPage(
            "join_pool",
            "Join the pool, in Easy Read",
            "panels:about_selection",
            "Be chosen by lot",
        ),
        EasyReadPage(
            "priority_vote", "The priority vote, in Easy Read", "assembly:index", "Priority vote"
        ),
    )
}

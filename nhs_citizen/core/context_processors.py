"""Values every page needs: navigation with the current space, and the signed-in person's links."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

SPACES = [
    ("Discover", "discover:dashboard"),
    ("Gather", "gather:flag_list"),
    ("Assembly", "assembly:index"),
    ("Tracker", "tracker:index"),
]


def site(request: HttpRequest) -> dict:
    path = request.path
    navigation = []
    for text, name in SPACES:
        href = reverse(name)
        navigation.append(
            {"text": text, "href": href, "current": path == href, "active": path.startswith(href)}
        )
    return {"navigation_items": navigation}

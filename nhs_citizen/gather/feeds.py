"""Atom feeds for Gather: new flags (with the list page's filters) and one flag's timeline.

Only what the public pages show: a hidden flag keeps its placeholder title and no text, and
nobody is named (the timeline's public summaries, as on the flag page)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from nhs_citizen.gather import presenters
from nhs_citizen.gather.forms import FlagSearchForm
from nhs_citizen.gather.models import Flag, FlagStatus
from nhs_citizen.gather.search import filter_flag_list

FEED_LIMIT = 50
HIDDEN_TITLE = "This flag has been hidden"


FILTERS = ("q", "topic", "area", "status")


def flags_feed_href(form: FlagSearchForm) -> str:
    """The new-flags feed with the filters the list shows (none if they are not valid)."""
    base = reverse("gather:flags_feed")
    if not form.is_bound or not form.is_valid():
        return base
    query = QueryDict(mutable=True)
    for name in FILTERS:
        if value := form.data.get(name):
            query[name] = value
    return f"{base}?{query.urlencode()}" if query else base


class NewFlagsFeed(Feed):
    """The newest flags, filtered as the Gather list is (search, topic, area, status)."""

    feed_type = Atom1Feed
    title = "NHS Citizen: new flags"
    subtitle = "The newest flags raised on NHS Citizen Gather."

    def get_object(self, request):
        form = FlagSearchForm(request.GET or None)
        flags, _sort = filter_flag_list(Flag.objects.listed(), form)
        return {"flags": flags, "query": request.GET.urlencode() if form.is_valid() else ""}

    def link(self, obj):
        base = reverse("gather:flag_list")
        return f"{base}?{obj['query']}" if obj["query"] else base

    def items(self, obj):
        # The newest first on gather_flag_newest_idx; the 50 latest, whatever the total.
        return (
            obj["flags"]
            .select_related("topic")
            .defer("embedding")
            .order_by("-created_at", "-pk")[:FEED_LIMIT]
        )

    def item_title(self, item):
        return HIDDEN_TITLE if item.is_hidden else item.title

    def item_description(self, item):
        if item.is_hidden:
            return ""
        return f"What should change: {item.what_should_change}"

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at

    def item_categories(self, item):
        return [item.topic.name]


class FlagTimelineFeed(Feed):
    """What has happened to one flag, newest first: the flag page's public timeline."""

    feed_type = Atom1Feed

    def get_object(self, request, pk):
        flag = get_object_or_404(Flag.objects.defer("embedding"), pk=pk)
        if flag.status == FlagStatus.MERGED and flag.merged_into_id:
            # A merged flag's story goes on in the flag it became.
            flag = get_object_or_404(Flag.objects.defer("embedding"), pk=flag.merged_into_id)
        return flag

    def title(self, obj):
        name = HIDDEN_TITLE if obj.is_hidden else obj.title
        return f"NHS Citizen: what has happened to flag {obj.pk}: {name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def subtitle(self, obj):
        return "Every public change to this flag, newest first."

    def items(self, obj):
        if obj.is_hidden:
            # The page shows no timeline for a hidden flag, so neither does the feed.
            return []
        entries = presenters.timeline(obj, limit=FEED_LIMIT, newest_first=True)
        return [
            (entry, link.href if link else f"{obj.get_absolute_url()}#timeline", obj.pk)
            for entry, link in presenters.timeline_links(entries, {})
        ]

    def item_title(self, item):
        return item[0].summary

    def item_description(self, item):
        return f"Reason: {item[0].reason}" if item[0].reason else ""

    def item_link(self, item):
        return item[1]

    def item_guid(self, item):
        return f"nhs-citizen:flag:{item[2]}:event:{item[0].sequence}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item[0].created_at

    def item_updateddate(self, item):
        return item[0].created_at

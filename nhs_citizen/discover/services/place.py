"""Tag an item with an NHS region and ICB area where we can tell.

We know a place when the source says so (a source can be set to one region or ICB area), or
when the place a person gave names an ICB area, a region or an organisation we know, or starts
with a postcode area (the letters at the start of a postcode, which we map to a region).
We never guess an ICB area from a postcode area, because postcode areas cross ICB borders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nhs_citizen.core.models import Icb, Organisation, Region
from nhs_citizen.discover.algorithms.postcode_areas import region_code_for_postcode_area

_POSTCODE_AREA = re.compile(r"^\s*([A-Za-z]{1,2})[0-9]")


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9&]+", " ", text.casefold()).split())


@dataclass(frozen=True)
class Place:
    region_id: int | None
    icb_id: int | None


class PlaceResolver:
    """Loads the names it needs once, then answers many questions without the database."""

    def __init__(self) -> None:
        self.regions_by_code = {r.code: r.pk for r in Region.objects.all()}
        self.region_names: dict[str, int] = {}
        for region in Region.objects.all():
            self.region_names[_words(region.name)] = region.pk
        self.icb_names: dict[str, tuple[int, int]] = {}
        self.icb_region: dict[int, int] = {}
        for icb in Icb.objects.all():
            self.icb_names[_words(icb.name)] = (icb.region_id, icb.pk)
            self.icb_region[icb.pk] = icb.region_id
        self.organisations: dict[str, tuple[int | None, int | None]] = {}
        for org in Organisation.objects.all().only("name", "region_id", "icb_id"):
            region_id = org.region_id or (self.icb_region.get(org.icb_id) if org.icb_id else None)
            self.organisations[_words(org.name)] = (region_id, org.icb_id)
        # Longest names first, so "north east and yorkshire" wins over "north east".
        self._icb_order = sorted(self.icb_names, key=len, reverse=True)
        self._region_order = sorted(self.region_names, key=len, reverse=True)

    def resolve(
        self,
        place_text: str,
        *,
        group: str = "",
        default_region_id: int | None = None,
        default_icb_id: int | None = None,
    ) -> Place:
        if default_icb_id:
            return Place(self.icb_region.get(default_icb_id, default_region_id), default_icb_id)
        text = _words(place_text)
        if text:
            for name in self._icb_order:
                if re.search(rf"\b{re.escape(name)}\b", text):
                    region_id, icb_id = self.icb_names[name]
                    return Place(region_id, icb_id)
            for name in self._region_order:
                if re.search(rf"\b{re.escape(name)}\b", text):
                    return Place(self.region_names[name], None)
            if text in self.organisations:
                return Place(*self.organisations[text])
            if match := _POSTCODE_AREA.match(place_text):
                code = region_code_for_postcode_area(match.group(1).upper())
                if code and code in self.regions_by_code:
                    return Place(self.regions_by_code[code], None)
        group_key = _words(group)
        if group_key in self.organisations:
            region_id, icb_id = self.organisations[group_key]
            if region_id or icb_id:
                return Place(region_id, icb_id)
        return Place(default_region_id, None)

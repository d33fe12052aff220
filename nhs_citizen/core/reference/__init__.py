"""Reference data that ships with the code: regions, ICB areas, national and regional NHS
bodies, and topics. ``load_reference_data`` runs after every migrate and is idempotent: it
creates what is missing and corrects what has changed, and never removes anything."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

REFERENCE_DIR = Path(__file__).resolve().parent

NHS_ENGLAND = {
    "name": "NHS England",
    "code": "X24",
    "website": "https://www.england.nhs.uk/",
    "description": "Leads the NHS in England. Its Board answers to the public through NHS Citizen.",
}


def read_csv(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _sync(model, lookup: dict[str, Any], values: dict[str, Any]) -> None:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        return
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)


def _sync_site() -> None:
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    _sync(Site, {"pk": settings.SITE_ID}, {"domain": domain, "name": settings.SITE_NAME})


def load_reference_data(**kwargs: Any) -> None:
    from nhs_citizen.core.models import Icb, Organisation, OrganisationType, Region, Topic

    with transaction.atomic():
        _sync_site()
        regions = {}
        for row in read_csv("regions.csv"):
            _sync(
                Region, {"code": row["code"]}, {"name": row["name"], "slug": slugify(row["name"])}
            )
            regions[row["code"]] = Region.objects.get(code=row["code"])
        for row in read_csv("icbs.csv"):
            _sync(
                Icb,
                {"code": row["code"]},
                {
                    "name": row["name"],
                    "slug": slugify(row["name"]),
                    "region": regions[row["region_code"]],
                },
            )
        for row in read_csv("topics.csv"):
            _sync(
                Topic,
                {"slug": row["slug"]},
                {"name": row["name"], "description": row["description"]},
            )

        _sync(
            Organisation,
            {"type": OrganisationType.NHS_ENGLAND, "code": NHS_ENGLAND["code"]},
            {
                "name": NHS_ENGLAND["name"],
                "slug": "nhs-england",
                "website": NHS_ENGLAND["website"],
                "description": NHS_ENGLAND["description"],
                "is_reference": True,
            },
        )
        for region in regions.values():
            name = f"NHS England – {region.name}"
            _sync(
                Organisation,
                {"type": OrganisationType.NHS_ENGLAND_REGION, "code": region.code},
                {
                    "name": name,
                    "slug": slugify(f"nhs-england-{region.name}"),
                    "region": region,
                    "description": f"NHS England's regional team for {region.name}.",
                    "is_reference": True,
                },
            )
        for icb in Icb.objects.select_related("region"):
            _sync(
                Organisation,
                {"type": OrganisationType.ICB, "code": icb.code},
                {
                    "name": f"NHS {icb.name} Integrated Care Board",
                    "slug": slugify(f"nhs-{icb.name}-icb"),
                    "region": icb.region,
                    "icb": icb,
                    "description": (
                        f"Plans and pays for most NHS services in {icb.name}, in the "
                        f"{icb.region.name} region."
                    ),
                    "is_reference": True,
                },
            )

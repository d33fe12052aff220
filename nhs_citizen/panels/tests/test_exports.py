"""Exports of a drawn panel: the people selected and the remaining people, in the layout of the
tool the pool came from."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.panels.models import MemberStatus, PanelMember, PoolMember
from nhs_citizen.panels.services import draws
from nhs_citizen.panels.services import pool as pool_services
from nhs_citizen.panels.tests.test_formats import (
    PANELOT_CATEGORIES,
    PANELOT_RESPONDENTS,
    SA_FEATURES,
    SA_PEOPLE,
    _tool_reads,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(db):
    return make_user("sec@example.com", display_name="Sam Secretariat", roles=("secretariat",))


def _drawn_panel(secretariat, categories=SA_FEATURES, people=SA_PEOPLE, chosen=None):
    """A pool imported from the files and a panel whose draw has been made (the members are
    set directly: which people a draw chooses is tested elsewhere)."""
    name, prepared = pool_services.check_import_preview(
        name="Imported pool", categories_text=categories, respondents_text=people
    )
    pool, _ = pool_services.check_import_pool(name=name, prepared=prepared, created_by=secretariat)
    panel = draws.check_create_panel(
        created_by=secretariat, purpose="jury", title="Spring jury", size=2, reserves=1, pool=pool
    )
    members = {m.external_id: m for m in pool.members.all()}
    chosen = chosen or {
        "p1": MemberStatus.CONFIRMED,
        "p4": MemberStatus.INVITED,
        "p0": MemberStatus.DECLINED,
        "p2": MemberStatus.RESERVE,
    }
    PanelMember.objects.bulk_create(
        [
            PanelMember(panel=panel, pool_member=members[external_id], status=status)
            for external_id, status in chosen.items()
        ]
    )
    return panel


def _rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_the_stored_columns_export_in_the_tools_layout_and_add_up_to_the_pool(
    client, signed_in, secretariat
):
    panel = _drawn_panel(secretariat)
    signed_in(secretariat)
    page = client.get(reverse("panels:export_panel", args=[panel.pk])).content.decode()
    assert "sortition-algorithms" in page and "nationbuilder_id" in page
    files = {}
    for which in ("selected", "remaining"):
        response = client.post(reverse("panels:export_stored", args=[panel.pk, which]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert f"spring-jury-{which}.csv" in response["Content-Disposition"]
        files[which] = response.content.decode()
    selected, remaining = _rows(files["selected"]), _rows(files["remaining"])
    assert selected[0] == remaining[0] == ["nationbuilder_id", "Gender", "age_bracket"]
    # Selected: the people with a place now (confirmed or invited); everyone else remains.
    assert sorted(r[0] for r in selected[1:]) == ["p1", "p4"]
    assert sorted(r[0] for r in remaining[1:]) == ["p0", "p2", "p3", "p5"]
    assert ["p1", "Male", "45+"] in selected
    # The Sortition Foundation's library reads both files as people files.
    for text, count in ((files["selected"], 2), (files["remaining"], 4)):
        assert _tool_reads(SA_FEATURES, text, "nationbuilder_id", []) == count
    assert AuditEntry.objects.filter(action="panels.people_exported", is_public=False).count() == 2


def test_the_original_file_comes_back_split_with_every_column(client, signed_in, secretariat):
    panel = _drawn_panel(secretariat)
    signed_in(secretariat)
    response = client.post(
        reverse("panels:export_panel", args=[panel.pk]),
        {"people_file": SimpleUploadedFile("people.csv", SA_PEOPLE.encode())},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["spring-jury-remaining.csv", "spring-jury-selected.csv"]
    selected = _rows(archive.read("spring-jury-selected.csv").decode())
    remaining = _rows(archive.read("spring-jury-remaining.csv").decode())
    original = _rows(SA_PEOPLE)
    assert selected[0] == remaining[0] == original[0]
    assert sorted(selected[1:] + remaining[1:]) == sorted(original[1:])
    assert [r[0] for r in selected[1:]] == ["p1", "p4"]
    assert selected[1][1:3] == ["Bob", "Lee"] and "bob@example.com" in selected[1]
    entry = AuditEntry.objects.get(action="panels.people_exported")
    assert not entry.is_public and "full people file" in entry.summary


def test_rows_left_out_of_the_pool_come_back_in_a_file_of_their_own(client, signed_in, secretariat):
    with_blank_id = SA_PEOPLE + ",Gus,Ray,gus@example.com,,,,,,,,Male,45+\n"
    panel = _drawn_panel(secretariat, people=with_blank_id)
    signed_in(secretariat)
    response = client.post(
        reverse("panels:export_panel", args=[panel.pk]),
        {"people_file": SimpleUploadedFile("people.csv", with_blank_id.encode())},
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    left_out = _rows(archive.read("spring-jury-not-in-the-pool.csv").decode())
    assert left_out[0] == _rows(SA_PEOPLE)[0] and [r[1] for r in left_out[1:]] == ["Gus"]
    counted = sum(len(_rows(archive.read(name).decode())) - 1 for name in archive.namelist())
    assert counted == 7


def test_a_numbered_panelot_pool_exports_by_row(client, signed_in, secretariat):
    panel = _drawn_panel(
        secretariat,
        categories=PANELOT_CATEGORIES,
        people=PANELOT_RESPONDENTS,
        chosen={"2": MemberStatus.CONFIRMED, "4": MemberStatus.CONFIRMED},
    )
    signed_in(secretariat)
    page = client.get(reverse("panels:export_panel", args=[panel.pk])).content.decode()
    assert "Panelot" in page and "same order" in page
    selected = _rows(
        client.post(reverse("panels:export_stored", args=[panel.pk, "selected"])).content.decode()
    )
    assert selected == [
        ["row", "gender", "leaning"],
        ["2", "female", "liberal"],
        ["4", "male", "conservative"],
    ]
    response = client.post(
        reverse("panels:export_panel", args=[panel.pk]),
        {"people_file": SimpleUploadedFile("respondents.csv", PANELOT_RESPONDENTS.encode())},
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert _rows(archive.read("spring-jury-selected.csv").decode()) == [
        ["gender", "leaning"],
        ["female", "liberal"],
        ["male", "conservative"],
    ]
    assert len(_rows(archive.read("spring-jury-remaining.csv").decode())) == 4


def test_another_file_is_refused_with_the_reason_and_nothing_is_exported(
    client, signed_in, secretariat
):
    panel = _drawn_panel(secretariat)
    signed_in(secretariat)
    changed = SA_PEOPLE.replace(
        "p1,Bob,Lee,bob@example.com,07700900001,12 high st,,Leeds,LS1 4AP,ls14ap,,Male",
        "p1,Bob,Lee,bob@example.com,07700900001,12 high st,,Leeds,LS1 4AP,ls14ap,,Female",
    )
    for text, problem in (
        (changed, "Row 3: the answers for Gender are not the ones in the pool"),
        (
            "first_name,Gender,age_bracket\nAnn,Female,16-29\n",
            "The file has no nationbuilder_id column",
        ),
        (SA_PEOPLE.split("p5,")[0], "1 person in the pool is not in the file"),
    ):
        response = client.post(
            reverse("panels:export_panel", args=[panel.pk]),
            {"people_file": SimpleUploadedFile("people.csv", text.encode())},
        )
        content = response.content.decode()
        assert response.status_code == 200 and problem in content, problem
        assert "<title>Error: " in content
    assert not AuditEntry.objects.filter(action="panels.people_exported").exists()


@pytest.mark.parametrize("roles", [(), ("curator",), ("administrator",)])
def test_only_the_secretariat_exports(client, signed_in, secretariat, roles):
    panel = _drawn_panel(secretariat)
    signed_in(make_user("x@example.com", roles=roles))
    assert client.get(reverse("panels:export_panel", args=[panel.pk])).status_code == 403
    assert (
        client.post(reverse("panels:export_stored", args=[panel.pk, "selected"])).status_code == 403
    )


def test_a_panel_not_drawn_or_from_the_volunteer_pool_has_nothing_to_export(
    client, signed_in, secretariat
):
    panel = _drawn_panel(secretariat, chosen={"p1": MemberStatus.CONFIRMED})
    PanelMember.objects.filter(panel=panel).delete()
    signed_in(secretariat)
    page = client.get(reverse("panels:export_panel", args=[panel.pk])).content.decode()
    assert "Nobody has been chosen for this panel yet" in page
    assert (
        client.post(reverse("panels:export_stored", args=[panel.pk, "selected"])).status_code == 404
    )
    volunteers = pool_services.volunteer_pool()
    PoolMember.objects.bulk_create(
        [PoolMember(pool=volunteers, features={"Gender": "Male"}) for _ in range(2)]
    )
    volunteer_panel = draws.check_create_panel(
        created_by=secretariat,
        purpose="jury",
        title="Volunteers",
        size=2,
        reserves=0,
        pool=volunteers,
    )
    page = client.get(reverse("panels:export_panel", args=[volunteer_panel.pk])).content.decode()
    assert "volunteer pool" in page
    assert (
        client.get(reverse("panels:export_stored", args=[panel.pk, "selected"])).status_code == 405
    )
    assert (
        client.post(reverse("panels:export_stored", args=[panel.pk, "everyone"])).status_code == 404
    )


@pytest.mark.slow
def test_an_imported_pool_is_drawn_with_its_households_and_exported(client, signed_in, secretariat):
    """End to end: a sortition-algorithms pair with shared addresses, a real draw, the export."""
    from nhs_citizen.panels.tests import factories

    ages = ["16-29", "30-44", "45+"]
    lines = [
        "nationbuilder_id,first_name,primary_address1,primary_city,zip_royal_mail,Gender,age_bracket"
    ]
    for i in range(30):
        house = i // 2 if i < 12 else i  # people 0-11 live in pairs
        gender = "Female" if i % 2 else "Male"
        lines.append(f"n{i},P{i},{house} Mill Lane,Bath,BA1 {house}AA,{gender},{ages[i % 3]}")
    people = "\n".join(lines) + "\n"
    categories = (
        "feature,value,min,max\nGender,Female,2,4\nGender,Male,2,4\n"
        "age_bracket,16-29,1,3\nage_bracket,30-44,1,3\nage_bracket,45+,1,3\n"
    )
    name, prepared = pool_services.check_import_preview(
        name="Bath pool", categories_text=categories, respondents_text=people
    )
    assert prepared.preview["shared_households"] == 6
    pool, quotas = pool_services.check_import_pool(
        name=name, prepared=prepared, created_by=secretariat
    )
    panel = factories.drawn_panel(
        secretariat, pool, size=6, reserves=2, quotas_=[tuple(q) for q in quotas]
    )
    signed_in(secretariat)
    response = client.post(
        reverse("panels:export_panel", args=[panel.pk]),
        {"people_file": SimpleUploadedFile("people.csv", people.encode())},
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    selected = _rows(archive.read("spring-jury-selected.csv").decode())[1:]
    remaining = _rows(archive.read("spring-jury-remaining.csv").decode())[1:]
    assert len(selected) == 6 and len(selected) + len(remaining) == 30
    addresses = [row[2] for row in selected]
    assert len(set(addresses)) == 6, "two people from one household were selected"
    assert 2 <= sum(row[5] == "Female" for row in selected) <= 4


def test_the_manage_page_of_a_drawn_panel_links_to_the_export(client, signed_in, secretariat):
    from nhs_citizen.panels.tests.factories import drawn_panel, make_pool

    panel = drawn_panel(secretariat, make_pool())
    signed_in(secretariat)
    page = client.get(reverse("panels:manage_panel", args=[panel.pk])).content.decode()
    assert reverse("panels:export_panel", args=[panel.pk]) in page
    assert "Export the people selected and remaining" in page

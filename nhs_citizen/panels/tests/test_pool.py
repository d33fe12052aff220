import re

import pytest
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.panels import households
from nhs_citizen.panels.formats import read_files
from nhs_citizen.panels.models import Pool, PoolMember

pytestmark = pytest.mark.django_db

ANSWERS = {
    "age_band": "25-34",
    "sex": "female",
    "ethnic_group": "black",
    "disability": "not_disabled",
    "region": "Y56",
    "deprivation": "dont_know",
}


def _join(client, **changes):
    data = {
        **ANSWERS,
        "address": "12 High Street",
        "postcode": "SE1 7PB",
        "consent": "on",
        **changes,
    }
    return client.post(reverse("panels:volunteer"), data)


def test_a_citizen_joins_the_pool_with_consent_and_the_address_is_not_kept(
    client, signed_in, citizen
):
    signed_in(citizen)
    response = _join(client)
    assert response.status_code == 302
    member = PoolMember.objects.get(user=citizen)
    assert member.features == ANSWERS
    assert member.consent_given_at is not None
    assert len(member.household_hash) == 64
    assert "12 High Street" not in str(PoolMember.objects.values().get(pk=member.pk))
    assert not AuditEntry.objects.get(action="panels.volunteered").is_public


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"consent": ""}, "Tick the box to say you agree"),
        ({"postcode": "ZZ 99"}, "Enter a real postcode"),
        ({"ethnic_group": "martian"}, "Select one of the options"),
        ({"age_band": ""}, "Select your age band"),
    ],
)
def test_bad_answers_get_a_clear_error_and_nothing_is_kept(
    client, signed_in, citizen, changes, message
):
    signed_in(citizen)
    response = _join(client, **changes)
    assert message in response.content.decode()
    assert not PoolMember.objects.exists()


def test_the_same_household_gets_the_same_key_however_it_is_written(settings):
    secret = "s"
    a = households.household_key("Flat 2, 12 High Street", "se1 7pb", secret)
    b = households.household_key("flat 2 12 high st", "SE17PB", secret)
    c = households.household_key("Flat 3, 12 High Street", "SE1 7PB", secret)
    assert a == b != c


def test_a_volunteer_sees_changes_and_withdraws_their_answers(client, signed_in, citizen):
    signed_in(citizen)
    _join(client)
    content = client.get(reverse("panels:your_answers")).content.decode()
    assert "25 to 34" in content and "Black" in content
    _join(client, age_band="35-44")
    assert PoolMember.objects.get(user=citizen).features["age_band"] == "35-44"
    client.post(reverse("panels:withdraw"))
    member = PoolMember.objects.get(user=citizen)
    assert member.features == {} and member.household_hash == "" and member.withdrawn_at


def test_deleting_the_account_deletes_the_answers(client, signed_in, citizen):
    from nhs_citizen.accounts.services import do_delete_account

    signed_in(citizen)
    _join(client)
    do_delete_account(user=citizen)
    assert PoolMember.objects.get(user=citizen).features == {}


CATEGORIES = (
    "category,feature,min,max\ngender,female,1,2\ngender,male,1,2\nage,young,1,3\nage,old,0,2\n"
)
RESPONDENTS = "id,gender,age,address,postcode\n1,female,young,1 A St,LS1 4AP\n2,male,old,2 A St,LS1 4AP\n3,male,young,1 A St,LS1 4AP\n"


def test_a_pool_and_quotas_are_read_from_sortition_foundation_files():
    parsed = read_files(CATEGORIES, RESPONDENTS)
    assert parsed.errors == []
    assert [(q.category, q.value, q.minimum, q.maximum) for q in parsed.categories.quotas][:2] == [
        ("gender", "female", 1, 2),
        ("gender", "male", 1, 2),
    ]
    assert parsed.people.people[2].features == {"gender": "male", "age": "young"}


def test_every_bad_row_is_reported_by_number():
    bad_categories = "category,feature,min,max\ngender,female,1,x\ngender,male,3,1\n"
    parsed = read_files(bad_categories, RESPONDENTS)
    assert parsed.errors == [
        "Categories file, row 2: min and max must be whole numbers.",
        "Categories file, row 3: min must be 0 or more, and max must not be less than min.",
    ]
    parsed = read_files(CATEGORIES, "id,gender,age\n1,female,young\n1,male,old\n2,robot,young\n")
    assert parsed.errors == [
        "People file, row 3: the id 1 is used twice (also on row 2).",
        "People file, row 4: gender is “robot”, which is not one of: female, male.",
    ]
    parsed = read_files("category,feature\nx,y\n", RESPONDENTS)
    assert "Missing: min, max" in parsed.errors[0]


def _upload(client, name="Winter pool", categories=CATEGORIES, people=RESPONDENTS):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("panels:import_pool"),
        {
            "name": name,
            "categories_file": SimpleUploadedFile("c.csv", categories.encode()),
            "respondents_file": SimpleUploadedFile("r.csv", people.encode()),
        },
    )


def test_the_secretariat_imports_a_pool_and_nothing_is_kept_if_any_row_is_wrong(client, signed_in):
    signed_in(make_user("sec@example.com", roles=("secretariat",)))
    response = _upload(client, people="id,gender,age\n1,robot,young\n")
    content = response.content.decode()
    assert "row 2: gender is “robot”" in content and "<title>Error: " in content
    assert not Pool.objects.filter(name="Winter pool").exists()
    assert "panels.import_preview" not in client.session

    # The files are right: a preview first, and still nothing saved.
    response = _upload(client)
    assert response.status_code == 302 and response.url == reverse("panels:import_pool_preview")
    assert not Pool.objects.filter(name="Winter pool").exists()
    waiting = str(client.session["panels.import_preview"])
    assert "1 A St" not in waiting and "LS1 4AP" not in waiting
    content = client.get(response.url).content.decode()
    assert "Check the import" in content and "Panelot" in content
    assert "Rows 2 and 4 are one household" in content
    assert re.search(r"Id column\s*</dt>\s*<dd[^>]*>\s*id\s*</dd>", content)

    response = client.post(reverse("panels:import_pool_preview"))
    assert response.status_code == 302
    pool = Pool.objects.get(name="Winter pool")
    assert pool.members.count() == 3
    hashes = list(pool.members.order_by("external_id").values_list("household_hash", flat=True))
    assert hashes[0] == hashes[2] != hashes[1]
    assert "panels.import_preview" not in client.session
    entry = AuditEntry.objects.get(action="panels.pool_imported")
    assert entry.is_public and entry.data["source"]["layout"] == "panelot"
    # Confirming again does nothing: the preview has gone.
    assert client.post(reverse("panels:import_pool_preview")).url == reverse("panels:import_pool")
    assert Pool.objects.filter(name="Winter pool").count() == 1


def test_a_pool_with_no_id_column_is_numbered_and_the_preview_says_so(client, signed_in):
    signed_in(make_user("sec@example.com", roles=("secretariat",)))
    _upload(client, people="gender,age,postcode\nfemale,young,LS1 4AP\nmale,old,LS1 4AP\n")
    content = client.get(reverse("panels:import_pool_preview")).content.decode()
    assert "There is no id column, so we numbered people 1 to 2" in content
    assert "Row 2: a postcode but no address" in content
    client.post(reverse("panels:import_pool_preview"))
    pool = Pool.objects.get(name="Winter pool")
    assert sorted(pool.members.values_list("external_id", flat=True)) == ["1", "2"]
    # A postcode alone joins nobody.
    assert set(pool.members.values_list("household_hash", flat=True)) == {""}


def test_a_name_taken_between_the_preview_and_the_confirmation_saves_nothing(client, signed_in):
    signed_in(make_user("sec@example.com", roles=("secretariat",)))
    _upload(client)
    Pool.objects.create(name="Winter pool")
    response = client.post(reverse("panels:import_pool_preview"), follow=True)
    assert "A pool with this name already exists" in response.content.decode()
    assert PoolMember.objects.filter(pool__name="Winter pool").count() == 0


@pytest.mark.parametrize("roles", [(), ("curator",), ("administrator",)])
def test_only_the_secretariat_imports_pools(client, signed_in, roles):
    signed_in(make_user("x@example.com", roles=roles))
    assert client.get(reverse("panels:import_pool")).status_code == 403
    assert client.get(reverse("panels:import_pool_preview")).status_code == 403
    assert client.post(reverse("panels:import_pool_preview")).status_code == 403


def test_the_census_shares_cover_every_category_and_add_up_to_one():
    from nhs_citizen.panels.categories import CATEGORY_LABELS, values_for

    for category in CATEGORY_LABELS:
        values = values_for(category)
        assert values, category
        assert sum(v.share for v in values) == pytest.approx(1.0, abs=0.0015), category
        assert all(0 < v.share < 1 for v in values)

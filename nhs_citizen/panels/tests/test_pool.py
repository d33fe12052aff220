import pytest
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.panels import households
from nhs_citizen.panels.importing import parse_import
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
    parsed = parse_import(CATEGORIES, RESPONDENTS)
    assert parsed.errors == []
    assert [(q.category, q.value, q.minimum, q.maximum) for q in parsed.quotas][:2] == [
        ("gender", "female", 1, 2),
        ("gender", "male", 1, 2),
    ]
    assert parsed.people[2].features == {"gender": "male", "age": "young"}


def test_every_bad_row_is_reported_by_number():
    bad_categories = "category,feature,min,max\ngender,female,1,x\ngender,male,3,1\n"
    parsed = parse_import(bad_categories, RESPONDENTS)
    assert parsed.errors == [
        "Categories file, row 2: min and max must be whole numbers.",
        "Categories file, row 3: min must be 0 or more, and max must not be less than min.",
    ]
    parsed = parse_import(CATEGORIES, "id,gender,age\n1,female,young\n1,male,old\n2,robot,young\n")
    assert parsed.errors == [
        "Respondents file, row 3: the id 1 is used twice.",
        "Respondents file, row 4: gender is “robot”, which is not one of: female, male.",
    ]
    parsed = parse_import("category,feature\nx,y\n", RESPONDENTS)
    assert "Missing: min, max" in parsed.errors[0]


def test_the_secretariat_imports_a_pool_and_nothing_is_kept_if_any_row_is_wrong(client, signed_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    signed_in(make_user("sec@example.com", roles=("secretariat",)))
    url = reverse("panels:import_pool")
    response = client.post(
        url,
        {
            "name": "Winter pool",
            "categories_file": SimpleUploadedFile("c.csv", CATEGORIES.encode()),
            "respondents_file": SimpleUploadedFile("r.csv", b"id,gender,age\n1,robot,young\n"),
        },
    )
    content = response.content.decode()
    assert "row 2: gender is “robot”" in content and "<title>Error: " in content
    assert not Pool.objects.filter(name="Winter pool").exists()
    response = client.post(
        url,
        {
            "name": "Winter pool",
            "categories_file": SimpleUploadedFile("c.csv", CATEGORIES.encode()),
            "respondents_file": SimpleUploadedFile("r.csv", RESPONDENTS.encode()),
        },
    )
    assert response.status_code == 302
    pool = Pool.objects.get(name="Winter pool")
    assert pool.members.count() == 3
    hashes = list(pool.members.order_by("external_id").values_list("household_hash", flat=True))
    assert hashes[0] == hashes[2] != hashes[1]


@pytest.mark.parametrize("roles", [(), ("curator",), ("administrator",)])
def test_only_the_secretariat_imports_pools(client, signed_in, roles):
    signed_in(make_user("x@example.com", roles=roles))
    assert client.get(reverse("panels:import_pool")).status_code == 403


def test_the_census_shares_cover_every_category_and_add_up_to_one():
    from nhs_citizen.panels.categories import CATEGORY_LABELS, values_for

    for category in CATEGORY_LABELS:
        values = values_for(category)
        assert values, category
        assert sum(v.share for v in values) == pytest.approx(1.0, abs=0.0015), category
        assert all(0 < v.share < 1 for v in values)

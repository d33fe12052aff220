import pytest

from nhs_citizen.core.models import Icb, Organisation, OrganisationType, Region, Topic
from nhs_citizen.core.reference import load_reference_data

pytestmark = pytest.mark.django_db


def test_reference_data_is_loaded_on_migrate():
    assert Region.objects.count() == 7
    assert Icb.objects.count() == 42
    assert Organisation.objects.filter(type=OrganisationType.NHS_ENGLAND).count() == 1
    assert Organisation.objects.filter(type=OrganisationType.NHS_ENGLAND_REGION).count() == 7
    assert Organisation.objects.filter(type=OrganisationType.ICB).count() == 42
    assert Topic.objects.count() >= 20


def test_every_icb_is_in_a_region_and_has_its_organisation():
    counts = {region.name: region.icbs.count() for region in Region.objects.all()}
    assert counts == {
        "East of England": 6,
        "London": 5,
        "Midlands": 11,
        "North East and Yorkshire": 4,
        "North West": 3,
        "South East": 6,
        "South West": 7,
    }
    for icb in Icb.objects.all():
        organisation = Organisation.objects.get(type=OrganisationType.ICB, code=icb.code)
        assert organisation.region_id == icb.region_id
        assert organisation.icb_id == icb.pk


def test_loading_again_changes_nothing_and_corrects_drift():
    before = Organisation.objects.count()
    icb = Icb.objects.get(code="QMJ")
    Icb.objects.filter(pk=icb.pk).update(name="Wrong name")
    load_reference_data()
    load_reference_data()
    assert Organisation.objects.count() == before
    assert Icb.objects.get(code="QMJ").name == "North Central London"

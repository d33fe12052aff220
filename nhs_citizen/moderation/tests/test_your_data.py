import pytest

from nhs_citizen.accounts.services import build_data_export, do_delete_account
from nhs_citizen.moderation.models import Report
from nhs_citizen.moderation.services import check_report

pytestmark = pytest.mark.django_db


def test_reports_are_in_your_data_and_stay_without_you_when_you_leave(citizen, comment):
    check_report(reporter=citizen, kind="comment", object_id=comment.pk, reason="hate")
    export = build_data_export(citizen)
    assert (
        export["moderation"]["reports_you_made"][0]["reason"]
        == "It attacks people because of who they are"
    )
    do_delete_account(user=citizen)
    report = Report.objects.get()
    assert report.reporter is None

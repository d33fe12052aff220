import pytest
from django.core import mail

from nhs_citizen.conftest import make_user
from nhs_citizen.notifications.models import Notification
from nhs_citizen.notifications.services import do_notify, do_send_notification_email

pytestmark = pytest.mark.django_db


def test_a_notification_is_kept_and_emailed_once_the_change_is_saved(
    django_capture_on_commit_callbacks,
):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        notification = do_notify(
            user=user, subject="Your flag", body="It has an answer.", link="/x/"
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "NHS Citizen: Your flag"
    assert "It has an answer." in mail.outbox[0].body
    assert "http://127.0.0.1:8000/x/" in mail.outbox[0].body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_sending_twice_sends_one_email():
    user = make_user()
    notification = Notification.objects.create(user=user, subject="S", body="B")
    assert do_send_notification_email(notification.pk) is True
    assert do_send_notification_email(notification.pk) is False
    assert len(mail.outbox) == 1


def test_nothing_is_sent_to_a_deleted_account():
    user = make_user()
    notification = Notification.objects.create(user=user, subject="S", body="B")
    from nhs_citizen.accounts.services import do_delete_account

    do_delete_account(user=user)
    user.refresh_from_db()
    assert do_send_notification_email(notification.pk) is False
    assert do_notify(user=user, subject="S", body="B") is None
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_runs_the_job_in_a_worker(settings):
    """The embedded job runner: a job queued in the database is run by `db_worker`."""
    from django.core.management import call_command

    from nhs_citizen.notifications.tasks import send_notification_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = make_user()
    notification = Notification.objects.create(user=user, subject="Queued", body="B")
    result = send_notification_email.enqueue(notification.pk)
    assert mail.outbox == []
    call_command("db_worker", batch=True, interval=0)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert len(mail.outbox) == 1

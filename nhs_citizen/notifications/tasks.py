"""Background jobs for notifications. Thin and safe to run twice."""

from django_tasks import task

from nhs_citizen.notifications import services


@task()
def send_notification_email(notification_id: int) -> bool:
    return services.do_send_notification_email(notification_id)

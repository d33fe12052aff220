"""Background jobs for notifications. Thin and safe to run twice."""

from django_tasks import task

from nhs_citizen.notifications import services


@task()
def send_notification_email(notification_id: int) -> bool:
    return services.do_send_notification_email(notification_id)


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail a batch of messages that go straight away."""
    return services.do_send_notification_emails(notification_ids)


@task()
def fan_out(broadcast_id: int) -> int:
    """Write one change's messages for everyone in its audience, in batches."""
    return services.do_fan_out(broadcast_id)


@task()
def send_digests(period: str) -> int:
    """Daily or weekly: queue the summaries, in batches."""
    return services.do_send_digests(period)


@task()
def send_digest_batch(period: str, start: str, user_ids: list[int]) -> int:
    return services.do_send_digest_batch(period, start, user_ids)

"""Background jobs for Gather. Thin and safe to run twice."""

from django_tasks import task

from nhs_citizen.gather.services import notify


@task()
def send_flag_update(flag_id: int, subject: str, body: str) -> int:
    return notify.do_send_flag_update(flag_id, subject, body)

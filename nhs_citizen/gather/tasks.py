"""Background jobs for Gather. Thin and safe to run twice."""

from django_tasks import task

from nhs_citizen.gather.services import notify, similar


@task()
def send_flag_update(flag_id: int, subject: str, body: str) -> int:
    return notify.do_send_flag_update(flag_id, subject, body)


@task()
def find_similar_flags(flag_id: int, reembed: bool = False) -> int:
    """Embed a flag raised or edited, and store its most similar flags."""
    return similar.do_find_similar_flags(flag_id, reembed)


@task()
def flag_visibility_changed(flag_id: int) -> int:
    """A flag was hidden, merged or put back: take it out of similar lists, or back in."""
    return len(similar.do_visibility_changed(flag_id))


@task()
def search_for_draft(draft_id: int) -> int:
    """ "Flags like yours" for a flag someone is still writing."""
    return similar.do_search_for_draft(draft_id)


@task()
def find_people_like_you(flag_id: int) -> bool:
    """ "People who care about this": supporters of flags on the same topic or in the same area."""
    return similar.do_find_people(flag_id)

"""Background jobs for conversations. Thin and safe to run twice.

The maths imports NumPy, so it is imported inside the job: importing this module (as the vote
page does, to queue a job) loads none of it."""

from django_tasks import task


@task()
def recompute_opinions(conversation_id: int) -> str:
    from nhs_citizen.conversations.services import results

    result = results.do_recompute(conversation_id)
    if result is None:
        return "Nothing to do"
    return f"{result.participant_count} participants, {result.vote_count} votes"

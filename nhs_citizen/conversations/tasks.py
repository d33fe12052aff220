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


@task()
def write_conversation_files(conversation_id: int) -> str:
    """The Pol.is download files of a large conversation, written after its map: a job of its
    own, so a fresh map never waits for a million-line file."""
    from nhs_citizen.conversations.models import Conversation
    from nhs_citizen.conversations.services import polis

    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return "Nothing to do"
    return f"Written to {polis.do_write_export_files(conversation)}"

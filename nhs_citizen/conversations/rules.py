"""Who may do what in conversations. Everything in a conversation, apart from hidden statements,
is public to read. Whether a conversation is open right now is the service's business."""

import rules

from nhs_citizen.accounts.predicates import is_curator, is_moderator, is_secretariat


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated)


@rules.predicate
def answers_for_call(user, call) -> bool:
    from nhs_citizen.gather.services.calls import is_responder_for

    return bool(
        user.is_authenticated and call is not None and is_responder_for(user, call.organisation)
    )


@rules.predicate
def manages_conversation(user, conversation) -> bool:
    """The person who opened it, or anyone in the role that may open one on the same thing: a
    curator for a flag, the secretariat for an agenda item, the body's responders for a call."""
    if not user.is_authenticated or conversation is None:
        return False
    if conversation.opened_by_id is not None and conversation.opened_by_id == user.pk:
        return True
    if conversation.flag_id:
        return bool(is_curator(user))
    if conversation.agenda_item_id:
        return bool(is_secretariat(user))
    if conversation.call_id:
        return bool(answers_for_call(user, conversation.call))
    return False


# A curator opens a conversation on a flag; the secretariat on an Assembly agenda item, before
# the meeting; an NHS body's confirmed responders on its own call for views.
rules.add_perm("conversations.open_on_flag", is_curator)
rules.add_perm("conversations.open_on_agenda_item", is_secretariat)
rules.add_perm("conversations.open_on_call", answers_for_call)
rules.add_perm("conversations.take_part", is_signed_in)
rules.add_perm("conversations.hide_statement", is_curator | is_moderator)
# Change the question or closing date, or close it early (with a reason, audited).
rules.add_perm("conversations.manage", manages_conversation)

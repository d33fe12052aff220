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


# A curator opens a conversation on a flag; the secretariat on an Assembly agenda item, before
# the meeting; an NHS body's confirmed responders on its own call for views.
rules.add_perm("conversations.open_on_flag", is_curator)
rules.add_perm("conversations.open_on_agenda_item", is_secretariat)
rules.add_perm("conversations.open_on_call", answers_for_call)
rules.add_perm("conversations.take_part", is_signed_in)
rules.add_perm("conversations.hide_statement", is_curator | is_moderator)

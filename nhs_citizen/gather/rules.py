"""Who may do what in Gather."""

import rules

from nhs_citizen.accounts.predicates import (
    is_curator,
    is_moderator,
    is_responder,
    is_review_panel_member,
)


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated)


@rules.predicate
def answers_for_referral(user, referral) -> bool:
    return bool(
        user.is_authenticated
        and referral is not None
        and referral.organisation_id in user.responder_organisation_ids
    )


rules.add_perm("gather.raise_flag", is_signed_in)
rules.add_perm("gather.take_part", is_signed_in)
rules.add_perm("gather.curate", is_curator)
rules.add_perm("gather.review", is_review_panel_member)
rules.add_perm("gather.respond", is_responder)
rules.add_perm("gather.answer_referral", answers_for_referral)
rules.add_perm("gather.see_hidden", is_moderator)

"""Who may do what on the tracker. Reading is open to everyone, without an account."""

import rules

from nhs_citizen.accounts.predicates import is_board_member, is_responder, is_secretariat


@rules.predicate
def can_add_commitment_to(user, thing) -> bool:
    from nhs_citizen.tracker.services.commitments import can_add_commitment

    return can_add_commitment(user, thing)


@rules.predicate
def can_update(user, commitment) -> bool:
    from nhs_citizen.tracker.services.commitments import speaks_as

    return (
        commitment is not None
        and not commitment.is_withdrawn
        and speaks_as(user, commitment) is not None
    )


@rules.predicate
def can_withdraw(user, commitment) -> bool:
    from nhs_citizen.tracker.services.commitments import can_withdraw

    return commitment is not None and can_withdraw(user, commitment)


@rules.predicate
def took_part_in(user, response) -> bool:
    from nhs_citizen.tracker.services.board import took_part

    return response is not None and took_part(user, response)


rules.add_perm("tracker.record_board_response", is_board_member)
rules.add_perm("tracker.add_commitment", can_add_commitment_to)
rules.add_perm("tracker.update_commitment", can_update)
rules.add_perm("tracker.withdraw_commitment", can_withdraw)
rules.add_perm("tracker.reflect", took_part_in)
rules.add_perm("tracker.generate_stocktake", is_secretariat)
rules.add_perm("tracker.see_own_commitments", is_responder | is_board_member | is_secretariat)

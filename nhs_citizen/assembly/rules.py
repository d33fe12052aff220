"""Who may do what in the Assembly. Whether a signed-in person may vote in a given cycle (their
account and e-mail address must date from before its cut-off) is decided, with reasons, by
services.vote.voter_eligibility."""

import rules

from nhs_citizen.accounts.predicates import is_secretariat


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated)


rules.add_perm("assembly.run_cycles", is_secretariat)
rules.add_perm("assembly.vote", is_signed_in)
# Paper ballots (ADR 0034): issuing, entering and cancelling them, and the list of paper
# voters, whose names and addresses only the secretariat sees.
rules.add_perm("assembly.paper_ballots", is_secretariat)

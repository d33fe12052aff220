"""Who may do what at an Assembly Meeting and with the Citizen Panels it commissions.

Everything about a meeting is public to read. The secretariat runs the meeting; its
facilitators (who hold the secretariat role) record what each workshop said; anyone signed in
can post to an item's thread while remote posting is open; moderators can hide posts."""

import rules

from nhs_citizen.accounts.predicates import is_moderator, is_secretariat


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated)


# Set up the meeting, its agenda, the information packs, remote posting and the minutes.
rules.add_perm("meetings.manage_meeting", is_secretariat)
# Facilitators record workshop notes. They work for the secretariat and hold its role.
rules.add_perm("meetings.record_notes", is_secretariat)
# Whether posting is open right now is the service's business (check_post_remotely).
rules.add_perm("meetings.post_remotely", is_signed_in)
rules.add_perm("meetings.hide_remote_post", is_moderator)
# Record the Assembly's decision to commission a Citizen Panel, link its panel, publish its report.
rules.add_perm("meetings.commission_panel", is_secretariat)

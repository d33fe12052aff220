"""Who may do what with stories of change. The measures are public: no rule needed."""

import rules

from nhs_citizen.accounts.predicates import is_curator, is_moderator
from nhs_citizen.culture.models import StoryStatus


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated and not user.deleted_at)


@rules.predicate
def told_the_story(user, story) -> bool:
    return bool(user.is_authenticated and story is not None and story.author_id == user.pk)


@rules.predicate
def is_published(user, story) -> bool:
    return story is not None and story.status == StoryStatus.PUBLISHED


rules.add_perm("culture.tell_story", is_signed_in)
rules.add_perm("culture.curate_stories", is_curator)
rules.add_perm("culture.hide_story", is_moderator)
# Seeing the page at all. A hidden story's page shows only the reason, except to its teller
# and moderators (culture.see_hidden_story).
rules.add_perm("culture.view_story", is_published | told_the_story | is_curator)
rules.add_perm("culture.see_hidden_story", told_the_story | is_moderator)

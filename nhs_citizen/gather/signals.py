"""Keep Gather's stored counts and similar-flag lists right when a moderator hides or puts back
a flag or a comment (the moderation app saves ``hidden_at``; Gather reacts here)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from nhs_citizen.gather.models import Comment, Flag


def _hidden_changed(update_fields) -> bool:
    return update_fields is not None and "hidden_at" in update_fields


@receiver(post_save, sender=Comment, dispatch_uid="gather_comment_visibility")
def comment_saved(sender, instance: Comment, created: bool, update_fields=None, **kwargs):
    if not created and _hidden_changed(update_fields):
        from nhs_citizen.gather.services.flags import do_recount_comments

        do_recount_comments(instance.flag_id)


@receiver(post_save, sender=Flag, dispatch_uid="gather_flag_visibility")
def flag_saved(sender, instance: Flag, created: bool, update_fields=None, **kwargs):
    if not created and _hidden_changed(update_fields):
        from nhs_citizen.gather.services.similar import queue_visibility_changed

        queue_visibility_changed(instance.pk)

"""Keep when a person first verified an e-mail address (allauth does not record it)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone


@receiver(post_save, sender=EmailAddress, dispatch_uid="accounts_email_verified_at")
def remember_first_verification(sender, instance: EmailAddress, **kwargs) -> None:
    if not instance.verified or instance.user_id is None:
        return
    from nhs_citizen.accounts.models import User

    User.objects.filter(pk=instance.user_id, email_verified_at__isnull=True).update(
        email_verified_at=timezone.now()
    )

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "nhs_citizen.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from nhs_citizen.accounts.services import (
            register_account_deletion_step,
            register_data_export_section,
        )
        from nhs_citizen.moderation import services

        register_data_export_section("moderation", services.export_for_user)
        register_account_deletion_step(services.forget_user)

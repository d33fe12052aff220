from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "nhs_citizen.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from nhs_citizen.accounts.services import (
            register_account_deletion_step,
            register_data_export_section,
        )
        from nhs_citizen.notifications import services

        register_data_export_section("messages_we_sent_you", services.export_notifications)
        register_account_deletion_step(services.delete_notifications)

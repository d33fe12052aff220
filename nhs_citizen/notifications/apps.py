from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "nhs_citizen.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from nhs_citizen.accounts.sections import AccountSection, register_account_section
        from nhs_citizen.accounts.services import (
            register_account_deletion_step,
            register_data_export_section,
        )
        from nhs_citizen.notifications import services
        from nhs_citizen.notifications.account import email_choices_section

        register_data_export_section("messages_we_sent_you", services.export_notifications)
        register_data_export_section("how_often_we_email_you", services.export_email_choices)
        register_account_deletion_step(services.delete_notifications)
        register_account_section(
            AccountSection(
                name="emails",
                template="notifications/account_section.jinja",
                context=email_choices_section,
                order=20,
            )
        )

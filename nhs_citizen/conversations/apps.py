from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "nhs_citizen.conversations"
    label = "conversations"
    verbose_name = "Conversations: statements, votes and the opinion groups they show"

    def ready(self) -> None:
        from nhs_citizen.accounts.services import (
            register_account_deletion_step,
            register_data_export_section,
        )
        from nhs_citizen.conversations.services import people

        register_data_export_section("conversations", people.export_for_user)
        register_account_deletion_step(people.forget_user)

        from nhs_citizen.conversations import moderation

        moderation.register()

from django.apps import AppConfig


class CultureConfig(AppConfig):
    name = "nhs_citizen.culture"
    label = "culture"
    verbose_name = "Culture change: measures per body and stories of change"

    def ready(self) -> None:
        from nhs_citizen.accounts.services import (
            register_account_deletion_step,
            register_data_export_section,
        )
        from nhs_citizen.culture.services import stories

        register_data_export_section("stories_of_change", stories.export_for_user)
        register_account_deletion_step(stories.forget_user)

        from nhs_citizen.culture import moderation

        moderation.register()

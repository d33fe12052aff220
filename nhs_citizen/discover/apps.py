from django.apps import AppConfig


class DiscoverConfig(AppConfig):
    name = "nhs_citizen.discover"
    label = "discover"
    verbose_name = "Discover: listening across channels and the state of the conversation"

    def ready(self) -> None:
        from nhs_citizen.accounts.services import (
            register_account_deletion_step,
            register_data_export_section,
        )
        from nhs_citizen.discover.services import people

        register_data_export_section("discover", people.export_for_user)
        register_account_deletion_step(people.forget_user)

        from nhs_citizen.discover import moderation

        moderation.register()

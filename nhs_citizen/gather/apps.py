from django.apps import AppConfig


class GatherConfig(AppConfig):
    name = "nhs_citizen.gather"
    label = "gather"
    verbose_name = "Gather"

    def ready(self) -> None:
        from nhs_citizen.accounts.sections import AccountSection, register_account_section
        from nhs_citizen.accounts.services import (
            register_account_deletion_step,
            register_data_export_section,
        )
        from nhs_citizen.gather import moderation, signals  # noqa: F401 - connects the receivers
        from nhs_citizen.gather.account import your_flags_section
        from nhs_citizen.gather.services import export

        register_data_export_section("gather", export.export_for_user)
        register_account_deletion_step(export.forget_user)
        register_account_section(
            AccountSection(
                name="your_flags",
                template="gather/account_your_flags.jinja",
                context=your_flags_section,
                order=10,
            )
        )
        moderation.register()

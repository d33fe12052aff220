from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nhs_citizen.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from nhs_citizen.accounts import needs_services, signals  # noqa: F401
        from nhs_citizen.accounts.needs_presenters import your_needs_section
        from nhs_citizen.accounts.sections import AccountSection, register_account_section
        from nhs_citizen.accounts.services import (
            register_account_deletion_step,
            register_data_export_section,
        )

        # Communication needs and requests for other formats (ADR 0036).
        register_data_export_section("communication_needs", needs_services.export_for_user)
        register_account_deletion_step(needs_services.forget_user)
        register_account_section(
            AccountSection(
                name="your_needs",
                template="accounts/account_your_needs.jinja",
                context=your_needs_section,
                order=30,
            )
        )

        # Each app's staff.py registers its staff tools and how the public audit log credits
        # its staff actions (ADR 0026), so accounts never imports another app by name.
        autodiscover_modules("staff")

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nhs_citizen.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from nhs_citizen.accounts import signals  # noqa: F401

        # Each app's staff.py registers its staff tools and how the public audit log credits
        # its staff actions (ADR 0026), so accounts never imports another app by name.
        autodiscover_modules("staff")

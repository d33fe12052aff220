from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nhs_citizen.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from nhs_citizen.accounts import signals  # noqa: F401

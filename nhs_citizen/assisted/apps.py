from django.apps import AppConfig


class AssistedConfig(AppConfig):
    name = "nhs_citizen.assisted"
    label = "assisted"
    verbose_name = "Community helpers"

    def ready(self) -> None:
        from nhs_citizen.assisted import rules  # noqa: F401 - registers the permissions

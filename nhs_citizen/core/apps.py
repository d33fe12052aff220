from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nhs_citizen.core"
    label = "core"
    verbose_name = "NHS Citizen core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from nhs_citizen.core.reference import load_reference_data

        # Reference data ships with the code and is brought up to date on every migrate.
        post_migrate.connect(load_reference_data, sender=self, dispatch_uid="core-reference-data")

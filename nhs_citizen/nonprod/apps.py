from django.apps import AppConfig


class NonprodConfig(AppConfig):
    """Demo data and personas. Not installed when NHS_CITIZEN_ENV=production."""

    name = "nhs_citizen.nonprod"
    label = "nonprod"
    verbose_name = "Demo data (not for production)"

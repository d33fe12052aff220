from django.apps import AppConfig


class CultureConfig(AppConfig):
    name = "nhs_citizen.culture"
    label = "culture"
    verbose_name = "Culture change: measures per body and stories of change"

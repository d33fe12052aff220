from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nhs_citizen.api"
    label = "api"
    verbose_name = "Open API"

from django.apps import AppConfig


class EasyReadConfig(AppConfig):
    name = "nhs_citizen.easyread"
    label = "easyread"
    verbose_name = "Easy Read pages and paper forms"

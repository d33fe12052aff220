from django.apps import AppConfig


class NhsukFormsConfig(AppConfig):
    name = "nhs_citizen.nhsuk_forms"
    label = "nhsuk_forms"
    verbose_name = "NHS.UK form fields"

from django.apps import AppConfig


class AssemblyConfig(AppConfig):
    name = "nhs_citizen.assembly"
    label = "assembly"
    verbose_name = "Assembly cycles, the priority vote and the citizens' jury"

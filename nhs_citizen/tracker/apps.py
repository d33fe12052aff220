from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "nhs_citizen.tracker"
    label = "tracker"
    verbose_name = "The tracker: responses and commitments"

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "nhs_citizen.meetings"
    label = "meetings"
    verbose_name = "Assembly Meetings and the Citizen Panels they commission"

    def ready(self) -> None:
        from nhs_citizen.meetings import moderation

        moderation.register()

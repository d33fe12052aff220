from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "nhs_citizen.tracker"
    label = "tracker"
    verbose_name = "The tracker: responses and commitments"

    def ready(self) -> None:
        from nhs_citizen.accounts.services import register_data_export_section
        from nhs_citizen.tracker.services import board

        # Whether a Board response reflected what a person said is theirs to see. It stays
        # (without a name) when they delete their account: it is part of a public total.
        register_data_export_section("board_responses_you_commented_on", board.export_for_user)

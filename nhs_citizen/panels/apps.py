from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "nhs_citizen.panels"
    label = "panels"
    verbose_name = "Citizen Panels and selection by lot"

    def ready(self) -> None:
        from nhs_citizen.accounts.services import (
            register_account_deletion_step,
            register_data_export_section,
        )
        from nhs_citizen.panels.services import pool

        register_data_export_section("selection_pool", pool.export_for_user)
        register_account_deletion_step(pool.forget_user)

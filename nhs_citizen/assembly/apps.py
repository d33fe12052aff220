from django.apps import AppConfig


class AssemblyConfig(AppConfig):
    name = "nhs_citizen.assembly"
    label = "assembly"
    verbose_name = "Assembly cycles, the priority vote and the citizens' jury"

    def ready(self) -> None:
        from nhs_citizen.accounts.services import register_data_export_section
        from nhs_citizen.assembly.services import vote

        # A person's own ballots are theirs to download. Ballots stay when an account is
        # deleted (they were counted), linked only to the anonymised account.
        register_data_export_section("assembly_votes", vote.export_for_user)

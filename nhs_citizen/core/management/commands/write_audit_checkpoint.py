"""Sign a checkpoint of the audit log at its newest entry. Run it daily from cron.

    python manage.py write_audit_checkpoint

The chain is checked from the checkpoint before; a checkpoint is written only if it is intact.
Safe to run again: with no new entries since the last checkpoint it writes nothing. Exits with
status 1, listing every problem, if the chain is broken.
"""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check the audit log since the last checkpoint and sign a new checkpoint at its head."
    requires_system_checks = []

    def handle(self, *args, **options):
        from nhs_citizen.core.services.audit import do_write_audit_checkpoint

        result = do_write_audit_checkpoint()
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"No checkpoint written: the audit log has {len(result.problems)} problem(s)."
            )
        if result.checkpoint is None:
            self.stdout.write("The audit log is empty: no checkpoint written.")
        elif result.created:
            self.stdout.write(
                f"Checkpoint written at entry {result.checkpoint.sequence}, "
                f"hash {result.checkpoint.entry_hash}."
            )
        else:
            self.stdout.write(
                f"No new entries since the checkpoint at entry {result.checkpoint.sequence}: "
                "nothing written."
            )

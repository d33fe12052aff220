"""Check that nobody has changed or removed any entry in the audit log.

    python manage.py verify_audit_log [--full] [--checkpoint SEQUENCE:HASH]

By default the check starts from the newest signed checkpoint (written daily by
``write_audit_checkpoint``): it checks the checkpoint's signature, that the entry there still
has the signed hash, and recomputes every entry after it. ``--full`` recomputes every entry
from the first. Exits with status 0 when the chain is intact and 1 when it is not, listing
every problem.

The public audit page shows the newest entry's number and hash; give one recorded earlier as
--checkpoint to check that nothing has been cut off the end since.
"""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (from the last signed checkpoint, or --full)."
    # The system checks import every URL and view (and with them SciPy and more): seconds of
    # start-up that checking the chain does not need.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            help="SEQUENCE:HASH of an entry published earlier, to check the end of the log.",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Recompute every entry from the first, not only those after the last checkpoint.",
        )

    def handle(self, *args, **options):
        from nhs_citizen.core.services.audit import check_audit_log

        checkpoint = None
        if options.get("checkpoint"):
            sequence, _, hash_ = options["checkpoint"].partition(":")
            hash_ = hash_.strip().lower()
            if (
                not sequence.isdigit()
                or len(hash_) != 64
                or any(c not in "0123456789abcdef" for c in hash_)
            ):
                raise CommandError(
                    "Give the checkpoint as SEQUENCE:HASH, for example 42:3f1a… (64 characters)."
                )
            checkpoint = (int(sequence), hash_)
        check = check_audit_log(checkpoint=checkpoint, full=options.get("full", False))
        head = check.head
        if check.problems:
            for problem in check.problems:
                self.stderr.write(str(problem))
            if not check.full and check.started_from is not None:
                self.stderr.write(
                    f"Checked from the signed checkpoint at entry {check.started_from.sequence}. "
                    "Run with --full to check every entry."
                )
            raise CommandError(
                f"The audit log has been tampered with: {len(check.problems)} problem(s) found."
            )
        self.stdout.write(
            f"The audit log is intact: {head['sequence']} entries, head {head['entry_hash']}."
        )
        if check.started_from is not None:
            self.stdout.write(
                f"Checked {check.entries_checked} entries after the signed checkpoint at entry "
                f"{check.started_from.sequence} ({check.checkpoints_checked} checkpoint(s) "
                "checked). Run with --full to check every entry."
            )
        else:
            self.stdout.write(
                f"Checked every entry ({check.checkpoints_checked} checkpoint(s) checked)."
            )

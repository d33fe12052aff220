"""Check that nobody has changed or removed any entry in the audit log.

    python manage.py verify_audit_log [--checkpoint SEQUENCE:HASH]

Exits with status 0 when the chain is intact and 1 when it is not, listing every problem.
The public audit page shows the newest entry's number and hash; give one recorded earlier as
--checkpoint to check that nothing has been cut off the end since.
"""

from django.core.management.base import BaseCommand, CommandError

from nhs_citizen.core.services.audit import audit_head, verify_audit_log


class Command(BaseCommand):
    help = "Verify the audit log's hash chain."

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            help="SEQUENCE:HASH of an entry published earlier, to check the end of the log.",
        )

    def handle(self, *args, **options):
        checkpoint = None
        if options.get("checkpoint"):
            sequence, _, hash_ = options["checkpoint"].partition(":")
            if not sequence.isdigit() or len(hash_) != 64:
                raise CommandError(
                    "Give the checkpoint as SEQUENCE:HASH, for example 42:3f1a… (64 characters)."
                )
            checkpoint = (int(sequence), hash_.lower())
        problems = verify_audit_log(checkpoint=checkpoint)
        head = audit_head()
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"The audit log has been tampered with: {len(problems)} problem(s) found."
            )
        self.stdout.write(
            f"The audit log is intact: {head['sequence']} entries, head {head['entry_hash']}."
        )

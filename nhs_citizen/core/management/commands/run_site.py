"""Serve the site and run its background job worker together, for development and demos.

    python manage.py run_site [ADDRESS:PORT]

Also starts ``run_schedule --loop 60``, which queues the periodic jobs when they are due (the
nightly open-data files, the daily and weekly e-mail summaries, the audit checkpoint). Stops
them all when you press Ctrl+C. In production, run gunicorn, ``manage.py db_worker`` and
``manage.py run_schedule --loop 60`` as services, or cron lines instead of the last (README).
"""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with its background job worker."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        helpers = []
        # Django's auto-reloader runs this command again in a child process (RUN_MAIN=true);
        # only the first process starts the worker and the scheduler.
        if os.environ.get("RUN_MAIN") != "true":
            worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "1"])
            self.stdout.write(f"Background job worker started (process {worker.pid}).")
            # Queues the nightly open-data files and the e-mail summaries when they are due.
            scheduler = subprocess.Popen(
                [sys.executable, "manage.py", "run_schedule", "--loop", "60"]
            )
            self.stdout.write(f"Scheduler started (process {scheduler.pid}).")
            helpers = [worker, scheduler]
        try:
            call_command("runserver", options["addrport"])
        finally:
            for process in helpers:
                process.terminate()
            for process in helpers:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

"""Serve the site and run its background job worker together, for development and demos.

    python manage.py run_site [ADDRESS:PORT]

Stops both when you press Ctrl+C. In production, run gunicorn and ``manage.py db_worker`` as
two services instead.
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
        worker = None
        # Django's auto-reloader runs this command again in a child process (RUN_MAIN=true);
        # only the first process starts the worker.
        if os.environ.get("RUN_MAIN") != "true":
            worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "1"])
            self.stdout.write(f"Background job worker started (process {worker.pid}).")
        try:
            call_command("runserver", options["addrport"])
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

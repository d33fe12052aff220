"""WSGI entry point, for gunicorn in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhs_citizen.config.settings")
application = get_wsgi_application()

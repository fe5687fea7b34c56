"""WSGI entry point (gunicorn kmstrainer.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmstrainer.settings")
application = get_wsgi_application()

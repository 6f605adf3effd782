"""The WSGI entry point for gunicorn: `gunicorn -c gunicorn.conf.py wsgi:app`."""

from portal import create_app
from portal.web import load_ahead

app = create_app()
load_ahead(app)  # in the master (preload_app): every worker starts with it

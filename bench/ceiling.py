"""The framework's own ceiling: a bare Flask route returning a short text, served with the
same gunicorn settings as the portal (`gunicorn -c gunicorn.conf.py bench.ceiling:app`)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def ceiling():
    return "ok"

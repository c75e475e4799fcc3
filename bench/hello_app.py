"""The bare Flask baseline for `make bench-web`: one route returning "hello".

Served by bench/web.py under the same gunicorn settings as the app, so the app's
req/s can be given as a ratio to what Flask and gunicorn alone reach on this machine.
"""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "hello"

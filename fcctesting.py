"""freeCodeCamp's test hooks: the Python counterpart of fcctesting.js.

freeCodeCamp's tests run in the learner's browser on freecodecamp.org. They
fetch this app cross-origin, so every response must allow their origin, and
they read the project's source through `/_api/...` to look for each lesson's
step. Only the files listed in SOURCE_FILES are ever served from there.
"""
import re
from pathlib import Path

from flask import Response, abort, request

PROJECT_ROOT = Path(__file__).resolve().parent

# What freeCodeCamp asks for -> the file that answers. The Node names are
# what the lessons' checks request; the Python names are there for people.
SOURCE_FILES = {
    "server.js": "server.py",
    "server.py": "server.py",
    "routes.js": "routes.py",
    "routes.py": "routes.py",
    "auth.js": "auth.py",
    "auth.py": "auth.py",
}

# https://www.freecodecamp.org and any other *.freecodecamp.org or
# *.freecodecamp.dev site, plus freeCodeCamp's own local development server.
FREECODECAMP_ORIGIN = re.compile(
    r"https://([a-z0-9-]+\.)*freecodecamp\.(org|dev)|http://localhost:8000"
)


def register(app):
    """Express: fccTesting(app); // For FCC testing purposes"""
    app.after_request(allow_freecodecamp_origin)
    app.add_url_rule("/_api/<name>", view_func=serve_source_file)


def allow_freecodecamp_origin(response):
    """Express: res.setHeader('Access-Control-Allow-Origin', origin) for freeCodeCamp's origins.

    Runs for every response Flask sends, redirects and errors included,
    because freeCodeCamp's runner follows redirects cross-origin.
    """
    origin = request.headers.get("Origin", "")
    response.vary.add("Origin")
    if FREECODECAMP_ORIGIN.fullmatch(origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
    return response


def serve_source_file(name):
    """Express: app.route('/_api/server.js').get((req, res) => res.sendFile(process.cwd() + '/server.js'))"""
    filename = SOURCE_FILES.get(name) or abort(404)
    text = (PROJECT_ROOT / filename).read_text(encoding="utf-8")
    return Response(text, mimetype="text/plain")

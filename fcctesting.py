"""freeCodeCamp's test hooks: the Python counterpart of fcctesting.js.

A given file, like connection.js and fcctesting.js in Node's boilerplate:
you don't need to edit it.

freeCodeCamp's tests run in the learner's browser on freecodecamp.org. They
fetch this app cross-origin, so every response must allow their origin, and
they read the project's source through `/_api/...` to look for each lesson's
step. Only the files listed in SOURCE_FILES are ever served from there, and
`/_api/package.json`, which this file writes from requirements.txt.
"""
import ast
import json
import re
import sys
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

# The npm packages the lessons ask for -> the Python package that plays each
# one's part. /_api/package.json lists an npm package while its Python
# package is in requirements.txt (or, for a standard-library module such as
# sqlite3, while one of the project's .py files imports it).
NPM_STAND_INS = {
    "express": "Flask",
    "pug": "Jinja2",
    "dotenv": "python-dotenv",
    "passport": "Flask-Login",
    "passport-local": "Flask-Login",  # with the app's own password check
    "express-session": "Flask-Session",
    "mongodb": "sqlite3",  # a standard-library module
    "bcrypt": "bcrypt",
    "passport-github": "Authlib",
    "socket.io": "Flask-SocketIO",
    "passport.socketio": "Flask-SocketIO",  # its handlers see the session and current_user
    "cookie-parser": "Flask-Session",  # it reads the session cookie for sockets too
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
    app.add_url_rule("/_api/package.json", view_func=serve_package_json)


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
    path = PROJECT_ROOT / (SOURCE_FILES.get(name) or abort(404))
    if not path.is_file():
        abort(404)  # routes.py and auth.py come with lesson 13
    return Response(path.read_text(encoding="utf-8"), mimetype="text/plain")


def serve_package_json():
    """Express: app.route('/_api/package.json').get(...), written afresh from requirements.txt."""
    return Response(json.dumps(package_json(), indent=2), mimetype="application/json")


def package_json():
    """The package.json freeCodeCamp reads: each npm package whose Python stand-in this project uses."""
    required = required_packages()
    imported = imported_modules()
    dependencies = {}
    for npm_name, python_name in NPM_STAND_INS.items():
        if python_name in sys.stdlib_module_names:
            if python_name in imported:
                dependencies[npm_name] = f"{python_name} (Python standard library)"
        elif normalized(python_name) in required:
            dependencies[npm_name] = f"{python_name}{required[normalized(python_name)]} (Python)"
    return {
        "name": PROJECT_ROOT.name,
        "description": (
            "A Python project, not a Node one. fcctesting.py writes this file from requirements.txt "
            "for freeCodeCamp's checks: each dependency is an npm package a lesson asks for, and "
            "its value names the Python package that plays its part here."
        ),
        "dependencies": dependencies,
    }


def required_packages():
    """{normalized name: version specifier} of every package requirements.txt lists."""
    path = PROJECT_ROOT / "requirements.txt"
    return listed_packages(path.read_text(encoding="utf-8") if path.is_file() else "")


def listed_packages(text):
    """{normalized name: version specifier} of every package the text of a requirements file lists."""
    required = {}
    for line in text.splitlines():
        line = re.sub(r"(^|\s)#.*", "", line).split(";")[0].strip()  # no comment, no marker
        requirement = re.match(r"([A-Za-z0-9][\w.-]*)\s*(\[.*?\])?\s*(.*)", line)
        if requirement:  # options such as -r, -e and --index-url start with "-"
            required[normalized(requirement[1])] = re.sub(r"\s", "", requirement[3])
    return required


def normalized(name):
    """A package name as PEP 503 compares them: Flask_Login, flask.login -> flask-login."""
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules():
    """The top-level modules the project's own .py files import."""
    modules = set()
    for path in PROJECT_ROOT.glob("*.py"):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.add(node.module.split(".")[0])
    return modules

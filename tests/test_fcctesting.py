"""freeCodeCamp's test hooks: CORS for its origins, the /_api allow-list, and
/_api/package.json written from requirements.txt."""
import ast
import json
import sys
from pathlib import Path

import pytest

import fcctesting

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FREECODECAMP = "https://www.freecodecamp.org"
# Every npm package freeCodeCamp's lessons look for in package.json's dependencies.
LESSON_DEPENDENCIES = [
    "pug", "passport", "express-session", "mongodb", "passport-local", "bcrypt",
    "passport-github", "socket.io", "passport.socketio", "cookie-parser",
]


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ("server.js", "server.py"),
        ("routes.js", "routes.py"),
        ("auth.js", "auth.py"),
        ("server.py", "server.py"),
        ("routes.py", "routes.py"),
        ("auth.py", "auth.py"),
    ],
)
def test_api_serves_the_source_file(client, name, filename):
    response = client.get(f"/_api/{name}")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == (PROJECT_ROOT / filename).read_text(encoding="utf-8")
    assert response.mimetype == "text/plain"


@pytest.mark.parametrize(
    "path",
    [
        "/_api/.env",
        "/_api/.env.example",
        "/_api/config.py",
        "/_api/users.sqlite3",
        "/_api/requirements.txt",
        "/_api/package.json/",
        "/_api/PACKAGE.JSON",
        "/_api/package-lock.json",
        "/_api/app",
        "/_api/app-stack",
        "/_api/../.env",
        "/_api/..%2F.env",
        "/_api/%2e%2e/server.py",
        "/_api/..%252F.env",
        "/_api/server.js/",
        "/_api/server.js%00",
        "/_api/SERVER.JS",
        "/_api/instance/users.sqlite3",
        "/_api/",
        "/_api",
        "/.env",
        "/public/../.env",
        "/public/..%2F.env",
        "/public/%2e%2e/server.py",
    ],
)
def test_api_never_serves_anything_else(client, path):
    response = client.get(path)
    assert response.status_code == 404, f"{path} answered {response.status_code}"


@pytest.mark.parametrize("origin", [FREECODECAMP, "https://freecodecamp.org", "https://www.freecodecamp.dev", "http://localhost:8000"])
def test_freecodecamp_origins_are_allowed(client, origin):
    response = client.get("/_api/server.js", headers={"Origin": origin})
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "https://freecodecamp.org.evil.example",
        "https://evilfreecodecamp.org",
        "http://www.freecodecamp.org",
        "https://www.freecodecamp.org:8443",
        "http://localhost:3000",
        "null",
    ],
)
def test_other_origins_get_no_cors_header(client, origin):
    response = client.get("/", headers={"Origin": origin})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/profile", 302),
        ("GET", "/logout", 302),
        ("GET", "/no/such/page", 404),
        ("GET", "/_api/.env", 404),
        ("POST", "/login", 400),
        ("GET", "/public/style.css", 200),
        ("OPTIONS", "/register", 200),
    ],
)
def test_every_kind_of_response_carries_cors_header(client, method, path, status):
    with client.open(path, method=method, headers={"Origin": FREECODECAMP}) as response:
        assert response.status_code == status
        assert response.headers.get("Access-Control-Allow-Origin") == FREECODECAMP


def test_server_error_carries_cors_header(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom", headers={"Origin": FREECODECAMP})
    assert response.status_code == 500
    assert response.headers.get("Access-Control-Allow-Origin") == FREECODECAMP


def test_redirects_stay_on_the_same_origin(client):
    response = client.get("/profile", headers={"Origin": FREECODECAMP})
    assert response.headers["Location"] == "/", "an absolute redirect could send freeCodeCamp elsewhere"


def requirement_lines(text):
    """requirements.txt's requirements, as written, without comments."""
    return [line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()]


def test_package_json_lists_every_lesson_dependency_for_the_project(client):
    response = client.get("/_api/package.json", headers={"Origin": FREECODECAMP})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == FREECODECAMP
    document = json.loads(response.get_data(as_text=True))
    assert document["name"] and "Python" in document["description"] and "requirements.txt" in document["description"]
    assert set(LESSON_DEPENDENCIES) <= set(document["dependencies"])
    assert document["dependencies"]["passport"] == "Flask-Login>=0.6.3 (Python)"


def test_package_json_entries_name_what_requirements_txt_really_lists(client):
    requirements = requirement_lines((PROJECT_ROOT / "requirements.txt").read_text(encoding="utf-8"))
    dependencies = client.get("/_api/package.json").get_json()["dependencies"]
    for npm_name, stand_in in dependencies.items():
        if stand_in.endswith(" (Python standard library)"):
            module = stand_in.removesuffix(" (Python standard library)")
            assert module in sys.stdlib_module_names, f"{npm_name}: {module} is not in the standard library"
        else:
            assert stand_in.removesuffix(" (Python)") in requirements, f"{npm_name}: {stand_in} is not in requirements.txt"


def test_fcctesting_imports_only_flask_and_the_standard_library():
    tree = ast.parse((PROJECT_ROOT / "fcctesting.py").read_text(encoding="utf-8"))
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert {module.split(".")[0] for module in modules} - set(sys.stdlib_module_names) == {"flask"}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder of the test's making, for fcctesting.py to describe."""
    monkeypatch.setattr(fcctesting, "PROJECT_ROOT", tmp_path)

    def write(filename, text):
        (tmp_path / filename).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / filename).write_text(text, encoding="utf-8")

    return write


def dependencies():
    return fcctesting.package_json()["dependencies"]


def test_no_requirements_no_dependencies(project):
    assert dependencies() == {}
    project("requirements.txt", "requests>=2.32\n")
    assert dependencies() == {}


@pytest.mark.parametrize(
    "line",
    [
        "Flask-Login>=0.6.3",
        "flask_login>=0.6.3",
        "FLASK.LOGIN>=0.6.3",
        "flask-_login >= 0.6.3",
        "Flask-Login[extra] >=0.6.3 ; python_version >= '3.10'  # Passport",
    ],
)
def test_a_requirement_counts_however_its_name_is_spelt(project, line):
    project("requirements.txt", f"# the app\n\n{line}\n")
    assert dependencies() == {"passport": "Flask-Login>=0.6.3 (Python)", "passport-local": "Flask-Login>=0.6.3 (Python)"}


def test_comments_options_and_other_packages_do_not_count(project):
    project(
        "requirements.txt",
        "# Flask-Login>=0.6.3\n-r Flask-Session.txt\n-e git+https://example.com/bcrypt.git#egg=bcrypt\n"
        "--index-url https://example.com/Authlib\nFlask-Login-extras>=1\nsqlite3\nJinja2\n",
    )
    assert dependencies() == {"pug": "Jinja2 (Python)"}


def test_package_json_is_written_afresh_for_each_request(project, client):
    assert client.get("/_api/package.json").get_json()["dependencies"] == {}
    project("requirements.txt", "bcrypt>=4.2\n")
    assert client.get("/_api/package.json").get_json()["dependencies"] == {"bcrypt": "bcrypt>=4.2 (Python)"}


@pytest.mark.parametrize("code", ["import sqlite3", "from sqlite3 import connect", "import os, sqlite3.dbapi2 as db"])
def test_a_standard_library_stand_in_counts_when_imported(project, code):
    project("connection.py", f"def users():\n    {code}\n")
    assert dependencies() == {"mongodb": "sqlite3 (Python standard library)"}


@pytest.mark.parametrize(
    ("filename", "code"),
    [
        ("connection.py", "# Express: require('mongodb'); in Python: import sqlite3\n"),
        ("connection.py", "NOTE = 'import sqlite3'\nSQLITE3 = 'sqlite3'\n"),
        ("connection.py", "from .sqlite3 import connect\n"),
        ("lib/connection.py", "import sqlite3\n"),
        ("connection.txt", "import sqlite3\n"),
        ("broken.py", "import sqlite3\ndef (:\n"),
    ],
)
def test_a_standard_library_stand_in_does_not_count_unless_imported(project, filename, code):
    project("requirements.txt", "sqlite3\n")
    project(filename, code)
    assert dependencies() == {}


@pytest.mark.parametrize("name", ["routes.js", "auth.py"])
def test_a_source_file_the_project_does_not_have_yet_is_not_found(project, client, name):
    """Before lesson 13 there is no routes.py or auth.py: freeCodeCamp gets a 404, not a server error."""
    project("server.py", "print('lesson 12')\n")
    response = client.get(f"/_api/{name}")
    assert (response.status_code, response.mimetype) == (404, "text/plain")
    assert client.get("/_api/server.js").get_data(as_text=True) == "print('lesson 12')\n"

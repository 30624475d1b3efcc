"""freeCodeCamp's test hooks: CORS for its origins, and the /_api allow-list."""
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FREECODECAMP = "https://www.freecodecamp.org"


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
        "/_api/package.json",
        "/_api/users.sqlite3",
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

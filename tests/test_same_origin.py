"""Forms posted from other sites are refused (same_origin.py), and so are
Socket.IO connections from them (python-socketio's own check)."""
import pytest

from same_origin import normalized
from server import create_app
from tests.conftest import TEST_CONFIG

# Flask's test client sends its requests to http://localhost.
OWN_ORIGIN = "http://localhost"
OTHER_SITE = "https://elsewhere.example"
CREDENTIALS = {"username": "ada", "password": "lovelace"}
REFUSED = "sent from a page of another site"


def register(client, **headers):
    return client.post("/register", data=CREDENTIALS, headers=headers)


def test_a_form_from_the_apps_own_page_is_accepted(client):
    assert register(client, Origin=OWN_ORIGIN).headers["Location"] == "/profile"


@pytest.mark.parametrize(
    "origin",
    ["https://www.freecodecamp.org", "https://learn.freecodecamp.dev", "http://localhost:8000"],
)
def test_freecodecamps_checks_can_post(client, origin):
    assert register(client, Origin=origin).headers["Location"] == "/profile"


def test_a_form_from_another_site_is_refused_saying_why(client):
    response = register(client, Origin=OTHER_SITE)

    assert response.status_code == 403
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True).startswith(
        f"This form was sent from a page of another site ({OTHER_SITE}), so it was refused: "
    )
    assert "Set-Cookie" not in response.headers, "a refused form should not start a session"
    assert register(client, Origin=OWN_ORIGIN).status_code == 302, "the refused form should have stored no user"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_every_request_that_can_change_something_is_checked(client, method):
    assert client.open("/login", method=method, headers={"Origin": OTHER_SITE}).status_code == 403


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_requests_that_change_nothing_are_never_refused(client, method):
    assert client.open("/", method=method, headers={"Origin": OTHER_SITE}).status_code == 200


def test_logout_stays_a_plain_link_as_in_the_lesson(client, auth):
    auth.register()
    assert client.get("/logout", headers={"Origin": OTHER_SITE}).headers["Location"] == "/"


def test_a_hidden_origin_is_refused(client):
    assert register(client, Origin="null").status_code == 403


def test_without_origin_the_referer_says_where_a_form_came_from(client):
    assert register(client, Referer=f"{OTHER_SITE}/win-a-prize?x=1").status_code == 403
    assert register(client, Referer=f"{OWN_ORIGIN}/").headers["Location"] == "/profile"


def test_the_origin_wins_over_the_referer(client):
    assert register(client, Origin=OTHER_SITE, Referer=f"{OWN_ORIGIN}/").status_code == 403


def test_a_program_that_sends_neither_header_is_let_through(client):
    # Browsers always send Origin with a cross-site POST; curl and the tests' requests send neither.
    assert register(client).headers["Location"] == "/profile"


def behind_proxy(tmp_path, proxy_count):
    """A test client that talks to the app as Replit's proxy does: https://learner.replit.dev."""
    app = create_app({**TEST_CONFIG, "PROXY_COUNT": proxy_count}, instance_path=str(tmp_path))
    client = app.test_client()
    client.environ_base.update(HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_HOST="learner.replit.dev")
    return client


def test_behind_a_trusted_proxy_the_apps_origin_is_the_visitors_address(tmp_path):
    client = behind_proxy(tmp_path, proxy_count=1)
    assert register(client, Origin="https://learner.replit.dev").headers["Location"] == "/profile"
    assert register(client, Origin="http://learner.replit.dev").status_code == 403


def test_behind_a_proxy_not_trusted_the_refusal_says_to_set_proxy_count(tmp_path):
    client = behind_proxy(tmp_path, proxy_count=0)

    response = register(client, Origin="https://learner.replit.dev", Host="learner.replit.dev")

    assert response.status_code == 403
    assert response.get_data(as_text=True) == (
        "This form was refused: it was sent from https://learner.replit.dev, but this app sees itself at "
        "http://learner.replit.dev. If a proxy in front of the app speaks HTTPS for it (as on Replit), "
        "set PROXY_COUNT=1 (see .env.example)."
    )


def test_another_sites_refusal_says_nothing_of_proxies(client):
    assert "PROXY_COUNT" not in register(client, Origin=OTHER_SITE).get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://Learner.Replit.dev:443/chat", "https://learner.replit.dev"),
        ("http://localhost:80", "http://localhost"),
        ("http://localhost:3000/", "http://localhost:3000"),
        ("http://[::1]:3000/", "http://[::1]:3000"),
        ("null", "null"),
        ("javascript:alert(1)", "null"),
        ("https://example.org:99999", "null"),
    ],
)
def test_origins_are_compared_as_browsers_write_them(url, origin):
    assert normalized(url) == origin


def socketio_handshake(client, origin):
    """The first request a Socket.IO client sends (long-polling), from a page of `origin`."""
    return client.get("/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})


def test_socketio_refuses_a_page_of_another_site(client):
    assert socketio_handshake(client, OTHER_SITE).status_code == 400
    assert socketio_handshake(client, OWN_ORIGIN).status_code == 200


def test_behind_a_proxy_socketio_still_refuses_a_page_of_another_site(tmp_path):
    client = behind_proxy(tmp_path, proxy_count=1)
    assert socketio_handshake(client, OTHER_SITE).status_code == 400
    assert socketio_handshake(client, "https://learner.replit.dev").status_code == 200

"""The session cookie's attributes (session_cookie.py): SameSite=Lax over
plain HTTP; over HTTPS through a trusted proxy, one that works inside
Replit's preview pane."""
import re

import pytest

from config import ConfigurationError
from server import create_app
from tests.conftest import TEST_CONFIG

CREDENTIALS = {"username": "ada", "password": "lovelace"}


def client_for(tmp_path, **config):
    return create_app({**TEST_CONFIG, **config}, instance_path=str(tmp_path)).test_client()


def session_cookie(response):
    """{attribute name in lower case: value} of the session cookie the response sets."""
    (cookie,) = [header for header in response.headers.getlist("Set-Cookie") if header.startswith("session=")]
    attributes = {}
    for part in cookie.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        attributes[name.lower()] = value
    return attributes


def register(client, **headers):
    return client.post("/register", data=CREDENTIALS, headers=headers)


OVER_HTTPS = {"X-Forwarded-Proto": "https"}


def test_over_plain_http_the_cookie_is_samesite_lax(tmp_path):
    cookie = session_cookie(register(client_for(tmp_path)))
    assert cookie["samesite"] == "Lax"
    assert "httponly" in cookie
    assert "secure" not in cookie and "partitioned" not in cookie


def test_over_https_through_a_trusted_proxy_the_cookie_works_in_a_frame(tmp_path):
    cookie = session_cookie(register(client_for(tmp_path, PROXY_COUNT=1), **OVER_HTTPS))
    assert cookie["samesite"] == "None"
    assert {"secure", "partitioned", "httponly"} <= cookie.keys()


def test_an_untrusted_proxy_header_changes_nothing(tmp_path):
    # With PROXY_COUNT=0 anyone could send X-Forwarded-Proto.
    cookie = session_cookie(register(client_for(tmp_path, PROXY_COUNT=0), **OVER_HTTPS))
    assert cookie["samesite"] == "Lax"
    assert "secure" not in cookie


def test_session_cookie_secure_makes_every_cookie_the_https_one(tmp_path):
    cookie = session_cookie(register(client_for(tmp_path, SESSION_COOKIE_SECURE=True)))
    assert cookie["samesite"] == "None"
    assert {"secure", "partitioned"} <= cookie.keys()


@pytest.mark.parametrize(
    ("mode", "samesite", "partitioned"),
    [("partitioned", "None", True), ("unpartitioned", "None", False), ("off", "Lax", False)],
)
def test_session_cookie_cross_site_chooses_the_https_cookie(tmp_path, mode, samesite, partitioned):
    client = client_for(tmp_path, PROXY_COUNT=1, SESSION_COOKIE_CROSS_SITE=mode)
    cookie = session_cookie(register(client, **OVER_HTTPS))
    assert cookie["samesite"] == samesite
    assert ("partitioned" in cookie) == partitioned
    assert "secure" in cookie, "a cookie sent over HTTPS is always Secure"


def test_logout_deletes_the_cookie_with_the_attributes_it_was_set_with(tmp_path):
    # A framed page accepts the deletion only if it is SameSite=None, and
    # only a Partitioned one reaches the partitioned cookie.
    client = client_for(tmp_path, PROXY_COUNT=1)
    register(client, **OVER_HTTPS)

    cookie = session_cookie(client.get("/logout", headers=OVER_HTTPS))

    assert cookie["expires"].startswith("Thu, 01 Jan 1970"), "logout should delete the cookie"
    assert cookie["samesite"] == "None"
    assert {"secure", "partitioned"} <= cookie.keys()


def test_the_https_cookie_logs_the_visitor_in(tmp_path):
    client = client_for(tmp_path, PROXY_COUNT=1)
    register(client, **OVER_HTTPS)
    assert "Welcome, ada!" in client.get("/profile", headers=OVER_HTTPS).get_data(as_text=True)


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False)])
def test_session_cookie_secure_is_read_from_the_environment(tmp_path, monkeypatch, value, expected):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", value)
    assert create_app(TEST_CONFIG, instance_path=str(tmp_path)).config["SESSION_COOKIE_SECURE"] is expected


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SESSION_COOKIE_SECURE", "yes", "true or false"),
        ("SESSION_COOKIE_CROSS_SITE", "None", "one of partitioned, unpartitioned, off"),
    ],
)
def test_unusable_cookie_settings_are_refused_by_name(tmp_path, monkeypatch, variable, value, expected):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=f"^{variable}='{value}' cannot be used: it must be {re.escape(expected)}\\."):
        create_app(TEST_CONFIG, instance_path=str(tmp_path))

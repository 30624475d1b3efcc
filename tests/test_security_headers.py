"""Headers every response carries, and redirects that never name a host the
request made up."""
import pytest

from config import ConfigurationError
from server import create_app


@pytest.mark.parametrize("path", ["/public//client.js", "/_api//server.py"])
def test_no_redirect_takes_its_host_from_the_host_header(client, path):
    with client.get("/", headers={"Host": "evil.example"}, environ_overrides={"PATH_INFO": path}) as response:
        assert "evil.example" not in response.headers.get("Location", ""), f"{path} redirected to the Host header's site"


@pytest.mark.parametrize("path", ["/", "/public/client.js", "/no/such/page", "/profile"])
def test_every_response_carries_the_security_headers(client, path):
    with client.get(path) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_only_this_app_and_replit_may_frame_it_by_default(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert policy == "frame-ancestors 'self' https://replit.com https://*.replit.com https://*.replit.dev"


def test_a_foreign_site_is_not_among_the_frame_ancestors(client):
    assert "elsewhere.example" not in client.get("/").headers["Content-Security-Policy"]


def test_frame_ancestors_can_name_the_sites_that_may_frame_the_app(tmp_path):
    app = create_app({"ASYNC_MODE": "threading", "FRAME_ANCESTORS": "'self' https://workspace.example:*"}, instance_path=str(tmp_path))
    policy = app.test_client().get("/").headers["Content-Security-Policy"]
    assert policy == "frame-ancestors 'self' https://workspace.example:*"


def test_frame_ancestors_cannot_add_other_policies(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAME_ANCESTORS", "'self'; script-src *")
    with pytest.raises(ConfigurationError, match="FRAME_ANCESTORS"):
        create_app({"ASYNC_MODE": "threading"}, instance_path=str(tmp_path))

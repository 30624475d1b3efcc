"""The app as Replit's workspace shows it: in a frame of another site (the
workspace), over HTTPS through a proxy (here Debian's nginx, and
`PROXY_COUNT=1`), in a Chromium that blocks third-party cookies."""
import os
import shutil

import pytest
from playwright.sync_api import expect

from tests.debian_packages import require
from tests.tls_proxy import NGINX, TLSProxy

APP_HOST = "learner-app.picard.replit.dev"  # a Repl's preview address
WORKSPACE_HOST = "workspace.example"  # Replit's workspace, which frames the app
ELSEWHERE_HOST = "elsewhere.example"  # any other site
PASSWORD = "correct horse"

CHROMIUM_SWITCHES = [
    # Each name leads to nginx on 127.0.0.1, and no other name leads anywhere.
    f"--host-resolver-rules=MAP {APP_HOST} 127.0.0.1, MAP {WORKSPACE_HOST} 127.0.0.1, "
    f"MAP {ELSEWHERE_HOST} 127.0.0.1, MAP * ~NOTFOUND",
    # nginx's certificate is made by the test, signed by no one Chromium trusts.
    "--ignore-certificate-errors",
]


@pytest.fixture(scope="module")
def preview_browser(launch_chromium):
    return launch_chromium(CHROMIUM_SWITCHES)


@pytest.fixture
def start_replit(start_server, tmp_path):
    """start_replit(**environment): the app (`python server.py` with
    `PROXY_COUNT=1`) behind nginx, which also serves a page for the
    workspace and one for another site. Only the workspace may frame the
    app, as only Replit's may by default. Stopped after the test."""
    require(os.path.exists(NGINX), "nginx", "the tests of Replit's preview pane")
    assert shutil.which("openssl"), "openssl not found: the test makes nginx's certificate with it"
    proxies = []

    def start(**environment):
        server = start_server(PROXY_COUNT="1", FRAME_ANCESTORS=f"'self' https://{WORKSPACE_HOST}:*", **environment)
        proxies.append(TLSProxy(tmp_path / "nginx", APP_HOST, server.port, [WORKSPACE_HOST, ELSEWHERE_HOST]))
        return proxies[-1]

    yield start
    for proxy in proxies:
        proxy.stop()


@pytest.fixture
def visitor(preview_browser, open_window):
    """A person at a window of the Chromium that finds the test's sites (and no other)."""
    return open_window("visitor", preview_browser.new_context())


def register_in_preview(replit, visitor):
    """Opens the workspace, which frames the app, and registers ada in the frame; returns the frame."""
    replit.write_page(WORKSPACE_HOST, f'<!DOCTYPE html><title>Workspace</title><iframe src="{replit.url(APP_HOST)}/"></iframe>')
    visitor.page.goto(replit.url(WORKSPACE_HOST) + "/")
    preview = visitor.page.frame_locator("iframe")
    form = preview.locator("form[action='/register']")
    form.get_by_label("Username").fill("ada")
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Register").click()
    return preview


def test_registering_in_the_workspace_preview_reaches_the_chat(start_replit, visitor):
    replit = start_replit()

    preview = register_in_preview(replit, visitor)
    expect(preview.locator("#welcome"), "registering in the preview did not lead to the profile page").to_have_text("Welcome, ada!")
    preview.get_by_role("link", name="Chat room").click()

    expect(preview.locator("#num-users"), "the chat in the preview never connected").to_have_text("1 user online")
    chat = visitor.page.frame(url=replit.url(APP_HOST) + "/chat")
    assert chat is not None, "the preview is not showing the chat room"
    # Through the proxy, the chat's connection is upgraded to a WebSocket, as client.js asks.
    chat.wait_for_function("socket.io.engine.transport.name === 'websocket'")
    assert visitor.problems == [], "the preview logged errors or had requests fail"


def test_this_browser_refuses_a_cookie_that_is_not_partitioned_in_the_preview(start_replit, visitor):
    # Why the test above needs Partitioned: `SameSite=None; Secure` alone makes a
    # third-party cookie, which Chromium blocks in Playwright's windows (private
    # ones, where that is the default), as browsers do wherever a visitor chose to.
    replit = start_replit(SESSION_COOKIE_CROSS_SITE="unpartitioned")

    preview = register_in_preview(replit, visitor)

    expect(preview.locator("#pug-variable"), "the preview kept a cookie that is not partitioned").to_have_text("Please log in")


def test_a_form_on_another_site_cannot_log_in(start_replit, visitor):
    replit = start_replit()
    app_url = replit.url(APP_HOST)
    visitor.page.goto(app_url + "/")
    form = visitor.page.locator("form[action='/register']")
    form.get_by_label("Username").fill("ada")
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Register").click()
    expect(visitor.page.locator("#welcome")).to_have_text("Welcome, ada!")
    visitor.page.get_by_role("link", name="Logout").click()
    expect(visitor.page.locator("#pug-variable")).to_have_text("Please log in")
    replit.write_page(
        ELSEWHERE_HOST,
        f'<!DOCTYPE html><title>Elsewhere</title><form action="{app_url}/login" method="post">'
        f'<input name="username" value="ada"><input name="password" value="{PASSWORD}"><button>Win a prize</button></form>',
    )

    visitor.page.goto(replit.url(ELSEWHERE_HOST) + "/")
    with visitor.page.expect_response(f"{app_url}/login") as answer:
        visitor.page.get_by_role("button", name="Win a prize").click()

    assert answer.value.status == 403, "a form on another site logged ada in"
    expect(visitor.page.locator("body")).to_contain_text("was sent from a page of another site")
    visitor.page.goto(app_url + "/profile")
    expect(visitor.page, "the refused form logged ada in all the same").to_have_url(app_url + "/")


def test_a_page_on_another_site_cannot_frame_the_app(start_replit, visitor):
    replit = start_replit()
    app_url = replit.url(APP_HOST)
    replit.write_page(ELSEWHERE_HOST, f'<!DOCTYPE html><title>Elsewhere</title><iframe src="{app_url}/"></iframe>')

    with visitor.page.expect_response(f"{app_url}/") as answer:
        visitor.page.goto(replit.url(ELSEWHERE_HOST) + "/")

    assert answer.value.status == 200, "the app did not answer the frame's request"
    visitor.page.frames[1].wait_for_load_state()
    assert visitor.page.frames[1].url == "chrome-error://chromewebdata/", "another site's page showed the app in its frame"
    assert any("violates the following Content Security Policy directive" in problem for problem in visitor.problems)

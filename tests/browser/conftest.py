"""Fixtures for the real-browser tests: one headless Chromium for the whole
run, the real server (`live_server`) for each test, and `new_person`, which
opens a fresh browser window with its own cookies for each person in a test.
A test that needs Chromium started with other switches gets one from
`launch_chromium`, and opens windows in it with `open_window`.

Every test in this folder is marked `browser`, so `python -m pytest -m "not
browser"` runs only the fast tests. When a test fails, each person's
screenshot and console log are saved under test-artifacts/ and their paths
are printed with the failure.
"""
import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.debian_packages import require

CHROMIUM = "/usr/bin/chromium"  # Debian's package: `apt-get install chromium`
CHROMIUM_ARGS = [
    "--no-sandbox",  # the sandbox refuses to run as root, as CI does
    "--disable-gpu",  # headless, in a container: no GPU to use
    "--disable-quic",
    "--no-first-run",
    # Chromium's own calls home (updates, sync, field trials) would try to
    # reach Google; the tests send traffic to 127.0.0.1 only.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# For every wait on the page, expect(...) included: longer than the server
# takes to drop a vanished client (tests/server_process.py's heartbeat).
TIMEOUT_MS = 10_000
# The app under test and the stand-in for GitHub run here; serve_offline
# refuses whatever the pages ask of any other address.
LOCAL = "http://127.0.0.1:"
SOCKETIO_PATH = "/socket.io/"
POLLING_SEPARATOR = "\x1e"  # between the Engine.IO packets of one long-polling answer
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BROWSER_TESTS = Path(__file__).resolve().parent
PEOPLE = pytest.StashKey[list]()


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    require(os.path.exists(CHROMIUM), "chromium", "the browser tests")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def launch_chromium(browser):
    """Launches another Chromium like `browser`, with more command-line
    switches: `launch_chromium(["--switch"])`. Closed at the end of the run."""
    launched = []

    def launch(switches):
        launched.append(browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + switches))
        return launched[-1]

    yield launch
    for other in launched:
        other.close()


@pytest.fixture
def new_person(browser, live_server, open_window):
    """Opens a browser window for a person: `ada = new_person("ada")`."""

    def new_person(name):
        context = browser.new_context(base_url=live_server.url)
        context.route(lambda url: not url.startswith(LOCAL), serve_offline)
        return open_window(name, context)

    return new_person


@pytest.fixture
def open_window(request):
    """Opens a window for a person in a browser context the test made:
    `ada = open_window("ada", context)`. The context is closed after the
    test, and what its windows showed is saved if the test fails."""
    people = request.node.stash[PEOPLE] = []

    def open_window(name, context):
        context.set_default_timeout(TIMEOUT_MS)
        person = Person(name, context.new_page())
        people.append(person)
        return person

    yield open_window
    for person in people:
        person.page.context.close()


def serve_offline(route):
    """Refuses a page's request that would leave 127.0.0.1, as a network
    without internet would: it shows up as a failed request. The pages need
    nothing from elsewhere (the app serves the Socket.IO client itself)."""
    route.abort()


class Person:
    """One person at their own browser window, and what their page logged."""

    def __init__(self, name, page):
        self.name = name
        self.page = page
        self.console = []  # everything the page logged, saved when a test fails
        self.problems = []  # what went wrong on the page: errors, failed requests
        self.hidden = []  # the Socket.IO messages hide_event kept from the page
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._problem(f"uncaught error: {error}"))
        page.on("requestfailed", lambda request: self._problem(f"request failed: {request.url} ({request.failure})"))
        page.on("response", self._on_response)

    def register(self, password="correct horse"):
        """Fills in the home page's Register form, sends it, and waits for the
        profile page to load (leaving it earlier would cut its requests short)."""
        self.page.goto("/")
        form = self.page.locator("form[action='/register']")
        form.get_by_label("Username").fill(self.name)
        form.get_by_label("Password").fill(password)
        form.get_by_role("button", name="Register").click()
        expect(self.page, f"registering {self.name!r} did not lead to the profile page").to_have_url("/profile")
        self.page.wait_for_load_state("load")

    def open_chat(self):
        """Goes to the chat room and waits until it shows a count: connected."""
        self.page.goto("/chat")
        expect(self.page.locator("#num-users"), f"{self.name}'s chat room never showed a count").to_contain_text("online")

    def hide_event(self, event):
        """From now on the server's `event` messages never reach this person's
        pages: dropped on either Socket.IO transport (long-polling, then the
        WebSocket it upgrades to), and kept in `self.hidden`. Shows that a page
        does its job with the other events alone."""
        packet = re.compile(re.escape(f"42[{json.dumps(event)},"))  # Engine.IO "message", Socket.IO "event"

        def keep(text):
            if packet.match(text):
                self.hidden.append(text)
                return False
            return True

        def filter_polling(route):
            if route.request.method != "GET":  # what the page sends goes through unchanged
                route.fallback()
                return
            response = route.fetch()
            packets = response.text().split(POLLING_SEPARATOR)
            route.fulfill(response=response, body=POLLING_SEPARATOR.join(filter(keep, packets)))

        def filter_websocket(websocket):
            server = websocket.connect_to_server()
            server.on_message(lambda message: keep(message) and websocket.send(message))

        context = self.page.context
        context.route(lambda url: SOCKETIO_PATH in url and "transport=polling" in url, filter_polling)
        context.route_web_socket(lambda url: SOCKETIO_PATH in url, filter_websocket)

    def _on_console(self, message):
        self.console.append(f"{message.type}: {message.text}")
        if message.type == "error":
            self._problem(f"console error: {message.text}")

    def _on_response(self, response):
        if response.status >= 400:
            self._problem(f"HTTP {response.status} for {response.url}")

    def _problem(self, text):
        self.console.append(text)
        self.problems.append(text)

    def save_artifacts(self, test_name):
        """Saves a screenshot (if the page is open) and the console log; returns their paths."""
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", f"{test_name}-{self.name}")  # test ids and usernames may hold any character
        saved = []
        if not self.page.is_closed():
            screenshot = ARTIFACTS / f"{stem}.png"
            self.page.screenshot(path=screenshot, full_page=True)
            saved.append(screenshot)
        log = ARTIFACTS / f"{stem}.console.log"
        log.write_text("\n".join(self.console or ["(the page logged nothing)"]) + "\n")
        saved.append(log)
        return saved


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """After a failed test, before its windows close, saves what each person saw."""
    report = yield
    if report.when == "call" and report.failed:
        people = item.stash.get(PEOPLE, [])
        paths = [path for person in people for path in person.save_artifacts(item.name)]
        report.sections.append(("browser artifacts", "\n".join(str(path) for path in paths)))
    return report

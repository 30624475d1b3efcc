"""A visitor of the app, for the behaviour checks: browsers (requests sessions,
each with its own cookies) and chat tabs (Socket.IO clients over long-polling,
so that no WebSocket library is needed), closed and logged out when a check is
done. What goes wrong raises BehaviourFailed, with what a visitor would have
seen; what cannot be seen from outside raises NotChecked.
"""
import html
import queue
import re
import secrets
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from contextlib import suppress

import requests
import socketio

HTTP_TIMEOUT = 10  # seconds for one request
# The longest Retry-After the checker waits out when the app's login limit refuses a form: a limit
# per minute (such as LOGIN_LIMIT_PER_ADDRESS) lets it through within a minute.
LONGEST_WAIT = 61


class BehaviourFailed(Exception):
    """The step does not work; the message says what a visitor would have seen go wrong."""


class Refused(BehaviourFailed):
    """The server refused a socket, or gave no Socket.IO answer."""


class NotChecked(Exception):
    """Nothing of the step shows from outside the app; the message says why."""


HOME_PAGE = 'id="pug-variable"'  # the paragraph every version of the home page has (views/index.html)
NO_USERS_YET = "it shows only once someone is logged in, and nobody can be until the app can register users (lesson 11): the home page offers no registration"


class Visit:
    """One check's browsers and sockets, each closed (and logged out) by leave()."""

    def __init__(self, url, event_timeout, regulars=None):
        self.url = url
        self.event_timeout = event_timeout
        # (browser, username, password) of the users of regular(), logged in for a whole run of checks.
        self.regulars = [] if regulars is None else regulars
        self.browsers = []
        self.sockets = []
        self.notes = []  # what a check that WORKS left unchecked, and why
        self._home = None

    def browser(self):
        """A new browser: a requests session with cookies of its own."""
        self.browsers.append(requests.Session())
        return self.browsers[-1]

    def get(self, path, browser=None, **options):
        return (browser or self.browser()).get(self.url + path, timeout=HTTP_TIMEOUT, **options)

    def post(self, path, form, browser=None):
        """Posts `form`. A 429 is the app's login limit, not the step failing: the checker waits as
        long as Retry-After says and tries once more, or, asked to wait longer, gives up (NotChecked)."""
        browser = browser or self.browser()
        # No Origin or Referer: the app's same-origin check lets programs through.
        answer = browser.post(self.url + path, data=form, timeout=HTTP_TIMEOUT)
        wait = retry_after(answer)
        if wait is not None and wait <= LONGEST_WAIT:
            print(f"The app's login limit refused `POST {path}` ({said(answer)}): waiting {wait} s...", file=sys.stderr, flush=True)
            time.sleep(wait)
            answer = browser.post(self.url + path, data=form, timeout=HTTP_TIMEOUT)
            wait = retry_after(answer)
        if wait is not None:
            raise NotChecked(
                f"the app's login limit (LOGIN_LIMIT_PER_ADDRESS in this project) refused the checker's `POST {path}` "
                f"({said(answer)}): run the checker again in {wait} s, or with --lesson for fewer lessons"
            )
        return answer

    def home(self):
        if self._home is None:
            self._home = self.get("/")
        return self._home

    def offers_registration(self):
        return 'action="/register"' in self.home().text

    def registered_user(self, kept=False):
        """(browser, username, password) of a fresh user, registered through the home page's form and
        still logged in on the next request (and after leave(), if `kept`); NotChecked when the home
        page offers no registration."""
        if not self.offers_registration():
            raise NotChecked(NO_USERS_YET)
        username, password = fresh_name(), secrets.token_urlsafe(12)
        browser = requests.Session() if kept else self.browser()
        answer = self.post("/register", {"username": username, "password": password}, browser)
        if path_of(answer) != "/profile" or answer.status_code != 200:
            raise BehaviourFailed(
                f"registering a new user ({username}) ended on {self.describe(answer)}, not on the profile page"
            )
        if not browser.cookies:
            raise BehaviourFailed("registering set no cookie, so no session can keep anyone logged in")
        if not self.logged_in(browser):
            raise BehaviourFailed(f"{username}, just registered, is not logged in on the next request: the session did not keep them")
        return browser, username, password

    def regular(self, number=0):
        """(browser, username, password) of a logged-in user, for checks that need no more: the run's
        `number`th, registered once and kept logged in, so that a run posts the login forms fewer
        times (apps limit how often one address may)."""
        while len(self.regulars) <= number:
            self.regulars.append(self.registered_user(kept=True))
        browser, username, _ = self.regulars[number]
        if not self.logged_in(browser):
            raise BehaviourFailed(f"{username}, registered earlier in this run, is no longer logged in: the session did not keep them")
        return self.regulars[number]

    def user_if_registering(self, part, fresh=False):
        """A regular() (a registered_user() if `fresh`) when the home page offers registration, else
        None, noting `part` as not checked."""
        if self.offers_registration():
            return self.registered_user() if fresh else self.regular()
        self.notes.append(f"Not checked: {part}, since the home page offers no registration yet (lesson 11).")
        return None

    def logged_in(self, browser):
        """Whether `browser` reaches the profile page (not sent home)."""
        answer = self.get("/profile", browser)
        return answer.status_code == 200 and path_of(answer) == "/profile"

    def describe(self, answer):
        """`GET /profile` → 302 → `GET /` → 200, from the requests' history."""
        return " → ".join(f"`{hop.request.method} {path_of(hop)}` → {hop.status_code}" for hop in [*answer.history, answer])

    def must_end_home(self, answer, what, browser=None):
        """BehaviourFailed, saying where `what` ended, unless it shows the home page (and leaves `browser` logged out)."""
        if HOME_PAGE not in answer.text or (browser and self.logged_in(browser)):
            raise BehaviourFailed(f"{what} ended on {self.describe(answer)}, not on the home page")

    def socket(self, browser=None):
        """A chat tab: a Socket.IO client (long-polling), with `browser`'s cookies; BehaviourFailed
        when the server refuses it or does not answer."""
        tab = ChatTab(self.url, browser, self.event_timeout)
        self.sockets.append(tab)
        tab.connect()
        return tab

    def chat_member(self, number=0):
        """A chat tab of the `number`th regular() when the app has registration (lesson 20 on, sockets
        need a login), else of an anonymous visitor (lessons 17 to 19), with the tab's name."""
        if self.offers_registration():
            browser, username, _ = self.regular(number)
            return self.socket(browser), username
        return self.socket(), None

    def leave(self):
        """Closes every socket, logs every browser but the regulars' out and closes it."""
        for tab in self.sockets:
            tab.close()
        self.log_out(self.browsers)

    def log_out(self, browsers):
        for browser in browsers:
            if browser.cookies:
                with suppress(requests.RequestException):
                    self.get("/logout", browser, allow_redirects=False)
            browser.close()


def retry_after(answer):
    """The seconds a 429 asks to wait before trying again (60 when it does not say); None for any other answer."""
    if answer.status_code != 429:
        return None
    seconds = answer.headers.get("Retry-After", "")
    return int(seconds) if seconds.isdigit() else 60


def fresh_name():
    """A username nobody has, like freeCodeCamp's freeCodeCampTester<ms>."""
    return f"checker{int(time.time() * 1000)}{secrets.token_hex(2)}"


def said(answer):
    """What an answer says, in short: its text, or an HTML page's error paragraph, or its title."""
    if "html" not in answer.headers.get("Content-Type", ""):
        return answer.text[:200]
    found = re.search(r'id="form-error"[^>]*>(.*?)</p>', answer.text, re.S) or re.search(r"<title>(.*?)</title>", answer.text, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else "an HTML page"


def path_of(answer):
    return urllib.parse.urlsplit(answer.url).path or "/"


class ChatTab:
    """A Socket.IO client that queues every event the server sends it, by name."""

    def __init__(self, url, browser, event_timeout):
        self.url = url
        self.timeout = event_timeout
        self.seen = []
        self.refusal = None  # the server's reason for refusing the socket, if it gave one
        self._queues = defaultdict(queue.Queue)
        self._answered = threading.Event()  # the server accepted or refused the namespace
        self._http = requests.Session()
        if browser is not None:
            self._http.cookies.update(browser.cookies)
        self.client = socketio.Client(reconnection=False, http_session=self._http, request_timeout=HTTP_TIMEOUT)
        self.client.on("*", self._record)
        self.client.on("connect", self._answered.set)
        self.client.on("connect_error", self._refused)

    def _record(self, event, data=None, *_):
        self.seen.append((event, data))
        self._queues[event].put(data)

    def _refused(self, data=None):
        self.refusal = data.get("message") if isinstance(data, dict) else None
        self._answered.set()

    def connect(self):
        # wait=False: on a refusal, python-socketio's own wait would close the connection
        # in a way that can lose the goodbye (see close()), and then hang for a heartbeat.
        try:
            self.client.connect(self.url, transports=["polling"], wait=False)
        except socketio.exceptions.ConnectionError as error:
            raise Refused(f"the Socket.IO connection failed: {error}") from error
        if not self._answered.wait(self.timeout):
            raise Refused(f"the server did not answer the Socket.IO connection within {self.timeout}s")
        if "/" not in self.client.namespaces:
            raise Refused("the server refused the Socket.IO connection" + (f": {self.refusal}" if self.refusal else ""))

    def next(self, event, what, matching=lambda data: True):
        """The data of the next `event` that `matching` accepts; BehaviourFailed, naming `what`
        was awaited, when none comes within the timeout."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                data = self._queues[event].get(timeout=max(0, deadline - time.monotonic()))
            except queue.Empty:
                seen = ", ".join(f"{name!r} {data!r}" for name, data in self.seen) or "nothing"
                raise BehaviourFailed(
                    f"{what} never came: no {event!r} event within {self.timeout}s (the socket received {seen})"
                ) from None
            with suppress(AttributeError, TypeError, KeyError):  # data of another shape than the lesson's
                if matching(data):
                    return data

    def close(self):
        """Leaves, as closing the tab does.

        The goodbye (Socket.IO DISCONNECT, Engine.IO CLOSE) is posted here first: python-engineio
        drops it when its writer is still busy with the previous request, and the server would then
        count the socket until its heartbeat lapses (45 s by default)."""
        engine = self.client.eio
        if engine.state == "connected":
            goodbye = "41\x1e1" if "/" in self.client.namespaces else "1"
            with suppress(requests.RequestException):
                self._http.post(engine.base_url, data=goodbye, headers={"Content-Type": "text/plain"}, timeout=HTTP_TIMEOUT)
            # Said once is enough: a second goodbye would reach a socket the server has closed but
            # not yet forgotten, which python-engineio answers with a KeyError (a traceback in its log).
            engine.state = "disconnected"
        with suppress(Exception):
            self.client.disconnect()
        # Then its writer, which disconnect() may leave waiting for a packet (it empties the queue), is told to
        # stop; else it waits a ping interval and logs "packet queue is empty, aborting".
        engine.queue.put(None)
        self._http.close()

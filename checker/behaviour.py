"""Whether each lesson's step really works, checked live against a URL, as a
visitor of visitor.py uses the app (freeCodeCamp's checks only read the source):

    status, reason = check_behaviour("https://my-app.example.com", 11)

WORKS; DOES NOT WORK, and what went wrong; or NOT CHECKED, and why nothing of
the step shows from outside. Steps that show only to someone logged in (3 to
6, 9) are checked with a fresh user (checker<random>, logged out after) once
the home page offers registration (lesson 11 on), and are NOT CHECKED before.
"""
import re
import urllib.parse
from contextlib import suppress

import requests

from checker.visitor import BehaviourFailed, NotChecked, Refused, Visit, fresh_name, path_of, said

WORKS = "WORKS"
DOES_NOT_WORK = "DOES NOT WORK"
NOT_CHECKED = "NOT CHECKED"
EVENT_TIMEOUT = 10  # seconds to wait for a Socket.IO event


def check_behaviour(url, lesson, event_timeout=EVENT_TIMEOUT, regulars=None):
    """(status, reason) of lesson `lesson`'s step on the app at `url`. The checks of one run share
    `regulars` (Visit.regular), when given, and log them out with log_out_regulars at its end."""
    check = CHECKS[lesson]
    visit = Visit(url.rstrip("/"), event_timeout, regulars)
    try:
        check(visit)
    except NotChecked as why:
        return NOT_CHECKED, str(why)
    except BehaviourFailed as failure:
        return DOES_NOT_WORK, str(failure)
    except requests.RequestException as error:
        return DOES_NOT_WORK, f"a request got no answer: {error}"
    finally:
        visit.leave()
        if regulars is None:
            log_out_regulars(url, visit.regulars)
    summary = " ".join(check.__doc__.split("\n\n")[0].split())  # its docstring's first paragraph: what works
    return WORKS, " ".join([summary, *visit.notes])


def log_out_regulars(url, regulars):
    """Logs out the users a run of checks shared."""
    Visit(url.rstrip("/"), EVENT_TIMEOUT).log_out([browser for browser, _, _ in regulars])


# The checks: one per lesson, each raising BehaviourFailed or NotChecked.


def template_engine(visit):
    """The home page is rendered from the template views/index.html."""
    home = visit.home()
    if home.status_code != 200 or not home.headers.get("Content-Type", "").startswith("text/html"):
        raise BehaviourFailed(f"`GET /` answers {home.status_code} {home.headers.get('Content-Type')}, not an HTML page")
    if "rendered from Pug into HTML" not in home.text:
        raise BehaviourFailed(f"the home page is not views/index.html: it begins {home.text[:80]!r}")


def template_variables(visit):
    """The home page shows the title and message the route gives the template."""
    template_engine(visit)
    title = re.search(r'<h2 class="center">(.*?)</h2>', visit.home().text, re.S)
    message = re.search(r'id="pug-variable">(.*?)</p>', visit.home().text, re.S)
    if not (title and title.group(1).strip()):
        raise BehaviourFailed("the home page's title (the template's `title`) is empty")
    if not (message and message.group(1).strip()):
        raise BehaviourFailed("the home page's message (the template's `message`, #pug-variable) is empty")


def sessions(visit):
    """A registered user stays logged in from one request to the next: the session keeps their id, and
    they are found again from it."""
    visit.regular()


def deserialization(visit):
    """The home page says "Connected to Database", and a user kept in the session is found in it again."""
    if "Connected to Database" not in visit.home().text:
        raise BehaviourFailed('the home page does not say "Connected to Database"')
    visit.user_if_registering("finding a logged-in user again")


def local_strategy(visit):
    """A registered user's password lets them log in, and a wrong one does not."""
    _, username, password = visit.registered_user()
    log_in_again(visit, username, password)


def log_in_again(visit, username, password):
    browser = visit.browser()
    answer = visit.post("/login", {"username": username, "password": password}, browser)
    if path_of(answer) != "/profile" or not visit.logged_in(browser):
        raise BehaviourFailed(f"logging in with the password {username} registered with ended on {visit.describe(answer)}")
    wrong = visit.browser()
    answer = visit.post("/login", {"username": username, "password": password + "-wrong"}, wrong)
    if visit.logged_in(wrong):
        raise BehaviourFailed(f"a wrong password let {username} in ({visit.describe(answer)})")


def login_route(visit):
    """POST /login with an unknown user ends on the home page, not logged in (and a right password
    reaches the profile, once users can register)."""
    browser = visit.browser()
    answer = visit.post("/login", {"username": fresh_name(), "password": "not a password"}, browser)
    visit.must_end_home(answer, "logging in as a user who does not exist", browser)
    if 'action="/login"' not in visit.home().text:
        raise BehaviourFailed("the home page shows no login form (a form posting to /login)")
    user = visit.user_if_registering("logging in with a right password", fresh=True)
    if user:
        log_in_again(visit, *user[1:])


def ensure_authenticated(visit):
    """/profile sends a visitor who is not logged in to the home page (and shows a logged-in user's profile)."""
    visit.must_end_home(visit.get("/profile"), "`GET /profile` without logging in")
    visit.user_if_registering("a logged-in user's profile")


def profile_page(visit, user=None):
    """The profile page greets the logged-in user by name."""
    browser, username, password = user or visit.regular()
    if username not in visit.get("/profile", browser).text:
        raise BehaviourFailed(f"{username}'s profile page does not show their name")
    return username, password


def logout(visit):
    """/logout ends on the home page, and ends the session: the old cookie is no longer logged in;
    an unknown address answers 404 "Not Found", as plain text."""
    visit.must_end_home(visit.get("/logout"), "`GET /logout`")
    missing = visit.get(f"/{fresh_name()}")
    if missing.status_code != 404 or missing.text.strip() != "Not Found" or "text/plain" not in missing.headers.get("Content-Type", ""):
        raise BehaviourFailed(
            f"an unknown address answers {missing.status_code} {missing.headers.get('Content-Type')} {missing.text[:80]!r}, "
            'not 404 "Not Found" as text/plain'
        )
    user = visit.user_if_registering("that logging out ends a user's session", fresh=True)
    if user:
        browser, username, _ = user
        visit.get("/logout", browser)
        if visit.logged_in(browser):
            raise BehaviourFailed(f"after `GET /logout`, {username}'s cookie still reaches /profile")


def registration(visit):
    """Registering a new user lands on their profile; logging in again with the same password works, a wrong
    one does not, and the name cannot be registered again."""
    if not visit.offers_registration():
        raise BehaviourFailed("the home page offers no registration form (a form posting to /register)")
    username, password = profile_page(visit, visit.registered_user())
    log_in_again(visit, username, password)
    again = visit.browser()
    answer = visit.post("/register", {"username": username, "password": "another password"}, again)
    if visit.logged_in(again):
        raise BehaviourFailed(f"registering the taken name {username} again logged in ({visit.describe(answer)})")


def hashing(visit):
    """Registering a new user lands on their profile, and logging in again with the same password works
    (a wrong one does not)."""
    registration(visit)
    visit.notes.append("Not checked: that passwords are stored as bcrypt hashes, which shows nowhere outside the app.")


def modules(visit):
    """The app still works once split into modules: registering, logging in again and out."""
    registration(visit)
    logout(visit)


def github_routes(visit):
    """/auth/github and /auth/github/callback exist, and the home page offers "Login with Github!"."""
    if "/auth/github" not in visit.home().text:
        raise BehaviourFailed("the home page has no link to /auth/github")
    for path in ("/auth/github", "/auth/github/callback"):
        answer = visit.get(path, allow_redirects=False)
        if answer.status_code == 404:
            raise BehaviourFailed(f"`GET {path}` answers 404 Not Found")


def github_strategy(visit):
    """/auth/github sends the visitor to GitHub's sign-in with the app's client id and callback URL,
    and a callback GitHub did not start ends on the home page."""
    answer = visit.get("/auth/github", allow_redirects=False)
    target = urllib.parse.urlsplit(answer.headers.get("Location", ""))
    if not answer.is_redirect or (target.netloc, target.path) != ("github.com", "/login/oauth/authorize"):
        raise BehaviourFailed(
            f"`GET /auth/github` answers {answer.status_code} ({answer.headers.get('Location') or said(answer)}), "
            "not a redirect to https://github.com/login/oauth/authorize"
        )
    query = urllib.parse.parse_qs(target.query)
    if not query.get("client_id"):
        raise BehaviourFailed("the redirect to GitHub carries no client_id: is GITHUB_CLIENT_ID set?")
    callback = query.get("redirect_uri", [""])[0]
    if not callback.endswith("/auth/github/callback"):
        raise BehaviourFailed(f"the redirect to GitHub gives the callback URL {callback!r}, not the app's /auth/github/callback")
    browser = visit.browser()
    visit.must_end_home(visit.get("/auth/github/callback?code=forged&state=forged", browser), "a forged callback", browser)


def github_users(visit):
    """Not checked."""
    raise NotChecked(
        "a GitHub user is made or found only when GitHub signs someone in, which takes a GitHub account; "
        "the checker cannot sign in to GitHub (lesson 15's check covers the way there)"
    )


def socket_connects(visit):
    """The chat page is for logged-in users and shows the user count, and a Socket.IO handshake succeeds
    (with a fresh user's cookie when the app has registration)."""
    visit.must_end_home(visit.get("/chat"), "`GET /chat` without logging in")
    user = visit.user_if_registering("the chat page of a logged-in user")
    if user and 'id="num-users"' not in visit.get("/chat", user[0]).text:
        raise BehaviourFailed(f"{user[1]}'s chat page shows no user count (no #num-users)")
    visit.socket(user[0] if user else None)


def user_count(visit):
    """Each socket that joins raises the count, and every socket hears it: two sockets see it go up by one.

    Returns the two chat tabs and the count before the second joined."""
    first, _ = visit.chat_member()
    before = first.next("user count", "the count after the first socket joined")
    second, _ = visit.chat_member(1)
    for tab, which in ((first, "first"), (second, "second")):
        tab.next("user count", f"the {which} socket's count of {before + 1} after the second joined", lambda n: n == before + 1)
    return first, second, before


def disconnect(visit):
    """A socket that leaves lowers the count: the other socket sees it go back down."""
    first, second, before = user_count(visit)
    second.close()
    first.next("user count", f"the count of {before} after the second socket left", lambda n: n == before)


def socket_authentication(visit):
    """A socket without a logged-in session is refused, and a logged-in user's socket is let in."""
    with suppress(Refused):  # as it should be
        visit.socket()
        raise BehaviourFailed("a socket without a logged-in session was let in")
    visit.socket(visit.regular()[0])


def announcements(visit):
    """Joining and leaving are announced as 'user' with the username, currentUsers and connected."""
    first, ada = visit.chat_member()
    joined = first.next("user", f"the announcement of {ada} joining", lambda data: isinstance(data, dict) and data.get("username") == ada)
    if joined.get("connected") is not True or not isinstance(joined.get("currentUsers"), int):
        raise BehaviourFailed(f"{ada} joining was announced as {joined!r}, not with currentUsers and connected: true")
    second, bob = visit.chat_member(1)
    first.next("user", f"the announcement of {bob} joining", lambda data: data.get("username") == bob and data.get("connected") is True)
    second.close()
    left = first.next("user", f"the announcement of {bob} leaving", lambda data: data.get("username") == bob and data.get("connected") is not True)
    if left.get("connected") is not False:
        raise BehaviourFailed(f"{bob} leaving was announced as {left!r}, not with connected: false")


def chat_messages(visit):
    """A chat message reaches the other socket, with its sender's username."""
    first, ada = visit.chat_member()
    second, _ = visit.chat_member(1)
    message = f"hello from {fresh_name()}"
    first.client.emit("chat message", message)
    received = second.next("chat message", f"{ada}'s message", lambda data: isinstance(data, dict) and data.get("message") == message)
    if ada is not None and received.get("username") != ada:
        raise BehaviourFailed(f"{ada}'s message arrived as {received!r}, not with username {ada!r}")


CHECKS = {  # lesson: its check (lesson 4, serializing the user, shows the same as lesson 3)
    1: template_engine, 2: template_variables, 3: sessions, 4: sessions, 5: deserialization, 6: local_strategy,
    7: login_route, 8: ensure_authenticated, 9: profile_page, 10: logout, 11: registration, 12: hashing,
    13: modules, 14: github_routes, 15: github_strategy, 16: github_users, 17: socket_connects, 18: user_count,
    19: disconnect, 20: socket_authentication, 21: announcements, 22: chat_messages,
}

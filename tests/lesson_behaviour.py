"""What each lesson of the course builds, checked against its solution running
as a learner runs it (`python server.py` in the lesson's folder).

freeCodeCamp's checks read the source with regular expressions, so a quoted
Express line passes them whether or not the Python beside it works. These
checks prove the step itself: `BEHAVIOUR[n](app)` raises AssertionError, with
what went wrong, when the solution of lesson n does not do what the lesson
asks. `app` is a tests/lesson_app.py LessonApp: its `url`, its `folder`,
and `python(code)`, which runs Python in that folder as the server would.
"""
import json
from urllib.parse import parse_qs, urlsplit

import requests

from tests.socket_clients import ChatClient, LiveMember, RawTab, Refused

TIMEOUT = 10
PASSWORD = "correct horse"


def get(app, path, session=None, **options):
    return (session or requests).get(app.url + path, timeout=TIMEOUT, **options)


def post(app, path, data=None, session=None):
    return (session or requests).post(app.url + path, data=data, allow_redirects=False, timeout=TIMEOUT)


def redirect_target(response):
    assert response.status_code == 302, f"expected a redirect, got {response.status_code}: {response.text[:200]}"
    return response.headers["Location"]


def store_user(app, username, password):
    """Puts a user straight into the lesson's database, as lessons 5 to 10 need
    one before the app can register anyone."""
    app.python(
        "import connection\n"
        "users = connection.connect().db('database').collection('users')\n"
        f"users.insert_one({{'username': {username!r}, 'password': {password!r}}})\n"
    )


def stored_user(app, username):
    """The user's document as the lesson's database holds it."""
    output = app.python(
        "import json, connection\n"
        "users = connection.connect().db('database').collection('users')\n"
        f"print(json.dumps(users.find_one({{'username': {username!r}}})))\n"
    )
    return json.loads(output)


def logged_in(app, username, register=True):
    """A browser (requests.Session) in which `username` has registered, or logged in."""
    browser = requests.Session()
    response = post(app, "/register" if register else "/login", {"username": username, "password": PASSWORD}, browser)
    assert redirect_target(response) == "/profile", f"{username} was not let in: sent to {response.headers['Location']}"
    return browser


# -- lessons 1 to 12: one server.py --


def template_engine(app):
    """Lesson 1: the home page comes from views/index.html, with nothing in its variables yet."""
    page = get(app, "/")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "Looks like this page is being rendered from Pug into HTML!" in page.text
    assert '<p class="border center" id="pug-variable"></p>' in page.text, "the template was given a message already"


def template_variables(app):
    """Lesson 2: the route hands the template its title and message."""
    page = get(app, "/").text
    assert '<h2 class="center">Hello</h2>' in page
    assert 'id="pug-variable">Please log in</p>' in page


def sessions(app):
    """Lesson 3: sessions need SESSION_SECRET, and the server says so instead of starting without it."""
    started = app.python("import server", SESSION_SECRET=None, check=False)
    assert started.returncode == 1, f"server.py started without SESSION_SECRET: {started.stdout}"
    assert "Set SESSION_SECRET" in started.stderr, started.stderr
    assert get(app, "/").status_code == 200


def serialization(app):
    """Lesson 4: a user is kept in the session by their id, and nobody is found again yet."""
    output = app.python(
        "import server\n"
        "print(server.User({'_id': 7, 'username': 'ada'}).get_id())\n"
        "print(server.deserialize_user('7'))\n"
    )
    assert output.split() == ["7", "None"], output


def deserialization(app):
    """Lesson 5: the database is open, and the user in the session is found in it."""
    assert "Connected to Database" in get(app, "/").text
    store_user(app, "ada", PASSWORD)
    output = app.python(
        "import server\n"
        "ada = server.my_database.find_one({'username': 'ada'})\n"
        "print(server.deserialize_user(str(ada['_id'])).username)\n"
        "print(server.deserialize_user('999'))\n"
        "print(server.deserialize_user('github:5'))\n"  # the finished app's kind of id, in a shared session
    )
    assert output.split() == ["ada", "None", "None"], output


def local_strategy(app):
    """Lesson 6: the local strategy finds a user by name and checks the password."""
    store_user(app, "ada", PASSWORD)
    output = app.python(
        "import server\n"
        f"print(server.local_strategy('ada', {PASSWORD!r}).username)\n"
        "print(server.local_strategy('ada', 'wrong'))\n"
        f"print(server.local_strategy('bob', {PASSWORD!r}))\n"
    )
    assert [line for line in output.splitlines() if "attempted" not in line] == ["ada", "None", "None"], output


def login_route(app):
    """Lesson 7: POST /login lets the right password in (on to /profile), and sends anyone else home."""
    store_user(app, "ada", PASSWORD)
    assert redirect_target(post(app, "/login", {"username": "ada", "password": PASSWORD})) == "/profile"
    assert redirect_target(post(app, "/login", {"username": "ada", "password": "wrong"})) == "/"
    assert redirect_target(post(app, "/login")) == "/"
    assert 'action="/login"' in get(app, "/").text, "the home page shows no login form"


def ensure_authenticated(app):
    """Lesson 8: /profile is for logged-in users only."""
    assert redirect_target(get(app, "/profile", allow_redirects=False)) == "/"
    store_user(app, "ada", PASSWORD)
    browser = logged_in(app, "ada", register=False)
    profile = get(app, "/profile", browser)
    assert profile.status_code == 200 and "<h1 class=\"border center\">Profile</h1>" in profile.text


def profile_page(app):
    """Lesson 9: the profile page greets the user by name."""
    store_user(app, "ada", PASSWORD)
    assert "Welcome, ada!" in get(app, "/profile", logged_in(app, "ada", register=False)).text


def logout(app):
    """Lesson 10: /logout ends the session; unknown addresses are a plain 404."""
    store_user(app, "ada", PASSWORD)
    browser = logged_in(app, "ada", register=False)
    assert redirect_target(get(app, "/logout", browser, allow_redirects=False)) == "/"
    assert redirect_target(get(app, "/profile", browser, allow_redirects=False)) == "/"
    missing = get(app, "/no-such-page")
    assert (missing.status_code, missing.text, missing.headers["Content-Type"]) == (404, "Not Found", "text/plain")


def registration(app):
    """Lesson 11 on: registering logs the new user in; a taken name goes back home; they can log in again later."""
    browser = logged_in(app, "ada")
    assert "Welcome, ada!" in get(app, "/profile", browser).text
    assert redirect_target(post(app, "/register", {"username": "ada", "password": "another"})) == "/"
    assert redirect_target(post(app, "/register", {"username": "", "password": "x"})) == "/"
    assert "Welcome, ada!" in get(app, "/profile", logged_in(app, "ada", register=False)).text


def hashing(app):
    """Lesson 12: passwords are stored as bcrypt hashes of cost 12, and still let their owner in,
    however long; a password stored before lesson 12, not hashed, lets no one in (and breaks nothing)."""
    registration(app)
    stored = stored_user(app, "ada")["password"]
    assert stored.startswith("$2b$12$") and PASSWORD not in stored, stored
    long_password = "a long passphrase, " * 8
    browser = requests.Session()
    assert redirect_target(post(app, "/register", {"username": "bob", "password": long_password}, browser)) == "/profile"
    assert redirect_target(post(app, "/login", {"username": "bob", "password": long_password})) == "/profile"
    store_user(app, "carol", PASSWORD)
    assert redirect_target(post(app, "/login", {"username": "carol", "password": PASSWORD})) == "/"


# -- lesson 13 on: routes.py and auth.py --


def modules(app):
    """Lesson 13: the same app, now in server.py, routes.py and auth.py, each served to freeCodeCamp;
    a session holding an id the lessons never make (the finished app's) is a visitor, not a 500."""
    hashing(app)
    output = app.python(
        "import server\n"
        "with server.app.test_client() as browser:\n"
        "    with browser.session_transaction() as session:\n"
        "        session['_user_id'] = 'github:5'\n"
        "    print(browser.get('/profile').status_code, browser.get('/logout').status_code)\n"
    )
    assert output.split() == ["302", "302"], output
    for name in ("server", "routes", "auth"):
        source = get(app, f"/_api/{name}.js")
        assert source.text == (app.folder / f"{name}.py").read_text(), f"/_api/{name}.js is not {name}.py"


def github_routes(app):
    """Lesson 14: the GitHub routes exist, and say plainly that GitHub is not set up yet."""
    assert "Login with Github!" in get(app, "/").text
    for path in ("/auth/github", "/auth/github/callback"):
        answer = get(app, path)
        assert answer.status_code == 503 and "GITHUB_CLIENT_ID" in answer.text, (path, answer.status_code, answer.text)


def github_strategy(app):
    """Lesson 15: with a client id and secret, /auth/github sends the visitor to GitHub with
    the callback URL, and a callback GitHub did not start goes back home."""
    to_github = urlsplit(redirect_target(get(app, "/auth/github", allow_redirects=False)))
    assert (to_github.scheme, to_github.netloc, to_github.path) == ("https", "github.com", "/login/oauth/authorize")
    query = parse_qs(to_github.query)
    assert query["client_id"] == [app.environment["GITHUB_CLIENT_ID"]]
    assert query["redirect_uri"] == [app.url + "/auth/github/callback"]
    assert redirect_target(get(app, "/auth/github/callback?code=forged&state=forged", allow_redirects=False)) == "/"


def github_callback(app, status, body):
    """What /auth/github/callback answers when GitHub gives a token, then answers
    the profile request with `status` and `body` (run in the lesson's folder)."""
    return app.python(
        "from unittest import mock\n"
        "import requests, server\n"
        "answer = requests.Response()\n"
        f"answer.status_code, answer._content = {status}, {json.dumps(body).encode()!r}\n"
        "github = type(server.auth.oauth.create_client('github'))\n"
        "with mock.patch.object(github, 'authorize_access_token', return_value={'access_token': 'token'}), \\\n"
        "        mock.patch.object(github, 'get', return_value=answer):\n"
        "    response = server.app.test_client().get('/auth/github/callback?code=code&state=state')\n"
        "print(response.status_code, response.headers.get('Location'))\n"
    ).split()


def github_users(app):
    """Lesson 16: a GitHub profile becomes a user on the first sign-in, and the same one after,
    with the logins counted."""
    github_strategy(app)
    output = app.python(
        "import json, auth, connection\n"
        "users = connection.connect().db('database').collection('users')\n"
        "profile = {'id': 583231, 'login': 'octocat', 'name': None, 'avatar_url': None, 'email': None}\n"
        "first = auth.github_strategy(users, profile)\n"
        "again = auth.github_strategy(users, profile)\n"
        "print(json.dumps([first.get_id(), again.get_id(), again.username, again.document]))\n"
    )
    first_id, again_id, username, document = json.loads(output)
    assert first_id == again_id and username == "octocat", output
    assert (document["login_count"], document["name"], document["provider"]) == (2, "John Doe", "github"), document
    # A GitHub user has no password here: the login form never lets anyone in as them,
    # and the name stays free for someone to register.
    assert redirect_target(post(app, "/login", {"username": "octocat", "password": PASSWORD})) == "/"
    assert "Welcome, octocat!" in get(app, "/profile", logged_in(app, "octocat")).text
    # GitHub refusing the token, or answering with something else than a profile: back home.
    for status, body in [(401, {"message": "Bad credentials"}), (200, {"id": 1}), (200, [1, 2])]:
        assert github_callback(app, status, body) == ["302", "/"], (status, body)
    assert github_callback(app, 200, {"id": 2, "login": "hubot"}) == ["302", "/profile"]


# -- lesson 17 on: Socket.IO --


def socket_connects(app):
    """Lesson 17: a Socket.IO client connects, and the chat page is for logged-in users.
    The page loads the Socket.IO browser client from the app, not from a CDN."""
    ChatClient(app.url, "polling").disconnect()
    assert redirect_target(get(app, "/chat", allow_redirects=False)) == "/"
    chat = get(app, "/chat", logged_in(app, "ada"))
    assert chat.status_code == 200 and 'id="num-users"' in chat.text and "/public/client.js" in chat.text
    assert '<script src="/public/socket.io.min.js"></script>' in chat.text, chat.text
    assert get(app, "/public/socket.io.min.js").text.startswith("/*!\n * Socket.IO v4.8.1\n")


def user_count(app):
    """Lesson 18: every connection raises the count, and everyone hears it."""
    first = ChatClient(app.url)
    assert first.next_count() == 1
    second = ChatClient(app.url)
    assert (first.next_count(), second.next_count()) == (2, 2)


def disconnect(app):
    """Lesson 19: two sockets; one closes, and the other's count drops."""
    first = ChatClient(app.url)
    first.wait_for_count(1)
    # Both over WebSockets: a long-polling client's goodbye can be cut short,
    # and the lessons' server then notices only when the heartbeat lapses.
    second = ChatClient(app.url)
    first.wait_for_count(2)
    second.disconnect()
    assert first.next_count() == 1
    # Anyone can send an event called 'disconnect' or 'connect': the count stays the count.
    third = RawTab(app.url, headers={})
    assert first.next_count() == 2
    for event in ("disconnect", "connect", "disconnect"):
        third.send(f'42["{event}"]')  # Engine.IO "message", Socket.IO "event"
    ChatClient(app.url)  # a fourth tab
    assert first.next_count() == 3, f"the count was moved by events a client sent: {first.seen}"


def socket_authentication(app):
    """Lesson 20: only logged-in users may connect, and a refused socket is never counted."""
    try:
        ChatClient(app.url)
    except Refused as refusal:
        assert "log in" in str(refusal), refusal
    else:
        raise AssertionError("a socket without a logged-in session was let in")
    ada = LiveMember(app.url, "ada", PASSWORD)
    tab = ada.open_chat()
    assert tab.next_count() == 1
    tab.disconnect()


def announcements(app):
    """Lesson 21: joining and leaving are announced with the name and the count."""
    ada = LiveMember(app.url, "ada", PASSWORD).open_chat()
    assert ada.next("user") == {"username": "ada", "currentUsers": 1, "connected": True}
    bob = LiveMember(app.url, "bob", PASSWORD).open_chat()
    assert ada.next("user") == {"username": "bob", "currentUsers": 2, "connected": True}
    bob.disconnect()
    assert ada.next("user") == {"username": "bob", "currentUsers": 1, "connected": False}
    # A user who is no longer in the database when their tab closes is counted out all the same.
    carol = LiveMember(app.url, "carol", PASSWORD).open_chat()
    assert ada.next("user")["currentUsers"] == 2
    app.python(
        "import sqlite3\n"
        "with sqlite3.connect('instance/database.sqlite3') as database:\n"
        "    database.execute(\"DELETE FROM users WHERE json_extract(document, '$.username') = 'carol'\")\n"
    )
    carol.disconnect()
    assert ada.next("user") == {"username": "carol", "currentUsers": 1, "connected": False}


def chat_messages(app):
    """Lesson 22: a message reaches everyone with its sender's name; an empty one, or none, reaches
    no one, and anything sent after the message is ignored, as in Node."""
    ada = LiveMember(app.url, "ada", PASSWORD).open_chat()
    bob = LiveMember(app.url, "bob", PASSWORD).open_chat("polling")
    ada.send("   ")
    ada.client.emit("chat message")
    ada.client.emit("chat message", ("<b>hello</b>", "more"))
    expected = {"username": "ada", "message": "<b>hello</b>"}
    assert (ada.next("chat message"), bob.next("chat message")) == (expected, expected)


BEHAVIOUR = {
    1: template_engine,
    2: template_variables,
    3: sessions,
    4: serialization,
    5: deserialization,
    6: local_strategy,
    7: login_route,
    8: ensure_authenticated,
    9: profile_page,
    10: logout,
    11: registration,
    12: hashing,
    13: modules,
    14: github_routes,
    15: github_strategy,
    16: github_users,
    17: socket_connects,
    18: user_count,
    19: disconnect,
    20: socket_authentication,
    21: announcements,
    22: chat_messages,
}

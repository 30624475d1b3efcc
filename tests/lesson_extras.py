"""What the course check asks of a lesson's solution beyond what a visitor can
see (which the checker's behaviour checks see, checker/behaviour.py).

Most of it needs Python in the lesson's folder: a user put straight into the
lesson's database, before the app can register anyone (lessons 5 to 10), the
server's own functions, the stored password's bcrypt cost, GitHub's sign-in
answered by a stand-in. The rest is what the lesson's environment gives (no
GitHub app in lesson 14, its client id from lesson 15) and what this
project's solutions add to the lessons (no empty names or messages, a
Socket.IO client of their own, sockets that cannot move the count). `extra(app, n)` raises AssertionError, with
what went wrong; `app` is a tests/lesson_app.py LessonApp.
"""
import json
from urllib.parse import parse_qs, urlsplit

import requests

from tests.socket_clients import ChatClient, LiveMember, RawTab, Refused

TIMEOUT = 10
PASSWORD = "correct horse"
EXTRAS = {}  # lesson: its extra check


def extra(app, lesson):
    if lesson in EXTRAS:
        EXTRAS[lesson](app)


def of_lesson(*lessons):
    """Makes the function the extra check of these lessons."""

    def register(check):
        EXTRAS.update(dict.fromkeys(lessons, check))
        return check

    return register


def get(app, path, session=None, **options):
    return (session or requests).get(app.url + path, timeout=TIMEOUT, **options)


def post(app, path, data=None, session=None):
    return (session or requests).post(app.url + path, data=data, allow_redirects=False, timeout=TIMEOUT)


def redirect_target(response):
    assert response.status_code == 302, f"expected a redirect, got {response.status_code}: {response.text[:200]}"
    return response.headers["Location"]


def store_user(app, username, password=PASSWORD):
    """Puts a user straight into the lesson's database, as lessons 5 to 10 need
    one before the app can register anyone."""
    app.python(
        "import connection\n"
        "users = connection.connect().db('database').collection('users')\n"
        f"users.insert_one({{'username': {username!r}, 'password': {password!r}}})\n"
    )


def logged_in(app, username, register=True):
    """A browser (requests.Session) in which `username` has registered, or logged in."""
    browser = requests.Session()
    response = post(app, "/register" if register else "/login", {"username": username, "password": PASSWORD}, browser)
    assert redirect_target(response) == "/profile", f"{username} was not let in: sent to {response.headers['Location']}"
    return browser


@of_lesson(3)
def session_secret_is_required(app):
    """Sessions need SESSION_SECRET, and the server says so instead of starting without it."""
    started = app.python("import server", SESSION_SECRET=None, check=False)
    assert started.returncode == 1, f"server.py started without SESSION_SECRET: {started.stdout}"
    assert "Set SESSION_SECRET" in started.stderr, started.stderr


@of_lesson(4)
def user_kept_by_id(app):
    """A user is kept in the session by their id, and nobody is found again yet."""
    output = app.python(
        "import server\n"
        "print(server.User({'_id': 7, 'username': 'ada'}).get_id())\n"
        "print(server.deserialize_user('7'))\n"
    )
    assert output.split() == ["7", "None"], output


@of_lesson(5)
def user_found_again(app):
    """The user in the session is found in the database again, and an unknown id finds nobody."""
    store_user(app, "ada")
    output = app.python(
        "import server\n"
        "ada = server.my_database.find_one({'username': 'ada'})\n"
        "print(server.deserialize_user(str(ada['_id'])).username)\n"
        "print(server.deserialize_user('999'))\n"
        "print(server.deserialize_user('github:5'))\n"  # the finished app's kind of id, in a shared session
    )
    assert output.split() == ["ada", "None", "None"], output


@of_lesson(6)
def local_strategy(app):
    """The local strategy finds a user by name and checks the password."""
    store_user(app, "ada")
    output = app.python(
        "import server\n"
        f"print(server.local_strategy('ada', {PASSWORD!r}).username)\n"
        "print(server.local_strategy('ada', 'wrong'))\n"
        f"print(server.local_strategy('bob', {PASSWORD!r}))\n"
    )
    assert [line for line in output.splitlines() if "attempted" not in line] == ["ada", "None", "None"], output


@of_lesson(7)
def stored_user_logs_in(app):
    """Before anyone can register: a stored user's right password leads to the profile; a wrong one, or none, home."""
    store_user(app, "ada")
    assert redirect_target(post(app, "/login", {"username": "ada", "password": "wrong"})) == "/"
    assert redirect_target(post(app, "/login")) == "/"
    return logged_in(app, "ada", register=False)


@of_lesson(8)
def stored_user_sees_the_profile(app):
    """The profile page shows to a logged-in user."""
    profile = get(app, "/profile", stored_user_logs_in(app))
    assert profile.status_code == 200 and '<h1 class="border center">Profile</h1>' in profile.text


@of_lesson(9)
def profile_greets_the_stored_user(app):
    """The profile page greets the user by name."""
    assert "Welcome, ada!" in get(app, "/profile", stored_user_logs_in(app)).text


@of_lesson(10)
def logging_out_ends_the_session(app):
    """After /logout, the old cookie is no longer logged in."""
    browser = stored_user_logs_in(app)
    assert redirect_target(get(app, "/logout", browser, allow_redirects=False)) == "/"
    assert redirect_target(get(app, "/profile", browser, allow_redirects=False)) == "/"


@of_lesson(11)
def empty_name_refused(app):
    """An empty username cannot be registered."""
    assert redirect_target(post(app, "/register", {"username": "", "password": "x"})) == "/"


@of_lesson(12)
def passwords_hashed(app):
    """Passwords are stored as bcrypt hashes of cost 12 and still let their owner in, however
    long; a password stored before lesson 12, not hashed, lets no one in (and breaks nothing)."""
    logged_in(app, "ada")
    output = app.python(
        "import connection\n"
        "users = connection.connect().db('database').collection('users')\n"
        "print(users.find_one({'username': 'ada'})['password'])\n"
    )
    assert output.startswith("$2b$12$") and PASSWORD not in output, output
    long_password = "a long passphrase, " * 8
    assert redirect_target(post(app, "/register", {"username": "bob", "password": long_password})) == "/profile"
    assert redirect_target(post(app, "/login", {"username": "bob", "password": long_password})) == "/profile"
    store_user(app, "carol")
    assert redirect_target(post(app, "/login", {"username": "carol", "password": PASSWORD})) == "/"


@of_lesson(13)
def split_into_modules(app):
    """server.py, routes.py and auth.py are each served to freeCodeCamp as they are; a session
    holding an id the lessons never make (the finished app's) is a visitor, not a 500."""
    output = app.python(
        "import server\n"
        "with server.app.test_client() as browser:\n"
        "    with browser.session_transaction() as session:\n"
        "        session['_user_id'] = 'github:5'\n"
        "    print(browser.get('/profile').status_code, browser.get('/logout').status_code)\n"
    )
    assert output.split() == ["302", "302"], output
    for name in ("server", "routes", "auth"):
        assert get(app, f"/_api/{name}.js").text == (app.folder / f"{name}.py").read_text(), f"/_api/{name}.js is not {name}.py"


@of_lesson(14)
def github_not_set_up_yet(app):
    """Without a GitHub app (GITHUB_CLIENT_ID is set from lesson 15), the GitHub routes say so plainly."""
    for path in ("/auth/github", "/auth/github/callback"):
        answer = get(app, path)
        assert answer.status_code == 503 and "GITHUB_CLIENT_ID" in answer.text, (path, answer.status_code, answer.text)


@of_lesson(15)
def github_app_of_the_environment(app):
    """/auth/github sends the visitor to GitHub with the lesson's client id and the app's own callback URL."""
    query = parse_qs(urlsplit(redirect_target(get(app, "/auth/github", allow_redirects=False))).query)
    assert query["client_id"] == [app.environment["GITHUB_CLIENT_ID"]]
    assert query["redirect_uri"] == [app.url + "/auth/github/callback"]


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


@of_lesson(16)
def github_users(app):
    """A GitHub profile becomes a user on the first sign-in, and the same one after, with the
    logins counted; GitHub refusing the token, or answering something else, sends the visitor home."""
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
    for status, body in [(401, {"message": "Bad credentials"}), (200, {"id": 1}), (200, [1, 2])]:
        assert github_callback(app, status, body) == ["302", "/"], (status, body)
    assert github_callback(app, 200, {"id": 2, "login": "hubot"}) == ["302", "/profile"]


@of_lesson(17)
def socket_io_client_served_by_the_app(app):
    """The chat page loads the Socket.IO browser client from the app, not from a CDN."""
    chat = get(app, "/chat", logged_in(app, "ada"))
    assert '<script src="/public/socket.io.min.js"></script>' in chat.text, chat.text
    assert get(app, "/public/socket.io.min.js").text.startswith("/*!\n * Socket.IO v4.8.1\n")


@of_lesson(19)
def count_moved_only_by_sockets(app):
    """Anyone can send an event called 'disconnect' or 'connect': the count stays the count."""
    first = ChatClient(app.url)
    first.wait_for_count(1)
    third = RawTab(app.url, headers={})
    assert first.next_count() == 2
    for event in ("disconnect", "connect", "disconnect"):
        third.send(f'42["{event}"]')  # Engine.IO "message", Socket.IO "event"
    ChatClient(app.url)
    assert first.next_count() == 3, f"the count was moved by events a client sent: {first.seen}"


@of_lesson(20)
def refused_socket_never_counted(app):
    """A socket refused for want of a login is told to log in, and never counted."""
    try:
        ChatClient(app.url)
    except Refused as refusal:
        assert "log in" in str(refusal), refusal
    else:
        raise AssertionError("a socket without a logged-in session was let in")
    assert LiveMember(app.url, "ada", PASSWORD).open_chat().next_count() == 1


@of_lesson(21)
def user_gone_from_the_database_counted_out(app):
    """A user who is no longer in the database when their tab closes is counted out all the same."""
    ada = LiveMember(app.url, "ada", PASSWORD).open_chat()
    assert ada.next("user")["currentUsers"] == 1
    carol = LiveMember(app.url, "carol", PASSWORD).open_chat()
    assert ada.next("user")["currentUsers"] == 2
    app.python(
        "import sqlite3\n"
        "with sqlite3.connect('instance/database.sqlite3') as database:\n"
        "    database.execute(\"DELETE FROM users WHERE json_extract(document, '$.username') = 'carol'\")\n"
    )
    carol.disconnect()
    assert ada.next("user") == {"username": "carol", "currentUsers": 1, "connected": False}


@of_lesson(22)
def empty_messages_dropped(app):
    """An empty chat message, or none, reaches no one, and anything sent after the message is ignored, as in Node."""
    ada = LiveMember(app.url, "ada", PASSWORD).open_chat()
    bob = LiveMember(app.url, "bob", PASSWORD).open_chat("polling")
    ada.send("   ")
    ada.client.emit("chat message")
    ada.client.emit("chat message", ("<b>hello</b>", "more"))
    expected = {"username": "ada", "message": "<b>hello</b>"}
    assert (ada.next("chat message"), bob.next("chat message")) == (expected, expected)

"""The pages and forms of lessons 1-13, through Flask's test client."""
import bcrypt
import pytest

from connection import UsersStore
from databases import SQLite


def test_home_page_has_what_the_lessons_look_for(client):
    page = client.get("/").get_data(as_text=True)
    assert "<title>FCC Advanced Node and Express</title>" in page
    assert '<meta name="description" content="Home page">' in page
    assert 'id="pug-success-message"' in page
    assert 'id="pug-variable">Please log in' in page
    assert 'action="/login"' in page
    assert 'action="/register"' in page
    assert 'href="/auth/github"' in page


def test_register_logs_in_and_shows_profile(client, auth):
    response = auth.register("ada", "lovelace")
    assert response.status_code == 302
    assert response.headers["Location"] == "/profile"
    page = client.get("/profile").get_data(as_text=True)
    assert "Welcome, ada!" in page
    assert 'href="/logout"' in page


def test_login_with_right_password_reaches_profile(client, auth):
    auth.register("ada", "lovelace")
    auth.logout()
    response = auth.login("ada", "lovelace")
    assert response.headers["Location"] == "/profile"
    assert "Welcome, ada!" in client.get("/profile").get_data(as_text=True)


def test_password_is_stored_only_as_bcrypt_hash(app, auth):
    auth.register("ada", "lovelace")
    with open(app.config["USERS_DATABASE"], "rb") as database:
        stored = database.read()
    assert b"lovelace" not in stored
    assert b"$2b$" in stored, "the password should be kept as a bcrypt hash"


@pytest.mark.parametrize("path", ["/profile", "/chat"])
def test_pages_for_members_send_visitors_home(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session(client, auth):
    auth.register()
    response = auth.logout()
    assert response.headers["Location"] == "/"
    assert client.get("/profile").headers["Location"] == "/"


def test_chat_page_has_the_lesson_elements(client, auth):
    auth.register()
    page = client.get("/chat").get_data(as_text=True)
    for element in ('id="num-users"', 'id="messages"', 'id="m"', 'id="logout"', "Send"):
        assert element in page
    assert 'src="/public/client.js"' in page


def test_chat_page_loads_the_socketio_client_from_the_app_before_client_js(client, auth):
    auth.register()
    page = client.get("/chat").get_data(as_text=True)
    assert '<script src="/public/socket.io.min.js"></script>' in page, "the chat page should load the app's own client"
    assert page.index("/public/socket.io.min.js") < page.index("/public/client.js"), "client.js calls io(): it must come second"
    with client.get("/public/socket.io.min.js") as response:
        assert response.status_code == 200 and "javascript" in response.mimetype
        assert response.get_data().startswith(b"/*!\n * Socket.IO v4.8.1\n"), "not the Socket.IO client"


def test_unknown_path_is_plain_not_found(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.get_data(as_text=True) == "Not Found"


def test_static_files_are_served_from_public(client):
    with client.get("/public/client.js") as response:
        assert response.status_code == 200
        assert "socket.on('user count'" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(auth):
    cookie = auth.register().headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_login_gets_a_new_session_id(client, auth):
    client.get("/")
    auth.register()
    before = client.get_cookie("session").value
    auth.logout()
    auth.login()
    assert client.get_cookie("session").value != before


@pytest.mark.parametrize(
    ("username", "password", "status", "message"),
    [
        ("", "secret", 400, "Please enter a username."),
        ("   ", "secret", 400, "Please enter a username."),
        ("ada", "", 400, "Please enter a password."),
        ("a" * 65, "secret", 400, "at most 64 characters"),
        ("ada\nlovelace", "secret", 400, "control characters"),
        ("octocat (GitHub)", "secret", 400, "to mark people who signed in with GitHub"),
        # Look-alikes of "(GitHub)": full-width, superscript and ornamental brackets, Cyrillic "Н".
        ("octocat （GitHub）", "secret", 400, "to mark people who signed in with GitHub"),
        ("octocat ⁽GitHub⁾", "secret", 400, "to mark people who signed in with GitHub"),
        ("octocat ❨GitHub❩", "secret", 400, "to mark people who signed in with GitHub"),
        ("octocat (GitНub)", "secret", 400, "to mark people who signed in with GitHub"),
        ("ada", "p" * 73, 400, "at most 72 bytes"),
        ("ada", "é" * 37, 400, "at most 72 bytes"),
    ],
)
def test_register_refuses_bad_input_and_stores_nothing(client, auth, username, password, status, message):
    response = auth.register(username, password)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert message in page
    assert "Home page" in page
    assert auth.login(username.strip() or "x", password or "x").status_code != 302


def test_register_refuses_taken_username(client, auth):
    auth.register("ada", "first")
    auth.logout()
    response = auth.register("ada", "second")
    assert response.status_code == 409
    assert "is taken" in response.get_data(as_text=True)
    assert auth.login("ada", "second").status_code == 401, "the second password must not be stored"
    assert auth.login("ada", "first").status_code == 302


@pytest.mark.parametrize("look_alike", ["Ａｄａ", "ada", "ADA"])
def test_register_refuses_a_look_alike_of_a_taken_username(auth, look_alike):
    auth.register("Ada", "first")
    auth.logout()
    response = auth.register(look_alike, "second")
    assert response.status_code == 409, f"{look_alike!r} was registered beside 'Ada': the chat would show both"
    assert "same as a username already taken" in response.get_data(as_text=True)
    assert auth.login(look_alike, "second").status_code == 401, "the look-alike must not be stored"


def test_wrong_password_is_refused_with_message(auth):
    auth.register("ada", "lovelace")
    auth.logout()
    response = auth.login("ada", "babbage")
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_unknown_user_is_refused_like_a_wrong_password(auth):
    response = auth.login("nobody", "anything")
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_login_without_a_form_shows_home_page(client):
    response = client.post("/login")
    assert response.status_code == 400
    assert "Looks like this page is being rendered from Pug into HTML!" in response.get_data(as_text=True)


def test_oversized_form_is_refused_with_message(client):
    response = client.post("/register", data={"username": "ada", "password": "x" * 20_000})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_username_is_shown_as_text_not_html(client, auth):
    auth.register("<img src=x onerror=alert`1`>", "secret")
    page = client.get("/profile").get_data(as_text=True)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert`1`&gt;" in page


def test_an_account_named_before_the_bracket_rule_still_logs_in(app, auth):
    UsersStore(SQLite(app.config["USERS_DATABASE"])).insert("ada (lovelace)", bcrypt.hashpw(b"secret", bcrypt.gensalt(4)).decode())
    assert auth.login("ada (lovelace)", "secret").headers["Location"] == "/profile"

"""Authentication: the Python counterpart of auth.js.

Passport becomes Flask-Login: `user_loader` plays passport.deserializeUser,
`User.get_id` plays passport.serializeUser, and `check_credentials` is the
local strategy. Passwords are stored only as bcrypt hashes, as in the lesson.
`GitHubStrategy` is the GitHub strategy, with Authlib doing passport-github's
work: the redirect to GitHub, the state check and the code-for-token trade.
"""
import functools
import os
import secrets
import unicodedata

# Express: const bcrypt = require('bcrypt');
import bcrypt
import requests

# Express: const GitHubStrategy = require('passport-github').Strategy;
from authlib.integrations.flask_client import OAuth, OAuthError
from flask import current_app, url_for
from flask_login import LoginManager

from config import PASSWORD_MAX_BYTES
from connection import GitHubProfile


def register(app, users):
    """Express: module.exports = function (app, myDataBase) { ... }"""
    # One LoginManager per app: tests build several apps, each with its own users.
    login_manager = LoginManager(app)

    @login_manager.user_loader
    def load_user(user_id):
        """Express: passport.deserializeUser((id, done) => myDataBase.findOne({ _id: new ObjectID(id) }, (err, doc) => done(null, doc)))"""
        return users.find_by_id(user_id)

    # What check_credentials compares with when no one has the username: a
    # hash of a password no one knows, at the cost new passwords get.
    no_ones_password = secrets.token_hex(16).encode()
    app.extensions["no_ones_password_hash"] = bcrypt.hashpw(no_ones_password, bcrypt.gensalt(app.config["BCRYPT_ROUNDS"]))

    if app.config["GITHUB_CLIENT_ID"] and app.config["GITHUB_CLIENT_SECRET"]:
        app.extensions["github_strategy"] = GitHubStrategy(app, users)


def hash_password(password, rounds):
    """Hashes a new password, in a thread of its own (see off_the_event_loop).

    Express: const hash = bcrypt.hashSync(req.body.password, 12);
    """
    return off_the_event_loop(bcrypt.hashpw, password.encode(), bcrypt.gensalt(rounds)).decode()


def check_credentials(users, username, password):
    """Express: passport.use(new LocalStrategy((username, password, done) => { ... }))

    Returns the user when the password matches, otherwise None. A username
    no one has is checked against a hash of no one's password all the same,
    so that how long a login takes does not tell whether the username exists.
    """
    if len(password.encode()) > PASSWORD_MAX_BYTES:
        return None
    user = users.find_by_username(username)
    password_hash = user.password_hash.encode() if user else current_app.extensions["no_ones_password_hash"]
    # Express: if (!bcrypt.compareSync(password, user.password)) return done(null, false);
    if not off_the_event_loop(bcrypt.checkpw, password.encode(), password_hash) or user is None:
        return None
    return user


def off_the_event_loop(function, *args):
    """Runs `function` in a real thread and waits for it, letting the event
    loop serve everyone else meanwhile.

    bcrypt takes about a quarter of a second at 12 rounds, on purpose, and
    lets other threads run while it works; under gevent or eventlet, calling
    it directly would stop every chat on the server for that long.
    """
    mode = current_app.config["ASYNC_MODE"]
    if mode == "gevent":
        return gevent_hashing_pool().apply(function, args)
    if mode == "eventlet":
        from eventlet import tpool

        return tpool.execute(function, *args)
    return function(*args)  # ASYNC_MODE=threading: each request has a thread already


@functools.cache
def gevent_hashing_pool():
    """The threads that hash passwords under gevent: one fewer than the CPUs,
    so that however many people sign up at once, the event loop keeps a CPU
    to itself (gevent's own pool would run ten hashes at a time)."""
    from gevent.threadpool import ThreadPool

    return ThreadPool(max(1, (os.cpu_count() or 1) - 1))


def credentials_problem(username, password):
    """What is wrong with a submitted username and password, in words, or None."""
    if not username:
        return "Please enter a username."
    most = current_app.config["USERNAME_MAX_LENGTH"]
    if len(username) > most:
        return f"Usernames can be at most {most} characters long."
    if not username.isprintable():
        return "Usernames cannot contain control characters such as tabs or new lines."
    if not password:
        return "Please enter a password."
    if len(password.encode()) > PASSWORD_MAX_BYTES:
        return f"Passwords can be at most {PASSWORD_MAX_BYTES} bytes long (72 plain letters or digits)."
    return None


def new_username_problem(username):
    """What keeps `username` from being registered, in words, or None.

    The chat shows a GitHub user as "octocat (GitHub)", so a local username
    must not be able to look like that. Brackets are the one part of the
    mark no letter can stand in for ("GitНub" with a Cyrillic Н looks the
    same), so no new username has any: no character Unicode calls opening
    or closing punctuation, in any script, once NFKC has made full-width
    and other compatibility forms plain. Names registered before this rule
    still log in.
    """
    if any(unicodedata.category(character) in ("Ps", "Pe") for character in unicodedata.normalize("NFKC", username)):
        return (
            "Usernames cannot contain brackets such as ( ) [ ] { } in any form: the chat uses "
            '"(GitHub)" to mark people who signed in with GitHub.'
        )
    return None


GITHUB_NOT_CONFIGURED = (
    "Sign-in with GitHub is not configured on this server. To turn it on, create an OAuth app "
    "on GitHub, put its client id and secret in GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET "
    "(in .env), and restart: the README's \"Sign in with GitHub\" section shows each step."
)

# Why a sign-in with GitHub failed, by the error code GitHub (or Authlib) gives.
# GitHub's own descriptions are only logged: the ones in the callback's query
# string could be written by anyone who sends a learner a link.
OAUTH_ERROR_MESSAGES = {
    "access_denied": "Sign-in with GitHub was cancelled: GitHub says you did not allow this app to "
    "use your account. Nothing was saved.",
    "mismatching_state": "Sign-in with GitHub could not be finished: the answer that came back is "
    "not for a sign-in started from this browser (it may be an old or a forged link). "
    "Please start again with the GitHub link.",
    "redirect_uri_mismatch": "GitHub refused the sign-in because this server's callback URL is not "
    "the one registered in your GitHub OAuth app. Register {callback_url} there (see the README).",
    "incorrect_client_credentials": "GitHub did not accept this server's GITHUB_CLIENT_ID and "
    "GITHUB_CLIENT_SECRET. Copy both again from your OAuth app on GitHub.",
}
GITHUB_REFUSED_CODE = (
    "GitHub did not accept the sign-in (the code it gave may have expired or been used already). "
    "Please try again."
)
GITHUB_TOO_SLOW = (
    "GitHub did not answer in time (this server waits {timeout:g} s, see GITHUB_TIMEOUT). "
    "Please try again in a moment."
)
GITHUB_UNREACHABLE = "This server could not reach GitHub. Please check its internet connection and try again."
GITHUB_GARBLED = (
    "GitHub's answer could not be used (it was an error page, or not the data expected). "
    "Please try again later."
)


class GitHubSignInFailed(Exception):
    """Signing in with GitHub failed; str() says why, in words for the person signing in."""


class GitHubStrategy:
    """Express: passport.use(new GitHubStrategy({ clientID: process.env.GITHUB_CLIENT_ID, clientSecret: process.env.GITHUB_CLIENT_SECRET, callbackURL: '/auth/github/callback' }, function (accessToken, refreshToken, profile, cb) { ... }));"""

    def __init__(self, app, users):
        self._users = users
        self._timeout = app.config["GITHUB_TIMEOUT"]
        # One OAuth registry per app: tests build several apps in one process.
        self._github = OAuth(app).register(
            "github",
            client_id=app.config["GITHUB_CLIENT_ID"],  # Express: clientID: process.env.GITHUB_CLIENT_ID,
            client_secret=app.config["GITHUB_CLIENT_SECRET"],  # Express: clientSecret: process.env.GITHUB_CLIENT_SECRET,
            authorize_url=app.config["GITHUB_AUTHORIZE_URL"],
            access_token_url=app.config["GITHUB_TOKEN_URL"],
            # Relative paths such as "user" are joined to this, which needs the final slash.
            api_base_url=app.config["GITHUB_API_BASE_URL"].rstrip("/") + "/",
            # No scope: the public profile, public e-mail included, needs none.
            # Every request to GitHub gives up after GITHUB_TIMEOUT seconds.
            client_kwargs={"default_timeout": self._timeout},
        )

    def redirect_to_github(self):
        """Express: passport.authenticate('github') -- off to GitHub's consent page, with a fresh `state`."""
        return self._github.authorize_redirect(callback_url())

    def authenticate(self):
        """Express: passport.authenticate('github', ...) on the callback: check the state, trade the
        code for a token, read the profile and hand it to `verify`.

        Raises GitHubSignInFailed, before anything is stored, when any step fails.
        """
        try:
            token = self._github.authorize_access_token()
            profile = self._read_profile(token)
        except OAuthError as error:
            raise self._failure(error, OAUTH_ERROR_MESSAGES.get(error.error, GITHUB_REFUSED_CODE)) from error
        except requests.Timeout as error:
            raise self._failure(error, GITHUB_TOO_SLOW) from error
        except requests.ConnectionError as error:
            raise self._failure(error, GITHUB_UNREACHABLE) from error
        except (requests.RequestException, ValueError) as error:  # an HTTP error, or not the JSON expected
            raise self._failure(error, GITHUB_GARBLED) from error
        return self.verify(profile)

    def verify(self, profile):
        """Express: function (accessToken, refreshToken, profile, cb) { myDataBase.findOneAndUpdate({ id: profile.id }, { ... }, { upsert: true, new: true }, (err, doc) => { return cb(null, doc.value); }); }"""
        return self._users.upsert_github_user(profile)

    def _read_profile(self, token):
        """passport-github's userProfile: GET /user with the access token."""
        response = self._github.get("user", token=token)
        response.raise_for_status()
        return github_profile(response.json())

    def _failure(self, error, message):
        # The details are for whoever runs the server; the message is for the visitor.
        current_app.logger.warning("Sign-in with GitHub failed: %s %r", type(error).__name__, str(error))
        return GitHubSignInFailed(message.format(callback_url=callback_url(), timeout=self._timeout))


def github_strategy():
    """The current app's GitHubStrategy, or None when GitHub is not configured.

    Express: passport.authenticate('github') finds the strategy registered
    under that name; this is the lookup it does.
    """
    return current_app.extensions.get("github_strategy")


def callback_url():
    """Express: callbackURL: '/auth/github/callback'

    Like passport-github given a path, the full URL is built from the request
    (from X-Forwarded-Proto and -Host when PROXY_COUNT trusts a proxy), so it
    is right on localhost, on Replit and anywhere else, and never hard-coded.
    """
    return url_for("github_callback", _external=True)


def github_profile(user):
    """The GitHubProfile in GitHub's answer to GET /user; ValueError if it is not one."""
    if not isinstance(user, dict):
        raise ValueError(f"GitHub's user is not a JSON object: {user!r:.200}")
    github_id, username = user.get("id"), user.get("login")
    if type(github_id) is not int or not isinstance(username, str) or not username:
        raise ValueError(f"GitHub's user has no numeric id and login: {user!r:.200}")
    return GitHubProfile(
        github_id=github_id,
        username=username,
        name=_text_or_none(user.get("name")),
        avatar_url=_text_or_none(user.get("avatar_url")),
        email=_text_or_none(user.get("email")),
    )


def _text_or_none(value):
    return value if isinstance(value, str) and value else None

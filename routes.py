"""HTTP routes: the Python counterpart of routes.js."""
from functools import wraps

from flask import Response, current_app, flash, get_flashed_messages, redirect, render_template, request, session
from flask_login import current_user, login_user, logout_user

import throttle
from auth import (
    GITHUB_NOT_CONFIGURED,
    GitHubSignInFailed,
    check_credentials,
    credentials_problem,
    github_strategy,
    hash_password,
    new_username_problem,
)
from connection import UsernameTaken
from databases import DatabaseUnavailable

DATABASE_UNAVAILABLE = "The users database cannot be reached just now, so no one can log in or register: please try again in a minute."
# The line logged each time, without a traceback.
LOGGED_DATABASE_UNAVAILABLE = "The users database cannot be reached: %s"


def register(app, users, shared_redis=None):
    """Express: module.exports = function (app, myDataBase) { ... }

    `shared_redis`: REDIS_URL's client, where the throttle counts with several processes."""
    limiter = throttle.register(app, shared_redis)
    # One count per address for both forms, so that registering is no way around the login limit.
    login_forms_per_address = limiter.shared_limit(
        app.config["LOGIN_LIMIT_PER_ADDRESS"], scope="login forms", error_message=throttle.TOO_MANY_FROM_ADDRESS
    )
    # One guesser's tries at one name, tight; then all tries at it, looser, so that
    # a stranger cannot lock the name's owner out (config.py says why every attempt counts).
    attempts_per_username_from_address = limiter.limit(
        app.config["LOGIN_LIMIT_PER_USERNAME_FROM_ADDRESS"],
        key_func=throttle.submitted_username_from_address,
        error_message=throttle.TOO_MANY_FOR_USERNAME_FROM_ADDRESS,
    )
    attempts_per_username = limiter.limit(
        app.config["LOGIN_LIMIT_PER_USERNAME"],
        key_func=throttle.submitted_username,
        error_message=throttle.TOO_MANY_FOR_USERNAME,
    )
    github_per_address = limiter.shared_limit(
        app.config["GITHUB_SIGN_IN_LIMIT_PER_ADDRESS"],
        scope="github sign-in",
        error_message=throttle.TOO_MANY_GITHUB_SIGN_INS,
    )

    @app.get("/")
    def index():
        """Express: app.route('/').get((req, res) => res.render('index', { title: 'Connected to Database', message: 'Please log in', showLogin: true, showRegistration: true, showSocialAuth: true }))"""
        return render_home()

    @app.post("/login")
    # Flask-Limiter checks the limits of a view by unit of time (minute before hour), those with
    # the same unit from the lowest decorator up, and counts none past the first refusal: so an
    # address refused by its own limit does not use up everyone's tries at the name.
    @login_forms_per_address
    @attempts_per_username
    @attempts_per_username_from_address
    def login():
        """Express: app.route('/login').post(passport.authenticate('local', { failureRedirect: '/' }), (req, res) => res.redirect('/profile'))

        A failed login shows the home page straight away, with the reason and
        a 4xx status, instead of redirecting and losing both.
        """
        username, password = read_credentials()
        problem = credentials_problem(username, password)
        if problem:
            return render_home(problem, status=400)
        user = check_credentials(users, username, password)
        if user is None:
            return render_home("Wrong username or password.", status=401)
        log_in(user)
        return redirect("/profile")

    @app.post("/register")
    @login_forms_per_address
    def register_user():
        """Express: app.route('/register').post((req, res, next) => { myDataBase.findOne({ username: req.body.username }, ...); ... }, passport.authenticate('local', { failureRedirect: '/' }), (req, res) => res.redirect('/profile'))"""
        username, password = read_credentials()
        problem = credentials_problem(username, password) or new_username_problem(username)
        if problem:
            return render_home(problem, status=400)
        password_hash = hash_password(password, app.config["BCRYPT_ROUNDS"])
        try:
            user = users.insert(username, password_hash)
        except UsernameTaken:
            return render_home(
                f"The username {username!r} is taken, or is the same as a username already taken once letter "
                "case and character forms (such as full-width letters) are ignored. Please choose another.",
                status=409,
            )
        log_in(user)
        return redirect("/profile")

    @app.get("/profile")
    @ensure_authenticated
    def profile():
        """Express: app.route('/profile').get(ensureAuthenticated, (req, res) => res.render('profile', { username: req.user.username }))"""
        return render_template("profile.html", username=current_user.username)

    @app.get("/chat")
    @ensure_authenticated
    def chat():
        """Express: app.route('/chat').get(ensureAuthenticated, (req, res) => res.render('chat', { user: req.user }))"""
        return render_template("chat.html", user=current_user)

    @app.get("/logout")
    def logout():
        """Express: app.route('/logout').get((req, res) => { req.logout(); res.redirect('/'); })"""
        close_chat_tabs()
        logout_user()
        session.clear()
        return redirect("/")

    @app.get("/auth/github")
    @github_per_address
    @github_configured
    def github_login():
        """Express: app.route('/auth/github').get(passport.authenticate('github'))"""
        return github_strategy().redirect_to_github()

    @app.get("/auth/github/callback")
    @github_per_address
    @github_configured
    def github_callback():
        """Express: app.route('/auth/github/callback').get(passport.authenticate('github', { failureRedirect: '/' }), (req, res) => { req.session.user_id = req.user.id; res.redirect('/chat'); })

        On failure the reason is flashed, so the home page says what went wrong.
        """
        try:
            user = github_strategy().authenticate()
        except GitHubSignInFailed as failure:
            flash(str(failure))
            return redirect("/")
        log_in(user)
        return redirect("/chat")

    @app.errorhandler(404)
    def not_found(error):
        """Express: app.use((req, res, next) => { res.status(404).type('text').send('Not Found'); })"""
        return Response("Not Found", status=404, mimetype="text/plain")

    @app.errorhandler(429)
    def too_many_requests(error):
        """A limit of throttle.py was reached: the home page says which, and when to try again, as Retry-After does."""
        seconds = throttle.seconds_to_wait(limiter)
        page, status = render_home(f"{error.description} Please try again in {seconds} seconds.", status=429)
        return page, status, {"Retry-After": str(seconds)}

    @app.errorhandler(413)
    def too_large(error):
        return render_home("That form was too large to accept. Please use a shorter username and password.", status=413)

    @app.errorhandler(DatabaseUnavailable)
    def database_unavailable(error):
        """Logging in or registering, or the page of someone logged in whom the
        store does not keep, while PostgreSQL (DATABASE_URL) cannot be reached.
        Those it keeps go on chatting (connection.py:UsersStore).

        Plain text: a template would ask Flask-Login for the user again.
        """
        current_app.logger.warning(LOGGED_DATABASE_UNAVAILABLE, error)
        return Response(DATABASE_UNAVAILABLE, status=503, mimetype="text/plain", headers={"Retry-After": "60"})


def ensure_authenticated(view):
    """Express: function ensureAuthenticated(req, res, next) { if (req.isAuthenticated()) { return next(); } res.redirect('/'); }"""

    @wraps(view)
    def only_when_logged_in(*args, **kwargs):
        if current_user.is_authenticated:
            return view(*args, **kwargs)
        return redirect("/")

    return only_when_logged_in


def github_configured(view):
    """Shows how to turn sign-in with GitHub on, instead of `view`, while it is off."""

    @wraps(view)
    def only_when_configured(*args, **kwargs):
        if github_strategy() is None:
            return render_home(GITHUB_NOT_CONFIGURED, status=501)
        return view(*args, **kwargs)

    return only_when_configured


def render_home(error=None, status=200):
    """The home page; `error` says why the last form was refused, or why
    signing in with GitHub failed (flashed before the redirect here)."""
    page = render_template(
        "index.html",
        title="Connected to Database",
        message="Please log in",
        error=error or " ".join(get_flashed_messages()),
        showLogin=True,
        showRegistration=True,
        showSocialAuth=True,
        githubConfigured=github_strategy() is not None,
    )
    return page, status


def read_credentials():
    """The username (without surrounding spaces) and password of a posted form."""
    return request.form.get("username", "").strip(), request.form.get("password", "")


def close_chat_tabs():
    """Closes every chat tab of this browser session (presence.py keeps them in the session's room)."""
    current_app.extensions["presence"].close_session(session.sid)


def log_in(user):
    """Express: req.login(user) -- with a fresh session id, so a session id
    someone planted before the login is worth nothing after it, and the
    chat tabs of whoever was logged in before are closed."""
    close_chat_tabs()
    login_user(user)
    current_app.session_interface.regenerate(session)

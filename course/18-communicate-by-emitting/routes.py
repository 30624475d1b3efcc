"""The routes: the Python counterpart of the lesson's routes.js."""
import os
from functools import wraps

from authlib.integrations.flask_client import OAuthError
from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from requests import RequestException

from auth import github_strategy, hash_password, local_strategy, oauth
from connection import DuplicateKeyError

GITHUB_NOT_SET_UP = (
    "Sign in with GitHub is not set up on this server: set GITHUB_CLIENT_ID and "
    "GITHUB_CLIENT_SECRET in .env (see .env.example), then restart it."
)


def register(app, my_database):
    """Adds every page of the app to `app`.

    Express: module.exports = function (app, myDataBase) { ... }
    """

    @app.route("/")
    def index():
        """The home page, rendered from the template views/index.html.

        Express: app.route('/').get((req, res) => { res.render('index', { title: 'Connected to Database', message: 'Please log in', showLogin: true, showRegistration: true, showSocialAuth: true }); });
        """
        return render_template(
            "index.html",
            title="Connected to Database",
            message="Please log in",
            showLogin=True,
            showRegistration=True,
            showSocialAuth=True,
        )

    @app.route("/login", methods=["POST"])
    def login():
        """Logs the user in with the local strategy, then shows their profile.

        Express: app.route('/login').post(passport.authenticate('local', { failureRedirect: '/' }), (req, res) => { res.redirect('/profile'); });
        """
        user = local_strategy(my_database, request.form.get("username", ""), request.form.get("password", ""))
        if user is None:
            return redirect("/")  # Express: failureRedirect: '/'
        login_user(user)
        return redirect("/profile")

    @app.route("/profile")
    @ensure_authenticated
    def profile():
        """The logged-in user's profile page.

        Express: app.route('/profile').get(ensureAuthenticated, (req, res) => { res.render('profile', { username: req.user.username }); });
        """
        return render_template("profile.html", username=current_user.username)

    @app.route("/logout")
    def logout():
        """Logs the user out and goes back to the home page.

        Express: app.route('/logout').get((req, res) => { req.logout(); res.redirect('/'); });
        """
        logout_user()
        return redirect("/")

    @app.route("/register", methods=["POST"])
    def register_user():
        """Registers a new user, logs them in and shows their profile; a taken
        (or empty) username goes back to the home page.

        Express: app.route('/register').post((req, res, next) => { ... }, passport.authenticate('local', { failureRedirect: '/' }), (req, res, next) => { res.redirect('/profile'); });
        """
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        # Express: myDataBase.findOne({ username: req.body.username }, (err, user) => { ... else if (user) { res.redirect('/'); } ... });
        if not username or not password or my_database.find_one({"username": username}):
            return redirect("/")
        # Express: const hash = bcrypt.hashSync(req.body.password, 12);
        password_hash = hash_password(password)
        try:
            # Express: myDataBase.insertOne({ username: req.body.username, password: hash }, (err, doc) => { if (err) { res.redirect('/'); } ... });
            my_database.insert_one({"username": username, "password": password_hash})
        except DuplicateKeyError:  # someone took it since find_one
            return redirect("/")
        # Express: passport.authenticate('local', { failureRedirect: '/' }),
        user = local_strategy(my_database, username, password)
        if user is None:
            return redirect("/")
        login_user(user)
        return redirect("/profile")  # Express: (req, res, next) => { res.redirect('/profile'); }

    @app.route("/auth/github")
    def auth_github():
        """Sends the visitor to GitHub, to sign in there.

        Express: app.route('/auth/github').get(passport.authenticate('github'));
        """
        github = oauth.create_client("github")
        if github is None:
            return GITHUB_NOT_SET_UP, 503, {"Content-Type": "text/plain"}
        # Express: callbackURL: 'https://<your app>/auth/github/callback' (in auth.js)
        # GITHUB_CALLBACK_URL when set (behind a proxy, such as Replit's or
        # Codespaces', the address GitHub knows); otherwise the one asked for.
        callback_url = os.environ.get("GITHUB_CALLBACK_URL") or url_for("auth_github_callback", _external=True)
        return github.authorize_redirect(callback_url)

    @app.route("/auth/github/callback")
    def auth_github_callback():
        """Where GitHub sends the visitor back: on to the chat, or home if GitHub said no.

        Express: app.route('/auth/github/callback').get(passport.authenticate('github', { failureRedirect: '/' }), (req, res) => { req.session.user_id = req.user.id; res.redirect('/chat'); });
        """
        github = oauth.create_client("github")
        if github is None:
            return GITHUB_NOT_SET_UP, 503, {"Content-Type": "text/plain"}
        try:
            token = github.authorize_access_token()
            # What passport-github hands its strategy: the GitHub profile.
            answer = github.get("user", token=token)
            answer.raise_for_status()
            profile = answer.json()
        except (OAuthError, RequestException):
            return redirect("/")  # Express: failureRedirect: '/'
        if not isinstance(profile, dict) or "id" not in profile or "login" not in profile:
            return redirect("/")  # GitHub answered with something else than a profile
        user = github_strategy(my_database, profile)
        if user is None:
            return redirect("/")
        login_user(user)  # Express: req.session.user_id = req.user.id;
        return redirect("/chat")  # Express: res.redirect('/chat');

    @app.route("/chat")
    @ensure_authenticated
    def chat():
        """The chat room.

        Express: app.route('/chat').get(ensureAuthenticated, (req, res) => { res.render('chat', { user: req.user }); });
        """
        return render_template("chat.html", user=current_user)

    @app.errorhandler(404)
    def not_found(error):
        """Any other address: a plain "Not Found".

        Express: app.use((req, res, next) => { res.status(404).type('text').send('Not Found'); });
        """
        return "Not Found", 404, {"Content-Type": "text/plain"}


def ensure_authenticated(view):
    """Lets logged-in users through to `view`, and sends anyone else to the home page.

    Express: function ensureAuthenticated(req, res, next) { if (req.isAuthenticated()) { return next(); } res.redirect('/'); };
    """

    @wraps(view)
    def guarded_view(*args, **kwargs):
        if current_user.is_authenticated:
            return view(*args, **kwargs)
        return redirect("/")

    return guarded_view

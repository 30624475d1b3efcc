"""Authentication: the Python counterpart of the lesson's auth.js.

How Flask-Login (Passport) finds the logged-in user from the session, and
the local strategy that checks a username and password; from lesson 14, signing in with GitHub.
"""
import os
from datetime import datetime, timezone

# Express: const bcrypt = require('bcrypt');
import bcrypt
from authlib.integrations.flask_client import OAuth
from flask_login import UserMixin

# The sign-in services the app knows: GitHub, once it is set up.
oauth = OAuth()


class User(UserMixin):
    """A user as Flask-Login needs one: the user's document from the database."""

    def __init__(self, document):
        self.document = document
        self.username = document["username"]

    def get_id(self):
        """What Flask-Login keeps in the session to know the user again: their id.

        Express: passport.serializeUser((user, done) => { done(null, user._id); });
        """
        return str(self.document["_id"])


# bcrypt reads a password's first 72 bytes. Node's bcrypt ignores the rest;
# Python's refuses them, so they are cut here, as Node does.
BCRYPT_MAX_BYTES = 72


def hash_password(password):
    """The bcrypt hash, of cost 12, to store instead of the password.

    Express: bcrypt.hashSync(req.body.password, 12)
    """
    return bcrypt.hashpw(password.encode()[:BCRYPT_MAX_BYTES], bcrypt.gensalt(12)).decode()


def password_matches(password, stored_hash):
    """Whether `password` is the one whose hash was stored.

    Express: bcrypt.compareSync(password, user.password)
    """
    try:
        return bcrypt.checkpw(password.encode()[:BCRYPT_MAX_BYTES], stored_hash.encode())
    except ValueError:  # not a bcrypt hash: a password stored before lesson 12
        return False


# Express: const LocalStrategy = require('passport-local');
# Express: passport.use(new LocalStrategy((username, password, done) => { ... }));
def local_strategy(my_database, username, password):
    """The user with this username and password, or None if there is none."""
    # Express: myDataBase.findOne({ username: username }, (err, user) => {
    user = my_database.find_one({"username": username})
    # Express: console.log(`User ${username} attempted to log in.`);
    print(f"User {username!r} attempted to log in.")
    if not user:
        return None  # Express: if (!user) return done(null, false);
    # Express: if (!bcrypt.compareSync(password, user.password)) { return done(null, false); }
    if not password_matches(password, user["password"]):
        return None
    return User(user)  # Express: return done(null, user);


def register(app, my_database):
    """Tells Flask-Login how to get the logged-in user back from the session, and sets up sign-in services.

    Express: module.exports = function (app, myDataBase) { ... }
    """
    # Express: const { ObjectID } = require('mongodb');
    # The database's ids are whole numbers: int(user_id) plays new ObjectID(id).
    @app.login_manager.user_loader
    def deserialize_user(user_id):
        """Flask-Login calls this with the id from the session to get the user back.

        Express: passport.deserializeUser((id, done) => { myDataBase.findOne({ _id: new ObjectID(id) }, (err, doc) => { done(null, doc); }); });
        """
        try:
            _id = int(user_id)
        except ValueError:  # not an id this app made (another app's session)
            return None
        doc = my_database.find_one({"_id": _id})
        return User(doc) if doc else None  # Express: done(null, doc);

    oauth.init_app(app)
    # Express: const GitHubStrategy = require('passport-github').Strategy;
    # Express: passport.use(new GitHubStrategy({ clientID: process.env.GITHUB_CLIENT_ID, clientSecret: process.env.GITHUB_CLIENT_SECRET, callbackURL: 'https://<your app>/auth/github/callback' }, function (accessToken, refreshToken, profile, cb) { ... }));
    # routes.py gives GitHub the callback URL: GITHUB_CALLBACK_URL, or the address the visitor used.
    if os.environ.get("GITHUB_CLIENT_ID") and os.environ.get("GITHUB_CLIENT_SECRET"):
        oauth.register(
            "github",
            client_id=os.environ["GITHUB_CLIENT_ID"],
            client_secret=os.environ["GITHUB_CLIENT_SECRET"],
            authorize_url="https://github.com/login/oauth/authorize",
            access_token_url="https://github.com/login/oauth/access_token",
            api_base_url="https://api.github.com/",
            client_kwargs={"default_timeout": 10},  # seconds to wait for GitHub
        )


def github_strategy(my_database, profile):
    """The user for a GitHub profile: found by their GitHub id, or created on
    their first sign-in, with the time and number of their logins kept up to date.

    Express: function (accessToken, refreshToken, profile, cb) { myDataBase.findOneAndUpdate({ id: profile.id }, { $setOnInsert: { ... }, $set: { last_login: new Date() }, $inc: { login_count: 1 } }, { upsert: true, new: true }, (err, doc) => { return cb(null, doc.value); }); }
    """
    now = datetime.now(timezone.utc).isoformat()
    doc = my_database.find_one_and_update(
        {"id": profile["id"]},
        {
            # Express: $setOnInsert: { id: profile.id, username: profile.username, name: profile.displayName || 'John Doe', photo: profile.photos[0].value || '', email: Array.isArray(profile.emails) ? profile.emails[0].value : 'No public email', created_on: new Date(), provider: profile.provider || '' },
            "$setOnInsert": {
                "id": profile["id"],
                "username": profile["login"],
                "name": profile.get("name") or "John Doe",
                "photo": profile.get("avatar_url") or "",
                "email": profile.get("email") or "No public email",
                "created_on": now,
                "provider": "github",
            },
            "$set": {"last_login": now},
            "$inc": {"login_count": 1},
        },
        upsert=True,
    )
    return User(doc)  # Express: return cb(null, doc.value);

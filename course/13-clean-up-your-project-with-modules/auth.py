"""Authentication: the Python counterpart of the lesson's auth.js.

How Flask-Login (Passport) finds the logged-in user from the session, and
the local strategy that checks a username and password.
"""
# Express: const bcrypt = require('bcrypt');
import bcrypt
from flask_login import UserMixin


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
    """Tells Flask-Login how to get the logged-in user back from the session.

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

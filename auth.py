"""Authentication: the Python counterpart of auth.js.

Passport becomes Flask-Login: `user_loader` plays passport.deserializeUser,
`User.get_id` plays passport.serializeUser, and `check_credentials` is the
local strategy. Passwords are stored only as bcrypt hashes, as in the lesson.
"""
# Express: const bcrypt = require('bcrypt');
import bcrypt
from flask_login import LoginManager

USERNAME_MAX_LENGTH = 64
# bcrypt reads at most 72 bytes of a password, so longer ones are refused
# instead of being silently cut short.
PASSWORD_MAX_BYTES = 72


def register(app, users):
    """Express: module.exports = function (app, myDataBase) { ... }"""
    # One LoginManager per app: tests build several apps, each with its own users.
    login_manager = LoginManager(app)

    @login_manager.user_loader
    def load_user(user_id):
        """Express: passport.deserializeUser((id, done) => myDataBase.findOne({ _id: new ObjectID(id) }, (err, doc) => done(null, doc)))"""
        return users.find_by_id(user_id)


def hash_password(password, rounds):
    """Express: const hash = bcrypt.hashSync(req.body.password, 12);"""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def check_credentials(users, username, password):
    """Express: passport.use(new LocalStrategy((username, password, done) => { ... }))

    Returns the user when the password matches, otherwise None.
    """
    user = users.find_by_username(username)
    if user is None or len(password.encode()) > PASSWORD_MAX_BYTES:
        return None
    # Express: if (!bcrypt.compareSync(password, user.password)) return done(null, false);
    if not bcrypt.checkpw(password.encode(), user.password_hash.encode()):
        return None
    return user


def credentials_problem(username, password):
    """What is wrong with a submitted username and password, in words, or None."""
    if not username:
        return "Please enter a username."
    if len(username) > USERNAME_MAX_LENGTH:
        return f"Usernames can be at most {USERNAME_MAX_LENGTH} characters long."
    if not username.isprintable():
        return "Usernames cannot contain control characters such as tabs or new lines."
    if not password:
        return "Please enter a password."
    if len(password.encode()) > PASSWORD_MAX_BYTES:
        return f"Passwords can be at most {PASSWORD_MAX_BYTES} bytes long (72 plain letters or digits)."
    return None

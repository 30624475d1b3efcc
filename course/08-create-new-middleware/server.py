"""The app: the Python counterpart of the lesson's server.js.

Run it with `python server.py` and open http://localhost:3000. This is where
the lessons are written, step by step, as the Express lessons write server.js.
"""
import os
import sys
from functools import wraps

from cachelib import FileSystemCache
from dotenv import load_dotenv
from flask import Flask, redirect, render_template, request

# Express: const passport = require('passport');
from flask_login import LoginManager, UserMixin, current_user, login_user

# Express: const session = require('express-session');
from flask_session import Session

# Express: const myDB = require('./connection');
import connection
import fcctesting

# Express: require('dotenv').config();
load_dotenv()

# Express: const app = express();
app = Flask(__name__, static_folder="public", static_url_path="/public")  # Express: app.use('/public', express.static(process.cwd() + '/public'));
# Express: app.use(express.json()); app.use(express.urlencoded({ extended: true }));
# Flask reads forms and JSON by itself: request.form and request.get_json().

# Express: fccTesting(app); //For FCC testing purposes
fcctesting.register(app)

# Express: app.set('view engine', 'pug');
# Flask renders templates with Jinja, its own template engine: nothing to choose.
# Express: app.set('views', './views/pug');
app.template_folder = "views"

if not os.environ.get("SESSION_SECRET"):
    sys.exit("Set SESSION_SECRET first: copy .env.example to .env and fill it in.")
# Express: app.use(session({ secret: process.env.SESSION_SECRET, resave: true, saveUninitialized: true, cookie: { secure: false } }));
app.secret_key = os.environ["SESSION_SECRET"]
# Sessions are kept on the server, as express-session keeps them in its
# store: in files under instance/sessions. The cookie holds only their id.
app.config["SESSION_TYPE"] = "cachelib"
app.config["SESSION_CACHELIB"] = FileSystemCache(os.path.join(app.instance_path, "sessions"))
Session(app)

# Express: app.use(passport.initialize()); app.use(passport.session());
# Flask-Login's LoginManager does both: it finds the logged-in user from the session.
# (The templates are handed what they show by the routes, so they need no current_user.)
login_manager = LoginManager(app, add_context_processor=False)

# Express: myDB(async client => { const myDataBase = await client.db('database').collection('users'); ... });
client = connection.connect()
my_database = client.db("database").collection("users")


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


# Express: const { ObjectID } = require('mongodb');
# The database's ids are whole numbers: int(user_id) plays new ObjectID(id).
@login_manager.user_loader
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


# Express: const LocalStrategy = require('passport-local');
# Express: passport.use(new LocalStrategy((username, password, done) => { ... }));
def local_strategy(username, password):
    """The user with this username and password, or None if there is none."""
    # Express: myDataBase.findOne({ username: username }, (err, user) => {
    user = my_database.find_one({"username": username})
    # Express: console.log(`User ${username} attempted to log in.`);
    print(f"User {username!r} attempted to log in.")
    if not user:
        return None  # Express: if (!user) return done(null, false);
    if password != user["password"]:
        return None  # Express: if (password !== user.password) return done(null, false);
    return User(user)  # Express: return done(null, user);


@app.route("/")
def index():
    """The home page, rendered from the template views/index.html.

    Express: app.route('/').get((req, res) => { res.render('index', { title: 'Connected to Database', message: 'Please log in', showLogin: true }); });
    """
    return render_template("index.html", title="Connected to Database", message="Please log in", showLogin=True)


@app.route("/login", methods=["POST"])
def login():
    """Logs the user in with the local strategy, then shows their profile.

    Express: app.route('/login').post(passport.authenticate('local', { failureRedirect: '/' }), (req, res) => { res.redirect('/profile'); });
    """
    user = local_strategy(request.form.get("username", ""), request.form.get("password", ""))
    if user is None:
        return redirect("/")  # Express: failureRedirect: '/'
    login_user(user)
    return redirect("/profile")


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


@app.route("/profile")
@ensure_authenticated
def profile():
    """The logged-in user's profile page.

    Express: app.route('/profile').get(ensureAuthenticated, (req, res) => { res.render('profile'); });
    """
    return render_template("profile.html")


# Express: const PORT = process.env.PORT || 3000;
PORT = int(os.environ.get("PORT", 3000))

if __name__ == "__main__":
    # Express: app.listen(PORT, () => { console.log('Listening on port ' + PORT); });
    print("Listening on port " + str(PORT))
    app.run(host="0.0.0.0", port=PORT)

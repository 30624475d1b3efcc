"""The app: the Python counterpart of the lesson's server.js.

Run it with `python server.py` and open http://localhost:3000. It sets up
Flask (Express), sessions and Flask-Login (Passport); the routes are in
routes.py and the authentication in auth.py.
"""
import os
import sys

from cachelib import FileSystemCache
from dotenv import load_dotenv
from flask import Flask

# Express: const passport = require('passport');
from flask_login import LoginManager

# Express: const session = require('express-session');
from flask_session import Session

# Express: const routes = require('./routes.js');
# Express: const auth = require('./auth.js');
# Express: const myDB = require('./connection');
import auth
import connection
import fcctesting
import routes

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
LoginManager(app, add_context_processor=False)

# Express: myDB(async client => { const myDataBase = await client.db('database').collection('users'); routes(app, myDataBase); auth(app, myDataBase); });
client = connection.connect()
my_database = client.db("database").collection("users")
routes.register(app, my_database)
auth.register(app, my_database)

# Express: const PORT = process.env.PORT || 3000;
PORT = int(os.environ.get("PORT", 3000))

if __name__ == "__main__":
    # Express: app.listen(PORT, () => { console.log('Listening on port ' + PORT); });
    print("Listening on port " + str(PORT))
    app.run(host="0.0.0.0", port=PORT)

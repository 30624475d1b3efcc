"""The app: the Python counterpart of the lesson's server.js.

Run it with `python server.py` and open http://localhost:3000. This is where
the lessons are written, step by step, as the Express lessons write server.js.
"""
import os

from dotenv import load_dotenv
from flask import Flask, render_template

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


@app.route("/")
def index():
    """The home page, rendered from the template views/index.html.

    Express: app.route('/').get((req, res) => { res.render('index', { title: 'Hello', message: 'Please log in' }); });
    """
    return render_template("index.html", title="Hello", message="Please log in")


# Express: const PORT = process.env.PORT || 3000;
PORT = int(os.environ.get("PORT", 3000))

if __name__ == "__main__":
    # Express: app.listen(PORT, () => { console.log('Listening on port ' + PORT); });
    print("Listening on port " + str(PORT))
    app.run(host="0.0.0.0", port=PORT)

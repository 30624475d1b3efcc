"""The app: the Python counterpart of the lesson's server.js.

Run it with `python server.py`. It sets up Flask (Express), sessions,
Flask-Login (Passport) and Flask-SocketIO (Socket.IO), and holds the
Socket.IO handlers the lessons build step by step.
"""
import os

from dotenv import load_dotenv

if __name__ == "__main__":
    # Express: require('dotenv').config();
    load_dotenv()
    # gevent (or eventlet) must patch the standard library before anything
    # else imports it, so that waiting on one socket never blocks the others.
    if os.environ.get("ASYNC_MODE", "gevent") == "gevent":
        from gevent import monkey

        monkey.patch_all()
    elif os.environ["ASYNC_MODE"] == "eventlet":
        import eventlet

        eventlet.monkey_patch()

from flask import Flask  # noqa: E402  (after the patching above)
from flask_session import Session  # noqa: E402
from flask_socketio import SocketIO  # noqa: E402
from werkzeug.middleware.proxy_fix import ProxyFix  # noqa: E402

# Express: const routes = require('./routes.js'); const auth = require('./auth.js');
import auth  # noqa: E402
import fcctesting  # noqa: E402
import routes  # noqa: E402
from config import load_config  # noqa: E402
from connection import UsersStore  # noqa: E402
from user_count import UserCount  # noqa: E402


def create_app(test_config=None, instance_path=None):
    """Express: const app = express(); ... with everything wired to it."""
    app = Flask(
        __name__,
        static_folder="public",  # Express: app.use('/public', express.static(process.cwd() + '/public'));
        static_url_path="/public",
        template_folder="views",  # Express: app.set('views', './views/pug');
        instance_path=instance_path or os.environ.get("INSTANCE_PATH") or None,
    )
    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app, test_config)
    trust_proxies(app, app.config["PROXY_COUNT"])

    # Express: app.use(session({ secret: process.env.SESSION_SECRET, resave: true, saveUninitialized: true, cookie: { secure: false } }));
    Session(app)
    fcctesting.register(app)

    # Express: myDB(async client => { const myDataBase = await client.db('database').collection('users'); routes(app, myDataBase); auth(app, myDataBase); ... });
    users = UsersStore(app.config["USERS_DATABASE"])
    auth.register(app, users)
    routes.register(app, users)

    # Express: const io = require('socket.io')(http);
    socketio = SocketIO(
        app,
        async_mode=app.config["ASYNC_MODE"],
        # HTTP routes and Socket.IO handlers share the one Flask-Session session.
        manage_session=False,
        ping_interval=app.config["SOCKETIO_PING_INTERVAL"],
        ping_timeout=app.config["SOCKETIO_PING_TIMEOUT"],
    )
    register_socket_handlers(socketio, UserCount(socketio))
    return app


def trust_proxies(app, count):
    """Behind `count` proxies (Replit has one) the app sees plain HTTP from the
    proxy; trusting their X-Forwarded-For/-Proto/-Host headers makes the
    visitor's own https://<name>.replit.dev address the one URLs are built
    from, the GitHub callback URL included. Without proxies, trust none:
    anyone could send those headers."""
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_socket_handlers(socketio, currentUsers):
    """Express: io.on('connection', socket => { ... });

    Express registers the per-socket handlers inside the 'connection'
    listener; Flask-SocketIO registers each event once, and the handler
    runs for whichever socket sent it.
    """

    @socketio.on("connect")
    def on_connect(auth_data=None):
        """Express: io.on('connection', socket => { ++currentUsers; io.emit('user count', currentUsers); });"""
        currentUsers.user_connected()

    @socketio.on("disconnect")
    def on_disconnect(reason=None):
        """Express: socket.on('disconnect', () => { --currentUsers; io.emit('user count', currentUsers); });"""
        currentUsers.user_disconnected()


def serve(app):
    """Express: http.listen(process.env.PORT || 3000, () => console.log('Listening on port ' + PORT));"""
    port = int(os.environ.get("PORT", 3000))
    socketio = app.extensions["socketio"]
    if socketio.async_mode != "gevent":
        socketio.run(app, host="0.0.0.0", port=port, allow_unsafe_werkzeug=True)
        return
    from gevent.pywsgi import WSGIServer

    # Express: const http = require('http').createServer(app);
    http = WSGIServer(("0.0.0.0", port), app)
    http.start()
    print(f"Listening on port {http.server_port}", flush=True)
    http.serve_forever()


if __name__ == "__main__":
    serve(create_app())

"""The app: the Python counterpart of the lesson's server.js.

Run it with `python server.py`, stop it with Ctrl+C. It sets up Flask
(Express), sessions, Flask-Login (Passport) and Flask-SocketIO (Socket.IO),
and holds the Socket.IO handlers the lessons build step by step.
"""
import contextlib
import os
import sys
from functools import wraps

from dotenv import load_dotenv

from config import PROJECT_ROOT, ConfigurationError, async_mode, instance_folder, load_config

if __name__ == "__main__":
    # Express: require('dotenv').config();
    load_dotenv(PROJECT_ROOT / ".env")
    try:
        ASYNC_MODE = async_mode()
    except ConfigurationError as error:
        sys.exit(f"Cannot start: {error}")
    # gevent (or eventlet) must patch the standard library before anything
    # else imports it, so that waiting on one socket never blocks the others.
    if ASYNC_MODE == "gevent":
        from gevent import config as gevent_config
        from gevent import monkey

        monkey.patch_all()
        # gevent records, for every greenlet, the stack that spawned it, for
        # debugging tools this app does not use: some 5 KB for each open chat
        # tab, whose WebSocket keeps four greenlets alive.
        gevent_config.track_greenlet_tree = False
    elif ASYNC_MODE == "eventlet":
        try:
            import eventlet
        except ImportError:
            sys.exit("ASYNC_MODE=eventlet needs eventlet: pip install eventlet (or leave ASYNC_MODE unset for gevent).")
        eventlet.monkey_patch()
        # psycopg (DATABASE_URL) sees gevent's patching by itself, not eventlet's: its
        # select()-based wait lets a query that waits for PostgreSQL hold up no one else.
        os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

from flask import Flask, current_app, request, session  # noqa: E402  (after the patching above)

# Express: const passportSocketIo = require('passport.socketio');
# Flask-Login's current_user does its work for sockets too; no cookie-parser
# or session store is handed over, since Flask-Session reads its own cookie.
from flask_login import current_user  # noqa: E402
from flask_session import Session  # noqa: E402
from flask_socketio import ConnectionRefusedError, SocketIO, disconnect, emit  # noqa: E402
from werkzeug.middleware.proxy_fix import ProxyFix  # noqa: E402

# Express: const routes = require('./routes.js'); const auth = require('./auth.js');
import auth  # noqa: E402
import chat_rate  # noqa: E402
import fcctesting  # noqa: E402
import http_server  # noqa: E402
import redis_connection  # noqa: E402
import routes  # noqa: E402
import same_origin  # noqa: E402
import security_headers  # noqa: E402
import session_cookie  # noqa: E402
import session_store  # noqa: E402
import transport  # noqa: E402
from bad_packets import close_socket  # noqa: E402
from connection import UsersStore  # noqa: E402
from databases import DatabaseUnavailable, users_database  # noqa: E402
from presence import Presence, RedisTally  # noqa: E402

NOT_LOGGED_IN = "Please log in to use the chat."
TAB_CLOSED = "This tab has left the chat: more than {most} chat tabs were open in this browser. Reload it to rejoin."
TOO_FAST = "You are sending messages too fast: wait a moment, then send it again."
FLOODING = "You kept sending messages too fast, so this tab has left the chat."
# The event names the Socket.IO protocol keeps for itself: a client that
# sends one is told so, and nothing else happens.
SOCKETIO_RESERVED_EVENTS = {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"}
RESERVED_EVENT = "{event!r} is reserved by Socket.IO: a client cannot send it."
UNKNOWN_EVENT = "This server has no {event!r} event."


def create_app(test_config=None, instance_path=None):
    """Express: const app = express(); ... with everything wired to it."""
    app = Flask(
        __name__,
        static_folder="public",  # Express: app.use('/public', express.static(process.cwd() + '/public'));
        static_url_path="/public",
        template_folder="views",  # Express: app.set('views', './views/pug');
        instance_path=instance_path or instance_folder(),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app, test_config)
    trust_proxies(app, app.config["PROXY_COUNT"])
    # With REDIS_URL, several processes share sessions, emits and the count through one Redis.
    redis_url = app.config["REDIS_URL"]
    shared = redis_connection.connect(redis_url, app.config["REDIS_MAX_CONNECTIONS"]) if redis_url else None
    if shared:
        app.config["SESSION_CACHELIB"] = session_store.in_redis(shared, app.config["VISITOR_SESSION_LIFETIME"])
    else:
        app.config.setdefault("SESSION_CACHELIB", session_store.in_files(app.instance_path, app.config))

    # Express: app.use(session({ secret: process.env.SESSION_SECRET, resave: true, saveUninitialized: true, cookie: { secure: false } }));
    Session(app)
    if shared:
        redis_connection.answer_while_away(app)  # a 503 page, not a crash, while Redis is away
    session_cookie.register(app)  # over HTTPS the cookie works in Replit's preview pane too
    same_origin.register(app)  # so forms posted from other sites are refused
    security_headers.register(app)  # and pages are framed only by the app and Replit
    fcctesting.register(app)

    # Express: myDB(async client => { const myDataBase = await client.db('database').collection('users'); routes(app, myDataBase); auth(app, myDataBase); ... });
    users = UsersStore(users_database(app.config), keep=app.config["USERS_KEPT_IN_MEMORY"])
    auth.register(app, users)
    routes.register(app, users, shared)

    # Express: const io = require('socket.io')(http);
    socketio = SocketIO(
        app,
        async_mode=app.config["ASYNC_MODE"],
        # HTTP routes and Socket.IO handlers share the one Flask-Session session.
        manage_session=False,
        ping_interval=app.config["SOCKETIO_PING_INTERVAL"],
        ping_timeout=app.config["SOCKETIO_PING_TIMEOUT"],
        max_http_buffer_size=app.config["SOCKETIO_MAX_PACKET_BYTES"],
        # With REDIS_URL every emit goes through Redis to every process's clients
        # (Flask-SocketIO's message_queue, on the channel it would use).
        **({"client_manager": redis_connection.message_queue(redis_url)} if shared else {}),
    )
    # Every connection limited as it arrives and closed completely, whatever a client sends (transport.py).
    transport.harden(socketio.server, app.config)
    tally = RedisTally(shared, app.config["COUNT_TTL"], app.config["COUNT_HEARTBEAT"]) if shared else None
    presence = app.extensions["presence"] = Presence(socketio, app.config["BROADCAST_WINDOW"], tally)
    rate = chat_rate.ChatRateLimit(
        app.config["CHAT_BURST"], app.config["CHAT_MESSAGES_PER_SECOND"], app.config["CHAT_FLOOD_REFUSALS"]
    )
    register_socket_handlers(socketio, presence, rate)
    app.wsgi_app = transport.without_websocket_compression(app.wsgi_app)
    return app


def trust_proxies(app, count):
    """Behind `count` proxies (Replit has one) the app sees plain HTTP from the
    proxy; trusting their X-Forwarded-For/-Proto/-Host headers makes the
    visitor's own https://<name>.replit.dev address the one URLs are built
    from, the GitHub callback URL included. Without proxies, trust none:
    anyone could send those headers."""
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_socket_handlers(socketio, currentUsers, rate):
    """Express: io.on('connection', socket => { ... });

    Express registers the per-socket handlers inside the 'connection'
    listener; Flask-SocketIO registers each event once, and the handler
    runs for whichever socket sent it (`request.sid`). With
    manage_session=False every handler sees the Flask-Session session the
    socket's handshake cookie names, so Flask-Login's `current_user` is the
    user logged in over HTTP, as `socket.request.user` is in Node.
    """

    @socketio.on("connect")
    @from_socketio_only
    def on_connect(auth_data=None):
        """Counts a logged-in user's new socket and tells everyone; refuses anyone else.

        Express: io.on('connection', socket => { ++currentUsers; io.emit('user count', currentUsers); io.emit('user', { username: socket.request.user.username, currentUsers, connected: true }); });
        """
        # Express: io.use(passportSocketIo.authorize({ cookieParser: cookieParser, key: 'express.sid', secret: process.env.SESSION_SECRET, store: store, success: onAuthorizeSuccess, fail: onAuthorizeFail }));
        # Flask-Login reads the session as passport.socketio does: no logged-in
        # user, no socket, and a refused socket is never counted.
        if not current_user.is_authenticated:
            raise ConnectionRefusedError(NOT_LOGGED_IN)
        # One browser opens a few tabs; a script could open thousands on one
        # login. The new tab is let in and the oldest makes room, rather than
        # the new one being refused: after a network change a browser's old
        # sockets still count until their heartbeat lapses, and a refused tab
        # never tries again, so a refusal could lock a person out.
        most = current_app.config["CHAT_TABS_PER_SESSION"]
        open_tabs = currentUsers.sockets_in_session(session.sid)  # the oldest first
        while len(open_tabs) >= most:
            close_tab(open_tabs.pop(0), TAB_CLOSED.format(most=most))
        # The session id names the socket's room, so that logging out
        # (routes.py) can close every tab of that session, and its bucket, so
        # that all its tabs, old and new, share one chat rate.
        currentUsers.user_connected(request.sid, current_user.display_name, session.sid)
        rate.socket_connected(request.sid, session.sid)

    @socketio.on("disconnect")
    @from_socketio_only
    def on_disconnect(reason=None):
        """Stops counting a socket that has gone, and tells everyone.

        Express: socket.on('disconnect', () => { --currentUsers; io.emit('user count', currentUsers); io.emit('user', { username: socket.request.user.username, currentUsers, connected: false }); });
        """
        currentUsers.user_disconnected(request.sid)
        rate.socket_disconnected(request.sid)

    @socketio.on("chat message")
    def on_chat_message(message=None, *_extra):
        """Express: socket.on('chat message', message => { io.emit('chat message', { username: socket.request.user.username, message }); });"""
        # As in Node, anything sent after the message is ignored. The session
        # may have ended since the socket connected: then the socket goes too.
        if not current_user.is_authenticated:
            emit("chat error", {"message": NOT_LOGGED_IN})
            disconnect()
            return
        if not let_through_or_refuse(rate.take(request.sid)):
            return
        problem = chat_message_problem(message)
        if problem:
            emit("chat error", {"message": problem})  # to the sender only
            return
        socketio.emit("chat message", {"username": current_user.display_name, "message": message.strip()})

    @socketio.on("*")
    def on_unknown_event(event, *_data):
        """An event this server has no handler for, reserved names among them.
        Each is answered, so a flood of them counts against the chat's rate as messages do."""
        if let_through_or_refuse(rate.take(request.sid)):
            refuse_event(event)

    @socketio.on_error_default
    def on_handler_error(error):
        """A handler that fails is logged and its sender told; no one else notices.

        Flask-SocketIO would otherwise accept a connection whose handler
        failed before saying no, so a failed connect is refused here.
        """
        away = service_away(error)
        if away:
            # No crash: one line in the log, and the sender is told why.
            message, logged = away
            current_app.logger.warning(logged, error)
            if request.event["message"] == "connect":
                raise ConnectionRefusedError(message)
            # To the sender, straight from this process: the relay to the others may be what is away.
            emit("chat error", {"message": message}, ignore_queue=True)
            return
        current_app.logger.exception("Socket.IO %r handler failed", request.event["message"])
        if request.event["message"] == "connect":
            return False
        emit("chat error", {"message": "Something went wrong on the server. Please try again."})


def service_away(error):
    """What a Socket.IO sender is told, and the line logged, when `error` says
    that a service the app needs cannot be reached; None for any other error.

    PostgreSQL (DATABASE_URL) down, and the sender not among the users the
    store keeps (connection.py); or Redis (REDIS_URL), which keeps the
    sessions, away (redis_connection.py).
    """
    if isinstance(error, DatabaseUnavailable):
        return routes.DATABASE_UNAVAILABLE, routes.LOGGED_DATABASE_UNAVAILABLE
    if isinstance(error, redis_connection.AWAY):
        return redis_connection.SESSIONS_UNREACHABLE, redis_connection.LOGGED_AWAY
    return None


def let_through_or_refuse(verdict):
    """Lets the sender's message through (True) if the chat rate allows it;
    otherwise refuses it (False): the sender is told why, and a sender that
    keeps flooding the chat leaves it."""
    if verdict == chat_rate.SEND:
        return True
    if verdict == chat_rate.REFUSE:
        emit("chat error", {"message": TOO_FAST})  # to the sender only
    elif verdict == chat_rate.DISCONNECT:
        close_tab(request.sid, FLOODING)
    return False  # verdict None too: the socket has been disconnected, and its messages still on their way go unsent


def close_tab(sid, why):
    """Tells a chat tab why it leaves the chat, then closes its socket completely."""
    socketio = current_app.extensions["socketio"]
    socketio.emit("chat error", {"message": why}, to=sid)
    close_socket(socketio.server, sid)


def from_socketio_only(handler):
    """Lets only Socket.IO itself run a connect or disconnect handler.

    A client can emit an event named 'connect' or 'disconnect' like any
    other. Socket.IO runs the real handlers while the socket is not (or no
    longer) connected, so on a connected socket the event is the client's.
    (That holds while SocketIO's always_connect is off, as it is here.)
    """

    @wraps(handler)
    def guarded(*args):
        manager = current_app.extensions["socketio"].server.manager
        if manager.is_connected(request.sid, request.namespace):
            return refuse_event(request.event["message"])
        return handler(*args)

    return guarded


def refuse_event(event):
    """Tells the sender, and only the sender, that it cannot send `event`."""
    problem = RESERVED_EVENT if event in SOCKETIO_RESERVED_EVENTS else UNKNOWN_EVENT
    emit("chat error", {"message": problem.format(event=event)})


def chat_message_problem(message):
    """What is wrong with a received chat message, in words, or None."""
    if not isinstance(message, str):
        return "A chat message must be text."
    if not message.strip():
        return "Please type a message first."
    most = current_app.config["CHAT_MESSAGE_MAX_LENGTH"]
    if len(message.strip()) > most:
        return f"Chat messages can be at most {most} characters long."
    return None


if __name__ == "__main__":
    try:
        app = create_app()
    except ConfigurationError as error:
        sys.exit(f"Cannot start: {error}")
    except DatabaseUnavailable as error:
        # Without its users the app could only refuse every login: better to
        # say so once, now, than with a 503 to each visitor.
        sys.exit(f"Cannot start: the users database at DATABASE_URL cannot be reached: {error}")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C, and SIGTERM under eventlet and threading
        # Serves the app on PORT, each request read whole within REQUEST_TIMEOUT (http_server.py).
        # Express: const http = require('http').createServer(app);
        # Express: http.listen(process.env.PORT || 3000, () => console.log('Listening on port ' + PORT));
        http_server.serve(app)
    # The open connections end with the process: every chat tab sees its connection end.
    app.extensions["presence"].stop_counting()
    print("Stopped.", flush=True)
    if app.extensions["socketio"].async_mode == "eventlet":
        # eventlet's exit hook (tpool.killall) would run its hub once more, and
        # each WebSocket handler the stop cut short would print a traceback.
        os._exit(0)

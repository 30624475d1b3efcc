"""The chat's Engine.IO connections, WebSocket or long polling: corrections
to what python-engineio, python-socketio, simple-websocket and eventlet do
by default (harden applies them all).

None of them changes what a browser sees of the chat. They matter when a
client sends what no browser would, and when thousands of tabs come and go.
"""
import contextlib
import logging
import socket
import time

from bad_packets import close_connections_that_send_garbage

logger = logging.getLogger(__name__)

# How long a client has to answer when the server closes its WebSocket.
CLOSING_HANDSHAKE_SECONDS = 1
MESSAGE_TOO_BIG = 1009  # the WebSocket close code
TOO_BIG = "Closed a WebSocket that sent a message of more than %d bytes."
NOT_JOINED = "Closed an Engine.IO connection that had not joined Socket.IO within %g s."


def harden(sio, config):
    """Applies this module's corrections, and bad_packets', to the Socket.IO
    server `sio`, with the limits in the app's `config`.

    The order matters for the two WebSocket ones, each of which wraps the
    WebSocket server python-engineio uses: limit_websocket_messages first,
    so that it wraps that server itself, whose WSGI app it configures
    (simple-websocket's max_message_size); end_websockets_cleanly last, so
    that it is the one python-engineio calls, with its own handler (a method
    of the Engine.IO socket, which it needs to close it). The other two wrap
    other handlers (each message, each connect, each socket that leaves),
    in any order.
    """
    max_packet_bytes = config["SOCKETIO_MAX_PACKET_BYTES"]
    limit_websocket_messages(sio.eio, max_packet_bytes)
    end_websockets_cleanly(sio.eio)
    close_connections_that_send_garbage(sio, config["SOCKETIO_MAX_ATTACHMENTS"], max_packet_bytes)
    close_unless_joined(sio, config["SOCKETIO_CONNECT_TIMEOUT"])


def without_websocket_compression(wsgi_app):
    """Wraps the app so that no WebSocket is compressed, as with Socket.IO's
    own server, whose perMessageDeflate is off by default.

    Browsers offer permessage-deflate on every WebSocket, and simple-websocket
    (gevent, threading) and eventlet accept it: 100-200 KB of zlib state for
    each open chat tab, to compress messages of a few dozen bytes. Hidden
    from them, the offer is declined, as RFC 6455 lets a server do.
    """

    def app(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return app


def end_websockets_cleanly(eio):
    """Wraps python-engineio's WebSocket handler so that every WebSocket
    ends completely: its Engine.IO socket closed, its TCP connection too.

    - python-engineio decodes each frame outside its own error handling: a
      frame it cannot read (empty, or not starting with a packet number)
      ends the handler with an exception but leaves the socket open, still
      counted in the chat, until its heartbeat lapses, up to
      SOCKETIO_PING_INTERVAL + SOCKETIO_PING_TIMEOUT seconds later. Here it
      is closed on the spot, and its disconnect runs as for a closed tab.
    - Under gevent (and Werkzeug), when the server closes a WebSocket, as it
      does to a tab whose heartbeat lapsed, its TCP connection stays open
      until the client answers the closing handshake, which a sleeping
      laptop never does: an open socket and two greenlets for as long as the
      laptop sleeps. Here the connection is shut down a moment after.
    """
    websocket_server = eio._async["websocket"]

    def ending_cleanly(handler, server):
        engineio_socket = handler.__self__  # the handler is a method of the Engine.IO socket

        def handle(ws):
            close = ws.close  # what python-engineio calls once the socket is closed

            def close_then_end_the_connection(*args, **kwargs):  # eventlet's may say why
                close(*args, **kwargs)
                server.start_background_task(shut_down_connection, ws)

            ws.close = close_then_end_the_connection
            try:
                return handler(ws)
            except Exception as error:
                logger.warning("Closed a WebSocket whose frame Engine.IO could not handle: %r", error)
                engineio_socket.close(wait=False, abort=True, reason=server.reason.TRANSPORT_ERROR)
                return []
            finally:
                shut_down_connection(ws)

        return websocket_server(handle, server)

    # A copy for this server only: the dict it replaces is shared by every server in the process.
    eio._async = {**eio._async, "websocket": ending_cleanly}


def shut_down_connection(ws):
    """Ends the TCP connection under a simple-websocket WebSocket, once the
    client has had a moment to answer the WebSocket's closing handshake."""
    websocket = getattr(ws, "ws", None)  # simple-websocket's, when there is one
    if websocket is None or websocket.mode not in ("gevent", "werkzeug"):
        return  # eventlet's own WebSocket server ends its connections itself
    websocket.thread.join(timeout=CLOSING_HANDSHAKE_SECONDS)
    connection = websocket.sock
    if websocket.mode == "gevent":
        # simple-websocket reads a copy of gevent's connection: the original, found the same way.
        wsgi_input = websocket.environ["wsgi.input"]
        connection = getattr(wsgi_input, "rfile", wsgi_input).raw._sock
    with contextlib.suppress(OSError):  # the client has already gone
        connection.shutdown(socket.SHUT_RDWR)


def limit_websocket_messages(eio, max_bytes):
    """Closes a WebSocket as soon as a message it sends outgrows `max_bytes`,
    before the rest of it has arrived.

    python-engineio checks the size of a message only once it has arrived
    whole, and asks its WebSocket servers for no limit: simple-websocket
    (gevent, threading) keeps however much a client sends, and eventlet's
    limits each frame but not a message sent in many. Both read a message a
    few KB at a time, so a limit while they read keeps memory bounded:
    simple-websocket's own max_message_size, and, for eventlet's, a message
    that counts what it is given. Compression, which could make a small
    frame a big message, is never agreed (without_websocket_compression):
    a compressed frame closes the connection at once.
    """
    websocket_server = eio._async["websocket"]

    def limited(handler, server):
        def handle(ws):
            if hasattr(ws, "Message"):  # eventlet's WebSocket
                limit_eventlet_messages(ws, max_bytes)
            read_no_faster_than_handled(ws, server)
            result = handler(ws)
            websocket = getattr(ws, "ws", None)  # simple-websocket's, which closes it without a word
            if websocket is not None and websocket.incoming_message_len > max_bytes:
                logger.warning(TOO_BIG, max_bytes)
            return result

        wsgi_app = websocket_server(handle, server)
        if hasattr(wsgi_app, "server_args"):  # simple-websocket's
            wsgi_app.server_args["max_message_size"] = max_bytes
            return refusing_bad_handshakes(wsgi_app)
        # eventlet's, which would also speak the WebSocket drafts of 2010, whose messages have no limit
        wsgi_app.support_legacy_versions = False
        return wsgi_app

    eio._async = {**eio._async, "websocket": limited}


def refusing_bad_handshakes(wsgi_app):
    """Wraps simple-websocket's WSGI app so that a WebSocket request it
    cannot accept (no Sec-WebSocket-Version, as in the drafts of 2010, or
    no key) gets a 400 and one log line, as under eventlet, instead of a
    500 and wsproto's traceback."""
    from wsproto.utilities import RemoteProtocolError

    def app(environ, start_response):
        try:
            return wsgi_app(environ, start_response)
        except RemoteProtocolError as error:
            logger.warning("Refused a WebSocket request: %s.", error)
            start_response("400 Bad Request", [("Content-Type", "text/plain"), ("Connection", "close")])
            return [b"This server speaks WebSocket version 13 only.\n"]

    return app


def read_no_faster_than_handled(ws, server):
    """Makes the WebSocket `ws` let the messages it has received be handled
    before it reads more.

    Reading a socket that has data waiting never yields to the event loop:
    a client sending as fast as it can would have every message it sends
    read, queued (simple-websocket) or given a task of its own
    (python-engineio), before any of them is handled, the limits above
    included; all in memory at once. Yielding after each read lets them
    be handled, and refused, as they come.
    """
    websocket = getattr(ws, "ws", None)
    if websocket is not None:  # simple-websocket's, read by a thread of its own
        handle_events = websocket._handle_events

        def handle_events_then_yield():
            keep_going = handle_events()
            if websocket.input_buffer:
                server.sleep(0)
            return keep_going

        websocket._handle_events = handle_events_then_yield
    else:  # eventlet's, read by python-engineio's own loop
        wait = ws.wait

        def yield_then_wait():
            server.sleep(0)
            return wait()

        ws.wait = yield_then_wait


def limit_eventlet_messages(ws, max_bytes):
    """Makes eventlet's WebSocket `ws` end the connection once a message,
    in all its frames, holds more than `max_bytes`, and say so in the log."""
    from eventlet.websocket import FailedConnectionError

    class Message(ws.Message):
        size = 0

        def push(self, data, final=False):
            self.size += len(data)
            if self.size > max_bytes:
                raise FailedConnectionError(MESSAGE_TOO_BIG, "Message is too big")
            super().push(data, final)

    close = ws.close

    def close_and_say_why(close_data=None):
        if close_data and close_data[0] == MESSAGE_TOO_BIG:  # also eventlet's own, for a frame too big
            logger.warning(TOO_BIG, max_bytes)
        return close(close_data)

    ws.Message = Message
    ws.close = close_and_say_why


def close_unless_joined(sio, seconds):
    """Closes an Engine.IO connection, polling or WebSocket, that is not in
    Socket.IO `seconds` after it opened, or after its socket left (its own
    DISCONNECT, a logout, an expired session) without it joining again.

    Every page joins at once, and a page whose socket leaves closes its
    connection. python-socketio has no such limit (Socket.IO's own server
    has: connectTimeout), so a client that opens connections and never
    joins, or joins and leaves, keeps each, some 64 KB, for as long as it
    answers pings; the tab limit counts only joined sockets.
    """
    eio = sio.eio
    manager = sio.manager
    handle_connect = eio.handlers["connect"]
    leave = manager.disconnect  # what python-socketio calls whenever a socket leaves, for whatever reason
    deadlines = {}  # Engine.IO session id: when it must be in Socket.IO, for each connection watched

    def on_connect(eio_sid, environ):
        watch(eio_sid)
        return handle_connect(eio_sid, environ)

    def on_leave(sid, namespace=None, **kwargs):
        eio_sid = manager.eio_sid_from_sid(sid, namespace or "/")
        result = leave(sid, namespace, **kwargs)
        socket = eio.sockets.get(eio_sid)
        if socket is not None and not (socket.closing or socket.closed):
            watch(eio_sid)
        return result

    def watch(eio_sid):
        """Gives the connection `seconds` from now to be in Socket.IO; one
        task for each connection, however often its sockets come and go."""
        watched = eio_sid in deadlines
        deadlines[eio_sid] = time.monotonic() + seconds
        if not watched:
            eio.start_background_task(close_if_not_joined, eio_sid)

    def close_if_not_joined(eio_sid):
        while (left := deadlines[eio_sid] - time.monotonic()) > 0:
            eio.sleep(left)
        del deadlines[eio_sid]
        if eio_sid in eio.sockets and not joined(eio_sid):
            logger.warning(NOT_JOINED, seconds)
            eio.disconnect(eio_sid)

    def joined(eio_sid):
        namespaces = list(manager.get_namespaces()) or ["/"]
        return any(manager.sid_from_eio_sid(eio_sid, name) for name in namespaces)

    eio.on("connect", on_connect)
    manager.disconnect = on_leave

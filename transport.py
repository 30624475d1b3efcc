"""How the chat's WebSockets are served: corrections to what python-engineio
and simple-websocket do by default.

None of them changes what a browser sees of the chat. They matter when a
client sends what no browser would, and when thousands of tabs come and go.
"""
import contextlib
import logging
import socket

logger = logging.getLogger(__name__)

# How long a client has to answer when the server closes its WebSocket.
CLOSING_HANDSHAKE_SECONDS = 1
# gevent's server reads each connection's requests through a buffer this
# big (its own default is 8 KB); a request here is a few hundred bytes.
REQUEST_BUFFER_BYTES = 1024


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


def gevent_handler_class():
    """gevent's request handler, with two changes for WebSockets:

    - It reads through a REQUEST_BUFFER_BYTES buffer: a WebSocket keeps its
      connection's buffer for as long as it is open, and the default 8 KB
      one costs some 4 KB more per open chat tab.
    - A connection that carried a WebSocket ends with it. gevent would
      otherwise read on, keep-alive style, and take the frames a client
      sends as it closes for a new HTTP request: an "Invalid HTTP method"
      and a traceback in the log for a tab that simply closed.
    """
    from gevent.pywsgi import WSGIHandler

    class Handler(WSGIHandler):
        def __init__(self, sock, address, server):
            super().__init__(sock, address, server, rfile=sock.makefile("rb", REQUEST_BUFFER_BYTES))

        def handle_one_response(self):
            super().handle_one_response()
            if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
                self.close_connection = True

    return Handler


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

            def close_then_end_the_connection():
                close()
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

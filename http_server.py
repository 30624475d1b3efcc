"""How `python server.py` serves the app (gevent's or eventlet's own WSGI
server, or Werkzeug's under threading) on PORT, until Ctrl+C or SIGTERM.

Under gevent and eventlet each request is read whole, headers and body,
within REQUEST_TIMEOUT, before the app runs: a client that sends a byte now
and then (Slowloris) cannot hold a connection, and its memory, for ever.
"""
import errno
import io
import logging
import signal
import socket
import sys

logger = logging.getLogger(__name__)

# gevent's server reads each connection's requests through a buffer this
# big (its own default is 8 KB); a request here is a few hundred bytes.
REQUEST_BUFFER_BYTES = 1024
TOO_SLOW = "Closed a connection that had not sent its whole request within %g s."
REQUEST_TOO_LARGE = b"HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"


def serve(app):
    """Serves the app on PORT until Ctrl+C (SIGINT) or SIGTERM stops it.

    Express: http.listen(process.env.PORT || 3000, () => console.log('Listening on port ' + PORT));
    """
    port = app.config["PORT"]
    socketio = app.extensions["socketio"]
    if socketio.async_mode != "gevent":
        # SIGTERM (from `kill`, or a host stopping the app) stops it as Ctrl+C does: with a KeyboardInterrupt.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    if socketio.async_mode == "threading":
        socketio.run(app, host="0.0.0.0", port=port, allow_unsafe_werkzeug=True)
        return
    try:
        # gevent or eventlet has patched the socket module: this socket waits without blocking others.
        # A long queue of connections not yet accepted: every open tab reconnects at once after a restart.
        listener = socket.create_server(("0.0.0.0", port), backlog=1024)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        sys.exit(f"Port {port} is in use: is the app already running? Stop it, or choose another port with PORT.")
    print(f"Listening on port {listener.getsockname()[1]}", flush=True)
    # The largest request body the app accepts: a form, or a polling client's Socket.IO packets.
    max_body_bytes = max(app.config["MAX_CONTENT_LENGTH"], app.config["SOCKETIO_MAX_PACKET_BYTES"])
    if socketio.async_mode == "gevent":
        import gevent
        from gevent.pywsgi import WSGIServer

        # Express: const http = require('http').createServer(app);
        server = WSGIServer(listener, app, handler_class=gevent_handler_class(app.config["REQUEST_TIMEOUT"], max_body_bytes))
        # gevent would report a KeyboardInterrupt as a crash, traceback and all: the signals stop the server instead.
        for number in (signal.SIGINT, signal.SIGTERM):
            gevent.signal_handler(number, server.stop)
        server.serve_forever()
    else:
        import eventlet
        import eventlet.wsgi

        # In a green thread of its own, so that Ctrl+C's KeyboardInterrupt ends this wait and the app stops
        # at once: inside eventlet's server it would first wait for every long poll to end.
        protocol = eventlet_protocol_class(app.config["REQUEST_TIMEOUT"], max_body_bytes)
        server = eventlet.spawn(eventlet.wsgi.server, listener, app, protocol=protocol)
        interrupt_main_green_thread_on_signals()
        server.wait()


def interrupt_main_green_thread_on_signals():
    """Under eventlet: Ctrl+C (SIGINT) and SIGTERM raise KeyboardInterrupt in
    this, the main green thread, whichever green thread is running when they come.

    Python raises it in the running one: mostly eventlet's hub, which hands it
    here, but now and then a background task (with REDIS_URL, every heartbeat
    runs one), which it would end instead, and the server went on running.
    eventlet's own GreenThread.kill() throws the same way.
    """
    import eventlet.hubs
    import greenlet

    main = greenlet.getcurrent()

    def interrupt(number, frame):
        eventlet.hubs.get_hub().schedule_call_global(0, main.throw, KeyboardInterrupt)

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, interrupt)


def gevent_handler_class(request_timeout, max_body_bytes):
    """gevent's request handler, with these changes:

    - A client has `request_timeout` seconds to send a whole request,
      headers and body; then its connection is closed. gevent would wait
      for ever: a client sending a byte now and then (Slowloris) holds a
      connection and its memory for as long as it likes. So the body is
      read here, before the app runs (see read_body): the app never waits
      for a client. What it then takes to answer, such as a long poll, or a
      WebSocket, is not counted.
    - It reads through a REQUEST_BUFFER_BYTES buffer: a WebSocket keeps its
      connection's buffer for as long as it is open, and the default 8 KB
      one costs some 4 KB more per open chat tab.
    - A connection that carried a WebSocket ends with it. gevent would
      otherwise read on, keep-alive style, and take the frames a client
      sends as it closes for a new HTTP request: an "Invalid HTTP method"
      and a traceback in the log for a tab that simply closed.
    """
    import gevent
    from gevent.pywsgi import Input, WSGIHandler

    class Handler(WSGIHandler):
        def __init__(self, sock, address, server):
            super().__init__(sock, address, server, rfile=sock.makefile("rb", REQUEST_BUFFER_BYTES))

        def handle_one_request(self):
            self.deadline = gevent.Timeout(request_timeout)
            self.deadline.start()
            self.requestline = None
            try:
                return super().handle_one_request()
            except gevent.Timeout as timeout:
                if timeout is not self.deadline:
                    raise
                if self.requestline:  # a kept-alive connection with no new request simply ends
                    logger.warning(TOO_SLOW, request_timeout)
                return None  # closes the connection
            except RequestTooLarge:
                return ("413", REQUEST_TOO_LARGE)
            finally:
                self.deadline.close()

        def get_environ(self):
            """The request's environ, once its body, if any, has arrived."""
            environ = super().get_environ()
            if has_body(environ):  # a WebSocket's request has none, and its connection goes on to be read by it
                body = read_body(environ, self.wsgi_input, max_body_bytes)
                self.close_connection = self.close_connection or body is None
                self.wsgi_input = environ["wsgi.input"] = Input(io.BytesIO(body or b""), len(body or b""))
            self.deadline.cancel()
            return environ

        def handle_one_response(self):
            super().handle_one_response()
            if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
                self.close_connection = True

    return Handler


def eventlet_protocol_class(request_timeout, max_body_bytes):
    """eventlet's HTTP protocol, giving a client `request_timeout` seconds
    to send a whole request, headers and body (read here, see read_body),
    as gevent_handler_class does; eventlet's own socket_timeout limits each
    read alone, which a byte now and then passes."""
    import eventlet
    from eventlet.wsgi import HttpProtocol

    class Protocol(HttpProtocol):
        def handle_one_request(self):
            self.deadline = eventlet.Timeout(request_timeout)
            self.raw_requestline = None
            try:
                super().handle_one_request()
            except eventlet.Timeout as timeout:
                if timeout is not self.deadline:
                    raise
                if self.raw_requestline:  # a kept-alive connection with no new request simply ends
                    logger.warning(TOO_SLOW, request_timeout)
                self.close_connection = True
            except RequestTooLarge:
                self.wfile.write(REQUEST_TOO_LARGE)
                self.close_connection = True
            finally:
                self.deadline.cancel()

        def get_environ(self):
            """The request's environ, once its body, if any, has arrived."""
            environ = super().get_environ()
            if has_body(environ):  # a WebSocket's request has none, and its connection goes on to be read by it
                body = read_body(environ, environ["wsgi.input"], max_body_bytes)
                self.close_connection = self.close_connection or body is None
                environ["wsgi.input"] = io.BytesIO(body or b"")
            self.deadline.cancel()
            return environ

    return Protocol


def has_body(environ):
    """Whether the request says a body follows its headers."""
    return bool(environ.get("CONTENT_LENGTH")) or environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked"


def read_body(environ, wsgi_input, max_bytes):
    """The request's body, read from `wsgi_input`; None, unread, if its
    Content-Length is over `max_bytes`: the app refuses it from that header
    alone (Flask with a 413, Engine.IO by closing its session), and the
    connection ends with the answer, the body never read."""
    if int(environ.get("CONTENT_LENGTH") or 0) > max_bytes:
        return None
    body = wsgi_input.read(max_bytes + 1)
    if len(body) > max_bytes:  # a chunked body, whose length is not said up front
        raise RequestTooLarge()
    return body


class RequestTooLarge(Exception):
    """A request body bigger than the app accepts."""

"""What the server does with packets it cannot read: it closes the
connection that sent them and writes one line in the log.

python-socketio decodes and dispatches each packet inside python-engineio's
message handler, which logs whatever goes wrong there with a traceback and
keeps the connection open: a client sending `42[` a thousand times wrote a
thousand tracebacks. Socket.IO's own server closes a connection on the first
packet it cannot parse; so does this one. No browser ever sends such a
packet, so no person is ever disconnected by this.

The same goes for binary packets with more attachments than the limits
(SOCKETIO_MAX_ATTACHMENTS, and SOCKETIO_MAX_PACKET_BYTES for their bytes
together): python-socketio takes every message after a binary packet as one
of its attachments until it has as many as the packet announced, up to
9,999,999,999, and keeps them all, so memory would grow with what the client
sends. It has no setting for this; its packet class, which counts the
attachments, can be replaced.

Closing a socket completely, Socket.IO and Engine.IO, is this module's
(close_socket): the chat's limits in server.py close sockets that way too.
"""
import io
import logging
import time
import urllib.parse

import engineio.packet
from engineio.payload import Payload
from socketio.packet import BINARY_EVENT, EVENT, Packet

logger = logging.getLogger(__name__)

CLOSED = "Closed a connection that sent a packet the server cannot read (%s: %.100s)"
CLOSED_OVER_ATTACHMENTS = "Closed a Socket.IO connection that %s."
# How often a connection closed once read looks whether its client has read.
QUEUE_CHECK_SECONDS = 0.05


class AttachmentsTooLarge(ValueError):
    """A binary Socket.IO packet with more attachments, or more bytes of them, than the limits."""


def checked_packet_class(max_attachments, max_attachment_bytes):
    """python-socketio's packet class, checking each packet as it is decoded."""

    class CheckedPacket(Packet):
        """A Socket.IO packet checked as Socket.IO's own parser checks it: an
        event is a list that starts with the event's name, as text
        (python-socketio would take `42[{}]` for an event named {} and fail
        later, out of reach, with a traceback). Its binary attachments are
        counted, and refused past the limits."""

        attachment_bytes = 0

        def decode(self, encoded_packet):
            attachments = super().decode(encoded_packet)
            if self.packet_type in (EVENT, BINARY_EVENT) and not is_event(self.data):
                raise ValueError("an event must be a list that starts with its name")
            if attachments and attachments > max_attachments:
                raise AttachmentsTooLarge(f"announced more than {max_attachments} binary attachments")
            return attachments

        def add_attachment(self, attachment):
            self.attachment_bytes += len(attachment)
            if self.attachment_bytes > max_attachment_bytes:
                raise AttachmentsTooLarge(f"sent more than {max_attachment_bytes} bytes of binary attachments")
            return super().add_attachment(attachment)

    return CheckedPacket


def is_event(data):
    return isinstance(data, list) and len(data) > 0 and isinstance(data[0], str)


def close_connections_that_send_garbage(sio, max_attachments, max_attachment_bytes):
    """Wraps what python-socketio does with each Engine.IO message, and what
    python-engineio does with each long-polling POST, so that a packet either
    of them cannot read, or one with too many attachments, closes its
    connection, with one line in the log."""
    sio.packet_class = checked_packet_class(max_attachments, max_attachment_bytes)
    handle_message = sio._handle_eio_message

    def handle_message_or_close(eio_sid, data):
        socket = sio.eio.sockets.get(eio_sid)
        if socket is None or socket.closing or socket.closed:
            return  # closed over an earlier packet: the ones already on their way go unread
        try:
            handle_message(eio_sid, data)
        except AttachmentsTooLarge as error:
            logger.warning(CLOSED_OVER_ATTACHMENTS, error)
            close_connection(sio.eio, eio_sid)
        except Exception as error:  # whatever a packet can make decoding or dispatching raise
            logger.warning(CLOSED, type(error).__name__, error)
            close_connection(sio.eio, eio_sid)

    sio.eio.on("message", handle_message_or_close)
    sio.eio.handle_request = polling_posts_checked(sio.eio, sio.eio.handle_request)


def polling_posts_checked(eio, handle_request):
    """Wraps python-engineio's handle_request for the two long-polling POSTs
    it answers with a traceback:

    - a POST to a connection that has just closed: a 500 and a KeyError
      ('Session is disconnected'); here a 400, as its GET gets.
    - a POST whose body is not Engine.IO packets: logged with a traceback,
      answered 200, connection left open; here the connection is closed.

    and a POST whose Content-Length is no length (`abc`, `-5`), which it
    answers 500 with a traceback; here a 400.
    """

    def handle(environ, start_response):
        if environ["REQUEST_METHOD"] != "POST":
            return handle_request(environ, start_response)
        sid = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("sid", [None])[0]
        socket = eio.sockets.get(sid)
        if socket is not None and socket.closed:
            return bad_request(start_response, "Session is disconnected")
        length = content_length(environ)
        if length is None:
            # Werkzeug (ASYNC_MODE=threading) hands on whatever the header says;
            # gevent's and eventlet's servers answer such a request 400 themselves.
            return bad_request(start_response, "Bad Content-Length")
        if socket is None or length > eio.max_http_buffer_size:
            return handle_request(environ, start_response)  # refused as python-engineio refuses them
        body = environ["wsgi.input"].read(length)
        try:
            Payload(encoded_payload=body.decode("utf-8"))
        except Exception as error:  # whatever a body can make decoding raise
            logger.warning(CLOSED, type(error).__name__, error)
            close_connection(eio, sid)
            return bad_request(start_response, "Bad packet")
        environ["wsgi.input"] = io.BytesIO(body)  # read again by python-engineio
        return handle_request(environ, start_response)

    return handle


def content_length(environ):
    """The request's Content-Length as a number of bytes (0 when it has none),
    or None when the header is not one."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    return length if length >= 0 else None


def bad_request(start_response, text):
    start_response("400 BAD REQUEST", [("Content-Type", "text/plain")])
    return [text.encode()]


def close_socket(sio, sid, namespace="/"):
    """Closes a Socket.IO socket completely, as Socket.IO's
    socket.disconnect(true) does in Node: its DISCONNECT (the disconnect
    handler runs at once), then its Engine.IO connection, so that a client
    that ignores the DISCONNECT cannot go on sending."""
    eio_sid = sio.manager.eio_sid_from_sid(sid, namespace)
    sio.disconnect(sid, namespace=namespace)
    close_connection_once_read(sio.eio, eio_sid)


def close_connection(eio, eio_sid):
    """Closes an Engine.IO connection at once, with Engine.IO's CLOSE.
    Nothing waits for the client, which may never read again; over long
    polling, what was queued for it and not yet polled is lost."""
    socket = eio.sockets.get(eio_sid)
    if socket is not None:
        socket.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)


def close_connection_once_read(eio, eio_sid):
    """Closes an Engine.IO connection once the client has read what is
    queued for it (a tab's last 'chat error' and DISCONNECT), then CLOSE,
    as Node's Engine.IO does; after SOCKETIO_PING_TIMEOUT, read or not.

    Over WebSocket python-engineio sends what is queued before it closes.
    Over long polling it would throw it away unless a poll was waiting at
    that moment: the tab's next poll would find the connection closed and
    get a 400, which a page takes for a broken connection. It reconnects
    by itself, and, over the tab limit, closes the next-oldest tab, which
    reconnects in turn."""
    socket = eio.sockets.get(eio_sid)
    if socket is None or socket.upgraded:
        return close_connection(eio, eio_sid)
    socket.send(engineio.packet.Packet(engineio.packet.CLOSE))
    eio.start_background_task(close_once_read, eio, socket)


def close_once_read(eio, socket):
    # The queue is looked at, not joined: only gevent's join can give up after a while.
    give_up = time.monotonic() + eio.ping_timeout
    while socket.queue.qsize() and time.monotonic() < give_up:
        eio.sleep(QUEUE_CHECK_SECONDS)
    socket.close(wait=False, abort=True, reason=eio.reason.SERVER_DISCONNECT)  # abort: its CLOSE has been sent

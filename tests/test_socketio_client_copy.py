"""The browser tests serve their own copy of the Socket.IO client: it must be
byte for byte the file production pages load from the CDN."""
import base64
import hashlib

from config import SOCKETIO_CLIENT_INTEGRITY
from tests.browser import SOCKETIO_CLIENT_COPY


def test_local_socketio_client_is_the_file_the_page_pins():
    digest = hashlib.sha384(SOCKETIO_CLIENT_COPY.read_bytes()).digest()
    integrity = "sha384-" + base64.b64encode(digest).decode()
    assert integrity == SOCKETIO_CLIENT_INTEGRITY, (
        "the browser would refuse this copy of socket.io.min.js: it is not the "
        "version the chat page pins in config.py"
    )

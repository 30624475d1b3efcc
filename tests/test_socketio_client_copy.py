"""The app serves its own copy of the Socket.IO browser client (the chat
page needs no CDN): it must be byte for byte the file socket.io-client
publishes, with its licence beside it."""
import base64
import hashlib
from pathlib import Path

PUBLIC = Path(__file__).resolve().parent.parent / "public"
SOCKETIO_CLIENT = PUBLIC / "socket.io.min.js"
SOCKETIO_CLIENT_LICENCE = PUBLIC / "socket.io-client.LICENSE"
# socket.io-client 4.8.1's dist/socket.io.min.js: version 4 is the one
# python-socketio 5 speaks. The hash is the one Socket.IO's CDN publishes
# for https://cdn.socket.io/4.8.1/socket.io.min.js.
SOCKETIO_CLIENT_INTEGRITY = "sha384-mkQ3/7FUtcGyoppY6bz/PORYoGqOl7/aSUMn2ymDOJcapfS6PHqxhRTMh1RR0Q6+"


def test_served_socketio_client_is_the_published_4_8_1_file():
    digest = hashlib.sha384(SOCKETIO_CLIENT.read_bytes()).digest()
    integrity = "sha384-" + base64.b64encode(digest).decode()
    assert integrity == SOCKETIO_CLIENT_INTEGRITY, (
        "public/socket.io.min.js is not socket.io-client 4.8.1's dist/socket.io.min.js: "
        "replace it with that file, unchanged (or update the pinned version and its hash)"
    )


def test_served_socketio_client_has_its_licence_beside_it():
    licence = SOCKETIO_CLIENT_LICENCE.read_text(encoding="utf-8")
    assert "Copyright (c) 2014-present Guillermo Rauch and Socket.IO contributors" in licence
    assert "Permission is hereby granted" in licence, "socket.io-client's MIT licence must go with every copy"

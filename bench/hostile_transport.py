"""`python -m bench.hostile_transport [gevent|eventlet]`: the server's memory
(RSS, and its peak) before and after each attack of issue 14's item 1, each
on a fresh server: a frame announcing a gigabyte, a message in many frames,
a compressed frame, and a binary packet announcing 9,999,999,999 attachments.
Each attack sends up to SEND_BYTES, stopping when the server closes the connection."""
import contextlib
import json
import sys
import tempfile
import time
import zlib

from websockets.exceptions import ConnectionClosed

from tests.server_process import ServerProcess
from tests.socket_clients import LiveMember, RawTab, RawWebSocket

SEND_BYTES = 64 * 1024 * 1024
CHUNK = 32 * 1024


def memory_kb(pid):
    """(VmRSS, VmHWM) of the process, in KB."""
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def big_frame(server):
    with RawWebSocket(server.url) as ws:
        closed, sent = ws.send_frame(RawWebSocket.TEXT, b"4" + b"a" * (CHUNK - 1), length=1 << 30), CHUNK
        while not closed and sent < SEND_BYTES:
            closed, sent = ws.send_bytes(b"a" * CHUNK), sent + CHUNK
        return sent, closed


def many_frames(server):
    with RawWebSocket(server.url) as ws:
        closed, sent = ws.send_frame(RawWebSocket.TEXT, b"4" + b"a" * (CHUNK - 1), fin=False), CHUNK
        while not closed and sent < SEND_BYTES:
            closed, sent = ws.send_frame(RawWebSocket.CONTINUATION, b"a" * CHUNK, fin=False), sent + CHUNK
        return sent, closed


def compressed_frames(server):
    deflate = zlib.compressobj(wbits=-15)
    bomb = (deflate.compress(b"4" + b"a" * (64 * 1024 * 1024)) + deflate.flush(zlib.Z_SYNC_FLUSH))[:-4]
    sent = closed = 0
    for _ in range(3):
        with RawWebSocket(server.url, {"Sec-WebSocket-Extensions": "permessage-deflate"}) as ws:
            closed = ws.send_frame(RawWebSocket.TEXT, bomb, flags=RawWebSocket.COMPRESSED)
            sent += len(bomb)
            with contextlib.suppress(AssertionError):
                ws.wait_until_closed()
    return sent, closed


def attachments(server):
    tab = RawTab(server.url, LiveMember(server.url, "mallory").headers)
    tab.send("459999999999-" + json.dumps(["chat message", {"_placeholder": True, "num": 0}]))
    sent, closed = 0, False
    try:
        while sent < SEND_BYTES:
            tab.ws.send(b"x" * 60 * 1024)
            sent += 60 * 1024
    except ConnectionClosed:
        closed = True
    return sent, closed


def main(mode):
    print(f"ASYNC_MODE={mode}; KB; sent up to {SEND_BYTES // 1024 // 1024} MB per attack")
    for attack in (big_frame, many_frames, compressed_frames, attachments):
        server = ServerProcess(tempfile.mkdtemp(), ASYNC_MODE=mode, SOCKETIO_PING_INTERVAL="60")
        try:
            pid = server._process.pid
            time.sleep(1)
            before, _ = memory_kb(pid)
            sent, closed = attack(server)
            time.sleep(2)  # what the server does with what it got
            after, peak = memory_kb(pid)
            print(f"{attack.__name__:18} sent {sent // 1024:7} KB  closed while sending: {closed!s:5}  "
                  f"RSS before {before}  after {after}  peak {peak}  (+{peak - before} at peak)")
        finally:
            RawTab.close_all()
            server.stop()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "gevent")

"""Step 7, once per run: does one tab flooding the chat slow everyone else down?

ECHOERS logged-in tabs, each of a user of its own, send a chat message every
ECHO_EVERY seconds (within the server's default rate) and time its way back,
first with nothing else going on, then while one more tab sends FLOOD_RATE
chat messages a second for FLOOD_SECONDS. The server runs with its default
limits, as a learner's does.

The frames, as text:
    flooder: 42["chat message","flood 7"]          FLOOD_RATE a second
    server:  42["chat error",{"message":...}]      to the flooder, for each message refused
    echoer:  42["chat message","echo-3 12"]        and its way back to it, timed
"""
import asyncio
import time

from websockets.protocol import State

from .echo import CHAT_MESSAGE, EchoClient, echo_figures
from .login import register
from .protocol import Client
from .usage import CpuMeter

ECHOERS = 12
ECHO_EVERY = 0.6  # seconds: 1.7 messages a second, under the server's default 2
IDLE_SECONDS = 3
FLOOD_RATE = 1000  # chat messages a second
FLOOD_SECONDS = 5
ECHO_TIMEOUT = 60  # seconds one echo may take before the step is reported as a timeout
CHAT_ERROR = b'42["chat error",'
FLOOD_MESSAGE = b'"message":"flood '


class Flooder(Client):
    """A logged-in tab that sends chat messages as fast as it is told to, and
    counts the server's refusals."""

    def __init__(self, url, cookie, deflate):
        super().__init__(url, cookie, deflate, on_count=lambda client, old, new: None)
        self.sent = 0
        self.refused = 0
        self.dropped_at = None  # when the server ended the connection, if it did

    async def flood(self, rate, seconds):
        """Sends `rate` chat messages a second, in small batches, for `seconds`
        or until the server ends the connection."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        while loop.time() - start < seconds and self._websocket.state is State.OPEN:
            while self.sent < (loop.time() - start) * rate:
                self.sent += 1
                self._websocket.send_text(f'42["chat message","flood {self.sent}"]'.encode())
            self._send_pending()
            await asyncio.sleep(0.005)
        return loop.time() - start

    def _receive(self, message):
        if message.startswith(CHAT_ERROR):
            self.refused += 1
        elif not message.startswith(CHAT_MESSAGE):  # the broadcasts of its own flood are not counted
            super()._receive(message)

    def connection_lost(self, error):
        super().connection_lost(error)
        if self.dropped:  # by the server, not by the bench
            self.dropped_at = time.perf_counter()


class Echoer(EchoClient):
    """An echo client that also counts the flood's messages that reach it."""

    def __init__(self, url, cookie, deflate, tag):
        super().__init__(url, cookie, deflate, tag=tag)
        self.flood_received = 0

    def _receive(self, message):
        if FLOOD_MESSAGE in message and message.startswith(CHAT_MESSAGE):
            self.flood_received += 1
        else:
            super()._receive(message)


async def echo_until(client, phase, samples, stop):
    """Round trips one every ECHO_EVERY seconds until `stop` is set, each
    filed under the phase (idle or flood) it was sent in."""
    while not stop.is_set():
        sent = time.perf_counter()
        label = phase[0]
        samples[label].append(await client.round_trip(ECHO_TIMEOUT))
        await asyncio.sleep(max(0.0, ECHO_EVERY - (time.perf_counter() - sent)))


async def measure_flood(ws_url, host, port, deflate, server_pid):
    """Step 7: the echoes of ECHOERS tabs, idle and during one tab's flood."""
    cookies = [register(host, port) for _ in range(ECHOERS + 1)]  # a session each: no tab limit is reached
    flooder = Flooder(ws_url, cookies[0], deflate)
    echoers = [Echoer(ws_url, cookie, deflate, tag=f"echo-{i}") for i, cookie in enumerate(cookies[1:])]
    result = {"echoers": ECHOERS, "echo_every_s": ECHO_EVERY, "flood_rate": FLOOD_RATE, "flood_seconds": FLOOD_SECONDS}
    phase = ["idle"]
    samples = {"idle": [], "flood": []}
    stop = asyncio.Event()
    try:
        for client in [flooder, *echoers]:
            await client.open(ECHO_TIMEOUT)
        tasks = []
        for echoer in echoers:  # spread over the interval, not all at once
            tasks.append(asyncio.create_task(echo_until(echoer, phase, samples, stop)))
            await asyncio.sleep(ECHO_EVERY / ECHOERS)
        await asyncio.sleep(IDLE_SECONDS)
        phase[0] = "flood"
        cpu = CpuMeter(server_pid)
        started = time.perf_counter()
        flooded = await flooder.flood(FLOOD_RATE, FLOOD_SECONDS)
        await asyncio.sleep(FLOOD_SECONDS - flooded)  # the echoes go on for as long, whenever the flood stopped
        stop.set()
        await asyncio.gather(*tasks)  # the last echoes may come back well after the flood
        result.update(cpu.spent())
    except TimeoutError:
        return {**result, "status": "timeout"}
    finally:
        stop.set()
        for client in [flooder, *echoers]:
            client.abort()
    result["idle"] = echo_figures(samples["idle"])
    result["during"] = echo_figures(samples["flood"])
    result["flood_sent"] = flooder.sent
    result["flood_refused"] = flooder.refused
    result["flooder_dropped_after_s"] = round(flooder.dropped_at - started, 3) if flooder.dropped_at else None
    result["flood_received_per_echoer"] = max(echoer.flood_received for echoer in echoers)
    idle_p50, during_p50 = result["idle"]["p50_ms"], result["during"]["p50_ms"]
    result["p50_ratio"] = round(during_p50 / idle_p50, 2) if idle_p50 and during_p50 else None
    result["status"] = "ok"
    return result


"""Step 6, once per run: how long one tab's chat message takes to come back to
it, with nothing else going on and while people sign up at the lesson's bcrypt cost.

The frames, as text:
    client: 42["chat message","ping 7"]
    server: 42["chat message",{"username":...,"message":"ping 7"}]   to every tab, the sender's too
"""
import asyncio
import concurrent.futures
import secrets
import time

from .login import post_register
from .measure import percentile_ms
from .protocol import Client
from .usage import CpuMeter

LESSON_BCRYPT_ROUNDS = 12  # the lesson's bcrypt.hashSync(req.body.password, 12)
SIGN_UP_PASSWORD = "secret"
WARM_UP_ROUND_TRIPS = 20  # before the timed ones, and not counted
CHAT_MESSAGE = b'42["chat message",'


class EchoClient(Client):
    """A logged-in chat tab that sends chat messages and times each one's way back to it."""

    def __init__(self, url, cookie, deflate, tag="ping"):
        """`tag` starts each message, so that tabs echoing at once never take another's echo for their own."""
        super().__init__(url, cookie, deflate, on_count=lambda client, old, new: None)
        self.tag = tag
        self.sent = 0
        self._expected = None  # the end of the echo awaited, b'"message":"ping 7"}]'
        self._echoed = None  # resolved with time.perf_counter() when it arrives

    async def round_trip(self, timeout):
        """Sends the chat message `ping <number>`; seconds until the server sends it back to this tab."""
        self.sent += 1
        text = f"{self.tag} {self.sent}"
        self._expected = f'"message":"{text}"}}]'.encode()
        self._echoed = asyncio.get_running_loop().create_future()
        sent = time.perf_counter()
        self._websocket.send_text(f'42["chat message","{text}"]'.encode())
        self._send_pending()
        return await asyncio.wait_for(self._echoed, timeout) - sent

    def _receive(self, message):
        """Notes when the awaited echo arrives; every other frame goes to Client."""
        if not message.startswith(CHAT_MESSAGE):
            super()._receive(message)
        elif self._echoed is not None and not self._echoed.done() and message.endswith(self._expected):
            self._echoed.set_result(time.perf_counter())


async def round_trips(client, count, deadline):
    """`count` echo round trips, one after the other, in seconds."""
    return [await client.round_trip(deadline.left()) for _ in range(count)]


def sign_up(host, port, username, started):
    """One sign-up (POST /register, password "secret"): its HTTP status, and seconds from `started` to its answer."""
    status, _ = post_register(host, port, username, SIGN_UP_PASSWORD)
    return status, time.perf_counter() - started


async def round_trips_during_sign_ups(client, host, port, sign_ups, deadline):
    """Echo round trips, one after the other, from the moment `sign_ups` users start
    registering at once until the last is answered; the round trips in seconds, and
    each sign-up's (status, seconds) or the exception it raised."""
    loop = asyncio.get_running_loop()
    tag = secrets.token_hex(3)
    samples = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=sign_ups) as pool:  # all of them in flight at once
        started = time.perf_counter()
        answers = asyncio.gather(
            *(loop.run_in_executor(pool, sign_up, host, port, f"signup-{tag}-{i}", started) for i in range(sign_ups)),
            return_exceptions=True,
        )
        try:
            while not answers.done():
                samples.append(await client.round_trip(deadline.left()))
        finally:
            outcomes = await answers  # the threads end within post_register's timeout
    return samples, outcomes


def echo_figures(samples):
    """How many round trips, and their p50, p99 and max in ms."""
    samples = sorted(samples)
    return {
        "echoes": len(samples),
        "p50_ms": percentile_ms(samples, 0.50, 2),
        "p99_ms": percentile_ms(samples, 0.99, 2),
        "max_ms": percentile_ms(samples, 1.0, 2),
    }


def sign_up_figures(outcomes):
    """How the sign-ups were answered ({"302": 10}, or the errors) and when the first and last were."""
    answers = {}
    seconds = []
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            answer = f"{type(outcome).__name__}: {outcome}"[:200]
        else:
            answer = str(outcome[0])
            seconds.append(outcome[1])
        answers[answer] = answers.get(answer, 0) + 1
    return {
        "count": len(outcomes),
        "answers": answers,
        "first_s": round(min(seconds), 3) if seconds else None,
        "last_s": round(max(seconds), 3) if seconds else None,
    }


async def measure_echo(setup, host, port, idle_count, sign_ups, bcrypt_rounds):
    """Step 6: `idle_count` echo round trips with nothing else going on, then as
    many as fit while `sign_ups` new users register at once; p50 during / idle."""
    deadline = setup.step_deadline()
    client = EchoClient(setup.ws_url, setup.cookie, setup.deflate)
    result = {"bcrypt_rounds": bcrypt_rounds, "idle_round_trips": idle_count}
    try:
        await client.open(deadline.left())
        await round_trips(client, WARM_UP_ROUND_TRIPS, deadline)
        await asyncio.sleep(setup.settle)
        result["idle"] = echo_figures(await round_trips(client, idle_count, deadline))
        await asyncio.sleep(setup.settle)
        cpu = CpuMeter(setup.server_pid)
        during, outcomes = await round_trips_during_sign_ups(client, host, port, sign_ups, deadline)
    except TimeoutError:
        return {**result, "status": "timeout", "echoes_sent": client.sent}
    finally:
        client.abort()
    result["during"] = echo_figures(during)
    result["sign_ups"] = sign_up_figures(outcomes)
    idle_p50, during_p50 = result["idle"]["p50_ms"], result["during"]["p50_ms"]
    result["p50_ratio"] = round(during_p50 / idle_p50, 2) if idle_p50 and during_p50 else None
    result["status"] = "ok" if result["sign_ups"]["answers"] == {"302": sign_ups} else "sign-ups failed"
    return {**result, **cpu.spent()}

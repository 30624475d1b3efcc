"""The whole run: for each broadcast window, a fresh server per rung of the ladder."""
import asyncio
import dataclasses
import functools
import http.client
import signal
import sys
import time

from .cluster import measure_cluster_rung
from .echo import LESSON_BCRYPT_ROUNDS, measure_echo
from .flood import measure_flood
from .login import register
from .measure import Deadline, Setup, count_others, measure_rung
from .protocol import CONNECT_ERRORS
from .server_process import started_server

DEFAULT_WINDOW = "default"  # BROADCAST_WINDOW left unset: the server's own default
STARTED = time.monotonic()
# What a measurement that fails raises: it is reported, and the run goes on.
MEASUREMENT_ERRORS = (RuntimeError, http.client.HTTPException, *CONNECT_ERRORS)


def progress(message):
    """One line on stderr, so that a long run shows it is alive."""
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def setup_for(options, host, port, server_pid, run_deadline, cookie=None):
    """Logs in on the server at host:port (unless given a session `cookie`) and gathers the measurement settings."""
    return Setup(
        ws_url=f"ws://{host}:{port}/socket.io/?EIO=4&transport=websocket",
        cookie=cookie or register(host, port),
        deflate=options.deflate,
        concurrency=options.concurrency,
        step_timeout=options.step_timeout,
        settle=options.settle,
        repeats=options.repeats,
        disconnect_fraction=options.disconnect_fraction,
        run_deadline=run_deadline,
        server_pid=server_pid,
    )


def why_skip(options, window, n, run_deadline, failed_at):
    """Why the rung with N clients is not measured, or None when it is."""
    if window not in (None, DEFAULT_WINDOW) and float(window) == 0 and n > options.window0_max_clients:
        return f"window 0 stops at {options.window0_max_clients} clients (--window0-max-clients)"
    if failed_at is not None:
        return f"N={failed_at} did not finish"
    if run_deadline.left() < 1:
        return "no time left (--max-seconds)"
    return None


async def run_ladder(options, window, run_deadline, rungs, where, measure_at):
    """The ladder for one window, each rung measured by `measure_at(n)`, until one fails or time runs out."""
    failed_at = None
    for n in options.ladder:
        skip = why_skip(options, window, n, run_deadline, failed_at)
        if skip:
            rungs.append({"n": n, "skipped": skip})
            continue
        progress(f"{where}, N={n}")
        rung = await failure_recorded(n, measure_at(n))
        rungs.append(rung)
        if not rung_finished(rung):
            failed_at = n


async def measure_on_new_server(options, window, n, run_deadline):
    """One rung on a server started for it, stopped once measured."""
    async with started_server(None if window == DEFAULT_WINDOW else window) as server:
        setup = setup_for(options, "127.0.0.1", server.port, server.pid, run_deadline)
        base = await count_others(setup)
        rung = await measure_rung(setup, n, base, progress)
        rung["server_log"] = server.trouble()
    return rung


async def failure_recorded(n, measuring):
    """The rung `measuring` returns or, when it fails, what went wrong."""
    try:
        return await measuring
    except MEASUREMENT_ERRORS as error:
        progress(f"N={n} failed: {type(error).__name__}: {error}")
        return {"n": n, "error": f"{type(error).__name__}: {error}"}


async def measure_on_given_server(options, host, port, n, run_deadline):
    """One rung on the server at --url, after its clients of the last rung are gone."""
    setup = setup_for(options, host, port, options.pid, run_deadline)
    base = await count_others(setup)
    return await measure_rung(setup, n, base, progress)


def rung_finished(rung):
    """Whether every step of the rung ended before its timeout."""
    steps = ("storm", "disconnect") if "processes" in rung else ("storm", "join", "leave", "disconnect")
    return all(rung.get(step, {}).get("status") == "ok" for step in steps)


async def echo_on_new_server(options, run_deadline):
    """Step 6 on a server started for it with the default window and the lesson's bcrypt cost."""
    async with started_server(None, LESSON_BCRYPT_ROUNDS) as server:
        setup = setup_for(options, "127.0.0.1", server.port, server.pid, run_deadline)
        echo = await measure_echo(setup, "127.0.0.1", server.port, options.echo_round_trips, options.sign_ups,
                                  LESSON_BCRYPT_ROUNDS)
        echo["server_log"] = server.trouble()
    return echo


async def echo_on_given_server(options, host, port, run_deadline):
    """Step 6 on the server at --url, whatever its window and bcrypt cost."""
    setup = setup_for(options, host, port, options.pid, run_deadline)
    return await measure_echo(setup, host, port, options.echo_round_trips, options.sign_ups, None)


async def run_echo(options, host_and_port, run_deadline):
    """Step 6, once per run; what went wrong instead of the figures when it fails."""
    progress(f"chat echo, idle and during {options.sign_ups} sign-ups")
    try:
        if host_and_port:
            echo = await echo_on_given_server(options, *host_and_port, run_deadline)
        else:
            echo = await echo_on_new_server(options, run_deadline)
    except MEASUREMENT_ERRORS as error:
        progress(f"chat echo failed: {type(error).__name__}: {error}")
        rounds = None if host_and_port else LESSON_BCRYPT_ROUNDS
        return {"error": f"{type(error).__name__}: {error}", "bcrypt_rounds": rounds}
    progress(f"chat echo: {echo['status']}, p50 during sign-ups / idle: {echo.get('p50_ratio')}")
    return echo


async def flood_on_new_server(options):
    """Step 7 on a server started for it with its default limits."""
    async with started_server(None, limits={}) as server:
        ws_url = f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket"
        flood = await measure_flood(ws_url, "127.0.0.1", server.port, options.deflate, server.pid)
        flood["server_log"] = server.trouble()
    return flood


async def run_flood(options, host_and_port):
    """Step 7, once per run; what went wrong instead of the figures when it fails."""
    progress("chat flood: others' echo while one tab floods")
    try:
        if host_and_port:
            host, port = host_and_port
            ws_url = f"ws://{host}:{port}/socket.io/?EIO=4&transport=websocket"
            flood = await measure_flood(ws_url, host, port, options.deflate, options.pid)
        else:
            flood = await flood_on_new_server(options)
    except MEASUREMENT_ERRORS as error:
        progress(f"chat flood failed: {type(error).__name__}: {error}")
        return {"error": f"{type(error).__name__}: {error}"}
    progress(f"chat flood: {flood['status']}, echo p50 during the flood / idle: {flood.get('p50_ratio')}")
    return flood


async def run_processes(options, run_deadline, results):
    """With --processes: the storm and K gone for each number of processes and N, behind nginx."""
    for processes in options.processes:
        entry = {"processes": processes, "rungs": []}
        results["clusters"].append(entry)

        def setup(port, cookies):
            return dataclasses.replace(
                setup_for(options, "127.0.0.1", port, None, run_deadline, cookie=cookies[0]), cookies=cookies
            )

        await run_ladder(
            options, None, run_deadline, entry["rungs"], f"{processes} processes behind nginx",
            lambda n, processes=processes, setup=setup: measure_cluster_rung(setup, processes, n),
        )


async def run(options, host_and_port, results):
    """Fills `results["windows"]`, rung by rung, so a run cut short keeps what it measured."""
    run_deadline = Deadline(options.max_seconds)
    if options.processes:
        await run_processes(options, run_deadline, results)
        return
    if options.echo:
        results["echo"] = await run_echo(options, host_and_port, run_deadline)
    if options.flood:
        results["flood"] = await run_flood(options, host_and_port)
    if host_and_port:
        entry = {"window": "given server", "url": options.url, "rungs": []}
        results["windows"].append(entry)
        host, port = host_and_port
        await run_ladder(
            options, None, run_deadline, entry["rungs"], options.url,
            functools.partial(measure_on_given_server, options, host, port, run_deadline=run_deadline),
        )
        return
    for window in options.windows:
        entry = {"window": window, "rungs": []}
        results["windows"].append(entry)
        await run_ladder(
            options, window, run_deadline, entry["rungs"], f"window {window}: a server of its own",
            functools.partial(measure_on_new_server, options, window, run_deadline=run_deadline),
        )


async def run_bounded(options, host_and_port, results):
    """run(), stopped (and its servers with it) a little after --max-seconds,
    or when the bench is told to stop (Ctrl-C, SIGTERM, SIGHUP)."""
    loop = asyncio.get_running_loop()
    this_task = asyncio.current_task()
    for number in (signal.SIGTERM, signal.SIGHUP):  # asyncio.run() already turns Ctrl-C into this
        loop.add_signal_handler(number, this_task.cancel)
    try:
        await asyncio.wait_for(run(options, host_and_port, results), options.max_seconds + 60)
    except TimeoutError:
        results["cut_short"] = f"stopped after --max-seconds {options.max_seconds} (+60 s of grace)"
    except asyncio.CancelledError:
        results["cut_short"] = "stopped by a signal"

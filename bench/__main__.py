"""`python -m bench`: measures the chat's user count under load; see bench/README.md."""
import argparse
import asyncio
import json
import os
import platform
import resource
import sys

import websockets

from .login import loopback_host_and_port
from .report import full_report
from .run import DEFAULT_WINDOW, progress, run_bounded
from .usage import listens_on, raise_open_files_limit


def client_numbers(text):
    """--ladder: numbers of clients such as 100,500,1000."""
    numbers = [int(item) for item in text.split(",")]
    if min(numbers) < 2:
        raise ValueError("each N must be 2 or more")
    return numbers


def process_numbers(text):
    """--processes: numbers of server processes such as 1,2,4."""
    numbers = [int(item) for item in text.split(",")]
    if min(numbers) < 1:
        raise ValueError("each number of processes must be 1 or more")
    return numbers


def positive_number(text):
    """--echo-round-trips, --sign-ups: a whole number from 1 up."""
    number = int(text)
    if number < 1:
        raise ValueError("must be 1 or more")
    return number


def broadcast_windows(text):
    """--windows: BROADCAST_WINDOW values such as 0,0.1,default (default: leave it unset)."""
    windows = text.split(",")
    for window in windows:
        if window != DEFAULT_WINDOW and not float(window) >= 0:  # ValueError for words, False for nan
            raise ValueError(window)
    return windows


def parse_options(argv):
    """The command line's options, and the parser that reports mistakes in them."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--ladder", type=client_numbers, default=[100, 500, 1000, 2000, 5000],
                        help="numbers of clients to measure, in order (default 100,500,1000,2000,5000)")
    parser.add_argument("--windows", type=broadcast_windows, default=["0", DEFAULT_WINDOW],
                        help="BROADCAST_WINDOW values to start servers with; 'default' leaves it unset "
                        "(default 0,default)")
    parser.add_argument("--window0-max-clients", type=int, default=2000,
                        help="largest N measured with BROADCAST_WINDOW=0, which is O(N^2) (default 2000)")
    parser.add_argument("--processes", type=process_numbers, default=None,
                        help="instead of the windows: the storm and K gone against this many processes (e.g. 1,2,4) "
                        "sharing a Redis behind nginx (python -m cluster), each process's CPU")
    parser.add_argument("--url", help="measure this running server (http://127.0.0.1:PORT) instead of starting one")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, to report its CPU and memory")
    parser.add_argument("--deflate", action=argparse.BooleanOptionalAction, default=True,
                        help="offer permessage-deflate as browsers do (default); --no-deflate makes the bench cheaper")
    parser.add_argument("--concurrency", type=int, default=200, help="handshakes in flight at once (default 200)")
    parser.add_argument("--repeats", type=int, default=5, help="joins and leaves timed per N (default 5)")
    parser.add_argument("--disconnect-fraction", type=float, default=0.1,
                        help="share of the N clients that disconnect at once (default 0.1)")
    parser.add_argument("--settle", type=float, default=0.5,
                        help="seconds of quiet before each timed change; keep it above the window (default 0.5)")
    parser.add_argument("--step-timeout", type=float, default=120,
                        help="seconds after which a step is reported as 'timeout' (default 120)")
    parser.add_argument("--max-seconds", type=float, default=900, help="the whole run's time limit (default 900)")
    parser.add_argument("--echo", action=argparse.BooleanOptionalAction, default=True,
                        help="time chat messages back to their sender, idle and during sign-ups, on a server "
                        "with BCRYPT_ROUNDS=12 (default); --no-echo skips it")
    parser.add_argument("--echo-round-trips", type=positive_number, default=200,
                        help="chat echoes timed with nothing else going on (default 200)")
    parser.add_argument("--sign-ups", type=positive_number, default=10,
                        help="sign-ups (POST /register) sent at once while the echo is timed (default 10)")
    parser.add_argument("--flood", action=argparse.BooleanOptionalAction, default=True,
                        help="time 12 tabs' chat echo while one more floods the chat, on a server with the "
                        "default limits (default); --no-flood skips it")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    options = parser.parse_args(argv)
    if options.pid and not options.url:
        parser.error("--pid goes with --url (the bench knows the pid of the servers it starts)")
    if options.processes and options.url:
        parser.error("--processes starts its own servers: it does not go with --url")
    return parser, options


def run_description(options, open_files):
    """What the run was, for the report's first line and the JSON."""
    return {
        "clients": "WebSocket only (no polling first), one session cookie for all",
        "deflate": options.deflate,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "websockets": websockets.__version__,
        "open_files_limit": open_files,
        "options": {name: value for name, value in vars(options).items() if name != "json"},
    }


def main(argv=None):
    """Runs the bench as the command line says, then prints the report (and writes the JSON)."""
    parser, options = parse_options(argv)
    host_and_port = None
    if options.url:
        try:
            host_and_port = loopback_host_and_port(options.url)
        except ValueError as error:
            parser.error(str(error))
        if options.pid and not listens_on(options.pid, host_and_port[1]):
            parser.error(f"process {options.pid} does not listen on port {host_and_port[1]}")
    open_files = raise_open_files_limit()
    if max(options.ladder) + 100 > open_files:
        progress(f"warning: the open-files limit is {open_files}, too low for {max(options.ladder)} clients")
    results = {"meta": run_description(options, open_files), "windows": [], "clusters": []}
    try:
        asyncio.run(run_bounded(options, host_and_port, results))
    except KeyboardInterrupt:
        results["cut_short"] = "interrupted"
    results["bench_max_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(full_report(results))
    if options.json:
        with open(options.json, "w") as out:
            json.dump(results, out, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())

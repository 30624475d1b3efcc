"""Plain-text tables of the figures, ready to quote in a README, and the ratios between windows."""
from .run import DEFAULT_WINDOW


def table(headers, rows):
    """Columns aligned on spaces, a line of dashes under the headers."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = ["  ".join(str(cell).rjust(width) for cell, width in zip(line, widths, strict=True))
             for line in [headers, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def figure(step, key, decimals=2):
    """One figure of a step for a table cell: the value, 'timeout', or '-' when not measured."""
    if not step:
        return "-"
    if step.get("status") not in (None, "ok") and step.get(key) is None:
        return step["status"]
    value = step.get(key)
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return f"{value:.{decimals}f}"


def triple(rung, key):
    """The storm, join+leave and disconnect figures under `key`, as 'a / b / c'."""
    return " / ".join(figure(rung.get(step), key) for step in ("storm", "join", "disconnect"))


def window_title(entry):
    """The heading above one window's tables."""
    if entry["window"] == DEFAULT_WINDOW:
        return "BROADCAST_WINDOW unset (the server's default)"
    if "url" in entry:
        return f"the server at {entry['url']}"
    return f"BROADCAST_WINDOW={entry['window']}"


def latency_rows(rungs):
    """Rows of the first table: how fast the counts arrive, and memory."""
    for rung in rungs:
        if "skipped" in rung or "error" in rung:
            yield [rung["n"], "skipped" if "skipped" in rung else "error"] + ["-"] * 8
            continue
        disconnect = rung.get("disconnect")
        yield [
            rung["n"],
            figure(rung.get("storm"), "converged_s"),
            figure(rung.get("join"), "p50_ms", 1),
            figure(rung.get("join"), "p99_ms", 1),
            figure(rung.get("leave"), "p50_ms", 1),
            figure(rung.get("leave"), "p99_ms", 1),
            disconnect["k"] if disconnect else "-",
            figure(disconnect, "converged_s"),
            figure(disconnect, "exact"),
            figure(rung.get("memory"), "kb_per_connection", 0),
        ]


def cost_rows(rungs):
    """Rows of the second table: the CPU each step cost, and anything that went wrong."""
    for rung in rungs:
        if "skipped" in rung or "error" in rung:
            continue
        log = rung.get("server_log") or {}
        yield [
            rung["n"],
            triple(rung, "server_cpu_s"),
            triple(rung, "bench_cpu_s"),
            figure(rung.get("storm"), "connected_s"),
            rung.get("dropped_by_server", "-"),
            log.get("lines", "n/a"),
        ]


LATENCY_HEADERS = [
    "N", "storm s", "join p50 ms", "join p99 ms", "leave p50 ms", "leave p99 ms",
    "K", "K gone s", "exact", "RSS KB/conn",
]
COST_HEADERS = [
    "N", "server CPU s storm/join/K", "bench CPU s storm/join/K", "all open s", "dropped", "log errors",
]


def window_report(entry):
    """Both tables of one window, under its title, and why any N was skipped."""
    rungs = entry["rungs"]
    parts = [window_title(entry), "", table(LATENCY_HEADERS, list(latency_rows(rungs)))]
    costs = list(cost_rows(rungs))
    if costs:
        parts += ["", table(COST_HEADERS, costs)]
    notes = [f"N={rung['n']}: {rung.get('skipped') or rung.get('error')}" for rung in rungs
             if "skipped" in rung or "error" in rung]
    notes += list(trouble_notes(rungs))
    if notes:
        parts += [""] + notes
    return "\n".join(parts)


def trouble_notes(rungs):
    """A line for every figure that needs a closer look: wrong counts, failed connects, server errors."""
    for rung in rungs:
        for step in ("storm", "disconnect"):
            shown = (rung.get(step) or {}).get("counts_shown")
            if shown:
                yield f"N={rung['n']} {step}: clients showing each count at the end: {shown}"
        if (rung.get("storm") or {}).get("connected") is not None:
            yield f"N={rung['n']} storm: {rung['storm']['connected']} clients connected before the timeout"
        for error, count in ((rung.get("storm") or {}).get("errors") or {}).items():
            yield f"N={rung['n']} storm: {count} connections failed: {error}"
        for line in (rung.get("server_log") or {}).get("examples", []):
            yield f"N={rung['n']} server log: {line}"


def ratio(numerator, denominator):
    """numerator / denominator as 'x.x×', or '-' when either is missing."""
    if not numerator or not denominator:
        return "-"
    return f"{numerator / denominator:.1f}x"


def ratios(results):
    """Window 0's figures divided by the default window's, per N, or None without both windows."""
    by_window = {entry["window"]: {rung["n"]: rung for rung in entry["rungs"]} for entry in results["windows"]}
    zero = next((rungs for window, rungs in by_window.items() if is_zero(window)), None)
    default = by_window.get(DEFAULT_WINDOW)
    if zero is None or default is None:
        return None
    rows = []
    for n, rung in zero.items():
        other = default.get(n, {})
        rows.append({
            "n": n,
            "storm": ratio(value(rung, "storm", "converged_s"), value(other, "storm", "converged_s")),
            "join_p50": ratio(value(rung, "join", "p50_ms"), value(other, "join", "p50_ms")),
            "rss_per_connection": ratio(value(rung, "memory", "kb_per_connection"),
                                        value(other, "memory", "kb_per_connection")),
        })
    return rows


def is_zero(window):
    """Whether `window` is a BROADCAST_WINDOW of 0 (sends every change)."""
    try:
        return float(window) == 0
    except ValueError:
        return False


def value(rung, step, key):
    return (rung.get(step) or {}).get(key)


def ratio_report(rows):
    """The ratios table."""
    headers = ["N", "storm s 0/default", "join p50 0/default", "RSS/conn 0/default"]
    body = [[row["n"], row["storm"], row["join_p50"], row["rss_per_connection"]] for row in rows]
    return "Window 0 divided by the default window (above 1: the default is better)\n\n" + table(headers, body)


ECHO_HEADERS = ["chat echo", "echoes", "p50 ms", "p99 ms", "max ms"]


def echo_report(echo):
    """Step 6's table: the echo idle and during the sign-ups, the sign-ups, and p50 during / idle."""
    rounds = echo.get("bcrypt_rounds")
    title = (f"Chat echo, idle and during sign-ups (BCRYPT_ROUNDS={rounds}, BROADCAST_WINDOW unset)" if rounds
             else "Chat echo, idle and during sign-ups (the server at --url)")
    if "error" in echo:
        return f"{title}\n\nfailed: {echo['error']}"
    if echo["status"] == "timeout":
        return f"{title}\n\ntimeout: an echo did not come back in time ({echo['echoes_sent']} chat messages sent)"
    sign_ups = echo["sign_ups"]
    rows = [
        [f"idle, {echo['idle_round_trips']} in a row", *echo_cells(echo["idle"])],
        [f"during {sign_ups['count']} sign-ups", *echo_cells(echo["during"])],
    ]
    answers = ", ".join(f"{answer} x{count}" for answer, count in sign_ups["answers"].items())
    lines = [
        title, "", table(ECHO_HEADERS, rows), "",
        f"{sign_ups['count']} sign-ups at once (POST /register): answered {answers}; "
        f"the first after {figure(sign_ups, 'first_s')} s, the last after {figure(sign_ups, 'last_s')} s",
        "server CPU s / bench CPU s during the sign-ups: "
        f"{figure(echo, 'server_cpu_s')} / {figure(echo, 'bench_cpu_s')}",
        f"echo p50 during the sign-ups / idle: {figure(echo, 'p50_ratio')}x",
    ]
    lines += [f"server log: {line}" for line in (echo.get("server_log") or {}).get("examples", [])]
    return "\n".join(lines)


def flood_report(flood):
    """Step 7's table: the echoes of the other tabs, idle and during the flood, and what became of the flood."""
    title = "Chat flood: others' echo while one tab floods"
    if "error" in flood:
        return f"{title}\n\nfailed: {flood['error']}"
    title = (f"Chat flood: {flood['echoers']} tabs each echo a message every {flood['echo_every_s']} s while "
             f"one more sends {flood['flood_rate']} a second for {flood['flood_seconds']} s")
    if flood["status"] == "timeout":
        return f"{title}\n\ntimeout: an echo did not come back in time"
    rows = [["idle", *echo_cells(flood["idle"])],
            [f"{flood['flood_seconds']} s from the flood's start", *echo_cells(flood["during"])]]
    dropped = flood["flooder_dropped_after_s"]
    lines = [
        title, "", table(ECHO_HEADERS, rows), "",
        f"flood: {flood['flood_sent']} sent, {flood['flood_refused']} refused with a chat error, "
        + (f"its tab disconnected by the server after {dropped} s" if dropped is not None else "never disconnected"),
        f"flood messages that reached each other tab: {flood['flood_received_per_echoer']}",
        f"server CPU s / bench CPU s from the flood's start: {figure(flood, 'server_cpu_s')} / "
        f"{figure(flood, 'bench_cpu_s')}",
        f"echo p50 during the flood / idle: {figure(flood, 'p50_ratio')}x",
    ]
    lines += [f"server log: {line}" for line in (flood.get("server_log") or {}).get("examples", [])]
    return "\n".join(lines)


def echo_cells(figures):
    """The echoes, p50, p99 and max cells of one row of the echo table."""
    return [figures["echoes"], *(figure(figures, key) for key in ("p50_ms", "p99_ms", "max_ms"))]


CLUSTER_HEADERS = [
    "processes", "N", "storm s", "all open s", "K", "K gone s", "exact",
    "servers' CPU s (storm)", "nginx CPU s", "redis CPU s", "bench CPU s",
]


def cluster_rows(clusters):
    """A row per number of processes and N: how fast the storm converged, and what each process spent on it."""
    for entry in clusters:
        for rung in entry["rungs"]:
            if "skipped" in rung or "error" in rung:
                yield [entry["processes"], rung["n"], "skipped" if "skipped" in rung else "error"] + ["-"] * 8
                continue
            cpu = rung.get("cpu_s", {})
            servers = " / ".join(f"{spent:.2f}" for name, spent in cpu.items() if name.startswith("server"))
            disconnect = rung.get("disconnect")
            yield [
                entry["processes"],
                rung["n"],
                figure(rung.get("storm"), "converged_s"),
                figure(rung.get("storm"), "connected_s"),
                disconnect["k"] if disconnect else "-",
                figure(disconnect, "converged_s"),
                figure(disconnect, "exact"),
                servers or "-",
                figure(cpu, "nginx"),
                figure(cpu, "redis-server"),
                figure(rung.get("storm"), "bench_cpu_s"),
            ]


def cluster_report(clusters):
    """The table of --processes, and a line for anything that went wrong."""
    rungs = [rung for entry in clusters for rung in entry["rungs"]]
    notes = [f"N={rung['n']}: {rung.get('skipped') or rung.get('error')}" for rung in rungs
             if "skipped" in rung or "error" in rung]
    notes += list(trouble_notes(rungs))
    title = "Several processes sharing one Redis behind nginx (python -m cluster; BROADCAST_WINDOW unset)"
    return "\n".join([title, "", table(CLUSTER_HEADERS, list(cluster_rows(clusters))), *([""] + notes if notes else [])])


def full_report(results):
    """Every table of the run, as one text."""
    meta = results["meta"]
    heading = (
        f"Chat bench: {meta['clients']}, deflate {'on' if meta['deflate'] else 'off'}, "
        f"{meta['cpus']} CPUs, Python {meta['python']}, websockets {meta['websockets']}"
    )
    parts = [heading]
    parts += [window_report(entry) for entry in results["windows"]]
    if results.get("clusters"):
        parts.append(cluster_report(results["clusters"]))
    rows = ratios(results)
    if rows:
        parts.append(ratio_report(rows))
    if results.get("echo"):
        parts.append(echo_report(results["echo"]))
    if results.get("flood"):
        parts.append(flood_report(results["flood"]))
    if results.get("cut_short"):
        parts.append(f"Cut short: {results['cut_short']}")
    parts.append(LEGEND)
    return "\n\n".join(parts) + "\n"


LEGEND = """\
storm s: N clients connect at once; seconds until every one shows N.
join/leave p50, p99 ms: one more client connects (leaves); each client's delay until it shows N+1 (N).
K gone s: K = N/10 clients close at once; seconds until all the others show N-K; exact: all show exactly N-K.
RSS KB/conn: the server's resident memory at N clients minus before the first, divided by N.
CPU s: the server's and the bench's own CPU seconds in each step (storm / join+leave / K disconnects).
all open s: seconds until the N handshakes were done; dropped: clients the server closed; log errors: lines.
servers' CPU s: with --processes, each server process's CPU seconds during the storm, as are nginx's and redis's.
chat echo: one logged-in tab sends a chat message and waits for it to come back, over and over; idle, then
while the sign-ups (sent at once, on their own server with the lesson's bcrypt cost) are in flight.
chat flood: 12 tabs of 12 users echo a message each every 0.6 s, idle, then while one more tab floods
the chat (on their own server, with its default limits)."""

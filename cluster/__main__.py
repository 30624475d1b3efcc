"""`python -m cluster`: the chat as several processes on this machine, for a
teacher to try (README, "Running several servers").

It starts Debian's redis-server and nginx (apt-get install redis-server
nginx) and N `python server.py` processes, every one a child of this
command, on ports of 127.0.0.1, with their files and logs in a temporary
folder; nginx serves them as one app, configured by cluster/nginx.conf.
Ctrl+C stops them all and deletes the folder.
"""
import argparse
import grp
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .processes import Child, free_port, stop_together

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONFIGURATION = Path(__file__).resolve().parent / "nginx.conf"

# The rest of nginx's configuration, around the sample, for an nginx that
# runs as this user with everything in the demo's folder.
MAIN_CONFIGURATION = """\
daemon off;
pid {folder}/nginx.pid;
{user}
# Each tab takes two connections (the browser's, and nginx's to a server).
worker_rlimit_nofile 65536;
events {{
    worker_connections 30000;
}}
http {{
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/nginx-temp/body;
    proxy_temp_path {folder}/nginx-temp/proxy;
    fastcgi_temp_path {folder}/nginx-temp/fastcgi;
    uwsgi_temp_path {folder}/nginx-temp/uwsgi;
    scgi_temp_path {folder}/nginx-temp/scgi;
{sample}
}}
"""


def main():
    parser = argparse.ArgumentParser(prog="python -m cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=3, help="how many server processes (default 3)")
    parser.add_argument("--port", type=int, default=3000, help="nginx's port on 127.0.0.1; 0 picks a free one (default 3000)")
    options = parser.parse_args()
    programs = {name: installed(name) for name in ("redis-server", "nginx")}
    missing = [name for name, path in programs.items() if path is None]
    if missing:
        sys.exit(f"Cannot start: {' and '.join(missing)} not installed. On Debian or Ubuntu: apt-get install {' '.join(missing)}")
    # SIGTERM (from `kill`) stops the demo as Ctrl+C does; so does SIGINT when a
    # shell started it in the background, which would have it ignore SIGINT.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.default_int_handler)
    children = []
    with tempfile.TemporaryDirectory(prefix="chat-cluster-") as folder:
        try:
            run(Path(folder), options, programs, children)
        except KeyboardInterrupt:
            pass
        except (RuntimeError, OSError) as error:
            print(f"Cannot start: {error}", file=sys.stderr)
            stop(children)
            sys.exit(1)
        stop(children)
    print("Stopped.", flush=True)


def installed(program):
    """The path of `program`, looked for in /usr/sbin too (nginx is there); None if it is not installed."""
    return shutil.which(program, path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin")


def run(folder, options, programs, children):
    """Starts everything, says where to look, and waits for Ctrl+C."""
    # nginx's socket first, so that a port in use stops the demo before anything starts.
    try:
        listener = socket.create_server(("127.0.0.1", options.port), backlog=1024)
    except OSError as error:
        raise RuntimeError(f"port {options.port} cannot be used ({error.strerror}): choose another with --port") from None
    port = listener.getsockname()[1]
    redis_port = free_port()
    children.append(
        Child(
            "redis-server",
            [programs["redis-server"], "--bind", "127.0.0.1", "--port", str(redis_port), "--dir", str(folder), "--save", ""],
            folder / "redis.log",
            ready="Ready to accept connections",
        )
    )
    environment = {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        # One secret for all, or each process would read its own sessions only.
        "SESSION_SECRET": secrets.token_hex(32),
        "INSTANCE_PATH": str(folder / "instance"),  # the users database: one file for all
        "PROXY_COUNT": "1",  # nginx
    }
    ports = []
    for number in range(1, options.servers + 1):
        ports.append(free_port())
        children.append(
            Child(
                f"server {number}",
                [sys.executable, "server.py"],
                folder / f"server-{number}.log",
                ready=r"Listening on port|Running on",
                cwd=PROJECT_ROOT,
                env={**environment, "PORT": str(ports[-1])},
            )
        )
    configuration = folder / "nginx.conf"
    configuration.write_text(nginx_configuration(folder, port, ports), encoding="utf-8")
    (folder / "nginx-temp").mkdir()
    nginx = [programs["nginx"], "-p", str(folder), "-c", str(configuration), "-e", str(folder / "nginx-error.log")]
    with listener:
        # nginx takes over the socket (its NGINX variable names inherited ones).
        inherit = {"env": {**os.environ, "NGINX": f"{listener.fileno()};"}, "pass_fds": [listener.fileno()]}
        check = subprocess.run([*nginx, "-t"], capture_output=True, text=True, **inherit)
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration ({configuration}):\n{check.stderr}")
        children.append(Child("nginx", nginx, folder / "nginx.log", **inherit))
    url = f"http://127.0.0.1:{port}"
    print(f"Redis, {options.servers} servers and nginx are running; their logs are in {folder}", flush=True)
    for child in children:
        print(f"  {child.name:12} pid {child.pid}", flush=True)
    print(f"Open {url} (a private window is a second user). Ctrl+C stops them all.", flush=True)
    # Until Ctrl+C: a child that stops (one killed to see what happens, say) is reported once.
    running = list(children)
    while True:
        time.sleep(1)
        for child in [child for child in running if not child.running]:
            running.remove(child)
            print(f"{child.name} (pid {child.pid}) has stopped; see {child.log}", flush=True)


def nginx_configuration(folder, port, server_ports):
    """cluster/nginx.conf with the demo's ports, inside the rest of an nginx configuration."""
    sample = SAMPLE_CONFIGURATION.read_text(encoding="utf-8")
    servers = "".join(f"    server 127.0.0.1:{server_port};\n" for server_port in server_ports)
    sample = re.sub(r"(    server 127\.0\.0\.1:\d+;\n)+", servers, sample)
    sample = sample.replace("    listen 80;", f"    listen 127.0.0.1:{port};")
    return MAIN_CONFIGURATION.format(folder=folder, user=worker_user(), sample=sample)


def worker_user():
    """nginx started as root runs its workers as `nobody`, who could not read
    the demo's folder: run them as root's own user then."""
    if os.geteuid() != 0:
        return ""
    return f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name};"


def stop(children):
    """Stops nginx and the servers together (each takes its share of the count
    out of Redis as it goes), then Redis."""
    redis = [child for child in children if child.name == "redis-server"]
    stop_together([child for child in children if child not in redis])
    stop_together(redis)
    children.clear()


if __name__ == "__main__":
    main()

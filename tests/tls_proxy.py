"""Debian's nginx in front of the real server, as Replit's proxy stands in
front of a Repl: HTTPS (with a certificate made for the test), the
X-Forwarded-For/-Proto/-Host headers added, WebSockets passed through. It
also serves a page for each of a few other sites, for a test to frame the
app in or post forms from.

It runs as the user running the tests, with its configuration, logs and
temporary files under one folder, and never as a system service.
"""
import grp
import os
import pwd
import socket
import subprocess

from tests.server_process import stop_process_group

NGINX = "/usr/sbin/nginx"  # Debian's package: apt-get install nginx

CONFIGURATION = """\
daemon off;
pid {folder}/nginx.pid;
{user}
events {{
    worker_connections 256;
}}
http {{
    access_log {folder}/access.log;
    # Debian's nginx would keep these under /var/lib/nginx.
    client_body_temp_path {folder}/temp/body;
    proxy_temp_path {folder}/temp/proxy;
    fastcgi_temp_path {folder}/temp/fastcgi;
    uwsgi_temp_path {folder}/temp/uwsgi;
    scgi_temp_path {folder}/temp/scgi;
    ssl_certificate {folder}/certificate.pem;
    ssl_certificate_key {folder}/key.pem;

    # A WebSocket is an HTTP/1.1 request asking to upgrade the connection:
    # the upgrade must be asked of the app too.
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" close;
    }}

    server {{
        listen 127.0.0.1:{port} ssl;
        server_name {app_host};
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
            # Socket.IO's long-polling answers go out as soon as they come.
            proxy_buffering off;
        }}
    }}
{sites}
}}
"""

SITE = """
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name {host};
        root {folder}/sites/{host};
        # The test's pages have no icon: nothing to answer 404 for.
        location = /favicon.ico {{
            return 204;
        }}
    }}
"""


class TLSProxy:
    def __init__(self, folder, app_host, app_port, sites):
        """Serves the app at 127.0.0.1:<app_port> as https://<app_host>:<port>/,
        and each host in `sites` as https://<host>:<port>/, whose page
        `write_page` writes, on a free port of 127.0.0.1 (`self.port`). Every
        name must lead to 127.0.0.1 (Chromium's --host-resolver-rules) and the
        certificate be accepted (--ignore-certificate-errors): it is made for
        these names by no authority anyone trusts."""
        self.folder = folder
        self.folder.mkdir(parents=True)
        (folder / "temp").mkdir()
        for host in sites:
            (folder / "sites" / host).mkdir(parents=True)
        make_certificate(folder, [app_host, *sites])
        # The socket listens before nginx starts: nginx takes it over (its
        # NGINX variable names inherited sockets, as in a binary upgrade), so
        # the port is never free for anyone else, and a browser connecting
        # early waits in its queue instead of being refused.
        listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = listener.getsockname()[1]
        configuration = folder / "nginx.conf"
        configuration.write_text(
            CONFIGURATION.format(
                folder=folder,
                user=worker_user(),
                port=self.port,
                app_host=app_host,
                app_port=app_port,
                sites="".join(SITE.format(port=self.port, host=host, folder=folder) for host in sites),
            ),
            encoding="utf-8",
        )
        command = [NGINX, "-p", str(folder), "-c", str(configuration), "-e", str(folder / "error.log")]
        environment = {**os.environ, "NGINX": f"{listener.fileno()};"}
        with listener:
            check = subprocess.run([*command, "-t"], env=environment, pass_fds=[listener.fileno()], capture_output=True, text=True)
            if check.returncode != 0:
                raise RuntimeError(f"nginx refused its configuration:\n{check.stderr}{self.errors()}")
            self._process = subprocess.Popen(
                command,
                env=environment,
                pass_fds=[listener.fileno()],
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stop() ends its workers too
            )

    def url(self, host):
        """The address of `host`'s home page, through nginx."""
        return f"https://{host}:{self.port}"

    def write_page(self, host, html):
        """Makes `html` the page served at url(host) + "/"."""
        (self.folder / "sites" / host / "index.html").write_text(html, encoding="utf-8")

    def errors(self):
        """What nginx wrote in its error log."""
        log = self.folder / "error.log"
        return log.read_text(encoding="utf-8") if log.exists() else ""

    def stop(self):
        stop_process_group(self._process)


def make_certificate(folder, hosts):
    """A self-signed certificate for `hosts` (certificate.pem, key.pem in folder), valid for a day."""
    names = ",".join(f"DNS:{host}" for host in hosts)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "certificate.pem"), "-days", "1",
         "-subj", f"/CN={hosts[0]}", "-addext", f"subjectAltName={names}"],
        check=True,
        capture_output=True,
    )


def worker_user():
    """nginx started as root hands its connections to workers running as
    `nobody`, who could not read the test's folder (pytest's are private to
    their owner): run them as root's own user then. Started as anyone else,
    nginx runs as that user and the directive would only be warned about."""
    if os.geteuid() != 0:
        return ""
    return f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name};"

"""Getting a logged-in session cookie, and making sure the bench only ever talks to this machine."""
import http.client
import ipaddress
import secrets
import urllib.parse
from http.cookies import SimpleCookie

COOKIE_NAME = "session"


def loopback_host_and_port(url):
    """(host, port) of an http:// URL on this machine; ValueError for any other URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"{url!r}: give an http:// URL, e.g. http://127.0.0.1:3000")
    host = "127.0.0.1" if parts.hostname == "localhost" else parts.hostname
    try:
        loopback = ipaddress.IPv4Address(host).is_loopback  # 127.x.x.x
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"{url!r}: the bench only connects to this machine (127.0.0.1)")
    return host, parts.port or 80


def post_register(host, port, username, password):
    """POST /register with `username` and `password`, redirects not followed:
    the HTTP status of the answer, and the session cookie it sets (or None)."""
    form = urllib.parse.urlencode({"username": username, "password": password})
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("POST", "/register", form, {"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        cookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie.load(header)
    finally:
        connection.close()
    return response.status, cookie[COOKIE_NAME].value if COOKIE_NAME in cookie else None


def register(host, port):
    """Registers a new user and returns the value of the session cookie the server logs it in with."""
    status, cookie = post_register(host, port, f"bench-{secrets.token_hex(4)}", secrets.token_hex(8))
    if status != 302 or cookie is None:
        raise RuntimeError(f"POST /register answered {status} without a {COOKIE_NAME} cookie")
    return cookie

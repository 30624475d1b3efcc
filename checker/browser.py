"""Requests sent the way freeCodeCamp's page sends them from a learner's browser.

freeCodeCamp's checks run on https://www.freecodecamp.org and fetch the
learner's app from there: cross-origin requests. The browser then
- sends `Origin: https://www.freecodecamp.org` and no cookies (neither
  fetch() nor an XMLHttpRequest sends or keeps cookies cross-origin,
  unless it asks for them with `withCredentials`);
- follows redirects itself, and hides the answer from the check (a network
  error, "Failed to fetch") unless every answer on the way, redirects
  included, carries an Access-Control-Allow-Origin header allowing it;
- after a redirect to another origin, sends `Origin: null` from then on;
- refuses to fetch http:// addresses other than localhost from an https page.

`send` does the same with the standard library, and says in plain words why
a request fails, and on which hop.
"""
import ipaddress
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

FREECODECAMP_ORIGIN = "https://www.freecodecamp.org"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 20  # browsers give up after 20 (the Fetch standard's limit)
TIMEOUT = 15  # seconds for each hop


class RequestFailed(Exception):
    """The browser would give the check no answer; the message says why in plain words."""


@dataclass(frozen=True)
class Hop:
    """One request and the answer to it."""

    method: str
    url: str
    status: int
    sets_cookie: bool


@dataclass(frozen=True)
class Answer:
    """What the check's code receives, and the hops that led to it."""

    hops: tuple
    text: str

    @property
    def status(self):
        return self.hops[-1].status


class _DoNotFollow(urllib.request.HTTPRedirectHandler):
    """Hand every redirect back: `send` follows them itself, checking each."""

    def redirect_request(self, request, response, code, message, headers, new_url):
        return None


# No cookie handler: like the browser here, the checker keeps no cookies.
_opener = urllib.request.build_opener(_DoNotFollow)
# As in browsers, addresses on this machine never go through a proxy.
_local_opener = urllib.request.build_opener(_DoNotFollow, urllib.request.ProxyHandler({}))


def send(url, method="GET", body=None, with_credentials=False):
    """The Answer the browser gives freeCodeCamp's check, or RequestFailed."""
    origin = FREECODECAMP_ORIGIN
    hops = []
    while True:
        _refuse_mixed_content(url)
        status, headers, content = _exchange(url, method, body, origin)
        hops.append(Hop(method, url, status, bool(headers.get_all("Set-Cookie"))))
        problem = cors_problem(headers, origin, with_credentials)
        if problem:
            raise RequestFailed(_explain_cors(hops, origin, problem))
        location = headers.get("Location")
        if status not in REDIRECT_STATUSES or location is None:
            return Answer(tuple(hops), content.decode("utf-8-sig", errors="replace"))
        if len(hops) > MAX_REDIRECTS:
            raise RequestFailed(f"{hops[0].method} {hops[0].url} redirects more than {MAX_REDIRECTS} times; the browser gives up")
        next_url = urllib.parse.urljoin(url, location)
        if urllib.parse.urlsplit(next_url).scheme not in ("http", "https"):
            raise RequestFailed(f"{hops[-1].method} {hops[-1].url} redirects to {next_url}, which a browser will not fetch")
        if origin_root(next_url) != origin_root(url):
            origin = "null"  # the Fetch standard's "tainted origin"
        if (status in (301, 302) and method == "POST") or (status == 303 and method != "HEAD"):
            method, body = "GET", None
        url = next_url


def cors_problem(headers, origin, with_credentials):
    """Why the browser would hide this answer from the check, or None."""
    allowed = headers.get_all("Access-Control-Allow-Origin") or []
    if not allowed:
        return "it has no Access-Control-Allow-Origin header"
    if len(allowed) > 1:
        return "it has more than one Access-Control-Allow-Origin header"
    if allowed[0] == "*":
        if not with_credentials:
            return None
        return "its Access-Control-Allow-Origin is '*', which browsers refuse for a request made withCredentials"
    if allowed[0] != origin:
        return f"its Access-Control-Allow-Origin is {allowed[0]!r}, not {origin!r}"
    if with_credentials and headers.get("Access-Control-Allow-Credentials") != "true":
        return (
            "it lacks Access-Control-Allow-Credentials: true, which a request "
            "made withCredentials needs"
        )
    return None


def is_on_this_machine(url):
    host = (urllib.parse.urlsplit(url).hostname or "").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse_mixed_content(url):
    if urllib.parse.urlsplit(url).scheme != "https" and not is_on_this_machine(url):
        raise RequestFailed(
            f"{url} is an http:// address: freeCodeCamp's page is served over https, "
            "and browsers block its requests to http:// addresses other than localhost "
            "(mixed content). Use the https:// address of your app."
        )


def _exchange(url, method, body, origin):
    """One request, no redirect followed: (status, headers, body)."""
    data = body.encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Origin": origin, "Accept": "*/*"})
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        opener = _local_opener if is_on_this_machine(url) else _opener
        with opener.open(request, timeout=TIMEOUT) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as answer:  # 3xx, 4xx and 5xx are answers too
        with answer:
            return answer.code, answer.headers, answer.read()
    except (urllib.error.URLError, OSError) as error:
        raise RequestFailed(_explain_network_error(url, getattr(error, "reason", error))) from None


def _explain_network_error(url, reason):
    parts = urllib.parse.urlsplit(url)
    where = parts.netloc
    if isinstance(reason, ConnectionRefusedError):
        return f"could not connect to {where} (connection refused): is the server running, at this address and port?"
    if isinstance(reason, socket.gaierror):
        return f"the host {parts.hostname} was not found: check the address"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"{where} did not answer within {TIMEOUT} seconds: is the server running and awake?"
    if isinstance(reason, ssl.SSLError):
        return f"the https connection to {where} failed ({reason}): the browser would refuse it too"
    return f"could not reach {where}: {reason}"


def _explain_cors(hops, origin, problem):
    hop = hops[-1]
    where = f"{hop.method} {hop.url}" + (f" (hop {len(hops)} of the redirects)" if len(hops) > 1 else "")
    text = f"the answer to {where}, {hop.status}, is hidden from freeCodeCamp: {problem}."
    if origin == "null":
        first = hops[0].url
        text += (
            f" The request was redirected from {origin_root(first)} to another origin, {origin_root(hop.url)}, "
            "so the browser sent `Origin: null`, which few servers allow. Submit the address the "
            f"redirect leads to ({origin_root(hop.url)}) instead."
        )
    else:
        text += " Every answer freeCodeCamp reads, redirects included, must allow its origin."
    return text


def origin_root(url):
    """scheme://host[:port] of a URL."""
    parts = urllib.parse.urlsplit(url)
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port if parts.port not in (None, default_port) else None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")

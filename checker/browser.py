"""Requests sent as a learner's browser sends them for freeCodeCamp's page on
https://www.freecodecamp.org: with that Origin and no cookies (unless `withCredentials`),
never to an http:// address but localhost's (mixed content), following redirects
(with `Origin: null` once one leads to another origin), and answered only if every
answer on the way allows the origin (CORS). `send` says why not, naming the hop.
"""
import ipaddress
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections import namedtuple

FREECODECAMP_ORIGIN = "https://www.freecodecamp.org"
MAX_REDIRECTS = 20  # the Fetch standard's limit
TIMEOUT = 15  # seconds for each hop
# What a learner is told of an address (after it: mixed content, local network, a path) or of a hidden answer.
MIXED_CONTENT = "is an http:// address: freeCodeCamp's page is https, and browsers block its requests to http:// addresses (mixed content), except those on your own machine. Submit the https:// address of your app."
LOCAL_NETWORK_ACCESS = "is on your own machine: freeCodeCamp's page may fetch it only with your browser's permission. Chromium (Chrome, Edge) asks before a page on freecodecamp.org may reach an address on your computer or local network (Local Network Access): allow it when asked, or every check fails. This checker cannot ask for you. An https:// address on the internet needs no permission."
ALLOW_ORIGIN = "Every answer freeCodeCamp reads, redirects included, must allow its origin."
ORIGIN_NULL = "The request was redirected from {0} to another origin, {1}, so the browser sent `Origin: null`, which few servers allow. Submit the address the redirect leads to ({1}) instead."
SUB_PATH = "has a path after the host. Most checks ignore it: freeCodeCamp builds their addresses with new URL('/_api/server.js', code), which gives {origin}/_api/server.js, while lessons 11 and 14 add to the full address instead. Submit the root address: {origin}"

NETWORK_ERRORS = (  # why a request got no answer at all, by the kind of error
    (ConnectionRefusedError, "could not connect to {where} (connection refused): is the server running, at this address and port?"),
    (socket.gaierror, "the host {host} was not found: check the address"),
    (TimeoutError, "{where} did not answer within {timeout} seconds: is the server running and awake?"),  # socket.timeout too
    (ssl.SSLError, "the https connection to {where} failed ({reason}): the browser would refuse it too"),
    (object, "could not reach {where}: {reason}"),
)
Hop = namedtuple("Hop", "method url status sets_cookie")
Answer = namedtuple("Answer", "status text hops")  # what the check's code receives, and the hops that led to it


class RequestFailed(Exception):
    """The browser gives the check no answer; the message says why."""


def submitted_address(url):
    """(`code`, the URL as freeCodeCamp's form (normalize-url) turns it into, [warnings about it]):
    without its #fragment, trailing slash and default port, with its host in lower case; or ValueError."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not a web address: write it in full, starting with https://")
    code = origin_root(url.strip()) + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    warnings = []
    if code != origin_root(code):
        warnings.append(f"{code} " + SUB_PATH.format(origin=origin_root(code)))
    if is_on_this_machine(code):
        warnings.append(f"{code} {LOCAL_NETWORK_ACCESS}")
    elif parts.scheme == "http":
        warnings.append(f"{code} {MIXED_CONTENT}")
    return code, warnings


def send(method, url, body=None, with_credentials=False):
    """The Answer the browser gives freeCodeCamp's check, or RequestFailed."""
    origin, hops = FREECODECAMP_ORIGIN, []
    while True:
        if urllib.parse.urlsplit(url).scheme != "https" and not is_on_this_machine(url):
            raise RequestFailed(f"{url} {MIXED_CONTENT}")
        status, headers, content = _exchange(url, method, body, origin)
        hops.append(Hop(method, url, status, bool(headers.get_all("Set-Cookie"))))
        problem = cors_problem(headers, origin, with_credentials)
        if problem:
            hop = f"{method} {url}" + (f" (hop {len(hops)} of the redirects)" if len(hops) > 1 else "")
            advice = ORIGIN_NULL.format(origin_root(hops[0].url), origin_root(url)) if origin == "null" else ALLOW_ORIGIN
            raise RequestFailed(f"the answer to {hop}, {status}, is hidden from freeCodeCamp: {problem}. {advice}")
        location = headers.get("Location")
        if status not in (301, 302, 303, 307, 308) or location is None:
            return Answer(status, content.decode("utf-8-sig", errors="replace"), tuple(hops))
        if len(hops) > MAX_REDIRECTS:
            raise RequestFailed(f"{hops[0].method} {hops[0].url} redirects more than {MAX_REDIRECTS} times; the browser gives up")
        next_url = urllib.parse.urljoin(url, location)
        if urllib.parse.urlsplit(next_url).scheme not in ("http", "https"):
            raise RequestFailed(f"{method} {url} redirects to {next_url}, which a browser will not fetch")
        if origin_root(next_url) != origin_root(url):
            origin = "null"  # the Fetch standard's "tainted origin"
        if (status in (301, 302) and method == "POST") or (status == 303 and method != "HEAD"):
            method, body = "GET", None
        url = next_url


def cors_problem(headers, origin, with_credentials):
    """Why the browser hides this answer from the check, or None."""
    allowed = headers.get_all("Access-Control-Allow-Origin") or []
    if len(allowed) != 1:
        return f"it has {'no' if not allowed else 'more than one'} Access-Control-Allow-Origin header"
    if allowed[0] == "*" and with_credentials:
        return "its Access-Control-Allow-Origin is '*', which browsers refuse for a request made withCredentials"
    if allowed[0] not in ("*", origin):
        return f"its Access-Control-Allow-Origin is {allowed[0]!r}, not {origin!r}"
    if with_credentials and headers.get("Access-Control-Allow-Credentials") != "true":
        return "it lacks Access-Control-Allow-Credentials: true, which a request made withCredentials needs"
    return None


class _DoNotFollow(urllib.request.HTTPRedirectHandler):
    """Hands every redirect back: `send` follows them itself, checking each."""

    def redirect_request(self, *_):
        return None


# No cookie handler, as the browser keeps none here; no proxy for this machine, as in browsers.
_OPENERS = {False: urllib.request.build_opener(_DoNotFollow), True: urllib.request.build_opener(_DoNotFollow, urllib.request.ProxyHandler({}))}


def _exchange(url, method, body, origin):
    """One request, no redirect followed: (status, headers, body)."""
    form = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    request = urllib.request.Request(url, body and body.encode(), {"Origin": origin, "Accept": "*/*", **form}, method=method)
    try:
        with _OPENERS[is_on_this_machine(url)].open(request, timeout=TIMEOUT) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as answer:  # 3xx, 4xx and 5xx are answers too
        with answer:
            return answer.code, answer.headers, answer.read()
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        why = next(text for kind, text in NETWORK_ERRORS if isinstance(reason, kind))
        parts = urllib.parse.urlsplit(url)
        raise RequestFailed(why.format(where=parts.netloc, host=parts.hostname, reason=reason, timeout=TIMEOUT)) from None


def is_on_this_machine(url):
    host = (urllib.parse.urlsplit(url).hostname or "").rstrip(".")
    try:
        return host == "localhost" or host.endswith(".localhost") or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_root(url):
    """scheme://host[:port] of a URL, without a default port."""
    parts = urllib.parse.urlsplit(url)
    host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname or ""
    port = "" if parts.port in (None, {"http": 80, "https": 443}.get(parts.scheme)) else f":{parts.port}"
    return f"{parts.scheme}://{host}{port}"

"""Refuses a form (or any request that can change something) that another
site's page sent here: the defence against cross-site request forgery.

The session cookie is `SameSite=None` over HTTPS (session_cookie.py), so a
browser sends it with a form posted from any site; without this check,
another site could log its visitor in or out of this app at will. A browser
says which site's page sent a request in its Origin header (always on a
cross-site POST), or else in its Referer. Only this app's own pages and
freeCodeCamp's (whose checks post to /login and /register) are let through.

A request with neither header comes from a program, such as curl or the
tests' `requests`: it carries no visitor's cookie to abuse, so it is let
through too. Socket.IO's requests never reach Flask: python-socketio
refuses a foreign Origin itself.
"""
from urllib.parse import urlsplit

from flask import Response, request

from fcctesting import FREECODECAMP_ORIGIN

# Requests that, by HTTP's rules and this app's routes, change nothing.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSED = (
    "This form was sent from a page of another site ({sender}), so it was refused: only this app's own "
    "pages (and freeCodeCamp's checks) can log in, register or change anything here."
)
# The browser sees the app over HTTPS, the app sees plain HTTP: a proxy it does not trust speaks HTTPS for it.
REFUSED_BEHIND_PROXY = (
    "This form was refused: it was sent from {sender}, but this app sees itself at {own}. If a proxy "
    "in front of the app speaks HTTPS for it (as on Replit), set PROXY_COUNT=1 (see .env.example)."
)


def register(app):
    """Checks every request to `app` before its view runs."""
    app.before_request(refuse_other_sites)


def refuse_other_sites():
    """Answers 403, saying why, to a request that can change something and
    that a page of another site sent; lets every other request through."""
    if request.method in SAFE_METHODS:
        return None
    sender, own = sending_origin(), own_origin()
    if sender is None or sender == own or FREECODECAMP_ORIGIN.fullmatch(sender):
        return None
    explanation = REFUSED_BEHIND_PROXY if seen_over_https_at(sender, own) else REFUSED
    refusal = Response(explanation.format(sender=sender, own=own), status=403, mimetype="text/plain")
    refusal.headers["X-Content-Type-Options"] = "nosniff"  # the sender's origin is shown as text, never run
    return refusal


def seen_over_https_at(sender, own):
    """Whether the sender is this app itself, as the browser sees it over
    HTTPS, while the app sees plain HTTP: PROXY_COUNT is missing."""
    sender, own = urlsplit(sender), urlsplit(own)
    return (sender.scheme, own.scheme) == ("https", "http") and sender.hostname == own.hostname


def sending_origin():
    """The origin (scheme://host[:port]) of the page that sent this request,
    from its Origin header, or else its Referer; None when it has neither.
    Origin "null" (a sender hiding itself) is an origin no page has."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return normalized(origin)
    referer = request.headers.get("Referer")
    if referer is not None:
        return normalized(referer)
    return None


def own_origin():
    """The origin the visitor's browser reached this app at: behind a proxy
    that PROXY_COUNT trusts, the one in its X-Forwarded-Proto and -Host."""
    return normalized(f"{request.scheme}://{request.host}")


def normalized(url):
    """scheme://host[:port] of `url`, in lower case, without the scheme's
    default port; "null" when `url` has no such origin."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # not a URL, or a port out of range
        return "null"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "null"
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port is None or port == {"http": 80, "https": 443}[parts.scheme]:
        return f"{parts.scheme}://{host}"
    return f"{parts.scheme}://{host}:{port}"

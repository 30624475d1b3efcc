"""The session cookie's attributes, chosen for each request, so that the app
also works inside another site's frame, such as Replit's preview pane.

Replit's workspace shows the app in a frame of another site, over HTTPS.
Browsers refuse a `SameSite=Lax` cookie there, and, while they block
third-party cookies (private windows do by default, and anyone can choose
to), a `SameSite=None` one too: only a `Partitioned` cookie, kept apart for
each site that frames the app, is stored and sent back. So over HTTPS the
session cookie is `Secure; SameSite=None; Partitioned`. Over plain HTTP,
where browsers refuse `Secure` cookies (and so `SameSite=None` ones), it
stays `SameSite=Lax`.

With `SameSite=None` a browser sends the cookie along with a form another
site posts here, so same_origin.py refuses such forms instead.
"""
import flask
from flask import current_app, has_request_context, request


def register(app):
    """Makes every response of `app` write the session cookie with this request's attributes."""
    app.response_class = Response


class Response(flask.Response):
    """Flask's response, whose session cookie gets the attributes the request calls for.

    Flask-Session writes the session cookie after every after_request
    function has run, with the same SESSION_COOKIE_SECURE and
    SESSION_COOKIE_SAMESITE for every request, never Partitioned, and
    deletes it (at logout) with none of them, which a framed page would not
    accept. It writes and deletes it through the response's set_cookie, so
    that is where they are chosen.
    """

    def set_cookie(self, key, *args, **kwargs):
        if has_request_context() and key == current_app.config["SESSION_COOKIE_NAME"]:
            kwargs.update(session_cookie_attributes())
        super().set_cookie(key, *args, **kwargs)


def session_cookie_attributes():
    """secure, samesite and partitioned for this request's session cookie (SESSION_COOKIE_CROSS_SITE in .env.example).

    Over HTTPS means: as the visitor's browser sees it, which the app knows
    behind a proxy only when PROXY_COUNT trusts it (ProxyFix in server.py),
    or when SESSION_COOKIE_SECURE says it is always so.
    """
    config = current_app.config
    secure = request.is_secure or config["SESSION_COOKIE_SECURE"]
    mode = config["SESSION_COOKIE_CROSS_SITE"]
    if not secure or mode == "off":
        return {"secure": secure, "samesite": config["SESSION_COOKIE_SAMESITE"], "partitioned": False}
    return {"secure": True, "samesite": "None", "partitioned": mode == "partitioned"}

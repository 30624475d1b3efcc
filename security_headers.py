"""Headers that every response carries, and redirects that name no host.

- `X-Content-Type-Options: nosniff`: a browser takes a response for what its
  Content-Type says, never guessing that text is a script or a page.
- `Referrer-Policy: same-origin`: the app's addresses are told only to the
  app itself (same_origin.py reads them), never to GitHub or any other site.
- `Content-Security-Policy: frame-ancestors ...`: only the app itself and
  the sites FRAME_ANCESTORS names (by default Replit's, whose Preview pane
  frames the app) may show it in a frame; any other site's page that tries
  gets an empty frame, so it cannot dress the app's forms up as its own.

Werkzeug's routing answers some addresses with a redirect, such as
`/public//client.js` to `/public/client.js`, and writes the redirect's host
from the request's Host header, which the sender chooses. Those redirects are
turned off: such an address is simply not found. The app's own redirects
(`redirect("/profile")`) name no host.
"""


def register(app):
    """Adds the headers to every response of `app`, and turns off routing's redirect for "//"."""
    # Werkzeug would answer "//" in an address with a redirect to "/". (Its
    # other such redirect adds a final "/" to a route that ends in one; no
    # route here but "/" does.)
    app.url_map.merge_slashes = False
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Content-Security-Policy": f"frame-ancestors {app.config['FRAME_ANCESTORS']}",
    }

    @app.after_request
    def add_security_headers(response):
        response.headers.update(headers)
        return response

"""A stand-in for GitHub: its OAuth pages and the part of its API the app
uses, served over real HTTP on 127.0.0.1, so the sign-in can be tested from
end to end without the internet.

It plays GitHub's part as GitHub documents it: the authorize page (here it
approves at once and redirects back with a code and the state), the token
endpoint (a code for an access token, once, for the right client), and
GET /user with that token. A test makes it misbehave by setting one of the
three answers before signing in, e.g. `github.token_answer = "slow"`.
"""
import base64
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

CLIENT_ID = "stand-in-client-id"
CLIENT_SECRET = "stand-in-client-secret"

# How long a "slow" token endpoint keeps the app waiting at most: far longer
# than the app's GITHUB_TIMEOUT in the tests, and cut short by stop().
SLOW_ANSWER_SECONDS = 30

OCTOCAT = {
    "id": 583231,
    "login": "octocat",
    "name": "The Octocat",
    "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
    "email": "octocat@github.com",
}

# What each endpoint can be told to do.
AUTHORIZE_ANSWERS = ("approve", "deny", "forge_state", "drop_state")
TOKEN_ANSWERS = ("token", "reject_code", "slow", "server_error")
USER_ANSWERS = ("profile", "bad_json")


class GitHubStandIn:
    def __init__(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), StandInHandler)
        self._server.daemon_threads = True
        self._server.stand_in = self
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._stopping = threading.Event()
        self.reset()
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def reset(self):
        """Back to a GitHub that approves, answers promptly and knows the Octocat."""
        self.profile = dict(OCTOCAT)
        self.authorize_answer = "approve"
        self.token_answer = "token"
        self.user_answer = "profile"
        self.redirect_uris = []  # the callback URLs the app sent to the authorize page
        self._codes = {}  # code -> the redirect_uri it was issued for
        self._tokens = set()

    def environment(self):
        """The app's settings that point it at this stand-in."""
        return {
            "GITHUB_CLIENT_ID": CLIENT_ID,
            "GITHUB_CLIENT_SECRET": CLIENT_SECRET,
            "GITHUB_AUTHORIZE_URL": f"{self.url}/login/oauth/authorize",
            "GITHUB_TOKEN_URL": f"{self.url}/login/oauth/access_token",
            "GITHUB_API_BASE_URL": self.url,
        }

    def stop(self):
        self._stopping.set()  # releases the "slow" answers still waiting
        self._server.shutdown()
        self._server.server_close()

    # The three endpoints, as functions of the request, returning
    # (status, headers, body).

    def authorize(self, query):
        redirect_uri, state = query.get("redirect_uri"), query.get("state")
        self.redirect_uris.append(redirect_uri)
        if query.get("client_id") != CLIENT_ID:
            return 404, {}, b"Not Found"
        if self.authorize_answer == "deny":
            answer = {
                "error": "access_denied",
                "error_description": "The user has denied your application access.",
                "state": state,
            }
        else:
            code = secrets.token_hex(10)
            self._codes[code] = redirect_uri
            answer = {"code": code, "state": state}
            if self.authorize_answer == "forge_state":
                answer["state"] = "forged-" + secrets.token_hex(8)
            elif self.authorize_answer == "drop_state":
                del answer["state"]
        return 302, {"Location": f"{redirect_uri}?{urlencode(answer)}"}, b""

    def access_token(self, form, authorization):
        if self.token_answer == "slow":
            self._stopping.wait(SLOW_ANSWER_SECONDS)
        if self.token_answer == "server_error":
            return 500, {"Content-Type": "text/html"}, b"<h1>Unicorn! Something went wrong.</h1>"
        client_id, client_secret = client_credentials(form, authorization)
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return json_answer({"error": "incorrect_client_credentials"})
        issued_for = self._codes.pop(form.get("code"), None)
        if self.token_answer == "reject_code" or issued_for is None or issued_for != form.get("redirect_uri"):
            # GitHub answers a bad code with 200 and an error, as here.
            return json_answer(
                {"error": "bad_verification_code", "error_description": "The code passed is incorrect or expired."}
            )
        token = secrets.token_hex(20)
        self._tokens.add(token)
        return json_answer({"access_token": token, "token_type": "bearer", "scope": ""})

    def user(self, authorization):
        if authorization.removeprefix("Bearer ") not in self._tokens:
            return 401, {"Content-Type": "application/json"}, b'{"message": "Bad credentials"}'
        if self.user_answer == "bad_json":
            return 200, {"Content-Type": "application/json"}, b'{"login": "octocat", "id": '
        return json_answer(self.profile)


def json_answer(data):
    return 200, {"Content-Type": "application/json"}, json.dumps(data).encode()


def client_credentials(form, authorization):
    """The client id and secret, sent with HTTP Basic auth or in the form, as GitHub accepts both."""
    if authorization.startswith("Basic "):
        client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        return client_id, client_secret
    return form.get("client_id"), form.get("client_secret")


class StandInHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        stand_in = self.server.stand_in
        url = urlsplit(self.path)
        if url.path == "/login/oauth/authorize":
            self._send(*stand_in.authorize(single_values(url.query)))
        elif url.path == "/user":
            self._send(*stand_in.user(self.headers.get("Authorization", "")))
        else:
            self._send(404, {}, b"Not Found")

    def do_POST(self):
        if urlsplit(self.path).path != "/login/oauth/access_token":
            self._send(404, {}, b"Not Found")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self._send(*self.server.stand_in.access_token(single_values(body), self.headers.get("Authorization", "")))

    def _send(self, status, headers, body):
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the app gave up waiting (the "slow" answer), as it should

    def log_message(self, format, *args):
        pass  # keep the test output quiet


def single_values(query):
    return {name: values[0] for name, values in parse_qs(query).items()}

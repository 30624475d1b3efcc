"""A stand-in for a learner's deployed app, on 127.0.0.1, answering exactly
what a test tells it to: for showing the checker broken deployments."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FREECODECAMP = "https://www.freecodecamp.org"
ALLOW_FREECODECAMP = {"Access-Control-Allow-Origin": FREECODECAMP, "Access-Control-Allow-Credentials": "true"}


class StandInApp:
    """Answers `routes[path] = (status, headers, body)`; anything else with routes["*"], or a 404."""

    def __init__(self):
        self.routes = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def answer(self):
                status, headers, body = routes.get(self.path.split("?")[0]) or routes.get("*", (404, ALLOW_FREECODECAMP, "Not Found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                data = body.encode()
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.answer()

            do_GET = answer

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def serve(self, path, body, status=200, headers=ALLOW_FREECODECAMP):
        self.routes[path] = (status, headers, body)

    def redirect(self, path, location, headers=ALLOW_FREECODECAMP):
        self.routes[path] = (302, {**headers, "Location": location}, "")

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

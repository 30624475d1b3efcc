"""A state of the course served as a learner serves it: its files written
into a folder of its own, and `python server.py` started there."""
import socket
import subprocess
import sys

from lessons import course
from tests.server_process import WERKZEUG_LISTENING, ServerProcess, server_environment

# What every lesson's server is started with: a session secret (lesson 3 on)
# and a GitHub OAuth app (lessons 15 on), as a learner's .env has them.
LESSON_ENVIRONMENT = {
    "SESSION_SECRET": "course test secret",
    "GITHUB_CLIENT_ID": "course-test-client-id",
    "GITHUB_CLIENT_SECRET": "course-test-client-secret",
    "PYTHONUNBUFFERED": "1",
}


class LessonApp:
    """State n of the course (or `files`, {path: bytes}, made from it), written
    into `folder` and served from there by `python server.py`."""

    def __init__(self, n, folder, instance_path, files=None):
        self.folder = folder
        for path, content in (files or course.state(n)).items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(content)
        self.environment = {**LESSON_ENVIRONMENT, "PORT": str(free_port())}
        self.server = ServerProcess(instance_path, cwd=folder, listening=WERKZEUG_LISTENING, **self.environment)
        self.url = self.server.url

    def python(self, code, check=True, **environment):
        """Runs `code` with Python in the lesson's folder, with the server's
        environment changed by `environment`; returns what it printed, or with
        check=False the finished process."""
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=self.folder,
            env=server_environment(self.folder / "instance", **{**self.environment, **environment}),
            capture_output=True,
            text=True,
            timeout=60,
        )
        if not check:
            return result
        assert result.returncode == 0, f"Python in the lesson's folder failed:\n{code}\n{result.stderr}"
        return result.stdout


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

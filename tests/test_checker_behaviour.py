"""The checker's behaviour checks (checker/behaviour.py), run against real servers.

The finished app at the root WORKS for every lesson but 15 and 16 (GitHub);
a stand-in app shows what a check says of a step done wrong. (Every lesson's
solution, and its starting point, is checked by the course check,
tests/test_course.py.)
"""
from contextlib import suppress

import pytest

from checker.behaviour import DOES_NOT_WORK, NOT_CHECKED, WORKS, check_behaviour, log_out_regulars
from checker.visitor import ChatTab, Refused, Visit
from lessons import course
from tests.lesson_app import LessonApp
from tests.server_process import ServerProcess
from tests.stand_in_app import StandInApp

pytestmark = pytest.mark.live

# Seconds to wait for a Socket.IO event.
EVENT_TIMEOUT = 3
HOME_PAGE = '<p class="border center" id="pug-variable">Please log in</p>'


@pytest.fixture(scope="module")
def finished_app(tmp_path_factory):
    """The finished app at the root (`python server.py`), without GitHub set up."""
    server = ServerProcess(tmp_path_factory.mktemp("finished"), GITHUB_CLIENT_ID=None, GITHUB_CLIENT_SECRET=None)
    yield server
    server.stop()


@pytest.mark.parametrize("lesson", [n for n in range(1, course.LAST_LESSON + 1) if n not in (15, 16)])
def test_the_finished_app_works(finished_app, lesson):
    status, reason = check_behaviour(finished_app.url, lesson, event_timeout=EVENT_TIMEOUT)
    assert status == WORKS, f"lesson {lesson} on the finished app: {status}: {reason}"


def test_the_finished_app_without_github_says_so_for_lesson_15(finished_app):
    status, reason = check_behaviour(finished_app.url, 15)
    assert (status, "GITHUB_CLIENT_ID" in reason) == (DOES_NOT_WORK, True), reason
    assert 'the README\'s "Sign in with GitHub" section' in reason, "the page's text, not its HTML"
    assert check_behaviour(finished_app.url, 16)[0] == NOT_CHECKED


@pytest.fixture
def stand_in():
    """A stand-in app with the home page; it registers nobody."""
    app = StandInApp()
    app.serve("/", HOME_PAGE, headers={"Content-Type": "text/html"})
    yield app
    app.stop()


@pytest.mark.parametrize(("content_type", "expected"), [("text/plain; charset=utf-8", WORKS), ("text/html", DOES_NOT_WORK)])
def test_lesson_10_wants_not_found_as_plain_text(stand_in, content_type, expected):
    stand_in.redirect("/logout", "/", headers={})
    stand_in.serve("*", "Not Found", status=404, headers={"Content-Type": content_type})
    status, reason = check_behaviour(stand_in.url, 10)
    assert status == expected, reason
    if expected == DOES_NOT_WORK:
        assert reason == f'an unknown address answers 404 {content_type} \'Not Found\', not 404 "Not Found" as text/plain'


def test_lesson_17_wants_the_chat_page_for_logged_in_users_only(stand_in):
    stand_in.serve("/chat", '<p id="num-users"></p>', headers={"Content-Type": "text/html"})
    status, reason = check_behaviour(stand_in.url, 17)
    assert (status, reason) == (DOES_NOT_WORK, "`GET /chat` without logging in ended on `GET /chat` → 200, not on the home page")


@pytest.fixture
def lesson_20(tmp_path):
    """The solution of lesson 20 (sockets for logged-in users only), served as the course check serves it."""
    (tmp_path / "app").mkdir()
    app = LessonApp(20, tmp_path / "app", tmp_path / "instance")
    yield app
    app.server.stop()


@pytest.mark.parametrize("logged_in", [True, False], ids=["let-in", "refused"])
def test_a_closed_chat_tab_leaves_no_writer_behind(lesson_20, logged_in):
    """Its writer would wait a ping interval for a packet, then log "packet queue is empty, aborting".
    (Whether it is left behind depends on how the server's answer to the last poll races the goodbye.)"""
    for _ in range(8):
        visit = Visit(lesson_20.url, EVENT_TIMEOUT)
        tab = ChatTab(lesson_20.url, visit.registered_user()[0] if logged_in else None, EVENT_TIMEOUT)
        with suppress(Refused):
            tab.connect()
        assert ("/" in tab.client.namespaces) == logged_in
        writer = tab.client.eio.write_loop_task
        tab.close()
        visit.leave()
        writer.join(timeout=2)
        assert not writer.is_alive(), "the closed chat tab's writer still waits for a packet"


def lessons_refused_by_a_limit(url):
    """The lessons whose check, run for every lesson, says DOES NOT WORK because of a 429."""
    regulars = []
    results = {lesson: check_behaviour(url, lesson, EVENT_TIMEOUT, regulars) for lesson in range(1, course.LAST_LESSON + 1)}
    log_out_regulars(url, regulars)
    return {lesson: reason for lesson, (status, reason) in results.items() if status == DOES_NOT_WORK and "429" in reason}


def test_running_the_checker_twice_in_a_minute_is_not_told_the_app_is_broken(tmp_path):
    """A learner reruns `python -m checker URL` while fixing a lesson: the app's login
    limit (LOGIN_LIMIT_PER_ADDRESS, 60 a minute) must not make the second run a failure."""
    server = ServerProcess(tmp_path, GITHUB_CLIENT_ID=None, GITHUB_CLIENT_SECRET=None)
    try:
        assert lessons_refused_by_a_limit(server.url) == {}
        assert lessons_refused_by_a_limit(server.url) == {}
    finally:
        server.stop()


def test_the_checker_waits_out_a_short_retry_after_and_says_so_of_a_long_one(tmp_path, capsys):
    """With a login limit tighter than a run's posts, the checker waits as long as Retry-After says,
    and tries again; a limit that would keep it waiting longer is NOT CHECKED, saying when to run it again."""
    server = ServerProcess(tmp_path, GITHUB_CLIENT_ID=None, GITHUB_CLIENT_SECRET=None, LOGIN_LIMIT_PER_ADDRESS="3 per 10 seconds;6 per day")
    try:
        status, reason = check_behaviour(server.url, 11, EVENT_TIMEOUT)
        assert status == WORKS, reason
        assert "waiting" in capsys.readouterr().err, "4 posts, 3 let through at once: the checker waited"
        status, reason = check_behaviour(server.url, 13, EVENT_TIMEOUT)
        assert (status, "LOGIN_LIMIT_PER_ADDRESS" in reason, "run the checker again in" in reason) == (NOT_CHECKED, True, True), reason
    finally:
        server.stop()

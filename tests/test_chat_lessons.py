"""freeCodeCamp's source checks of the Socket.IO lessons (18 to 22), read from
freeCodeCamp/hints.json and applied, as freeCodeCamp's runner applies them,
to /_api/server.js and /public/client.js fetched from the live server with
freeCodeCamp's origin."""
import pytest
import requests

from tests.lesson_checks import source_checks
from tests.socket_clients import HTTP_TIMEOUT

FREECODECAMP = {"Origin": "https://www.freecodecamp.org"}

# How many regular-expression checks each lesson has. Lesson 20's other two
# checks read /_api/package.json (tests/test_fcctesting.py tests it).
CHECKS_PER_LESSON = {18: 3, 19: 2, 20: 2, 21: 3, 22: 2}


@pytest.mark.parametrize(("lesson", "expected"), CHECKS_PER_LESSON.items())
def test_every_regex_check_of_the_lesson_is_read(lesson, expected):
    assert len(source_checks(lesson)) == expected, f"lesson {lesson}: a check in hints.json was not understood"


@pytest.mark.parametrize("lesson", CHECKS_PER_LESSON)
def test_freecodecamp_source_checks_pass(live_server, lesson):
    for path, pattern in source_checks(lesson):
        response = requests.get(live_server.url + path, headers=FREECODECAMP, timeout=HTTP_TIMEOUT)
        assert response.status_code == 200, f"freeCodeCamp could not fetch {path}"
        assert response.headers.get("Access-Control-Allow-Origin") == FREECODECAMP["Origin"], f"{path} lacks CORS"
        assert pattern.search(response.text), f"lesson {lesson}: {path} does not match {pattern.pattern}"

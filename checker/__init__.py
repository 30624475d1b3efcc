"""Runs freeCodeCamp's checks for "Advanced Node and Express" against a URL,
the way freeCodeCamp's page runs them, and says why each fails; then checks
that each lesson's step really works, using the app as a visitor does.

    python -m checker https://my-app.example.com [--lesson N ...] [--freecodecamp-only]

- extract.py writes freeCodeCamp/checks.json, the reviewed table of the
  checks, from freeCodeCamp/hints.json; hints.py reads the table;
- js_regex.py gives their regular expressions JavaScript's meaning in Python;
- browser.py sends requests as the browser does on freecodecamp.org (CORS
  on every redirect, no cookies);
- run.py applies each check and gives the reason for its result;
- behaviour.py uses the app over HTTP and Socket.IO, lesson by lesson, as
  the visitor of visitor.py (browsers and chat tabs);
- __main__.py prints the report.

LESSONS.md's and README.md's tables of check results are written by the
course check (tests/doc_tables.py, tests/test_course.py).

freeCodeCamp's checks use nothing but the standard library; behaviour.py
and visitor.py use requests and python-socketio, which the app itself installs.
"""

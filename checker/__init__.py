"""`python -m checker URL`: freeCodeCamp's checks for "Advanced Node and Express",
run as freeCodeCamp's page runs them (checks.py, browser.py, js_regex.py: the
standard library only), then whether each lesson's step really works, used as a
visitor uses it (behaviour.py, visitor.py: requests and python-socketio, which
the app installs). __main__.py prints the report; extract.py writes the table.
"""

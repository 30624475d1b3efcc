"""`python -m checker.extract` writes freeCodeCamp/checks.json, the table the checker reads, from freeCodeCamp/hints.json.

Each hint's JavaScript has one of four shapes, read with regular expressions:
`fetch(new URL(path, code))`, `fetch(code + path)` (lesson 14), and lesson
11's XMLHttpRequests POSTing a new user's form and `$.ajax({ url: code + path })`.
Anything else stops this script, naming the hint. The table is then reviewed.
"""
import json
import re
import sys

from checker.checks import CHECKS_FILE, HINTS_FILE

FORM = "username={user}&password={user}"  # `username=${user}&password=${user}`
NEW_URL = re.compile(r'new URL\("(/[^"]*)", code\)')
FETCH = re.compile(r"const (\w+) = await fetch\((?:url|url\.href|code \+ '([^']+)')(?:, \{ method: '(\w+)' \})?\);")
XHR_OPEN = re.compile(r"\.open\('(\w+)', url \+ '([^']+)', true\);")
XHR_SEND = re.compile(r"\.send\(`username=\$\{user\}&password=\$\{user\}`\);")
XHR_THEN = re.compile(r"if \(this\.readyState == 4 && this\.status == 200\) \{\s*(\w+)\((?:this)?\);\s*\} else \{\s*throw")
AJAX = re.compile(r"\$\.ajax\(\{\s*url: code \+ '([^']+)',\s*type: '(\w+)',(?:\s*crossDomain: true,)?\s*xhrFields: \{ withCredentials: true \}\s*\}\)\.then\(")
REQUEST_MAKERS = re.compile(r"fetch\(|\.open\(|\.send\(|\$\.ajax\(|new URL\(")
# assert.match(data, /source/flags, ...), maybe on data.replace(/source/flags, ''), or with new RegExp(user, 'g')
MATCH = re.compile(
    r"assert\.match\(\s*data(?:\.replace\(/((?:\\.|[^/\\])+)/(\w*), ''\))?,\s*"
    r"(?:/((?:\\.|[^/\\\n])+)/([a-z]*)|new RegExp\(user, '(\w*)'\)),"
)
PROPERTY = re.compile(r"assert\.property\(\s*packJson\.(\w+),\s*'([^']+)',")
EXPRESS_ONLY = re.compile(r"assert\.(equal|deepInclude)\(")
NODE_ONLY = {  # what a check that reads them is told: it cannot be checked
    "/_api/app": "it reads /_api/app, the settings of the Express app object (`app.settings`); a Flask app has no such object, so this project does not serve it",
    "/_api/app-stack": "it reads /_api/app-stack, Express's list of route handlers (`app._router.stack`); Flask keeps its routes differently, so this project does not serve it",
}


class UnknownShape(Exception):
    """A hint whose code this script does not recognise; the message names it."""


def extract(lessons):
    """One table entry per `assert.*` of every hint, in order."""
    entries = []
    for lesson in lessons:
        for number, hint in enumerate(lesson["hints"], start=1):
            try:
                found = read_asserts(hint["code"])
            except UnknownShape as error:
                raise UnknownShape(f"lesson {lesson['order']}, hint {number} ({hint['text']!r}): {error}") from None
            head = {"lesson": lesson["order"], "hint": number, "text": hint["text"]}
            entries += [{"id": f"{lesson['order']}.{number}.{index}", **head, **entry} for index, entry in enumerate(found, 1)]
    return entries


def read_asserts(code):
    """[the requests an assertion reads and what it asserts], in the code's order."""
    requests, found = read_requests(code), []
    for start in (match.start() for match in re.finditer(r"assert\.", code)):
        before = [request for position, request in requests if position < start]
        if not before:
            raise UnknownShape("an assertion before any request")
        path = before[-1]["requests"][-1].split(" ")[1].partition("}")[2]
        if path in NODE_ONLY and EXPRESS_ONLY.match(code, start):
            found.append({**before[-1], "cannot_check": NODE_ONLY[path]})
        elif match := MATCH.match(code, start):
            replace_source, replace_flags, source, flags, user_flags = match.groups()
            replace = {"replace": [replace_source, replace_flags]} if replace_source else {}
            found.append({**before[-1], "match": [source, flags] if source else ["{user}", user_flags], **replace})
        elif match := PROPERTY.match(code, start):
            found.append({**before[-1], "property": list(match.groups())})
        else:
            raise UnknownShape(f"an assertion this script does not know: {code[start:start + 60]!r}")
    if not found:
        raise UnknownShape("no assertion")
    return found


def read_requests(code):
    """[(where in the code it is made, the requests it sends and how)], in order."""
    urls, requests = NEW_URL.findall(code), []
    for match in FETCH.finditer(code):
        name, added_path, method = match.groups()
        if not added_path and len(urls) != 1:
            raise UnknownShape("fetch(url) without exactly one new URL(path, code)")
        url = "{code}" + added_path if added_path else "{origin}" + urls[0]
        needs = {"needs": "2xx"} if f"if ({name}.ok)" in code else {}  # fetch's res.ok
        requests.append((match.start(), {"requests": [f"{method or 'GET'} {url}"], **needs}))
    # Lesson 11's XMLHttpRequests: each goes on after a 200 to test(), or to login(), which sends the next.
    opens = list(XHR_OPEN.finditer(code))
    callbacks = ["login", "test"][2 - len(opens):]
    if opens and ("const url = code;" not in code or len(XHR_SEND.findall(code)) != len(opens) or XHR_THEN.findall(code) != callbacks):
        raise UnknownShape("an XMLHttpRequest whose address, body or callbacks this script does not know")
    chain = [f"{match.group(1)} {{code}}{match.group(2)} {FORM}" for match in opens]
    for index, match in enumerate(opens):
        requests.append((match.start(), {"requests": chain[: index + 1], "needs": "200", "awaited": False}))
    for match in AJAX.finditer(code):
        ajax = [f"{match.group(2)} {{code}}{match.group(1)}"]
        requests.append((match.start(), {"requests": ajax, "awaited": False, "with_credentials": True}))
    made, expected = len(REQUEST_MAKERS.findall(code)), len(urls) + len(requests) + len(XHR_SEND.findall(code))
    if made != expected:
        raise UnknownShape(f"{made} requests made or addresses built, {expected} recognised")
    return sorted(requests, key=lambda found: found[0])


def table_text(path=HINTS_FILE):
    """The table as checks.json holds it."""
    return json.dumps(extract(json.loads(path.read_text(encoding="utf-8"))), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    try:
        CHECKS_FILE.write_text(table_text(), encoding="utf-8")
    except UnknownShape as error:
        sys.exit(f"freeCodeCamp/hints.json: {error}")
    print(f"wrote {CHECKS_FILE}")

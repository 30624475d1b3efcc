"""Writes freeCodeCamp/checks.json, the table of freeCodeCamp's checks, from freeCodeCamp/hints.json.

    python -m checker.extract

Each hint's `code` is JavaScript that freeCodeCamp's page runs with `code`
set to the submitted address. Its 57 snippets come in four shapes, which
regular expressions read below: `fetch(new URL(path, code))`, `fetch(code +
path)` (lesson 14), an XMLHttpRequest that POSTs a new user's form (lesson
11), and `$.ajax({ url: code + path })` (lesson 11). Anything else stops
this script with the hint's number: the table is regenerated, then reviewed.
The checker reads only the table (see hints.py).
"""
import json
import re
import sys

from checker.hints import CHECKS_FILE, CODE_PLUS_PATH, HINTS_FILE, NEW_URL, NODE_ONLY

FORM = "username=<new user>&password=<new user>"  # `username=${user}&password=${user}`
FETCH = re.compile(r"const (\w+) = await fetch\((url|url\.href|code \+ '([^']+)')(, \{ method: '(\w+)' \})?\);")
XHR_OPEN = re.compile(r"(\w+)\.open\('(\w+)', url \+ '([^']+)', true\);")
XHR_SEND = re.compile(r"\w+\.send\(`username=\$\{user\}&password=\$\{user\}`\);")
AJAX = re.compile(r"\$\.ajax\(\{\s*url: code \+ '([^']+)',\s*type: '(\w+)',(\s*crossDomain: true,)?\s*xhrFields: \{ withCredentials: true \}\s*\}\)\.then\(")
REQUEST_MAKERS = re.compile(r"fetch\(|\.open\(|\.send\(|\$\.ajax\(|new URL\(")
# assert.match(data, /source/flags, ...) or assert.match(data.replace(/\s/g, ''), ...) or new RegExp(user, 'g')
MATCH = re.compile(
    r"assert\.match\(\s*data(?:\.replace\(/((?:\\.|[^/\\])+)/(\w*), ''\))?,\s*"
    r"(?:/((?:\\.|[^/\\\n])+)/([a-z]*)|new RegExp\(user, '(\w*)'\)),"
)
PROPERTY = re.compile(r"assert\.property\(\s*packJson\.(\w+),\s*'([^']+)',")
OTHER_ASSERT = re.compile(r"assert\.(equal|deepInclude)\(")


class UnknownShape(Exception):
    """A hint whose code this script does not recognise; the message names it."""


def extract(lessons):
    """One table entry per assertion of every hint, in order."""
    entries = []
    for lesson in lessons:
        for number, hint in enumerate(lesson["hints"], start=1):
            where = f"lesson {lesson['order']}, hint {number} ({hint['text']!r})"
            try:
                assertions = read_assertions(hint["code"])
            except UnknownShape as error:
                raise UnknownShape(f"{where}: {error}") from None
            for index, (request, asserts) in enumerate(assertions, start=1):
                head = {"id": f"{lesson['order']}.{number}.{index}", "lesson": lesson["order"], "hint": number}
                entries.append({**head, "assertion": index, "text": hint["text"], "request": request, **asserts})
    return entries


def read_assertions(code):
    """[(the request whose answer it reads, what it asserts)] in the code's order."""
    requests = read_requests(code)
    found = []
    for match in re.finditer(r"assert\.", code):
        before = [request for start, request in requests if start < match.start()]
        if not before:
            raise UnknownShape("an assertion before any request")
        found.append((before[-1], read_assert(code, match.start(), before[-1])))
    if not found:
        raise UnknownShape("no assertion")
    return found


def read_assert(code, start, request):
    """What one `assert.*` call asserts: a match, a property of the JSON, or why it cannot be checked."""
    if request["path"] in NODE_ONLY and OTHER_ASSERT.match(code, start):
        return {"cannot check": NODE_ONLY[request["path"]]}
    if match := MATCH.match(code, start):
        replace_source, replace_flags, source, flags, username_flags = match.groups()
        asserted = {"match": {"source": source, "flags": flags}}
        if source is None:
            asserted = {"match": {"new RegExp": "user", "flags": username_flags}}
        if replace_source is not None:
            asserted["replace"] = {"source": replace_source, "flags": replace_flags, "with": ""}
        return asserted
    if match := PROPERTY.match(code, start):
        return {"property": {"of": match.group(1), "name": match.group(2)}}
    raise UnknownShape(f"an assertion this script does not know: {code[start:start + 60]!r}")


def read_requests(code):
    """[(where in the code it is made, the request)], in order."""
    urls = re.findall(r'new URL\("([^"]+)", code\)', code)
    requests = []
    for match in FETCH.finditer(code):
        name, target, added_path, _, method = match.groups()
        if added_path is None and len(urls) != 1:
            raise UnknownShape("fetch(url) without exactly one new URL(path, code)")
        path, join = (urls[0], NEW_URL) if added_path is None else (added_path, CODE_PLUS_PATH)
        must_be = "res.ok" if f"if ({name}.ok)" in code else None
        requests.append((match.start(), request(method or "GET", path, join, must_be=must_be)))
    xhr_opens = list(XHR_OPEN.finditer(code))
    if xhr_opens:
        requests.extend(read_xhr(code, xhr_opens))
    for match in AJAX.finditer(code):
        requests.append((match.start(), request(match.group(2), match.group(1), CODE_PLUS_PATH, with_credentials=True, awaited=False)))
    made = len(REQUEST_MAKERS.findall(code))
    expected = len(urls) + len(requests) + len(list(XHR_SEND.finditer(code)))
    if made != expected:
        raise UnknownShape(f"{made} requests made or addresses built, {expected} recognised")
    return sorted(requests, key=lambda found: found[0])


def read_xhr(code, opens):
    """Lesson 11's XMLHttpRequests: each POSTs the new user's form, and goes on only after a 200."""
    if "const url = code;" not in code or len(XHR_SEND.findall(code)) != len(opens):
        raise UnknownShape("an XMLHttpRequest whose address or body this script does not know")
    callbacks = re.findall(r"if \(this\.readyState == 4 && this\.status == 200\) \{\s*(\w+)\((?:this)?\);\s*\} else \{\s*throw", code)
    # Lesson 11, hint 3: the register's callback calls login(), which opens the login request.
    chained = {1: ["test"], 2: ["login", "test"]}.get(len(opens))
    if callbacks != chained or (len(opens) == 2 and code.find("function login()") > opens[1].start()):
        raise UnknownShape(f"XMLHttpRequest callbacks this script does not know: {callbacks}")
    found, previous = [], None
    for match in opens:
        previous = request(match.group(2), match.group(3), CODE_PLUS_PATH, FORM, False, False, "this.status == 200", previous)
        found.append((match.start(), previous))
    return found


def request(method, path, join, body=None, with_credentials=False, awaited=True, must_be=None, after=None):
    return {
        "method": method, "path": path, "join": join, "body": body, "with_credentials": with_credentials,
        "awaited": awaited, "must_be": must_be, "after": after,
    }


def table_text(path=HINTS_FILE):
    """The table as checks.json holds it."""
    lessons = json.loads(path.read_text(encoding="utf-8"))
    return json.dumps(extract(lessons), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    try:
        CHECKS_FILE.write_text(table_text(), encoding="utf-8")
    except UnknownShape as error:
        sys.exit(f"freeCodeCamp/hints.json: {error}")
    print(f"wrote {CHECKS_FILE}")

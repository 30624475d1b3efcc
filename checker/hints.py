"""freeCodeCamp's checks, read from freeCodeCamp/hints.json into steps the
checker can carry out.

Each lesson has hints; each hint's `code` is JavaScript that freeCodeCamp
runs in the learner's browser with `code` set to the submitted URL. The
checker does not run it. It reads it (see js_tokens.py) for:

- the requests: `new URL("/_api/server.js", code)` or `code + '/_api/routes.js'`
  given to `fetch`, an XMLHttpRequest's `open`/`send`, or `$.ajax({ url, type, xhrFields })`;
- what each assertion reads: `await res.text()`, `data.replace(/\\s/g, '')`,
  an XMLHttpRequest's `responseText`, the `data` of `$.ajax(...).then((data) => ...)`,
  `await res.json()`;
- each `assert.*` call.

`assert.match` on a response's text can be checked, and so can
`assert.property(packJson.dependencies, 'pug')` on `await res.json()` (the
package.json checks: this project writes /_api/package.json from its
requirements.txt). Whatever reads /_api/app or /_api/app-stack cannot be for
a Python project (NODE_ONLY says why), and anything the reader does not
understand is reported as such, with the reason, rather than guessed at.
"""
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from checker.js_tokens import JavaScriptSyntaxError, matching_close, source_of, split_arguments, tokenize

HINTS_FILE = Path(__file__).resolve().parent.parent / "freeCodeCamp" / "hints.json"

NODE_ONLY = {
    "/_api/app": (
        "it reads /_api/app, the settings of the Express app object (`app.settings`); "
        "a Flask app has no such object, so this project does not serve it"
    ),
    "/_api/app-stack": (
        "it reads /_api/app-stack, Express's list of route handlers (`app._router.stack`); "
        "Flask keeps its routes differently, so this project does not serve it"
    ),
}
# What freeCodeCamp's register and login checks send: `username=${user}&password=${user}`.
CREDENTIALS_TEMPLATE = "`username=${user}&password=${user}`"
USERNAME_TEMPLATE = re.compile(r"`(\w+)\$\{Date\.now\(\)\}`")
# Names that make requests: any use of them the reader does not know is reported.
REQUEST_MAKERS = {"fetch", "XMLHttpRequest", "$", "axios", "ajax"}
# Tokens that, at the start of a line, continue the statement before (no automatic `;`).
CONTINUATIONS = {".", "?.", "+", "-", "*", "/", "&&", "||", "?", ":", ",", "(", "[", "=>", "==", "===", "!=", "!=="}
XHR_SUCCESS = "if ( this . readyState == 4 && this . status == 200 )"


@dataclass(eq=False)
class Request:
    """One request a check makes, as freeCodeCamp's page makes it."""

    path: str
    from_origin_root: bool  # new URL(path, code) (True) or code + path (False)
    method: str = "GET"
    sends_credentials_form: bool = False  # username=<new user>&password=<new user>
    with_credentials: bool = False
    awaited: bool = True  # does the check wait for the answer?
    must_be: str = ""  # "ok" (res.ok) or "200" (this.status == 200) for the check to go on
    after: "Request | None" = None  # a request that must succeed first

    def chain(self):
        """This request and those it waits for, first first."""
        return [*(self.after.chain() if self.after else []), self]


@dataclass(eq=False)
class Assertion:
    """One `assert.*` call of a check."""

    id: str  # lesson.hint.assertion, e.g. "18.2.1"
    request: Request | None = None
    pattern: tuple | None = None  # (source, flags), or ("username", flags) for new RegExp(user, ...)
    replace: tuple | None = None  # (pattern source, flags, replacement) applied to the text first
    json_property: tuple | None = None  # ("dependencies", "pug") for assert.property(packJson.dependencies, 'pug')
    cannot_check: str = ""  # why it cannot be checked; empty when it can


@dataclass(eq=False)
class Hint:
    """One of freeCodeCamp's checks: a sentence and the code that tests it."""

    lesson: int
    number: int
    text: str
    assertions: list = field(default_factory=list)


def load_hints(path=HINTS_FILE):
    """Every lesson's hints, in lesson order, read into Hint objects."""
    hints = []
    for lesson in json.loads(Path(path).read_text(encoding="utf-8")):
        for number, hint in enumerate(lesson["hints"], start=1):
            hints.append(read_hint(lesson["order"], number, hint["text"], hint["code"]))
    return hints


def lesson_titles(path=HINTS_FILE):
    return {lesson["order"]: lesson["title"] for lesson in json.loads(Path(path).read_text(encoding="utf-8"))}


def read_hint(lesson, number, text, code):
    """A Hint whose every assertion is either checkable or says why not."""
    hint = Hint(lesson, number, text)
    try:
        hint.assertions = _HintReader(code, f"{lesson}.{number}").read()
    except (JavaScriptSyntaxError, _NotUnderstood) as error:
        hint.assertions = [Assertion(f"{lesson}.{number}.1", cannot_check=f"the checker cannot read this check's code: {error}")]
    except IndexError:  # the code stops in the middle of something
        hint.assertions = [Assertion(f"{lesson}.{number}.1", cannot_check="the checker cannot read this check's code: it ends too early")]
    if not hint.assertions:
        hint.assertions = [Assertion(f"{lesson}.{number}.1", cannot_check="the checker found no assertion in this check's code")]
    return hint


class _NotUnderstood(Exception):
    """Code the reader does not understand."""


@dataclass
class _Binding:
    """What a JavaScript variable holds, as far as the checker follows it."""

    kind: str  # url, response, text, json, derived, username, xhr
    request: Request | None = None
    path: str = ""
    from_origin_root: bool = False


class _HintReader:
    def __init__(self, code, hint_id):
        self.code = code
        self.hint_id = hint_id
        self.tokens = tokenize(code)
        self.names = {"code": _Binding("url", path="", from_origin_root=False)}
        self.assertions = []
        self.success_calls = {}  # function name -> the XMLHttpRequest whose success calls it
        self.functions = []  # (name, body start, body end)

    # -- token helpers --

    def text(self, start, end):
        """The tokens start..end-1 as one string, tokens separated by spaces."""
        return self.words(self.tokens[start:end])

    def at(self, index, expected):
        """Do the tokens from index spell `expected` (tokens separated by spaces)?"""
        words = expected.split(" ")
        return [token.text for token in self.tokens[index:index + len(words)]] == words

    def source(self, tokens):
        """The code of some tokens, for people to read."""
        return source_of(self.code, tokens)

    @staticmethod
    def words(tokens):
        """The tokens as one string, separated by spaces, for comparing shapes."""
        return " ".join(token.text for token in tokens)

    # -- reading --

    def read(self):
        index = 0
        while index < len(self.tokens):
            index = self.read_at(index)
        return self.assertions

    def read_at(self, index):
        token = self.tokens[index]
        if token.text in ("const", "let", "var") and self.at(index + 2, "="):
            return self.assignment(self.tokens[index + 1].text, index + 3)
        if self.at(index, "assert ."):
            return self.assertion(index)
        if self.at(index, "function") and self.tokens[index + 1].kind == "name":
            return self.function(index)
        if token.kind == "name" and self.names.get(token.text, _Binding("")).kind == "xhr":
            return self.xhr_call(index)
        if self.at(index, "$ . ajax ("):
            return self.ajax(index)
        if token.text in REQUEST_MAKERS:
            raise _NotUnderstood(f"a request made in a form the checker does not know: {self.text(index, index + 6)} ...")
        if self.at(index, "if ( this . readyState"):
            raise _NotUnderstood("an XMLHttpRequest callback in a form the checker does not know")
        if token.kind == "name" and self.at(index + 1, ". ok"):
            binding = self.names.get(token.text)
            if binding and binding.request:
                binding.request.must_be = "ok"  # if (res.ok) { ... } else { throw ... }
        return index + 1

    def assignment(self, name, start):
        end = self.statement_end(start)
        self.names[name] = self.value(start, end)
        return end

    def statement_end(self, start):
        """Where the statement ends: at `;`, or at a new line that cannot go on with it."""
        index = start
        while index < len(self.tokens) and self.tokens[index].text != ";":
            if index > start and self.tokens[index].starts_line and self.tokens[index].text not in CONTINUATIONS:
                break
            if self.tokens[index].text in ("(", "[", "{"):
                index = matching_close(self.tokens, index)
            index += 1
        return index

    def value(self, start, end):
        """What the expression tokens[start:end] holds."""
        expression = self.text(start, end)
        if self.at(start, "new URL (") and self.tokens[start + 3].kind == "string" and self.text(start + 4, end) == ", code )":
            return _Binding("url", path=self.tokens[start + 3].value, from_origin_root=True)
        if expression == "code":
            return _Binding("url", path="", from_origin_root=False)
        if self.at(start, "await fetch ("):
            return _Binding("response", self.fetch(start + 2, end))
        if end - start == 6 and self.at(start, "await") and self.text(start + 2, end) == ". text ( )":
            return _Binding("text", self.request_of(self.tokens[start + 1].text))
        if end - start == 6 and self.at(start, "await") and self.text(start + 2, end) == ". json ( )":
            return _Binding("json", self.request_of(self.tokens[start + 1].text))
        if end - start == 3 and self.at(start + 1, ". responseText"):
            return _Binding("text", self.request_of(self.tokens[start].text))
        if expression == "new XMLHttpRequest ( )":
            return _Binding("xhr", Request(path="", from_origin_root=False, awaited=False))
        if end - start == 1 and USERNAME_TEMPLATE.fullmatch(expression):
            return _Binding("username")
        makers = [token.text for token in self.tokens[start:end] if token.text in REQUEST_MAKERS]
        if makers:
            raise _NotUnderstood(f"a request made in a form the checker does not know: {expression[:60]} ...")
        for token in self.tokens[start:end]:
            binding = self.names.get(token.text)
            if token.kind == "name" and binding and binding.request:
                return _Binding("derived", binding.request)  # e.g. await res.json(), data2.find(...)
        return _Binding("unknown")

    def request_of(self, name):
        binding = self.names.get(name)
        if not binding or not binding.request:
            raise _NotUnderstood(f"`{name}` is not a response the checker follows")
        return binding.request

    def url(self, tokens):
        """(path, from_origin_root) of a URL expression: url, url.href, code + '/path', url + '/path'."""
        words = [token.text for token in tokens]
        binding = self.names.get(words[0]) if words else None
        if binding is None or binding.kind != "url":
            raise _NotUnderstood(f"a request to an address the checker cannot work out: {self.source(tokens)}")
        rest = words[1:]
        if rest in ([], [".", "href"]):
            return binding.path, binding.from_origin_root
        if len(rest) == 2 and rest[0] == "+" and tokens[2].kind == "string" and not binding.from_origin_root:
            return binding.path + tokens[2].value, False
        raise _NotUnderstood(f"a request to an address the checker cannot work out: {self.source(tokens)}")

    def fetch(self, open_index, end):
        """fetch(url) or fetch(url, { method: 'POST' })"""
        arguments = split_arguments(self.tokens, open_index)
        if matching_close(self.tokens, open_index) != end - 1 or not 1 <= len(arguments) <= 2:
            raise _NotUnderstood(f"a fetch the checker does not know: {self.text(open_index - 1, end)}")
        path, from_root = self.url(arguments[0])
        method = "GET"
        if len(arguments) == 2:
            options = self.words(arguments[1])
            match = re.fullmatch(r"\{ method : '(GET|POST)' \}", options)
            if not match:
                raise _NotUnderstood(f"fetch options the checker does not know: {options}")
            method = match.group(1)
        return Request(path, from_root, method)

    def xhr_call(self, index):
        """xhttp.open(...), xhttp.send(...), xhttp.setRequestHeader(...), xhttp.onreadystatechange = ..."""
        request = self.names[self.tokens[index].text].request
        member = self.tokens[index + 2].text if self.at(index + 1, ".") else ""
        if member == "open":
            arguments = split_arguments(self.tokens, index + 3)
            if len(arguments) != 3 or arguments[0][0].kind != "string" or self.words(arguments[2]) != "true":
                raise _NotUnderstood(f"an XMLHttpRequest.open the checker does not know: {self.text(index, index + 12)}")
            request.method = arguments[0][0].value
            request.path, request.from_origin_root = self.url(arguments[1])
            request.after = self.success_calls.get(self.enclosing_function(index))
            return matching_close(self.tokens, index + 3) + 1
        if member == "send":
            arguments = split_arguments(self.tokens, index + 3)
            if [self.words(argument) for argument in arguments] != [CREDENTIALS_TEMPLATE]:
                raise _NotUnderstood(f"an XMLHttpRequest body the checker does not know: {self.text(index, index + 8)}")
            request.sends_credentials_form = True
            return matching_close(self.tokens, index + 3) + 1
        if member == "setRequestHeader":
            header = self.text(index + 3, matching_close(self.tokens, index + 3) + 1)
            if header.lower() != "( 'content-type' , 'application/x-www-form-urlencoded' )":
                raise _NotUnderstood(f"a request header the checker does not send: {header}")
            return matching_close(self.tokens, index + 3) + 1
        if member == "onreadystatechange" and self.at(index + 3, "= function ( ) {"):
            return self.xhr_callback(request, index + 7)
        raise _NotUnderstood(f"an XMLHttpRequest use the checker does not know: {self.text(index, index + 6)}")

    def xhr_callback(self, request, body_start):
        """`if (this.readyState == 4 && this.status == 200) { next(this); } else { throw ... }`"""
        body_end = matching_close(self.tokens, body_start)
        body = self.text(body_start + 1, body_end)
        success = re.match(re.escape(XHR_SUCCESS) + r" \{ (\w+) \( (this )?\) ; \} else \{ throw ", body)
        if not success:
            raise _NotUnderstood(f"an XMLHttpRequest callback the checker does not know: {body[:60]} ...")
        request.must_be = "200"
        self.success_calls[success.group(1)] = request
        return body_end + 1

    def function(self, index):
        """function name(parameter) { ... }: a parameter fed by an XMLHttpRequest holds its answer."""
        name = self.tokens[index + 1].text
        open_parameters = index + 2
        close_parameters = matching_close(self.tokens, open_parameters)
        parameters = [token.text for token in self.tokens[open_parameters + 1:close_parameters] if token.text != ","]
        body_end = matching_close(self.tokens, close_parameters + 1)
        self.functions.append((name, close_parameters + 1, body_end))
        caller = self.success_calls.get(name)
        if caller and parameters:
            self.names[parameters[0]] = _Binding("response", caller)
        return close_parameters + 2

    def enclosing_function(self, index):
        inside = [name for name, start, end in self.functions if start < index < end]
        return inside[-1] if inside else None

    def ajax(self, index):
        """$.ajax({ url: code + '/logout', type: 'GET', xhrFields: { withCredentials: true } }).then((data) => { ... })"""
        arguments = split_arguments(self.tokens, index + 3)
        close = matching_close(self.tokens, index + 3)
        options = self.object_literal(arguments[0]) if len(arguments) == 1 else None
        if options is None or set(options) - {"url", "type", "xhrFields", "crossDomain"}:
            raise _NotUnderstood(f"$.ajax options the checker does not know: {self.text(index, close + 1)}")
        path, from_root = self.url(options["url"])
        method = options["type"][0].value if "type" in options else "GET"
        with_credentials = self.words(options.get("xhrFields", [])) == "{ withCredentials : true }"
        awaited = index > 0 and self.tokens[index - 1].text in ("await", "return")
        request = Request(path, from_root, method, with_credentials=with_credentials, awaited=awaited)
        if not self.at(close + 1, ". then ( (") or not self.at(close + 6, ") => {"):
            raise _NotUnderstood("a $.ajax whose answer the checker cannot follow")
        self.names[self.tokens[close + 5].text] = _Binding("text", request)
        return close + 9

    def object_literal(self, tokens):
        """{ key: value, ... } -> {key: value tokens}, or None."""
        if not tokens or tokens[0].text != "{":
            return None
        entries = {}
        for entry in split_arguments(tokens, 0):
            if len(entry) < 3 or entry[1].text != ":":
                return None
            entries[entry[0].text] = entry[2:]
        return entries

    def assertion(self, index):
        method = self.tokens[index + 2].text
        open_index = index + 3
        close = matching_close(self.tokens, open_index)
        arguments = split_arguments(self.tokens, open_index)
        assertion = Assertion(f"{self.hint_id}.{len(self.assertions) + 1}")
        self.assertions.append(assertion)
        self.understand_assertion(assertion, method, arguments)
        return close + 1

    def understand_assertion(self, assertion, method, arguments):
        subject = arguments[0] if arguments else []
        binding = next((self.names[t.text] for t in subject if t.kind == "name" and t.text in self.names), None)
        assertion.request = binding.request if binding else None
        if assertion.request and assertion.request.path in NODE_ONLY:
            assertion.cannot_check = NODE_ONLY[assertion.request.path]
        elif method == "property":
            self.understand_property(assertion, subject, arguments[1] if len(arguments) > 1 else [])
        elif method != "match":
            assertion.cannot_check = f"the checker evaluates only assert.match and assert.property, not assert.{method}"
        elif binding is None or binding.kind != "text":
            assertion.cannot_check = f"the checker cannot tell what `{self.source(subject)}` holds"
        else:
            self.understand_match(assertion, subject, arguments[1] if len(arguments) > 1 else [])

    def understand_property(self, assertion, subject, name):
        """assert.property(packJson.dependencies, 'pug'), packJson being `await res.json()`."""
        words = [token.text for token in subject]
        if len(words) != 3 or words[1] != "." or self.names.get(words[0], _Binding("")).kind != "json":
            assertion.cannot_check = f"the checker cannot tell what `{self.source(subject)}` holds"
        elif len(name) != 1 or name[0].kind != "string":
            assertion.cannot_check = f"the checker cannot work out the property `{self.source(name)}`"
        else:
            assertion.json_property = (subject[2].text, name[0].value)

    def understand_match(self, assertion, subject, pattern):
        if len(subject) > 1:
            shape = [token.kind if token.kind in ("regex", "string") else token.text for token in subject[1:]]
            if shape != [".", "replace", "(", "regex", ",", "string", ")"]:
                assertion.cannot_check = f"the checker cannot work out `{self.source(subject)}`"
                return
            assertion.replace = (*subject[4].regex, subject[6].value)
        if len(pattern) == 1 and pattern[0].kind == "regex":
            assertion.pattern = pattern[0].regex
        elif (
            self.words(pattern[:3]) == "new RegExp ("
            and len(pattern) == 7
            and self.names.get(pattern[3].text, _Binding("")).kind == "username"
            and pattern[5].kind == "string"
        ):
            assertion.pattern = ("username", pattern[5].value)
        else:
            assertion.cannot_check = f"the checker cannot work out the pattern `{self.source(pattern)}`"

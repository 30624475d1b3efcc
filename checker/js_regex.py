"""freeCodeCamp's JavaScript regular expressions, rewritten for Python's `re` with JavaScript's meaning.

The maintained PyPI packages with JavaScript's own regular expressions
(regress, mini-racer) are compiled extensions, and the checker needs nothing
but the standard library, so this module translates only what freeCodeCamp's
checks (freeCodeCamp/checks.json) use:

- ASCII letters, digits, spaces and punctuation that is not syntax, and the
  escapes \\( \\) \\. \\/ \\[ \\]: themselves;
- `.`: any character but \\n, \\r, \\u2028 and \\u2029 (Python's `.` stops at
  \\n only); any character at all with the `s` flag;
- `[^]`: any character (Python has no such class);
- a class of plain characters, such as `['"]`;
- `\\s`: JavaScript's spaces and line ends (Python's list differs: it has
  \\x1c-\\x1f and \\x85, not \\ufeff); `\\w`: ASCII letters, digits and `_`;
- groups `(...)`, named groups `(?<q>...)`, back-references `\\1` and `\\k<q>`
  (which match nothing when their group has not matched, as in JavaScript);
- `*`, `+`, `?`, lazy `*?`, and `|`;
- the flags g (no effect on a single search), i (ASCII letters only, as
  JavaScript folds them: `/s/i` matches neither "ſ" nor the Kelvin sign) and s.

Anything else raises UnsupportedPattern naming the feature, rather than being
guessed at. JavaScript's own behaviour is compared with this in a browser by
tests/browser/test_checker_oracle.py.
"""
import re

FLAGS = "gis"
NOT_LINE_END = "[^\\n\\r\\u2028\\u2029]"
ANY = "[\\s\\S]"
# ECMAScript's WhiteSpace and LineTerminator: what JavaScript's \s matches.
SPACE = "[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]"
PIECE = re.compile(
    r"""(?P<dot>\.)|(?P<any>\[\^\])|\[(?P<plain_class>[ !"#%&',0-9:;<=>@A-Z_`a-z~]+)\]|(?P<named_group>\(\?<\w+>)
    |(?P<syntax>\((?!\?)|[)*+?|])|\\(?P<escaped>[()./\[\]])|\\(?P<class>[sw])|\\(?P<number>[1-9])|\\k<(?P<name>\w+)>
    |(?P<plain>[ !"#%&',\-0-9:;<=>@A-Z_`a-z~])""",
    re.VERBOSE,
)


class UnsupportedPattern(ValueError):
    """A pattern using a feature this module does not translate; the message names it."""


def compile_js_regex(source, flags=""):
    """The compiled Python equivalent of the JavaScript literal /source/flags."""
    unknown = sorted(set(flags) - set(FLAGS))
    if unknown:
        raise UnsupportedPattern(f"/{source}/{flags}: the flag {''.join(unknown)} is not translated (only g, i and s are)")
    python = "".join(_translate(piece, "s" in flags) for piece in _pieces(source, flags))
    try:
        return re.compile(python, re.ASCII | (re.IGNORECASE if "i" in flags else 0))
    except re.error as error:
        raise UnsupportedPattern(f"/{source}/{flags}: {error.msg}") from None


def js_replace(text, source, replacement, flags=""):
    """JavaScript's text.replace(/source/flags, replacement), for a replacement without `$`."""
    if "$" in replacement:
        raise UnsupportedPattern(f"the replacement {replacement!r}: $ patterns are not translated")
    return compile_js_regex(source, flags).sub(lambda match: replacement, text, count=0 if "g" in flags else 1)


def _pieces(source, flags):
    """The pattern's pieces, in order; a feature not listed above stops it."""
    position = 0
    while position < len(source):
        piece = PIECE.match(source, position)
        if not piece:
            raise UnsupportedPattern(f"/{source}/{flags}: {source[position:position + 2]!r} at {position} is not translated")
        yield piece
        position = piece.end()


def _translate(piece, dot_all):
    kind, text = piece.lastgroup, piece.group(piece.lastgroup)
    if kind == "dot":
        return ANY if dot_all else NOT_LINE_END
    if kind == "any":
        return ANY
    if kind == "plain_class":
        return "[" + "".join(re.escape(char) for char in text) + "]"
    if kind == "named_group":
        return "(?P<" + text[3:]
    if kind == "class":
        return SPACE if text == "s" else "[0-9A-Z_a-z]"
    if kind in ("number", "name"):  # an empty match if the group has not matched, as in JavaScript
        return f"(?({text})\\{text})" if kind == "number" else f"(?({text})(?P={text}))"
    if kind == "syntax":
        return text
    return re.escape(text)

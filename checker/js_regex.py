"""freeCodeCamp's JavaScript regular expressions, with JavaScript's meaning, in Python's `re`.

Only what freeCodeCamp/checks.json uses is translated (PIECE lists it); anything
else raises UnsupportedPattern rather than being guessed at. (regress and
mini-racer have JavaScript's own, but are compiled extensions.) Where JavaScript
differs: `.` stops at \\r, \\u2028 and \\u2029 too; `[^]` is any character; \\s
has its own list; \\w and the flag i know ASCII only (/s/i does not match "ſ");
a back-reference to a group that has not matched matches nothing.
"""
import re

ANY = "[\\s\\S]"
SPACE = "[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]"  # ECMAScript's \s
PLAIN = " !\"#%&',0-9:;<=>@A-Z_`a-z~"  # and "-", outside a class
PIECE = re.compile(
    rf"(?P<dot>\.)|(?P<any>\[\^\])|(?P<class>\[[{PLAIN}]+\])|\(\?<(?P<named>\w+)>|(?P<syntax>\((?!\?)|[)*+?|])"
    rf"|\\(?P<escaped>[()./\[\]])|\\(?P<space>s)|\\(?P<word>w)|\\(?P<number>[1-9])|\\k<(?P<name>\w+)>|(?P<plain>[{PLAIN}-])"
)


class UnsupportedPattern(ValueError):
    """A pattern with a feature this module does not translate; the message names it."""


def compile_js_regex(source, flags=""):
    """The compiled Python equivalent of the JavaScript literal /source/flags."""
    if set(flags) - set("gis"):
        raise UnsupportedPattern(f"/{source}/{flags}: the flag {''.join(sorted(set(flags) - set('gis')))} is not translated")
    python, position = "", 0
    while position < len(source):
        piece = PIECE.match(source, position)
        if not piece:
            raise UnsupportedPattern(f"/{source}/{flags}: {source[position:position + 2]!r} at {position} is not translated")
        python += _translate(piece.lastgroup, piece.group(piece.lastgroup), "s" in flags)
        position = piece.end()
    try:
        return re.compile(python, re.ASCII | (re.IGNORECASE if "i" in flags else 0))
    except re.error as error:
        raise UnsupportedPattern(f"/{source}/{flags}: {error.msg}") from None


def _translate(kind, text, dot_all):
    if kind in ("number", "name"):  # a back-reference: empty while its group has not matched
        return f"(?({text})\\{text})" if kind == "number" else f"(?({text})(?P={text}))"
    return {
        "dot": ANY if dot_all else "[^\\n\\r\\u2028\\u2029]", "any": ANY, "space": SPACE, "word": "[0-9A-Z_a-z]",
        "class": f"[{re.escape(text[1:-1])}]", "named": f"(?P<{text}>", "syntax": text,
    }.get(kind, re.escape(text))  # "escaped" and "plain" characters

"""JavaScript regular expressions, run by Python's `re` with JavaScript's meaning.

freeCodeCamp's checks are JavaScript regular expression literals such as
`/socket.on.*('|")user count('|")/s`. Python's `re` reads most of that text
the same way, but not all of it, and the differences decide whether a check
passes. This module rewrites a JavaScript pattern (without the `u` or `v`
flag, as every freeCodeCamp check is written) into a Python one:

- `.` stops at \\n, \\r, \\u2028 and \\u2029 (Python's stops at \\n only);
  with the `s` flag it matches everything.
- `\\d` and `\\w` are ASCII only; `\\s` is JavaScript's own list of spaces.
- `[^]` matches any character and `[]` none (Python has neither).
- `$` is the end of the text (Python's also matches before a final \\n).
- `(?<name>...)` and `\\k<name>` become `(?P<name>...)` and `(?P=name)`.
- A back-reference to a group that has not matched matches the empty text
  (in Python it fails the match).
- The `i` flag folds case as JavaScript does (each character to its upper
  case, and never a non-ASCII letter to an ASCII one: `/s/i` does not match
  "ſ", `/k/i` does not match the Kelvin sign), by listing the characters
  each letter stands for. One difference remains: text matched by a
  back-reference is compared by Python's case folding, which differs from
  JavaScript's for those few letters.
- `{` that does not start a quantifier is a literal, as in browsers
  (Python reads `a{,3}` as a quantifier).
- The `g` flag changes nothing for a single test, which always starts at
  the beginning of the text.

Anything else it cannot translate faithfully (the flags m, u, v, y, d;
octal escapes) raises UnsupportedPattern with the reason, rather than
guessing. Characters outside the Basic Multilingual Plane count as one
character here and as two (UTF-16 code units) in JavaScript.
"""
import bisect
import re
from collections import defaultdict
from functools import cache

MAX_CODE_POINT = 0x10FFFF
TRANSLATED_FLAGS = "gis"

DIGITS = ((0x30, 0x39),)
WORD_CHARACTERS = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
# ECMAScript WhiteSpace and LineTerminator: what JavaScript's \s matches.
WHITESPACE = (
    (0x09, 0x0D), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
    (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000), (0xFEFF, 0xFEFF),
)
LINE_TERMINATORS = ((0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029))
CLASS_ESCAPES = {"d": DIGITS, "w": WORD_CHARACTERS, "s": WHITESPACE}
CONTROL_ESCAPES = {"t": 0x09, "n": 0x0A, "v": 0x0B, "f": 0x0C, "r": 0x0D}
QUANTIFIER = re.compile(r"\{\d+(,\d*)?\}")
GROUP_NAME = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)>")


class UnsupportedPattern(ValueError):
    """A pattern this module cannot translate faithfully; the message says why."""


def compile_js_regex(source, flags=""):
    """The compiled Python equivalent of the JavaScript literal /source/flags."""
    return _compile(source, flags)


def js_replace(text, pattern, replacement, flags=""):
    """JavaScript's text.replace(/pattern/flags, replacement) for a plain replacement."""
    if "$" in replacement:
        raise UnsupportedPattern("replacements with $ patterns are not translated")
    return compile_js_regex(pattern, flags).sub(lambda match: replacement, text, count=0 if "g" in flags else 1)


@cache
def _compile(source, flags):
    unknown = sorted(set(flags) - set(TRANSLATED_FLAGS))
    if unknown:
        raise UnsupportedPattern(f"the flag {''.join(unknown)!r} is not translated (only g, i and s are)")
    python_source = _Translator(source, ignore_case="i" in flags, dot_all="s" in flags).translate()
    try:
        return re.compile(python_source)
    except re.error as error:
        raise UnsupportedPattern(f"Python cannot run /{source}/{flags}: {error}") from error


class _Translator:
    def __init__(self, source, ignore_case, dot_all):
        self.source = source
        self.position = 0
        self.ignore_case = ignore_case
        self.dot_all = dot_all
        self.group_names = _capturing_groups(source)

    def translate(self):
        parts = []
        while not self.at_end():
            parts.append(self.translate_one(self.take()))
        return "".join(parts)

    def translate_one(self, char):
        if char == "\\":
            return self.escape()
        if char == "[":
            return self.character_class()
        if char == "(":
            return self.group()
        if char == ".":
            return self.character_set(ALL if self.dot_all else _complement(LINE_TERMINATORS))
        if char == "$":
            return r"\Z"
        if char == "{":
            return self.brace()
        if char in "^|)*+?":
            return char
        return self.character_set(((ord(char), ord(char)),))

    # -- reading the source --

    def at_end(self):
        return self.position >= len(self.source)

    def peek(self, length=1):
        return self.source[self.position:self.position + length]

    def take(self, length=1):
        if self.position + length > len(self.source):
            raise UnsupportedPattern(f"/{self.source}/ ends in the middle of an escape or class")
        text = self.peek(length)
        self.position += length
        return text

    # -- pieces --

    def group(self):
        for opening in ("?:", "?=", "?!", "?<=", "?<!"):
            if self.peek(len(opening)) == opening:
                return "(" + self.take(len(opening))
        if self.peek() == "?":
            name = GROUP_NAME.match(self.source, self.position + 1)
            if not name:
                raise UnsupportedPattern(f"/{self.source}/ has a group form that is not translated")
            self.position = name.end()
            return f"(?P<{name.group(1)}>"
        return "("

    def brace(self):
        """Express quantifiers as they are; any other `{` is a literal, as in browsers."""
        quantifier = QUANTIFIER.match(self.source, self.position - 1)
        if quantifier:
            self.position = quantifier.end()
            return quantifier.group()
        return re.escape("{")

    def escape(self):
        char = self.take()
        if char.lower() in CLASS_ESCAPES:
            return self.character_set(self.class_escape(char))
        if char == "b":
            return rf"(?:(?<={WORD})(?!{WORD})|(?<!{WORD})(?={WORD}))"
        if char == "B":
            return rf"(?:(?<={WORD})(?={WORD})|(?<!{WORD})(?!{WORD}))"
        if char in "123456789":
            return self.numbered_back_reference(char)
        if char == "k" and any(self.group_names):
            return self.named_back_reference()
        code_point = self.character_escape(char)
        return self.character_set(((code_point, code_point),))

    def class_escape(self, char):
        ranges = CLASS_ESCAPES[char.lower()]
        return _complement(ranges) if char.isupper() else ranges

    def character_escape(self, char):
        """The code point of the escape `\\char...` (the backslash already read)."""
        if char in CONTROL_ESCAPES:
            return CONTROL_ESCAPES[char]
        if char == "0":
            if self.peek().isdigit():
                raise UnsupportedPattern(f"/{self.source}/ uses an octal escape, which is not translated")
            return 0
        if char.isdigit():
            raise UnsupportedPattern(f"/{self.source}/ uses \\{char} without that many groups (an octal escape)")
        if char == "c" and self.peek().isascii() and self.peek().isalpha():
            return ord(self.take()) % 32
        for prefix, digits in (("x", 2), ("u", 4)):
            if char == prefix and re.fullmatch(rf"[0-9A-Fa-f]{{{digits}}}", self.peek(digits)):
                code_point = int(self.take(digits), 16)
                if 0xD800 <= code_point <= 0xDFFF:
                    raise UnsupportedPattern(f"/{self.source}/ escapes a UTF-16 surrogate, which is not translated")
                return code_point
        if char in "cxu":
            raise UnsupportedPattern(f"/{self.source}/ has an incomplete \\{char} escape")
        return ord(char)  # an identity escape: \/ is /, \. is .

    def numbered_back_reference(self, first_digit):
        digits = first_digit
        while self.peek().isdigit():
            digits += self.take()
        number = int(digits)
        if number > len(self.group_names):
            raise UnsupportedPattern(f"/{self.source}/ refers to group {number}, which does not exist")
        return self.back_reference(str(number))

    def named_back_reference(self):
        name = GROUP_NAME.match(self.source, self.position)
        if not name or name.group(1) not in self.group_names:
            raise UnsupportedPattern(f"/{self.source}/ has a \\k that names no group")
        self.position = name.end()
        return self.back_reference(name.group(1))

    def back_reference(self, group):
        """The group's text if it has matched, otherwise nothing, as in JavaScript."""
        reference = rf"\{group}" if group.isdigit() else f"(?P={group})"
        if self.ignore_case:
            reference = f"(?i:{reference})"
        return f"(?({group}){reference})"

    def character_class(self):
        negated = self.peek() == "^"
        if negated:
            self.take()
        ranges = []
        while self.peek() != "]":
            low = self.class_atom()
            if self.peek() == "-" and self.peek(2) != "-]" and len(low) == 1 and low[0][0] == low[0][1]:
                self.take()
                high = self.class_atom()
                if len(high) == 1 and high[0][0] == high[0][1]:
                    if high[0][0] < low[0][0]:
                        raise UnsupportedPattern(f"/{self.source}/ has a range out of order")
                    ranges.append((low[0][0], high[0][0]))
                    continue
                ranges.extend([*low, (ord("-"), ord("-")), *high])  # [a-\d]: '-' is a literal
                continue
            ranges.extend(low)
        self.take()  # the closing ]
        return self.character_set(ranges, negated)

    def class_atom(self):
        char = self.take()
        if char != "\\":
            return ((ord(char), ord(char)),)
        char = self.take()
        if char.lower() in CLASS_ESCAPES:
            return self.class_escape(char)
        if char == "b":
            return ((0x08, 0x08),)  # inside a class, \b is a backspace
        code_point = self.character_escape(char)
        return ((code_point, code_point),)

    def character_set(self, ranges, negated=False):
        """A Python class for the characters JavaScript's matcher accepts."""
        ranges = _merge(ranges)
        if self.ignore_case:
            ranges = _fold_case(ranges)
        if negated:
            ranges = _complement(ranges)
        if not ranges:
            return "(?!)"
        if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
            return re.escape(chr(ranges[0][0]))
        return "[" + "".join(_class_range(low, high) for low, high in ranges) + "]"


ALL = ((0, MAX_CODE_POINT),)
WORD = "[0-9A-Z_a-z]"


def _capturing_groups(source):
    """The capturing groups of a pattern, in order: each its name, or None."""
    names = []
    index = 0
    in_class = False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "(" and not in_class:
            if not source.startswith("?", index + 1):
                names.append(None)
            else:
                name = GROUP_NAME.match(source, index + 2)
                if name:
                    names.append(name.group(1))
        index += 1
    return names


def _merge(ranges):
    merged = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _complement(ranges):
    result = []
    start = 0
    for low, high in _merge(ranges):
        if low > start:
            result.append((start, low - 1))
        start = high + 1
    if start <= MAX_CODE_POINT:
        result.append((start, MAX_CODE_POINT))
    return result


def _fold_case(ranges):
    """Add every character that JavaScript's `i` flag treats as the same."""
    partners = _case_partners()
    starts = [low for low, _ in ranges]
    extra = []
    for code_point in partners:
        index = bisect.bisect_right(starts, code_point) - 1
        if index >= 0 and code_point <= ranges[index][1]:
            extra.extend((partner, partner) for partner in partners[code_point])
    return _merge([*ranges, *extra])


def _canonicalize(char):
    """ECMAScript's Canonicalize for the `i` flag without `u` (22.2.2.7.3)."""
    upper = char.upper()
    if len(upper) != 1 or (ord(char) >= 128 and ord(upper) < 128):
        return char
    return upper


@cache
def _case_partners():
    """Code point -> every code point with the same canonical form, for those that have others."""
    by_canonical = defaultdict(list)
    for code_point in range(0x10000):
        if not 0xD800 <= code_point <= 0xDFFF:
            by_canonical[_canonicalize(chr(code_point))].append(code_point)
    return {code_point: group for group in by_canonical.values() if len(group) > 1 for code_point in group}


def _class_range(low, high):
    return _class_char(low) if low == high else f"{_class_char(low)}-{_class_char(high)}"


def _class_char(code_point):
    char = chr(code_point)
    if char.isascii() and char.isalnum():
        return char
    return f"\\u{code_point:04x}" if code_point <= 0xFFFF else f"\\U{code_point:08x}"

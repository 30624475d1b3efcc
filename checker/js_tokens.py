"""Splitting the JavaScript of freeCodeCamp's checks into tokens.

The checker never runs that JavaScript. It reads it, token by token, to find
what each check fetches and what it asserts (see hints.py). A tokenizer is
enough for that, and it must get one thing right that a plain text search
gets wrong: whether a `/` starts a regular expression or divides.
"""
import re
from dataclasses import dataclass

TOKEN = re.compile(
    r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
    |(?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
    |(?P<template>`(?:\\.|[^`\\])*`)
    |(?P<number>\d+(?:\.\d+)?)
    |(?P<name>[A-Za-z_$][\w$]*)
    |(?P<punctuation>\?\.|=>|===|!==|==|!=|&&|\|\||\+\+|--|[-+*%=<>!&|^~?:;,.()\[\]{}])
    """,
    re.VERBOSE | re.DOTALL,
)
# A regular expression literal: /body/flags, the body possibly holding [classes] with /.
REGEX_LITERAL = re.compile(r"/((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n\[])+)/([a-z]*)")
# After these a `/` starts a regular expression; after anything else it divides.
BEFORE_REGEX = {"(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "=>", "return", "typeof", None}


class JavaScriptSyntaxError(ValueError):
    """Text the tokenizer cannot read; the message says where."""


@dataclass(frozen=True)
class Token:
    kind: str  # name, string, template, number, regex, punctuation
    text: str
    starts_line: bool = False  # a line break comes before it
    start: int = 0  # where it starts in the code

    @property
    def value(self):
        """A string's or template's content, without the quotes and escapes."""
        if self.kind not in ("string", "template"):
            raise ValueError(f"{self.text} is not a string")
        return re.sub(r"\\(.)", r"\1", self.text[1:-1])

    @property
    def regex(self):
        """(source, flags) of a regular expression literal."""
        body, flags = REGEX_LITERAL.fullmatch(self.text).groups()
        return body, flags


def tokenize(code):
    tokens = []
    position = 0
    new_line = True
    while position < len(code):
        previous = tokens[-1].text if tokens else None
        if code[position] == "/" and previous in BEFORE_REGEX:
            literal = REGEX_LITERAL.match(code, position)
            if literal:
                tokens.append(Token("regex", literal.group(), new_line, position))
                position, new_line = literal.end(), False
                continue
        match = TOKEN.match(code, position)
        if not match:
            raise JavaScriptSyntaxError(f"cannot read the code from {code[position:position + 30]!r}")
        if match.lastgroup == "space":
            new_line = new_line or "\n" in match.group()
        else:
            tokens.append(Token(match.lastgroup, match.group(), new_line, position))
            new_line = False
        position = match.end()
    return tokens


def source_of(code, tokens):
    """The code the tokens were read from, spaces and line breaks collapsed."""
    if not tokens:
        return ""
    end = tokens[-1].start + len(tokens[-1].text)
    return re.sub(r"\s+", " ", code[tokens[0].start:end])


def matching_close(tokens, open_index):
    """The index of the bracket that closes the one at open_index."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = []
    for index in range(open_index, len(tokens)):
        text = tokens[index].text
        if tokens[index].kind != "punctuation":
            continue
        if text in pairs:
            stack.append(pairs[text])
        elif text in pairs.values():
            if not stack or stack.pop() != text:
                raise JavaScriptSyntaxError(f"unbalanced {text!r}")
            if not stack:
                return index
    raise JavaScriptSyntaxError("a bracket is never closed")


def split_arguments(tokens, open_index):
    """The arguments of the call whose `(` is at open_index, as token lists."""
    close = matching_close(tokens, open_index)
    arguments = [[]]
    index = open_index + 1
    while index < close:
        token = tokens[index]
        if token.kind == "punctuation" and token.text in "([{":
            end = matching_close(tokens, index)
            arguments[-1].extend(tokens[index:end + 1])
            index = end + 1
            continue
        if token.kind == "punctuation" and token.text == ",":
            arguments.append([])
        else:
            arguments[-1].append(token)
        index += 1
    return [argument for argument in arguments if argument]

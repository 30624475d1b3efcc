"""When two usernames are one name.

The users store (connection.py) keeps each name's key in a unique column,
the database (databases.py) gives older tables that column, and the login
limits (throttle.py) count tries by it, so "Ada" and "ada" are one person
for all three.
"""
import unicodedata


def username_key(username):
    """What a username is compared by, so that names a reader cannot tell
    apart are one name: "Ada", "ada" and full-width "Ａｄａ" all give "ada".

    NFKC turns compatibility forms (full-width, superscript, ligatures) into
    plain ones, casefold() ignores letter case, and NFKC again tidies what
    casefold() produced. The name shown stays as it was typed.
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())

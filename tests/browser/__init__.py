"""Real-browser tests: Debian's Chromium driven by Playwright (see the
README, "Browser tests")."""
# A name or message that would run script if a page inserted it as HTML:
# `payload_ran(page)` tells whether it did.
HTML_PAYLOAD = '<img src=x onerror="window.__pwned=1">'


def payload_ran(page):
    return page.evaluate("typeof window.__pwned !== 'undefined'")


def in_chat(*people):
    """Registers each person and opens their chat room, one after the other."""
    for person in people:
        person.register()
        person.open_chat()

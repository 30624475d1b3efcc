"""The programs from Debian's packages that some tests need: Chromium,
nginx, PostgreSQL and Redis.

.ci/run installs them all and sets CI=true. A developer's machine may lack
some: there their tests are skipped, with the apt-get command that brings
them. In CI, which must run every test, a missing program fails the test.
"""
import os
import shutil

import pytest


def installed(program):
    """The path of `program`, looked for in /usr/sbin too (nginx is there); None if it is not installed."""
    return shutil.which(program, path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin")


def require(present, package, tests):
    """Skips the running test unless `present`, naming the Debian `package`
    that `tests` (a few words) need; fails it instead in CI."""
    if present:
        return
    missing = f"{tests} need Debian's {package} package (apt-get install {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{missing}; CI must run them, never skip them")
    pytest.skip(missing)

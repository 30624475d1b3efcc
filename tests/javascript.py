"""What JavaScript itself answers, from Node.js: the reference the checker's
translations are compared with. One `node` process answers many questions."""
import json
import shutil
import subprocess

NODE_TIMEOUT = 60

# Reads [[source, flags, text], ...] on stdin, writes [true/false, ...]: new RegExp(source, flags).test(text).
REGEX_TESTS = """
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(([source, flags, text]) => new RegExp(source, flags).test(text))));
"""


def javascript_regex_tests(cases):
    """{(source, flags, text): does JavaScript's RegExp match?} for every case."""
    node = shutil.which("node")
    assert node, "Node.js is needed to compare with JavaScript: install it (apt-get install nodejs)"
    cases = sorted(set(cases))
    answer = subprocess.run(
        [node, "-e", REGEX_TESTS],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
        check=True,
    )
    return dict(zip(cases, json.loads(answer.stdout), strict=True))

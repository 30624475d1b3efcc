"""The checker's translation of JavaScript regular expressions, compared with
JavaScript itself (Node.js) on every pattern in freeCodeCamp/hints.json."""
import pytest

from checker.hints import load_hints
from checker.js_regex import UnsupportedPattern, compile_js_regex, js_replace
from tests.javascript import javascript_regex_tests

USERNAME = "freeCodeCampTester1700000000000"

# Every pattern freeCodeCamp's checks use: (source, flags) -> (texts it must match, texts it must not).
EXAMPLES = {
    ("FCC Advanced Node and Express", "gi"): (["<title>FCC Advanced Node and Express</title>", "fcc advanced node AND express"], ["FCC Advanced Node & Express", "FCC Advanced\nNode and Express"]),
    ("pug-success-message", "gi"): (['id="pug-success-message"', "PUG-SUCCESS-MESSAGE"], ["pug_success_message"]),
    ("pug-variable(\"|')>Please log in", "gi"): (['<p id="pug-variable">Please log in', "id='pug-variable'>please LOG in"], ['pug-variable">\nPlease log in', "pug-variable>Please log in"]),
    ("require.*(\"|')passport(\"|')", ""): (["const passport = require('passport');", 'require("passport\')'], ["require('passport-local')", "require(\n'passport')", "REQUIRE('passport')"]),
    ("require.*(\"|')express-session(\"|')", ""): (["const session = require('express-session');"], ["require('express-sessions')", "require(\r'express-session')"]),
    ("passport\\.initialize", ""): (["app.use(passport.initialize());"], ["passport_initialize", "Passport.initialize"]),
    ("passport\\.session", ""): (["app.use(passport.session());"], ["passport session", "passportXsession"]),
    ("secret *:\\s*process\\.env(\\.SESSION_SECRET|\\[(?<q>\"|')SESSION_SECRET\\k<q>\\])", ""): (
        ["secret: process.env.SESSION_SECRET", "secret  :\n\tprocess.env['SESSION_SECRET']", 'secret:process.env["SESSION_SECRET"]'],
        ["secret: process.env['SESSION_SECRET\"]", "secret: process.env.SECRET", "Secret: process.env.SESSION_SECRET"],
    ),
    ("passport.serializeUser", "gi"): (["passport.serializeUser((user, done) =>", "PASSPORT_SERIALIZEUSER"], ["passport.serialize"]),
    ("null,\\s*user._id", "gi"): (["done(null, user._id)", "null,\n  USER-_ID"], ["null user._id", "null, user.id"]),
    ("passport.deserializeUser", "gi"): (["passport.deserializeUser((id, done)"], ["passport.deserialize_user"]),
    ("null,\\s*null", "gi"): (["done(null, null)", "NULL,\u3000NULL"], ["null,,null", "null;null"]),
    ("require.*(\"|')mongodb\\1", "gi"): (["const { ObjectID } = require('mongodb');", 'REQUIRE("MONGODB")'], ["require('mongodb\")", "require('mongodb"]),
    ("new ObjectID.*id", "gi"): (["_id: new ObjectID(id)", "NEW OBJECTID(ID)"], ["new ObjectID(\nid)", "ObjectID(id)"]),
    ("Connected to Database", "gi"): (["<h2>Connected to Database</h2>", "connected to database"], ["Connected to the Database"]),
    ("null,\\s*doc", "gi"): (["done(null, doc)", "null,\r\n  DOC"], ["null doc", "null, dox"]),
    ("require.*(\"|')passport-local(\"|')", ""): (["const LocalStrategy = require('passport-local');"], ["require('passport-locale')", "require('Passport-local')"]),
    ("new LocalStrategy", ""): (["passport.use(new LocalStrategy("], ["new localStrategy", "newLocalStrategy"]),
    ("findOne", ""): (["myDataBase.findOne({ username })"], ["findone", "find_one"]),
    ("showLogin:( |)true", ""): (["showLogin: true", "showLogin:true"], ["showLogin:  true", "showLogin = true", "showlogin: true"]),
    ("failureRedirect:( |)('|\")\\/('|\")", ""): (["failureRedirect: '/'", 'failureRedirect:"/\''], ["failureRedirect: '/profile'", "failureRedirect:  '/'"]),
    ("login[^]*post[^]*local", ""): (["app.route('/login')\n  .post(passport.authenticate('local'", "loginpostlocal"], ["login local post", "LOGIN post local"]),
    ("Looks like this page is being rendered from Pug into HTML!", ""): (["<p>Looks like this page is being rendered from Pug into HTML!</p>"], ["Looks like this page is being rendered from Pug into HTML", "looks like this page is being rendered from pug into html!"]),
    ("ensureAuthenticated[^]*req.isAuthenticated", ""): (["function ensureAuthenticated(req, res, next) {\n  if (req.isAuthenticated()) {"], ["req.isAuthenticated ensureAuthenticated", "ensureAuthenticated req_isauthenticated"]),
    ("profile[^]*get[^]*ensureAuthenticated", ""): (["app.route('/profile')\n  .get(ensureAuthenticated, (req, res) =>"], ["profile ensureAuthenticated get", "PROFILE get ensureAuthenticated"]),
    ("Home page", ""): (['<meta name="description" content="Home page">'], ["home page", "Home\npage"]),
    ("Home page", "gi"): (['<meta name="description" content="Home page">', "HOME PAGE"], ["Homepage"]),
    ("username:( |)req.user.username", ""): (["{ username: req.user.username }", "username:req_user_username"], ["username:  req.user.username", "Username: req.user.username"]),
    ("req.logout", "gi"): (["req.logout();", "REQ-LOGOUT"], ["req.log_out", "reqlogout"]),
    ("showRegistration:( |)true", "gi"): (["showRegistration: true", "SHOWREGISTRATION:TRUE"], ["showRegistration: false"]),
    ("register[^]*post[^]*findOne[^]*username:( |)req.body.username", "gi"): (
        ["app.route('/register')\n  .post((req, res, next) => {\n    myDataBase.findOne({ username: req.body.username }"],
        ["register findOne post username: req.body.username", "register post findOne username:  req.body.username"],
    ),
    ("Profile", "gi"): (["<h1>Profile</h1>", "profile"], ["Profil", "Pro file"]),
    ("Home", "gi"): (["Home page", "HOME"], ["Hom", "H0me"]),
    ("require.*(\"|')bcrypt\\1", "gi"): (["const bcrypt = require('bcrypt');", 'require("BCRYPT")'], ["require('bcrypt\")", "require('bcryptjs')"]),
    ("bcrypt.hashSync", "gi"): (["bcrypt.hashSync(req.body.password, 12)", "BCRYPT_HASHSYNC"], ["bcrypt.hash(", "bcrypt.hash_sync"]),
    ("bcrypt.compareSync", "gi"): (["bcrypt.compareSync(password, user.password)"], ["bcrypt.compare("]),
    ("require\\s*\\(('|\")\\.\\/routes(\\.js)?\\1\\)", "gi"): (["const routes = require('./routes.js');", 'require ("./ROUTES")'], ["require('./routes.js\")", "require('routes.js')", "require('./routes.jsx')"]),
    ("client\\s*\\.db[^]*routes", "gi"): (["const myDataBase = await client.db('database').collection('users');\n  routes(app, myDataBase);", "client\n.DB ROUTES"], ["routes client.db", "client.dbroute"]),
    ("\\s", "g"): ([" ", "\t", "\ufeff", "\u00a0", "\u2028"], ["x", "\x85", "\x1c", "\u200b"]),
    ("passport.authenticate.*?github", "g"): (["app.route('/auth/github').get(passport.authenticate('github'));"], ["passport.authenticate('local')\ngithub", "github passport.authenticate"]),
    ("failureRedirect:(\"|')\\/\\1", "g"): (["failureRedirect:'/'", 'failureRedirect:"/"'], ["failureRedirect:'/\"", "failureRedirect: '/'"]),
    ("require.*(\"|')passport-github(\"|')", "gi"): (["const GitHubStrategy = require('passport-github').Strategy;", "REQUIRE('PASSPORT-GITHUB')"], ["require('passport-github2')", "require(\n'passport-github')"]),
    ("passport\\.use.*new GitHubStrategy", "gis"): (["passport.use(\n  new GitHubStrategy({", "PASSPORT.USE(NEW GITHUBSTRATEGY"], ["passport_use(new GitHubStrategy", "new GitHubStrategy passport.use"]),
    ("callbackURL:\\s*(\"|').*(\"|')", "gi"): (["callbackURL: 'https://example.com/auth/github/callback'", 'CALLBACKURL:\n"x"'], ["callbackURL: process.env.CALLBACK", "callbackURL: '\n'"]),
    ("process\\.env(\\.GITHUB_CLIENT_SECRET|\\[(?<q>\"|')GITHUB_CLIENT_SECRET\\k<q>\\])", "g"): (["clientSecret: process.env.GITHUB_CLIENT_SECRET", "process.env['GITHUB_CLIENT_SECRET']"], ["process.env['GITHUB_CLIENT_SECRET\"]", "process.env.github_client_secret"]),
    ("process\\.env(\\.GITHUB_CLIENT_ID|\\[(?<q>\"|')GITHUB_CLIENT_ID\\k<q>\\])", "g"): (["clientID: process.env.GITHUB_CLIENT_ID", 'process.env["GITHUB_CLIENT_ID"]'], ["process.env[\"GITHUB_CLIENT_ID']", "process_env.GITHUB_CLIENT_ID"]),
    ("GitHubStrategy[^]*myDataBase", "gi"): (["new GitHubStrategy({...},\n  function (accessToken, refreshToken, profile, cb) {\n    myDataBase.findOneAndUpdate("], ["myDataBase GitHubStrategy"]),
    ("GitHubStrategy[^]*cb", "gi"): (["new GitHubStrategy(\n  ..., cb", "GITHUBSTRATEGY CB"], ["cb GitHubStrategy"]),
    ("http.*=.*require.*('|\")http\\1", "s"): (["const http = require('http').createServer(app);", "http\n=\nrequire(\"http\")"], ["const http = require('https\")", "HTTP = REQUIRE('HTTP')"]),
    ("io.*=.*require.*('|\")socket.io\\1.*http", "s"): (["const io = require('socket.io')(http);"], ["const io = require('socket.io\")(http);", "const io = require('socket.io')(server);"]),
    ("io.on.*('|\")connection\\1.*socket", "s"): (["io.on('connection', socket => {", 'io.on(\n"connection", (socket) =>'], ["io.on('connection\", socket", "io.on('connect', socket"]),
    ("socket.*=.*io", "s"): (["let socket = io();", "socket\n=\nio"], ["io = socket", "SOCKET = IO"]),
    ("currentUsers", "s"): (["let currentUsers = 0;"], ["currentusers", "current_users"]),
    ("io.emit.*('|\")user count('|\").*currentUsers", "s"): (["io.emit('user count', currentUsers);", 'io.emit(\n"user count",\n currentUsers)'], ["io.emit('usercount', currentUsers)", "io.emit('user count')"]),
    ("socket.on.*('|\")user count('|\")", "s"): (["socket.on('user count', function (data) {", "socket.on(\r\n'user count'"], ["socket.on('user_count'", "socket.emit('user count'"]),
    ("socket.on.*('|\")disconnect('|\")", "s"): (["socket.on('disconnect', () => {"], ["socket.on('disconnecting'", "socket.off('disconnect')"]),
    ("require\\((['\"])passport\\.socketio\\1\\)", "gi"): (["const passportSocketIo = require('passport.socketio');", 'REQUIRE("PASSPORT.SOCKETIO")'], ["require('passport.socketio\")", "require('passport-socketio')"]),
    ("io\\.use\\(\\s*\\w+\\.authorize\\(", ""): (["io.use(\n  passportSocketIo.authorize({"], ["io.use(passport-socketio.authorize(", "io.use(é.authorize(", "io.use(passportSocketIo.authorise("]),
    ("io.emit.*('|\")user\\1.*name.*currentUsers.*connected", "s"): (["io.emit('user', {\n  username: socket.request.user.username,\n  currentUsers,\n  connected: true\n});"], ["io.emit('user\", { name, currentUsers, connected })", "io.emit('user', { currentUsers, name, connected })"]),
    ("socket.on.*('|\")user\\1[^]*num-users", "s"): (["socket.on('user', data => {\n  $('#num-users').text(data.currentUsers);"], ["socket.on('user\", data => { num-users", "num-users socket.on('user')"]),
    ("socket.on.*('|\")user\\1[^]*messages.*li", "s"): (["socket.on('user', data => {\n  $('#messages').append($('<li>').html(message));"], ["socket.on('user', data => { $('#messages')", "socket.on('users', messages li"]),
    ("socket.on.*('|\")chat message('|\")[^]*io.emit.*('|\")chat message('|\").*username.*message", "s"): (
        ["socket.on('chat message', (message) => {\n  io.emit('chat message', { username: socket.request.user.username, message });"],
        ["io.emit('chat message', { username, message }); socket.on('chat message')", "socket.on('chat message', m => io.emit('chat message', { message, username }))"],
    ),
    ("socket.on.*('|\")chat message('|\")[^]*messages.*li", "s"): (["socket.on('chat message', (data) => {\n  $('#messages').append($('<li>').text(`${data.username}: ${data.message}`));"], ["socket.on('chat message') messages", "socket.on('chat-message') messages li"]),
    (USERNAME, "g"): ([f"Welcome, {USERNAME}!"], ["Welcome, freeCodeCampTester!", USERNAME.lower()]),
}

# The same texts changed where JavaScript and Python are most likely to disagree:
# case, line breaks, unusual spaces, and letters that fold differently.
VARIANTS = [
    str.upper,
    str.lower,
    lambda text: text.replace("\n", "\r\n"),
    lambda text: text.replace("\n", "\u2028"),
    lambda text: text.replace(" ", "\u00a0"),
    lambda text: text.replace(" ", "\x85"),
    lambda text: text.replace("s", "\u017f"),
    lambda text: text.replace("k", "\u212a"),
    lambda text: text.replace("i", "\u0131"),
    lambda text: text + "\n",
]

# Where Python's own reading of the same text differs from JavaScript's.
FEATURES = [
    ("a.b", "", "a\rb", False),
    ("a.b", "", "a\u2028b", False),
    ("a.b", "s", "a\rb", True),
    ("a$", "", "a\n", False),
    ("^a", "", "b\na", False),
    ("x[^]y", "", "x\ny", True),
    ("a[]", "", "a", False),
    ("(a)|b\\1", "", "b", True),
    ("(?<q>['\"])x\\k<q>", "", "'x'", True),
    ("(?<q>['\"])x\\k<q>", "", "'x\"", False),
    ("(a)\\1", "i", "aA", True),
    ("s", "i", "\u017f", False),
    ("k", "i", "\u212a", False),
    ("i", "i", "\u0130", False),
    ("\u00e9", "i", "\u00c9", True),
    ("[a-z]+", "i", "ABC", True),
    ("[^a-z]", "i", "A", False),
    ("\\W", "i", "\u017f", True),
    ("\\d", "", "\u0663", False),
    ("\\w", "", "\u00e9", False),
    ("\\s", "", "\ufeff", True),
    ("\\s", "", "\x85", False),
    ("[\\s]", "", "\u3000", True),
    ("[^\\S]", "", " ", True),
    ("[\\d-z]", "", "-", True),
    ("\\bfoo\\b", "", "\u00e9foo\u00e9", True),
    ("\\Bo", "", "foo", True),
    ("a{,3}", "", "a{,3}", True),
    ("a{2}", "", "aa", True),
    ("}]", "", "}]", True),
    ("\\a\\/", "", "a/", True),
    ("[\\b]", "", "\b", True),
    ("\\u00e9\\x41\\cJ\\0", "", "\u00e9A\n\x00", True),
    ("(?:ab)+?(?=c)(?!d)", "", "ababc", True),
    ("(?<=a)b", "", "ab", True),
]

UNSUPPORTED = [
    ("a", "m"),
    ("a", "u"),
    ("a", "y"),
    ("\\1", ""),
    ("\\01", ""),
    ("(?<=a+)b", ""),
    ("[b-a]", ""),
    ("[a", ""),
    ("\\k<q>(?<p>a)", ""),
]


def hint_patterns():
    """Every (source, flags) freeCodeCamp's checks match with, as the checker reads them."""
    patterns = set()
    for hint in load_hints():
        for assertion in hint.assertions:
            if assertion.pattern:
                source, flags = assertion.pattern
                patterns.add((USERNAME if source == "username" else source, flags))
            if assertion.replace:
                patterns.add(assertion.replace[:2])
    return sorted(patterns)


def all_cases():
    cases = set()
    for (source, flags), (matching, not_matching) in EXAMPLES.items():
        for text in matching + not_matching:
            cases.update((source, flags, variant(text)) for variant in [str, *VARIANTS])
    cases.update((source, flags, text) for source, flags, text, _ in FEATURES)
    return cases


@pytest.fixture(scope="module")
def javascript():
    return javascript_regex_tests(all_cases())


def test_every_pattern_in_the_hints_has_examples():
    missing = [pattern for pattern in hint_patterns() if pattern not in EXAMPLES]
    assert not missing, f"patterns of hints.json without examples in this test: {missing}"


def test_the_checker_reads_the_patterns_of_all_22_lessons():
    assert len(hint_patterns()) == len(EXAMPLES), "an example here belongs to no pattern of hints.json"


@pytest.mark.parametrize(("source", "flags"), sorted(EXAMPLES))
def test_pattern_matches_what_it_should_and_nothing_else(javascript, source, flags):
    matching, not_matching = EXAMPLES[(source, flags)]
    pattern = compile_js_regex(source, flags)
    for text in matching:
        assert javascript[(source, flags, text)], f"example {text!r} does not match /{source}/{flags} in JavaScript"
        assert pattern.search(text), f"/{source}/{flags} should match {text!r}"
    for text in not_matching:
        assert not javascript[(source, flags, text)], f"example {text!r} matches /{source}/{flags} in JavaScript"
        assert not pattern.search(text), f"/{source}/{flags} should not match {text!r}"


@pytest.mark.parametrize(("source", "flags"), sorted(EXAMPLES))
def test_pattern_agrees_with_javascript_on_changed_texts(javascript, source, flags):
    pattern = compile_js_regex(source, flags)
    disagreements = [
        (text, javascript[(source, flags, text)])
        for text in {case[2] for case in javascript if case[:2] == (source, flags)}
        if bool(pattern.search(text)) != javascript[(source, flags, text)]
    ]
    assert not disagreements, f"/{source}/{flags}: Python and JavaScript disagree on (text, JavaScript's answer) {disagreements}"


@pytest.mark.parametrize(("source", "flags", "text", "expected"), FEATURES)
def test_translation_keeps_javascripts_meaning(javascript, source, flags, text, expected):
    assert javascript[(source, flags, text)] == expected, "this example does not show what it claims about JavaScript"
    assert bool(compile_js_regex(source, flags).search(text)) == expected, f"/{source}/{flags} on {text!r}"


@pytest.mark.parametrize(("source", "flags"), UNSUPPORTED)
def test_untranslatable_pattern_is_refused_with_a_reason(source, flags):
    with pytest.raises(UnsupportedPattern) as refusal:
        compile_js_regex(source, flags)
    assert str(refusal.value), "the refusal should say why"


def test_replace_removes_javascript_whitespace():
    text = "passport .\tauthenticate(\u00a0'github'\ufeff)"
    assert js_replace(text, "\\s", "", "g") == "passport.authenticate('github')"


def test_replace_without_g_replaces_the_first_only():
    assert js_replace("a a a", "a", "b") == "b a a"


def test_replace_refuses_dollar_patterns():
    with pytest.raises(UnsupportedPattern):
        js_replace("ab", "a", "$&$&")

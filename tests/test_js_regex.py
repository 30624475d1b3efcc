"""The checker's translation of freeCodeCamp's JavaScript regular expressions:
every pattern of freeCodeCamp/checks.json on texts whose answers JavaScript
gives (checked once against Node.js; the browser oracle,
tests/browser/test_checker_oracle.py, compares with JavaScript itself), the
places where Python's own reading differs, and the features refused."""
import pytest

from checker.checks import load_checks
from checker.js_regex import UnsupportedPattern, compile_js_regex

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

# Where Python's own reading of the same text differs from JavaScript's, for the features translated.
FEATURES = [
    ("a.b", "", "a\rb", False),
    ("a.b", "", "a\nb", False),
    ("a.b", "", "a\u2028b", False),
    ("a.b", "s", "a\rb", True),
    ("a.b", "s", "a\u2029b", True),
    ("x[^]y", "", "x\ny", True),
    ("(a)|b\\1", "", "b", True),
    ("(?<q>['\"])x\\k<q>", "", "'x'", True),
    ("(?<q>['\"])x\\k<q>", "", "'x\"", False),
    ("(a)\\1", "i", "aA", True),
    ("s", "i", "\u017f", False),
    ("k", "i", "\u212a", False),
    ("i", "i", "\u0130", False),
    ("i", "i", "\u0131", False),
    ("\\w", "i", "\u017f", False),
    ("\\w", "", "\u00e9", False),
    ("\\w", "", "\u0663", False),
    ("\\s", "", "\ufeff", True),
    ("\\s", "", "\u00a0", True),
    ("\\s", "", "\u3000", True),
    ("\\s", "", "\x85", False),
    ("\\s", "", "\x1c", False),
    ("\\s", "", "\u200b", False),
    ("a*?b", "", "aab", True),
    ("a( |)b", "", "a b", True),
    ("\\(\\)\\.\\/\\[\\]", "", "()./[]", True),
]

# Features no check uses: refused, and the message names the pattern and what is not translated.
UNSUPPORTED = [
    ("a", "m", "the flag m"),
    ("a", "u", "the flag u"),
    ("a", "y", "the flag y"),
    ("a{2}", "", "'{2'"),
    ("a$", "", "'$'"),
    ("^a", "", "'^a'"),
    ("\\d", "", "'\\\\d'"),
    ("\\b", "", "'\\\\b'"),
    ("\\u00e9", "", "'\\\\u'"),
    ("[a-z]", "", "'[a'"),
    ("[^a]", "", "'[^'"),
    ("[\\s]", "", "'[\\\\'"),
    ("(?:a)", "", "'(?'"),
    ("(?=a)", "", "'(?'"),
    ("\u00e9", "i", "'\u00e9'"),
    ("\\1", "", "invalid group reference"),
    ("\\k<q>(?<p>a)", "", "unknown group name"),
]


def table_patterns():
    """Every (source, flags) freeCodeCamp's checks match with or replace, from the table."""
    patterns = set()
    for check in load_checks():
        if check.match:
            source, flags = check.match
            patterns.add((USERNAME if source == "{user}" else source, flags))
        if check.replace:
            patterns.add(tuple(check.replace))
    return patterns


def test_every_pattern_of_the_table_has_examples():
    missing = sorted(table_patterns() - set(EXAMPLES))
    assert not missing, f"patterns of checks.json without examples in this test: {missing}"


def test_every_example_belongs_to_a_pattern_of_the_table():
    extra = sorted(set(EXAMPLES) - table_patterns())
    assert not extra, f"examples here of patterns that no check uses: {extra}"


@pytest.mark.parametrize(("source", "flags"), sorted(EXAMPLES))
def test_pattern_matches_what_it_should_and_nothing_else(source, flags):
    matching, not_matching = EXAMPLES[(source, flags)]
    pattern = compile_js_regex(source, flags)
    for text in matching:
        assert pattern.search(text), f"/{source}/{flags} should match {text!r}"
    for text in not_matching:
        assert not pattern.search(text), f"/{source}/{flags} should not match {text!r}"


@pytest.mark.parametrize(("source", "flags", "text", "expected"), FEATURES)
def test_translation_keeps_javascripts_meaning(source, flags, text, expected):
    assert bool(compile_js_regex(source, flags).search(text)) == expected, f"/{source}/{flags} on {text!r}"


@pytest.mark.parametrize(("source", "flags", "named"), UNSUPPORTED)
def test_feature_no_check_uses_is_refused_by_name(source, flags, named):
    with pytest.raises(UnsupportedPattern) as refusal:
        compile_js_regex(source, flags)
    assert f"/{source}/{flags}" in str(refusal.value) and named in str(refusal.value), str(refusal.value)


def test_removing_whitespace_removes_javascripts():
    text = "passport .\tauthenticate(\u00a0'github'\ufeff)\x85"
    assert compile_js_regex("\\s", "g").sub("", text) == "passport.authenticate('github')\x85"

"""Configuration: defaults, the environment, and .env.example."""
import logging
import re
from pathlib import Path

import pytest

from config import FROM_ENVIRONMENT, ConfigurationError, async_mode
from server import create_app

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def test_missing_session_secret_starts_with_one_clear_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("SESSION_SECRET", raising=False)
    with caplog.at_level(logging.WARNING):
        app = create_app({"ASYNC_MODE": "threading"}, instance_path=str(tmp_path))
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "SESSION_SECRET is not set" in warnings[0]
    assert len(app.config["SECRET_KEY"]) >= 32


def test_session_secret_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SESSION_SECRET", "from the environment")
    app = create_app({"ASYNC_MODE": "threading"}, instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from the environment"


def test_new_session_secret_ends_old_sessions(tmp_path):
    def app_with_secret(secret):
        return create_app({"ASYNC_MODE": "threading", "BCRYPT_ROUNDS": 4, "SESSION_SECRET": secret}, instance_path=str(tmp_path))

    before = app_with_secret("first secret").test_client()
    before.post("/register", data={"username": "ada", "password": "lovelace"})
    cookie = before.get_cookie("session").value

    after = app_with_secret("second secret").test_client()
    after.set_cookie("session", cookie)
    assert after.get("/profile").headers["Location"] == "/"

    same = app_with_secret("first secret").test_client()
    same.set_cookie("session", cookie)
    assert same.get("/profile").status_code == 200, "a restart with the same secret should keep the session"


def test_every_environment_variable_is_documented():
    example = (PROJECT_ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", example, re.MULTILINE))
    sources = "".join(path.read_text() for path in PROJECT_ROOT.glob("*.py"))
    read_by_code = set(re.findall(r"os\.environ(?:\.get)?[\(\[]\"([A-Z_]+)\"", sources)) | set(FROM_ENVIRONMENT)
    assert read_by_code - documented == set(), "these variables are read but not in .env.example"
    assert documented - read_by_code == set(), ".env.example documents variables nothing reads"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [("PORT", "8080", 8080), ("PORT", "0", 0), ("PROXY_COUNT", "1", 1), ("SOCKETIO_PING_INTERVAL", "0.5", 0.5)],
)
def test_settings_are_read_as_numbers(tmp_path, monkeypatch, variable, value, expected):
    monkeypatch.setenv(variable, value)
    app = create_app({"ASYNC_MODE": "threading"}, instance_path=str(tmp_path))
    assert app.config[variable] == expected and type(app.config[variable]) is type(expected)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PORT", "65536"),
        ("PORT", "3000.5"),
        ("BCRYPT_ROUNDS", "32"),
        ("GITHUB_TIMEOUT", "nan"),
        ("ASYNC_MODE", "Gevent"),
        ("REDIS_URL", "localhost:6379"),
        ("REDIS_URL", "memcached://127.0.0.1:11211"),
        ("USERS_KEPT_IN_MEMORY", "-1"),
        ("COUNT_TTL", "0"),
        ("REDIS_MAX_CONNECTIONS", "1"),
        ("CHAT_MESSAGE_MAX_LENGTH", "0"),
        ("CHAT_MESSAGE_MAX_LENGTH", "100001"),
        ("USERNAME_MAX_LENGTH", "30"),
        ("USERNAME_MAX_LENGTH", "1001"),
        ("MAX_CONTENT_LENGTH", "1023"),
        ("MAX_CONTENT_LENGTH", "16 KB"),
    ],
)
def test_unusable_settings_are_refused_by_name(tmp_path, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=f"^{variable}='{re.escape(value)}' cannot be used: it must be "):
        create_app(instance_path=str(tmp_path))


def test_a_heartbeat_no_shorter_than_the_ttl_is_refused(tmp_path, monkeypatch):
    # Checked before Redis is asked anything: nothing listens at this address.
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("COUNT_TTL", "2")
    monkeypatch.setenv("COUNT_HEARTBEAT", "2")
    with pytest.raises(ConfigurationError, match=r"^COUNT_HEARTBEAT=2\.0 cannot be used: it must be less than COUNT_TTL=2\.0"):
        create_app(instance_path=str(tmp_path))


@pytest.mark.parametrize(
    ("settings", "refused"),
    [
        # 82 characters of up to 12 bytes each, and up to 31 bytes of packet around them, fit in 1024 bytes; 83 may not.
        ({"SOCKETIO_MAX_PACKET_BYTES": "1024", "CHAT_MESSAGE_MAX_LENGTH": "83"}, "^CHAT_MESSAGE_MAX_LENGTH=83 cannot be used: it must be at most 82 with SOCKETIO_MAX_PACKET_BYTES=1024"),
        ({"SOCKETIO_MAX_PACKET_BYTES": "1024"}, "^CHAT_MESSAGE_MAX_LENGTH=1000 cannot be used: it must be at most 82 with SOCKETIO_MAX_PACKET_BYTES=1024"),
        # A login form with a 66-character name and a 72-byte password, every byte written %XX, is 1027 bytes.
        ({"MAX_CONTENT_LENGTH": "1024", "USERNAME_MAX_LENGTH": "66"}, "^USERNAME_MAX_LENGTH=66 cannot be used: it must be at most 65 with MAX_CONTENT_LENGTH=1024"),
    ],
)
def test_limits_that_cannot_work_together_are_refused_in_one_line(tmp_path, monkeypatch, settings, refused):
    for variable, value in settings.items():
        monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=refused) as refusal:
        create_app(instance_path=str(tmp_path))
    assert "\n" not in str(refusal.value)


def test_limits_at_the_edge_of_working_together_are_accepted(tmp_path, monkeypatch):
    limits = {"SOCKETIO_MAX_PACKET_BYTES": 1024, "CHAT_MESSAGE_MAX_LENGTH": 82, "MAX_CONTENT_LENGTH": 1024, "USERNAME_MAX_LENGTH": 65}
    for variable, value in limits.items():
        monkeypatch.setenv(variable, str(value))
    app = create_app({"ASYNC_MODE": "threading"}, instance_path=str(tmp_path))
    assert {variable: app.config[variable] for variable in limits} == limits


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "gevent"), ("", "gevent"), ("gevent", "gevent"), ("eventlet", "eventlet"), ("threading", "threading")],
)
def test_async_mode_is_gevent_unless_another_is_named(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("ASYNC_MODE", raising=False)
    else:
        monkeypatch.setenv("ASYNC_MODE", value)
    assert async_mode() == expected


def test_unusable_async_mode_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("ASYNC_MODE", "asyncio")
    with pytest.raises(ConfigurationError, match="^ASYNC_MODE='asyncio' cannot be used: it must be one of gevent, eventlet, threading"):
        async_mode()

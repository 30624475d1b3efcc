"""redis_connection.py: the addresses REDIS_URL may hold, and how they are shown."""
import pytest

from redis_connection import CONNECT_TIMEOUT, message_queue, redis_address, without_password


@pytest.mark.parametrize(
    ("given", "read_as"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("rediss://cache.example:6380/1", "rediss://cache.example:6380/1"),
        ("valkey://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("valkeys://cache.example:6380/1", "rediss://cache.example:6380/1"),
    ],
)
def test_valkey_addresses_are_read_as_redis_ones(given, read_as):
    assert redis_address(given) == read_as


def test_a_password_is_never_shown():
    assert without_password("redis://chat:s3cret@127.0.0.1:6379/0") == "redis://chat:***@127.0.0.1:6379/0"
    assert without_password("redis://:s3cret@127.0.0.1:6379/0") == "redis://:***@127.0.0.1:6379/0"
    assert without_password("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_the_chat_relay_connects_to_redis_as_the_rest_of_the_app_does():
    """python-socketio's relay opens a Redis client of its own: it gets the
    connect timeout, keepalive and health checks too, so that a Redis lost
    without a word does not hold a publish, or the relay's listening, forever."""
    relay = message_queue("redis://127.0.0.1:6379/0")
    relay._redis_connect()  # makes the client; nothing is sent until it is used
    options = relay.redis.connection_pool.connection_kwargs
    assert options["socket_connect_timeout"] == CONNECT_TIMEOUT
    assert options["socket_keepalive"] is True
    assert options["health_check_interval"] > 0

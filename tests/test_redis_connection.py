"""redis_connection.py: the addresses REDIS_URL may hold, and how they are shown."""
import pytest

from redis_connection import redis_address, without_password


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

"""The users store: local users and GitHub users side by side."""
import pytest

from connection import GitHubProfile, GitHubUser, User, UsersStore

OCTOCAT = GitHubProfile(
    github_id=583231,
    username="octocat",
    name="The Octocat",
    avatar_url="https://avatars.githubusercontent.com/u/583231",
    email=None,
)


@pytest.fixture
def users(tmp_path):
    return UsersStore(str(tmp_path / "users.sqlite3"))


def test_first_github_sign_in_creates_the_user(users):
    user = users.upsert_github_user(OCTOCAT)
    assert isinstance(user, GitHubUser)
    assert (user.github_id, user.username, user.name) == (583231, "octocat", "The Octocat")
    assert user.login_count == 1
    assert user.created_on == user.last_login


def test_next_github_sign_in_counts_and_refreshes_the_profile(users):
    first = users.upsert_github_user(OCTOCAT)
    again = users.upsert_github_user(
        GitHubProfile(583231, "octocat", "Mona", OCTOCAT.avatar_url, "mona@example.com")
    )
    assert again.id == first.id
    assert again.login_count == 2
    assert again.last_login > first.last_login
    assert again.created_on == first.created_on
    assert (again.name, again.email) == ("Mona", "mona@example.com")


def test_github_user_is_found_again_by_session_id(users):
    user = users.upsert_github_user(OCTOCAT)
    assert users.find_by_id(user.get_id()) == user


def test_local_and_github_user_with_one_name_are_two_accounts(users):
    local = users.insert("octocat", "hash")
    github = users.upsert_github_user(OCTOCAT)
    assert local.get_id() != github.get_id()
    assert users.find_by_id(local.get_id()) == local
    assert users.find_by_id(github.get_id()) == github
    assert users.find_by_username("octocat") == local, "a GitHub user must never log in with a local password"


def test_github_user_does_not_take_a_local_name(users):
    users.upsert_github_user(OCTOCAT)
    assert isinstance(users.insert("octocat", "hash"), User)


def test_chat_tells_github_users_from_local_users(users):
    local = users.insert("octocat", "hash")
    github = users.upsert_github_user(OCTOCAT)
    assert local.display_name == "octocat"
    assert github.display_name == "octocat (GitHub)"


@pytest.mark.parametrize("user_id", ["github:999", "github:", "github:abc", "999", "abc"])
def test_unknown_session_id_finds_nobody(users, user_id):
    users.upsert_github_user(OCTOCAT)
    assert users.find_by_id(user_id) is None

"""SSH keys: one key opens one account; the service refuses what is not one public key; the host
key is made once, 0600, and reused; ``overload user key`` and ``overload serve --print-fingerprint``."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from overload_tui.domain.errors import ConflictError, NotFoundError, ValidationError
from overload_tui.services.ssh_keys import SshKeyDirectory, SshKeyService, asyncssh_module, parse_public_key
from tests.serve.helpers import new_key, public_text

asyncssh = asyncssh_module()


def test_a_key_belongs_to_one_account_only(services, alice, bob):
    key = public_text(new_key())
    added = SshKeyService(services.db, alice.id).add(key + " alice@phone")
    assert added.fingerprint.startswith("SHA256:") and added.comment == "alice@phone"
    with pytest.raises(ConflictError, match="another account") as clash:
        SshKeyService(services.db, bob.id).add(key)
    assert clash.value.field == "public_key"
    with pytest.raises(ConflictError, match="this account"):
        SshKeyService(services.db, alice.id).add(key)
    owner = SshKeyDirectory(services.db).owner(added.fingerprint)
    assert (owner.user_id, owner.username) == (alice.id, "alice")
    assert [k.fingerprint for k in SshKeyService(services.db, bob.id).keys()] == []


def test_remove_only_ones_own_key(services, alice, bob):
    mine = SshKeyService(services.db, alice.id).add(public_text(new_key()))
    with pytest.raises(NotFoundError) as theirs:
        SshKeyService(services.db, bob.id).remove(mine.id)
    with pytest.raises(NotFoundError) as missing:
        SshKeyService(services.db, bob.id).remove(2_000_000_000)
    assert str(theirs.value) == str(missing.value)
    assert SshKeyDirectory(services.db).owner(mine.fingerprint) is not None
    SshKeyService(services.db, alice.id).remove(mine.id)
    assert SshKeyDirectory(services.db).owner(mine.fingerprint) is None


def test_deleting_an_account_deletes_its_keys(services, alice):
    key = SshKeyService(services.db, alice.id).add(public_text(new_key()))
    services.auth.delete_account(alice.id, "correct horse")
    assert SshKeyDirectory(services.db).owner(key.fingerprint) is None


def test_mark_used_stamps_the_key(services, alice):
    key = SshKeyService(services.db, alice.id).add(public_text(new_key()))
    SshKeyDirectory(services.db).mark_used(key.fingerprint)
    assert SshKeyService(services.db, alice.id).keys()[0].last_used_at is not None


@pytest.mark.parametrize("text, words", [
    ("", "empty"),
    ("hello", "not an SSH public key"),
    ("ssh-ed25519 AAAAnot-base64!", "not an SSH public key"),
    (None, "empty"),
])
def test_what_is_not_a_public_key_is_refused(text, words):
    with pytest.raises(ValidationError, match=words) as refused:
        parse_public_key(text)
    assert refused.value.field == "public_key"


def test_private_keys_weak_keys_and_several_keys_are_refused():
    key = new_key()
    with pytest.raises(ValidationError, match="private key"):
        parse_public_key(key.export_private_key("openssh").decode())
    with pytest.raises(ValidationError, match="1024 bits"):
        parse_public_key(public_text(asyncssh.generate_private_key("ssh-rsa", key_size=1024)))
    with pytest.raises(ValidationError, match="one key at a time"):
        parse_public_key(public_text(key) + "\n" + public_text(new_key()))
    rfc = key.export_public_key("rfc4716").decode()  # the other .pub format is fine
    assert parse_public_key(rfc).fingerprint == key.get_fingerprint("sha256")


def test_the_fingerprint_is_the_one_ssh_keygen_prints(tmp_path):
    key = new_key()
    path = tmp_path / "k.pub"
    path.write_text(public_text(key))
    try:
        out = subprocess.run(["ssh-keygen", "-lf", str(path)], capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        pytest.skip("ssh-keygen is not installed")
    assert out.split()[1] == parse_public_key(public_text(key)).fingerprint


# -- the host key -------------------------------------------------------------------------------------
def test_host_key_is_made_once_0600_and_reused(tmp_path):
    from overload_tui import paths
    from overload_tui.serve.hostkey import host_key_path, load_host_key

    first = load_host_key(tmp_path)
    path = host_key_path(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_host_key(tmp_path).get_fingerprint("sha256") == first.get_fingerprint("sha256")
    os.chmod(path, 0o644)
    with pytest.raises(paths.InsecureFileError):
        load_host_key(tmp_path)


def _overload(env, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "overload_tui", *args], input=stdin, text=True,
                          capture_output=True, env={**os.environ, **env}, timeout=120)


def test_key_commands_and_print_fingerprint(tmp_path, database_url):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    env = {"OVERLOAD_DATA_DIR": str(data), "DATABASE_URL": database_url}
    assert _overload(env, "user", "add", "alice", "--email", "a@x.io", stdin="correct horse battery\n").returncode == 0
    key = new_key()
    pub = tmp_path / "id_ed25519.pub"
    pub.write_text(public_text(key) + " alice@phone\n")
    added = _overload(env, "user", "key", "add", "alice", str(pub))
    assert added.returncode == 0, added.stderr
    assert key.get_fingerprint("sha256") in added.stdout
    again = _overload(env, "user", "key", "add", "alice", str(pub))
    assert again.returncode == 1 and "already registered" in again.stderr
    listed = _overload(env, "user", "key", "list")
    assert "alice" in listed.stdout and "alice@phone" in listed.stdout and "last used never" in listed.stdout
    nobody = _overload(env, "user", "key", "add", "zed", str(pub))
    assert nobody.returncode == 1 and "no user called 'zed'" in nobody.stderr
    removed = _overload(env, "user", "key", "remove", "alice", key.get_fingerprint("sha256"))
    assert removed.returncode == 0, removed.stderr
    assert _overload(env, "user", "key", "list", "alice").stdout == ""

    first = _overload(env, "serve", "--print-fingerprint")
    second = _overload(env, "serve", "--print-fingerprint")
    assert first.returncode == 0 and first.stdout == second.stdout and first.stdout.startswith("SHA256:")
    assert stat.S_IMODE((data / "ssh_host_ed25519_key").stat().st_mode) == 0o600

"""The server's SSH host key: generated once (ed25519) into the data directory, 0600, and reused,
so clients see the same fingerprint every time the server starts."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from overload_tui import paths
from overload_tui.services.ssh_keys import asyncssh_module

HOST_KEY_NAME = "ssh_host_ed25519_key"


def host_key_path(directory: Path | None = None) -> Path:
    return (directory if directory is not None else paths.data_dir()) / HOST_KEY_NAME


def _fix(path: Path) -> str:
    return (f"move it out of the way (mv {path} {path}.broken) and overload serve makes a new one"
            " (clients will then warn that the host key changed)")


def load_host_key(directory: Path | None = None):
    """The host key (an ``asyncssh.SSHKey``), made on first use. A key file that group or others
    can read is refused (``paths.InsecureFileError``); two servers starting at once agree on one
    key (written whole under another name, then linked into place)."""
    asyncssh = asyncssh_module()
    path = host_key_path(directory)
    text = paths.read_private_file(path, _fix(path))
    if text is None:
        key = asyncssh.generate_private_key("ssh-ed25519", comment="overload serve")
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(key.export_private_key("openssh"))
                fh.flush()
                os.fsync(fh.fileno())
            os.link(tmp, path)
        except FileExistsError:  # another server made it first: use theirs
            text = paths.read_private_file(path, _fix(path))
        else:
            return key
        finally:
            tmp.unlink(missing_ok=True)
    try:
        return asyncssh.import_private_key(text or "")
    except (asyncssh.KeyImportError, ValueError) as error:
        raise paths.UnreadableFileError(path, "unreadable", f"is not an SSH private key ({error})",
                                        _fix(path)) from None


def fingerprint(key) -> str:
    """``SHA256:...``, as ``ssh`` shows it when it first meets the server."""
    return key.get_fingerprint("sha256")


def public_line(key) -> str:
    """The host key's public half as one OpenSSH line (for a known_hosts file)."""
    return key.export_public_key("openssh").decode("ascii").strip()

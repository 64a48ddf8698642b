"""Secrets kept out of sight: files only their owner can read, and URLs shown without passwords.

A key or secret file is created with mode 0600 by the call that creates it (``os.open`` with
the mode), never written first and narrowed afterwards: between the two steps anyone on the
machine could open it, and an open file descriptor outlives a later ``chmod``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

FILE_MODE = 0o600
DIR_MODE = 0o700
MASK = "***"


def private_dir(path: Path) -> Path:
    """``path`` as a directory, created 0700 when it is new (an existing one is left as it
    is: it may be a directory the operator shares on purpose)."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    return path


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``, readable by its owner only from the first byte."""
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)  # a reader sees the old file or the whole new one


def secret_in(path: Path) -> str:
    """The secret kept in ``path``, made there on first use when there is none.

    Every process of one deployment shares the file, and several may start at once: the
    secret is written whole to a private temporary file, then linked into place, which fails
    for all but the first; everyone then reads the winner's, never a half-written file.
    """
    if not path.exists():
        private_dir(path.parent)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: theirs is the one
        finally:
            temporary.unlink(missing_ok=True)
    secret = read_secret(path)
    if not secret:
        raise ValueError(f"{path} is empty: delete it to have a new secret made")
    return secret


def read_secret(path: Path) -> str:
    """The secret in ``path``; empty when there is none yet."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


def masked(url: str) -> str:
    """``url`` with any password replaced by ``***``, fit for a log line or a terminal.

    Works for database URLs (``postgresql://user:pw@host/db``) and Redis URLs
    (``redis://:pw@host:6379/0``) alike; a URL without a password comes back unchanged.
    """
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        return MASK  # not a URL we can read: show nothing of it rather than a secret
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    netloc = f"{user}:{MASK}@{host}{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))

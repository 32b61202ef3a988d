"""Memo files that prove they are the ones this user's runs wrote: an HMAC over every file.

Why: the memo keeps compiled ``regex`` code, and ``regex`` builds a pattern from that code in C
without checking it. One damaged byte crashed the process (a segmentation fault, nothing on
stderr), and a file planted in a shared or world-writable cache folder could do the same on
purpose; a damaged pack memo could even change which rules run. So every memo file is written
as ``MAGIC + HMAC-SHA256(key, payload) + payload`` and read back only when the HMAC matches.
Anything else (a flipped byte, a truncated write, a file from another user or an older
version) reads as missing: it costs one slower start-up, never a crash or a different result.

The key is 32 random bytes in ``memo.key`` inside the cache folder, created by the first run
with mode 0600. It is used only when it belongs to the user running now and nobody else can
read or replace it; otherwise the memo is not used at all. Checking is one hash over each file,
cheap beside the compiling the memo saves.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import tempfile
from pathlib import Path

MAGIC = b"policy-classifier memo 1\n"
KEY_FILE = "memo.key"
KEY_BYTES = 32
_DIGEST = hashlib.sha256().digest_size


def memo_key(folder: Path) -> bytes | None:
    """This user's key for ``folder``, created on first use; None when no trustworthy key can
    be had (a folder we cannot write, a key file of another user or readable by others)."""
    path = folder / KEY_FILE
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    key = _read_key(path)
    if key is not None:
        return key
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    except FileExistsError:  # another process made it first, or a file we do not trust
        return _read_key(path)
    except OSError:
        return None
    try:
        os.write(fd, os.urandom(KEY_BYTES))
    except OSError:
        return None
    finally:
        os.close(fd)
    return _read_key(path)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077
                or (hasattr(os, "geteuid") and info.st_uid != os.geteuid())):
            return None
        key = os.read(fd, KEY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return key if len(key) == KEY_BYTES else None


def seal(key: bytes, payload: bytes) -> bytes:
    """``payload`` with its header and HMAC, as written to disk."""
    return MAGIC + hmac.new(key, payload, hashlib.sha256).digest() + payload


def unseal(key: bytes, blob: bytes) -> bytes | None:
    """The payload of a sealed ``blob``, or None if it is not one this key sealed."""
    head = len(MAGIC) + _DIGEST
    if len(blob) < head or not blob.startswith(MAGIC):
        return None
    mac, payload = blob[len(MAGIC):head], blob[head:]
    if not hmac.compare_digest(mac, hmac.new(key, payload, hashlib.sha256).digest()):
        return None
    return payload


def read_sealed(path: Path, key: bytes | None) -> bytes | None:
    """The verified payload of the memo file ``path``; None if missing, damaged or foreign."""
    if key is None:
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    return unseal(key, blob)


def write_sealed(path: Path, key: bytes | None, payload: bytes) -> bool:
    """Write ``payload`` sealed, atomically (a temporary file renamed over ``path``); False
    when it cannot be written, which only means the next run works it out again."""
    if key is None:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(seal(key, payload))
        os.replace(temp, path)
        return True
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
        return False

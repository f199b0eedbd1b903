"""File hashes without MuPDF: the window's crash gate asks before MuPDF is loaded."""

from __future__ import annotations

import os


def sha256_of_file(path: str | os.PathLike[str]) -> str:
    """The file's SHA-256; answers are reused while a file's size and modification time stay
    the same (the window's crash gate and ``info`` both ask at every open)."""
    stat = os.stat(path)
    key = (os.path.realpath(path), stat.st_size, stat.st_mtime_ns)
    known = _recent_hashes.get(key)
    if known is not None:
        return known
    import hashlib  # here: OpenSSL's 7 ms are spent by the callers that hash, not every importer

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    sha = digest.hexdigest()
    if len(_recent_hashes) >= 8:
        _recent_hashes.clear()
    _recent_hashes[key] = sha
    return sha


_recent_hashes: dict[tuple[str, int, int], str] = {}

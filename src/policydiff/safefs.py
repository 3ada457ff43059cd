"""Files written without following links: every file policydiff writes goes through here.

Why: an output folder may be shared with other users (a batch dataset on a group drive, a cache under
``/tmp``). Anyone who can write there can plant a symbolic link where policydiff is about to write
(``OUT/_cache/X.json`` → ``~/.bashrc``); a plain ``open(path, "w")`` follows it and overwrites the
target with the user's rights. So:

* a file is written to a new temporary file in the target folder, created with ``O_CREAT | O_EXCL |
  O_NOFOLLOW`` (it cannot already exist, nor be a link), then renamed over the target with
  ``os.replace`` (atomic; a rename replaces a link planted in between, never writes through it);
* a link already at the target is refused with a one-line ``InputError`` (exit 2 from the CLI), so the
  user learns that someone planted it;
* with ``root`` (a folder the tool owns, such as a batch ``OUT``), every folder between ``root`` and the
  file is opened with ``O_NOFOLLOW`` relative to its parent's descriptor (``dir_fd``), and created if
  missing: a link planted in place of ``OUT/changes`` or ``OUT/_cache`` is refused, and swapping one in
  while the tool runs does not redirect the write;
* ``private_dir`` makes a folder only its owner can enter (0o700), refusing one that is a link or
  belongs to someone else; ``FolderLock`` holds an ``flock`` on a lock file in a folder, so two runs
  cannot write one dataset at once.

The folder a user names (``-o report.html``'s folder, the batch ``OUT`` itself) is taken as given,
links included: that is the user's own choice, not something planted below it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from .model import InputError

StrPath = str | os.PathLike[str]

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC

FILE_MODE = 0o666
"""Mode of new files before the umask, as ``open(path, "w")`` would give them: outputs are meant to be
shared as the user's umask says; only caches are private (``PRIVATE_MODE``)."""
DIR_MODE = 0o777
"""Mode of new folders before the umask, as ``mkdir`` gives them."""
PRIVATE_MODE = 0o700
"""Folders only their owner may list, enter or write: caches of parsed documents, so that no other user
can plant or read a file in them."""

LOCK_NAME = ".policydiff.lock"
"""The lock file ``FolderLock`` holds in a folder. It stays after the run (removing a lock file races
with the next run opening it); it is empty apart from the process id of the holder."""

_LINK_HINT = "remove the link or choose another path; policydiff never writes through a symbolic link"


def _link_error(path: StrPath) -> InputError:
    return InputError(str(path), "is a symbolic link", _LINK_HINT)


def _open_dir(fd: int | None, name: str, where: Path, create: bool, mode: int) -> int:
    """Open folder ``name`` (relative to ``fd``) without following a link; create it when ``create``."""
    for _ in range(2):
        try:
            return os.open(name, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
        except FileNotFoundError:
            if not create:
                raise
            with contextlib.suppress(FileExistsError):  # another process made it first: open that one
                os.mkdir(name, mode, dir_fd=fd)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                st = os.stat(name, dir_fd=fd, follow_symlinks=False)
                if stat.S_ISLNK(st.st_mode):
                    raise _link_error(where) from None
                raise InputError(str(where), "is not a folder", "remove it or choose another path") from None
            raise
    return os.open(name, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=fd)


@contextlib.contextmanager
def _parent(path: Path, root: StrPath | None, create: bool = True) -> Iterator[int]:
    """A descriptor of ``path``'s folder: opened as given without ``root``; else walked down from ``root``
    one folder at a time without following links (and created where missing, when ``create``)."""
    if root is None:
        fd = os.open(path.parent, _DIR_FLAGS)
    else:
        base = Path(root)
        try:
            parts = path.parent.relative_to(base).parts
        except ValueError:
            raise InputError(str(path), f"is outside {base}", "this is a bug; please report it") from None
        fd = os.open(base, _DIR_FLAGS)
        try:
            where = base
            for part in parts:
                where = where / part
                child = _open_dir(fd, part, where, create, DIR_MODE)
                os.close(fd)
                fd = child
        except BaseException:
            os.close(fd)
            raise
    try:
        yield fd
    finally:
        os.close(fd)


def _refuse_link(fd: int, name: str, path: Path) -> os.stat_result | None:
    """The target's own status (not a link's target's), or None when it does not exist; a link is refused."""
    try:
        st = os.stat(name, dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        raise _link_error(path)
    if stat.S_ISDIR(st.st_mode):
        raise InputError(str(path), "is a folder", "give a file name")
    return st


def write_bytes(path: StrPath, data: bytes, *, root: StrPath | None = None) -> None:
    """Write ``data`` to ``path`` atomically and without following links.

    A new temporary file in the same folder (``O_EXCL | O_NOFOLLOW``) is renamed over ``path``, so readers
    see the old file or the new one, never a part; a killed process leaves at most a hidden ``.pd-*.tmp``.
    A FIFO or device at ``path`` (``-o /dev/null``) is written in place, since it cannot be renamed over.

    Raises:
        InputError: ``path`` (or, with ``root``, a folder between ``root`` and it) is a symbolic link, or a
            folder.
        OSError: the folder cannot be written (permissions, disk full).
    """
    target = Path(path)
    name = target.name
    with _parent(target, root) as fd:
        st = _refuse_link(fd, name, target)
        if st is not None and not stat.S_ISREG(st.st_mode):
            out = os.open(name, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
            with os.fdopen(out, "wb") as fh:
                fh.write(data)
            return
        tmp = f".pd-{secrets.token_hex(8)}.tmp"
        out = os.open(tmp, _NEW_FILE_FLAGS, FILE_MODE, dir_fd=fd)
        try:
            with os.fdopen(out, "wb") as fh:
                fh.write(data)
            os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=fd)
            raise


def write_text(path: StrPath, text: str, *, root: StrPath | None = None) -> None:
    """``write_bytes`` of ``text`` in UTF-8."""
    write_bytes(path, text.encode("utf-8"), root=root)


def read_bytes(path: StrPath, limit: int, *, root: StrPath | None = None) -> bytes:
    """The bytes of a regular file, read without following links, at most ``limit`` of them.

    Raises:
        InputError: a link, not a regular file, or larger than ``limit``.
        OSError: it cannot be opened (missing, permissions).
    """
    target = Path(path)
    with _parent(target, root, create=False) as fd:
        try:
            inp = os.open(target.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise _link_error(target) from None
            raise
    with os.fdopen(inp, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise InputError(str(target), "is not a regular file", "remove it")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError(str(target), f"is larger than {limit:,} bytes", "remove it")
    return data


def remove(path: StrPath, *, root: StrPath | None = None) -> None:
    """Delete the file (or link) ``path`` if it exists; with ``root``, only through real folders below it."""
    target = Path(path)
    try:
        with _parent(target, root, create=False) as fd:
            os.unlink(target.name, dir_fd=fd)
    except FileNotFoundError:
        pass


def make_dirs(path: StrPath, *, root: StrPath) -> None:
    """Create the folders from ``root`` down to ``path`` (itself included) without following links."""
    with _parent(Path(path) / "_", root):
        pass


def private_dir(path: StrPath, *, root: StrPath) -> None:
    """Make ``path`` (a folder below ``root``) a folder only this user can enter: created with mode 0o700,
    or, when it exists, checked to be a real folder owned by this user and set to 0o700.

    Raises:
        InputError: it is a link, not a folder, or belongs to another user.
    """
    target = Path(path)
    with _parent(target, root) as parent:
        with contextlib.suppress(FileExistsError):
            os.mkdir(target.name, PRIVATE_MODE, dir_fd=parent)
        fd = _open_dir(parent, target.name, target, create=False, mode=PRIVATE_MODE)
    try:
        st = os.fstat(fd)
        if st.st_uid != os.geteuid():
            raise InputError(str(target), "belongs to another user",
                             "remove it, or choose an output folder that only you write to")
        os.fchmod(fd, PRIVATE_MODE)
    finally:
        os.close(fd)


class FolderLock:
    """An exclusive ``flock`` on ``FOLDER/.policydiff.lock`` for as long as the ``with`` block runs.

    A second process asking for the same folder's lock gets an ``InputError`` at once (it does not wait):
    two batch runs writing one dataset would overwrite each other's files and mark documents unreadable.
    The lock belongs to the open file, so it is released when the process ends, however it ends."""

    def __init__(self, folder: StrPath, what: str = "policydiff") -> None:
        self.folder = Path(folder)
        self.what = what
        self.fd: int | None = None

    def __enter__(self) -> FolderLock:
        path = self.folder / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise _link_error(path) from None
            raise InputError(str(self.folder), f"cannot write there ({exc.strerror})",
                             "choose another output folder") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise InputError(str(self.folder), f"another {self.what} is writing to this folder",
                                 "wait for it to finish, or choose another output folder") from None
            raise
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the last descriptor of the open file releases the lock
            self.fd = None

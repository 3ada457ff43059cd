"""What every reader shares: the ``Source`` it returns and the input limits it enforces.

The limits exist so that a hostile or mistaken input is refused *before* memory grows: a file is read
with a cap, a ZIP member (DOCX, OFD) is inflated in chunks and abandoned at the cap, whatever its header
claims. ``docs/inputs.md`` lists them.
"""

from __future__ import annotations

import os
import select
import stat
import time
import zipfile
import zlib
from typing import Any

import attrs

from ..model import InputError
from ..text import printable

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest input file read (64 MiB). A yearly work document is 10–100 KB of text; a 公文 PDF with its
fonts embedded is a few MB; 64 MiB leaves room for image-heavy PDFs while refusing disk images and
`/dev/zero` before they fill memory."""

MAX_TEXT_BYTES = 16 * 1024 * 1024
"""Largest text or HTML input (16 MiB): 200× the longest State Council report (≈ 80 KB as UTF-8), so
never a real document, yet small enough that the parser's memory stays bounded."""

MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
"""Most bytes inflated from one DOCX or OFD package, all members together (64 MiB). A 100-page DOCX's
XML is under 5 MB; a 1.5 MB zip bomb that would inflate to gigabytes stops here within a fraction of a
second."""

MAX_ZIP_MEMBERS = 20_000
"""Most entries a DOCX/OFD package may list: real ones hold tens (DOCX) to a few thousand (OFD pages,
fonts, images); millions of empty entries are a way to exhaust memory through the central directory."""

PIPE_IDLE_SECONDS = 10.0
"""How long a pipe or FIFO may stay silent before we give up: a writer that has produced nothing for
10 s is almost certainly not coming (a FIFO with no writer would otherwise block for ever)."""

_CHUNK = 1 << 20


@attrs.frozen
class Source:
    """A decoded input: the text spans point into, what it was read from, and found metadata."""

    path: str
    text: str
    source_format: str
    metadata: dict[str, str] = attrs.field(factory=dict)
    warnings: tuple[str, ...] = ()
    """What the reader had to guess or leave out (a charset overruled, a list start clamped, text PDFium
    cannot read); ``policydiff.read`` puts them first in ``Document.warnings``."""


def element_text(el: Any) -> str:
    """An XML element's own text with the text after each child: ``X&xxe;:END`` → ``X:END``.

    DOCX and OFD parts are parsed with ``resolve_entities=False`` (no file or URL is ever read for an
    XXE), and lxml keeps the text that follows an unresolved entity reference, a comment or a
    processing instruction as that node's tail; reading only ``el.text`` dropped it (finding 9). The
    reference itself is left out: its value is not ours to trust.
    """
    return (el.text or "") + "".join(child.tail or "" for child in el)


def read_file_capped(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a regular file, pipe or FIFO with a size cap; refuse devices and directories.

    A FIFO is opened non-blocking, so one without a writer reads as empty instead of hanging; a pipe
    whose writer stalls for ``PIPE_IDLE_SECONDS`` is refused.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise InputError(path, "no such file", "check the path") from exc
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})", "check the path and its permissions") from exc
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise InputError(path, "is a directory, not a document", "name one file per year")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
        raise InputError(path, "is a device or socket, not a document", "save the document to a file first")
    if stat.S_ISREG(mode) and st.st_size > limit:
        raise InputError(path, f"is {st.st_size / 2**20:.1f} MiB, over the {limit / 2**20:.0f} MiB input limit",
                         "give the document itself, not an archive or image of it")
    if stat.S_ISFIFO(mode):
        return _read_pipe(path, limit)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})", "check its permissions") from exc
    if len(data) > limit:
        raise InputError(path, f"is over the {limit / 2**20:.0f} MiB input limit", "give the document itself")
    return data


def _read_pipe(path: str, limit: int) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})", "check its permissions") from exc
    chunks: list[bytes] = []
    size = 0
    try:
        deadline = time.monotonic() + PIPE_IDLE_SECONDS
        while True:
            # Read first: a FIFO that no writer has opened reads as end-of-file at once (select would
            # not wake for it); a writer with nothing to say yet raises BlockingIOError and we wait.
            try:
                chunk = os.read(fd, _CHUNK)
            except BlockingIOError:
                ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    raise InputError(path, f"is a pipe that sent nothing for {PIPE_IDLE_SECONDS:.0f} s",
                                     "start the writer first, or save the document to a file") from None
                continue
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputError(path, f"sent more than the {limit / 2**20:.0f} MiB input limit",
                                 "give the document itself")
            deadline = time.monotonic() + PIPE_IDLE_SECONDS
    finally:
        os.close(fd)
    return b"".join(chunks)


class ZipReader:
    """Reads members of a DOCX/OFD package within ``MAX_UNZIPPED_BYTES`` in total.

    Sizes in ZIP headers can lie, so members are inflated in chunks and the count is of bytes actually
    produced; the declared sizes are checked first so that an honest bomb is refused without inflating.
    """

    def __init__(self, data: bytes, path: str, kind: str) -> None:
        import io

        self.path = path
        self.kind = kind
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise InputError(path, f"is a damaged ZIP/{kind} file", "save the document again") from exc
        if len(infos) > MAX_ZIP_MEMBERS:
            raise InputError(path, f"is a ZIP with {len(infos)} entries, over the limit of {MAX_ZIP_MEMBERS}",
                             f"give a {kind} document")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNZIPPED_BYTES:
            raise InputError(path, f"would inflate to {declared / 2**20:.0f} MiB, over the "
                             f"{MAX_UNZIPPED_BYTES / 2**20:.0f} MiB limit for {kind} packages",
                             "this is not an ordinary document (a zip bomb?); check where it came from")
        self.names = {i.filename for i in infos}
        self.used = 0

    def read(self, name: str) -> bytes:
        """The member's bytes; refuses once the package has produced ``MAX_UNZIPPED_BYTES`` in total."""
        out: list[bytes] = []
        try:
            with self.zf.open(name) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    self.used += len(chunk)
                    if self.used > MAX_UNZIPPED_BYTES:
                        raise InputError(self.path, f"inflates past the {MAX_UNZIPPED_BYTES / 2**20:.0f} MiB limit "
                                         f"for {self.kind} packages", "this is not an ordinary document (a zip "
                                         "bomb?); check where it came from")
                    out.append(chunk)
        except RuntimeError as exc:  # zipfile's word for an encrypted member without a password
            raise InputError(self.path, f"has an encrypted (password-protected) part {printable(name)}",
                             f"remove the password and save the {self.kind} again") from exc
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError,
                zlib.error) as exc:
            raise InputError(self.path, f"has a damaged {printable(name)} ({exc})", "save the document again") from exc
        return b"".join(out)

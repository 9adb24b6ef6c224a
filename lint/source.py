"""Reading a file: bytes to text and physical lines, whatever the encoding or line ends."""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys

from .model import Source

_LINE_END = re.compile(r"\r\n|\r|\n")
_PIPE_PATH = re.compile(r"^/dev/(?:fd/\d+|stdin)$|^/proc/(?:self|\d+)/fd/\d+$")

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class ReadError(Exception):
    """The path cannot be read at all (missing, a directory, no permission): a usage error."""


class NotText(Exception):
    """The file was read but is not text (binary, NUL bytes, too large): reported as a finding."""

    def __init__(self, rule: str, message: str, size: int):
        super().__init__(message)
        self.rule = rule
        self.size = size


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text: BOMs first, UTF-16 without BOM, UTF-8, then cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return data.decode("utf-32", errors="replace"), "utf-32"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), "utf-16"
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        # UTF-16 without BOM: NULs on every other byte of ASCII text.
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        if odd > 3 * max(even, 1):
            return data.decode("utf-16-le", errors="replace"), "utf-16-le"
        if even > 3 * max(odd, 1):
            return data.decode("utf-16-be", errors="replace"), "utf-16-be"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few stray bytes (one pasted cp1252 character, a cut sequence): decoding it all as
    # cp1252 would garble every accented letter, so keep UTF-8 and mark only the bad bytes.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if good >= 4 * bad:
        return text, "utf-8"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def looks_binary(data: bytes, text: str) -> bool:
    """True for images, archives and other non-text content."""
    if not data:
        return False
    if "\x00" in text[:65536]:
        return True
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    replacement = sample.count("\ufffd")
    return (controls + replacement) > max(8, len(sample) // 50)


def split_lines(text: str) -> list[str]:
    """Physical lines, as an editor numbers them (CRLF, CR and LF each end one line)."""
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_source(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, display: str | None = None) -> Source:
    """Read `path` into a Source. Raises ReadError (cannot read) or NotText (read, but not a notice)."""
    shown = display or path
    if path == "-":  # standard input, read like a pipe
        return source_from_bytes(shown, _read_limited(sys.stdin.buffer, max_bytes))
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ReadError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    size = st.st_size
    if os.path.isdir(path):
        raise ReadError(f"{shown}: is a directory")
    if not stat.S_ISREG(st.st_mode) and not _PIPE_PATH.match(path):
        # A named pipe with no writer would block forever; a device could be endless. The pipes of
        # `vnlint <(cmd)` (/dev/fd/N) and /dev/stdin are read, up to the size limit.
        raise ReadError(f"{shown}: not a regular file (FIFO, socket or device); not read")
    if max_bytes and size > max_bytes:
        raise NotText(
            "file-too-large",
            f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes (max-file-size); not linted",
            size,
        )
    try:
        with open(path, "rb") as fh:
            # Never more than the limit, even if the file grows or is a pipe (`vnlint <(cmd)`).
            data = _read_limited(fh, max_bytes)
    except OSError as exc:
        raise ReadError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    return source_from_bytes(shown, data)


def _read_limited(fh, max_bytes: int) -> bytes:
    if not max_bytes:
        return fh.read()
    data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise NotText(
            "file-too-large",
            f"file is over the limit of {max_bytes:,} bytes (max-file-size); not linted",
            len(data),
        )
    return data


def source_from_bytes(path: str, data: bytes) -> Source:
    text, encoding = decode(data)
    if looks_binary(data, text):
        raise NotText("not-text", "file is binary, not text; not linted", len(data))
    return Source(path=path, text=text, lines=split_lines(text), encoding=encoding, size=len(data))


def source_from_text(path: str, text: str) -> Source:
    return Source(path=path, text=text, lines=split_lines(text), encoding="utf-8", size=len(text.encode()))

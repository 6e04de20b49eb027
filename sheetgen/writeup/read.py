"""A write-up's file → its lines: UTF-8 that was read as Windows-1252 and saved again is repaired
(`âˆ‚` is ∂), and said once as a warning."""

import codecs
import re
from pathlib import Path

from sheetgen.errors import WorkbookError

# bounds on the work: a write-up is a few thousand lines; what is past these is said, not judged
# read and judged: 16 times the longest real write-up here (12.5 KB, seed 002), about 5 s of judging;
# the rest of a longer file is not (1,000,000 took 26 s: 42,553 equations, most of them the same few)
MAX_CHARS = 200_000
MAX_LINE = 100_000  # a line this long is data or a paste, not equations a reader follows (nor tokenized)


def read(path: Path) -> tuple[list[str], list[tuple[int, str]]]:
    """The file's lines, UTF-8 that was read as Windows-1252 and saved again repaired (`âˆ‚` is ∂)."""
    try:
        with open(path, "rb") as f:
            data = f.read(4 * MAX_CHARS + 4)  # a character is at most 4 bytes: what is judged, whatever the encoding
            longer = bool(f.read(1))
    except OSError as e:
        raise WorkbookError(f"{path}: {e.strerror or e}") from None
    try:
        text = _utf16(data)  # Notepad's "Unicode"
    except UnicodeDecodeError:
        raise WorkbookError(f"{path}: not a text file (UTF-16 with a broken character)") from None
    if text is None and b"\0" in data[:8192]:
        raise WorkbookError(f"{path}: not a text file")
    try:
        text = data.decode("utf-8-sig") if text is None else text
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # an 8-bit file of its own
    warnings = []
    if longer or len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        if len(text) - text.rfind("\n") <= MAX_LINE:  # whole lines only (one too long is said to be, below)
            text = text[: text.rfind("\n")]
        last = text.count("\n") + 1
        warnings.append((None, f"only its first {MAX_CHARS:,} characters (lines 1 to {last:,}) are read: a write-up "
                               "is far shorter; the rest is not judged"))  # fmt: skip
    lines, repaired = [], []
    for n, line in enumerate(text.splitlines(), 1):
        lines.append(_MISREAD.sub(lambda m, n=n: _repair(m, repaired, n), line))
    if repaired:
        n, bad, good = repaired[0]
        warnings.append((n, f"mis-encoded UTF-8 (read as Windows-1252 and saved again): {len(repaired)} "
                            f"places read as UTF-8 again, e.g. {bad!r} as {good!r}"))  # fmt: skip
    return lines, warnings


def _utf16(data: bytes) -> str | None:
    """The text of a UTF-16 (or UTF-32) file by its byte-order mark, as Notepad's "Unicode" saves one,
    or of one without a mark whose every other byte is mostly NUL (Latin text in UTF-16); else None."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            return data.decode(codec)
    head = data[:8192]
    half = len(head) // 2
    if half >= 2 and len(data) % 2 == 0:  # text of Latin letters: most characters have a NUL high byte
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > 0.6 * half and even < 0.1 * half:
            return data.decode("utf-16-le")
        if even > 0.6 * half and odd < 0.1 * half:
            return data.decode("utf-16-be")
    return None


# The byte each character stands for in UTF-8 read as Windows-1252: its five unassigned bytes come
# through as themselves, and an emoji's F0 as ğ where the file went through Windows-1254 (Turkish).
_BYTE = {bytes([b]).decode("cp1252", "ignore") or chr(b): b for b in range(0x80, 0x100)} | {"ğ": 0xF0}


def _chars(low: int, high: int) -> str:
    return "[" + re.escape("".join(c for c, b in _BYTE.items() if low <= b <= high)) + "]"


_MISREAD = re.compile(  # a lead byte and its continuation bytes: one UTF-8 character of 2, 3 or 4 bytes
    f"{_chars(0xC2, 0xDF)}{_chars(0x80, 0xBF)}|{_chars(0xE0, 0xEF)}{_chars(0x80, 0xBF)}{{2}}"
    f"|{_chars(0xF0, 0xF4)}{_chars(0x80, 0xBF)}{{3}}"
)


def _repair(m: re.Match, repaired: list, line: int) -> str:
    try:
        char = bytes(_BYTE[c] for c in m[0]).decode("utf-8")
    except UnicodeDecodeError:  # looked like one, is not: left as written
        return m[0]
    repaired.append((line, m[0], char))
    return char

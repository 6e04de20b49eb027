"""A write-up's file → its lines: UTF-8 that was read as Windows-1252 and saved again is repaired
(`âˆ‚` is ∂), and said once as a warning."""

import re
from pathlib import Path

from sheetgen.errors import WorkbookError


def read(path: Path) -> tuple[list[str], list[tuple[int, str]]]:
    """The file's lines, UTF-8 that was read as Windows-1252 and saved again repaired (`âˆ‚` is ∂)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise WorkbookError(f"{path}: {e.strerror or e}") from None
    if b"\0" in data[:8192]:
        raise WorkbookError(f"{path}: not a text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # an 8-bit file of its own
    lines, repaired = [], []
    for n, line in enumerate(text.splitlines(), 1):
        lines.append(_MISREAD.sub(lambda m, n=n: _repair(m, repaired, n), line))
    warnings = []
    if repaired:
        n, bad, good = repaired[0]
        warnings.append((n, f"mis-encoded UTF-8 (read as Windows-1252 and saved again): {len(repaired)} "
                            f"places read as UTF-8 again, e.g. {bad!r} as {good!r}"))  # fmt: skip
    return lines, warnings


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

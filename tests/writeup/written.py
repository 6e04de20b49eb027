"""Write-ups the tests write inline: one written to a file and checked, and what it is blamed for."""

from pathlib import Path

from sheetgen import writeup


def check(tmp_path: Path, text: str, name: str = "README.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return writeup.check(path)


def blamed(result) -> dict[int, str]:
    """line -> the quantity blamed there."""
    return {m.line: m.quantity for m in result.mistakes}

"""Any write-up → lines → equations (each line read into equations over the vocabulary's names) →
judge (each equation at random points, each quoted number against its network) → Result."""

from sheetgen.writeup.judge import SUFFIXES, Result, against, check, is_writeup, judgeable

__all__ = ["SUFFIXES", "Result", "against", "check", "is_writeup", "judgeable"]

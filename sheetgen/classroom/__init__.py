"""A teacher's round trip: a roster → one set of numbers per student → exercises, keys and
class.json (sheetgen class); the submissions → each file's student, named by its numbers → grades
(sheetgen check --class)."""

from sheetgen.classroom.classroom import (
    CLASS_FILE,
    EXERCISE,
    Class,
    CsvRows,
    Grade,
    Plan,
    Student,
    checked_before,
    grade,
    grade_one,
    labels,
    load,
    may_write_csv,
    missing,
    plan,
    read_roster,
    settle,
    with_params,
    write,
    write_csv,
)

__all__ = [
    "CLASS_FILE",
    "EXERCISE",
    "Class",
    "CsvRows",
    "Grade",
    "Plan",
    "Student",
    "checked_before",
    "grade",
    "grade_one",
    "labels",
    "load",
    "may_write_csv",
    "missing",
    "plan",
    "read_roster",
    "settle",
    "with_params",
    "write",
    "write_csv",
]

"""One Finding for every kind of report: a wrong cell of a workbook, a wrong line of a write-up, a
warning. Like a linter's diagnostic, a finding is a *kind* (a stable `code`, documented in
docs/diagnoses.md) plus a place plus its arguments; the checkers only append findings, and text,
JSON, the class CSV and the web page render them.

The codes are a public interface: tests assert them, the JSON and the CSV carry them, a teacher's
spreadsheet may filter on them. Rewording a message never changes a code; a new kind of mistake gets
a new code here and a section in docs/diagnoses.md.
"""

from dataclasses import dataclass, field

# code -> what it means, in one line (docs/diagnoses.md says each at length, with an example)
CODES = {
    # a cell (or line) computes another function of what it reads: the change that makes it right
    "swap-reference": "reads another quantity's cell (or names another quantity) where this one's belongs",
    "other-row": "reads the right quantity from another iteration's row",
    "relative-parameter": "reads a parameter (η, a target) by a relative reference that drifts as it is filled down",
    "sign": "the right magnitude with the wrong sign",
    "missing-half": "the loss without its ½ (or with one too many)",
    "one-path": "a hidden weight's gradient through one output only: the path through the other is missing",
    "log-base": "LOG (base 10) where the natural logarithm LN belongs",
    "wrong-parameter": "reads one named parameter where another belongs",
    "two-references": "reads two cells where two others belong: two references wrong at once",
    "typed-number": "a given value typed into the formula as a number, not read from its cell",
    "coincidence": "right at these numbers only: two cells hold the same number here, not in general",
    "circular": "a circular reference",
    "not-live": "a number typed where a formula belongs",
    "empty": "the cell holds no value",
    "stale": "a cached result its own formula does not give",
    "wrong-value": "a wrong value with no single change that explains it",
    "unparsed-formula": "a wrong value whose formula check cannot read, so it cannot say why",
    "wrong-number": "a quoted number that is not the quantity's value at the iteration it is quoted for",
    "wrong-definition": "a wrong definition of σ or σ′",
    "wrong-left-side": "the right side computes another quantity than the left side names",
    "warning": "not a mistake: something the reader should know (a typo in a header, numbers stored as text)",
}

SEVERITIES = ("mistake", "warning")


@dataclass
class Finding:
    code: str  # one of CODES
    where: str  # a workbook's first wrong cell ("Z5"), a write-up's "line 94"
    quantity: str  # the vocabulary's name: "∂E_total/∂w3", "E2"
    message: str  # the diagnosis, in words
    expected: object = None
    got: object = None
    fix: str | None = None  # the first wrong cell's formula as it should read (a workbook), or the right line
    severity: str = "mistake"
    # a workbook's: the first wrong cell's formula as written (None: a typed number), and how many
    # cells of its column are wrong (the same slip, copied down)
    formula: str | None = None
    rows: int = 1
    # the sheet rows (from 0) of its wrong cells in its column: what --mark shades and the web page draws
    wrong_rows: list[int] = field(default_factory=list)

    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"unknown finding code {self.code!r}: add it to sheetgen.finding.CODES")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "where": self.where,
            "quantity": self.quantity,
            "message": self.message,
            "expected": plain(self.expected),
            "got": plain(self.got),
            "fix": self.fix,
        }


def plain(x):
    """A value as JSON and CSV can hold it: a spreadsheet's #NUM! for NaN, text for anything else."""
    if isinstance(x, float) and x != x:
        return "#NUM!"
    return x if isinstance(x, int | float | str | None) else str(x)

"""One write-up judged (Result), and its wrong lines as Findings: rendered as JSON (`--json`), text,
and the class CSV's first mistake."""

from dataclasses import dataclass, field
from pathlib import Path

from sheetgen.finding import Finding


@dataclass
class LineFinding(Finding):
    """A Finding on a line of a write-up: `where` is "line N", `line` is N, `text` the line as written."""

    line: int = 0
    text: str = ""
    # a number that is another quantity where the line names one: (the quantity it is, as `_what_is` says
    # it: "a_h1 at the first iteration"; the name the line gives it: "h1"). What judge reads to tell a
    # notation (the same confusion on two lines) from a slip.
    confused: tuple[str, str] | None = None


def at_line(line: int, text: str, code: str, quantity: str, message: str, expected=None, got=None) -> LineFinding:
    return LineFinding(code, f"line {line}", quantity, message, expected, got, line=line, text=text)


@dataclass
class Result:
    """One write-up judged; like check.FileResult, it gives its JSON (as_dict) and its lines of text."""

    path: Path
    verdict: str = "right"  # right | wrong | no equations | unreadable
    reason: str = ""
    equations: int = 0
    network: str = ""
    mistakes: list[LineFinding] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)  # line None: the whole file's
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, why)
    stated: dict[str, float] = field(default_factory=dict)  # the given values it states: whose numbers it has
    read: list[int] = field(default_factory=list)  # the line of each equation judged
    continued: list[int] = field(default_factory=list)  # lines a row of display math judged above goes on over

    def as_dict(self) -> dict:
        out = {"file": str(self.path), "verdict": self.verdict}
        if self.reason:
            out["reason"] = self.reason
        out["equations"] = self.equations
        out["lines_read"] = sorted(set(self.read) | set(self.continued))  # each source line of an equation judged
        out["network"] = self.network
        out["mistakes"] = [
            {"code": m.code, "line": m.line, "quantity": m.quantity, "text": m.text, "expected": m.expected,
             "diagnosis": m.message}
            for m in self.mistakes
        ]  # fmt: skip
        out["warnings"] = [{"line": n, "text": w} for n, w in self.warnings]
        out["skipped"] = [{"line": n, "text": t, "reason": why} for n, t, why in self.skipped]
        return out

    # for `check --csv` (classroom.grade): a write-up's row, as a workbook's names its first wrong cell
    def first_mistake(self) -> str:
        if not self.mistakes:
            return ""
        m = self.mistakes[0]
        return f"{m.where}: {m.quantity}: {m.message}"

    def note(self) -> str:
        if self.reason or not self.mistakes:
            return self.reason
        return f"{len(self.mistakes)} wrong of {self.equations} equations checked"

    def lines(self) -> list[str]:
        head = {"right": "RIGHT", "wrong": "WRONG", "no equations": "NO EQUATIONS", "unreadable": "UNREADABLE"}
        if self.verdict in ("unreadable", "no equations"):
            return [f"{self.path}: {head[self.verdict]}: {self.reason}"]
        n = len(self.mistakes)
        wrong = f"{n} wrong equation{'s' if n != 1 else ''} of" if n else "none wrong of"
        out = [f"{self.path}: {head[self.verdict]}: {wrong} {self.equations} equations checked ({self.network})"]
        for m in self.mistakes:
            out.append(f"  {m.where}: {m.quantity}: {m.message}")
            out.append(f"      {_short(m.text)}" + (f"   expected {m.expected}" if m.expected else ""))
        lines_of: dict[str, list[int]] = {}  # the same warning on many lines (a_01) is said once
        for n, w in self.warnings:
            lines_of.setdefault(w, []).append(n)
        for w, at in lines_of.items():
            where = f"line{'s' if len(at) > 1 else ''} {', '.join(map(str, at))}: " if at != [None] else ""
            out.append(f"  warning: {where}{w}")
        out += [f"  skipped: line {n}: {_short(t)}   ({why})" for n, t, why in self.skipped]
        return out

    def conclude(self, unjudged: int) -> "Result":
        """The verdict, once every equation is judged; `unjudged`: equations of numbers only, not judged."""
        self.warnings = sorted(dict.fromkeys(self.warnings), key=lambda w: w[0] or 0)
        self.skipped.sort(key=lambda s: s[0])
        if self.mistakes:
            self.verdict = "wrong"
        elif not self.equations and unjudged:  # nothing judged: its numbers were all it had
            self.verdict = "no equations"
            self.reason = next(w for n, w in self.warnings if n is None)
        elif not self.equations:
            self.verdict = "no equations"
            self.reason = (
                "no line reads as an equation of the network's quantities (i1, w1, h1, a_h1, E_total, "
                f"∂E_total/∂w1 …){f'; {len(self.skipped)} skipped' if self.skipped else ''}"
            )
        return self


def _short(text: str, size: int = 100) -> str:
    return text if len(text) <= size else text[: size - 2] + " …"

"""What a formula computes, as a function of the cells it reads: probed at points, never read off the
names of the functions it calls.

`=0.5*(1+TANH(h1/2))`, `=EXP(h1)/(1+EXP(h1))`, `=1/(1+EXP(-h1))`, `=1/(1+1/EXP(h1))` and
`=POWER(1+EXP(-h1),-1)` all compute σ(h1), and are read as σ; `=TANH(h1)` computes tanh;
`=MAX(0,h1)` and `=IF(h1>0,h1,0)` ReLU; `=IF(h1>0,h1,$B$3*h1)` a leaky ReLU. A formula is evaluated
with the one cell it is a function of set to each probe point, every other cell as the sheet holds it.
"""

import functools
import math

from sheetgen.xlsx import excel
from sheetgen.xlsx.reader import Book, Sheet

# points an activation is told apart at: both signs, near 0 and in the tails (tanh(x) ≠ σ(x) anywhere)
PROBES = (-2.3, -0.7, -0.05, 0.4, 1.9)
RTOL = 1e-9


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


KNOWN = {"sigmoid": _sigmoid, "tanh": math.tanh, "relu": lambda x: max(0.0, x)}


Cell = tuple[str, int, int]  # (sheet, row, col)


def _parsed(sheet: Sheet, at: tuple[int, int]):
    formula = sheet.formula(*at)
    return _parse(formula) if isinstance(formula, str) else None


@functools.lru_cache(maxsize=4096)
def _parse(formula: str):
    """A formula's tree, or None: parsed once for every table, and every workbook of a class, that holds
    it (six tabs of one layout hold the same formulas, row for row). Trees are only read, never changed."""
    try:
        return excel.parse(formula)
    except excel.FormulaError:
        return None


def _namer(sheet: Sheet, book: Book | None):
    def name(text):
        if text in sheet.names:
            return excel.Ref(sheet.name, *sheet.names[text])
        ref = book.names.get(text) if book is not None else None
        if ref is not None and ref.sheet is None:
            return excel.Ref(sheet.name, ref.row, ref.col, ref.row_abs, ref.col_abs, ref.end)
        return ref

    return name


def value(sheet: Sheet, book: Book | None, where: Cell):
    """A cell's value, on any sheet of the book."""
    if where[0] == sheet.name:
        return sheet.value(*where[1:])
    other = book.sheet(where[0]) if book is not None else None
    return other.value(*where[1:]) if other is not None else None


def evaluator(sheet: Sheet, book: Book | None, at: tuple[int, int]):
    """The formula at `at` as a function of some cells: {(sheet, row, col): x} -> its value with those
    cells holding those numbers, every other as the book holds it (None where it gives no number); None
    if it is no formula or cannot be parsed."""
    tree = _parsed(sheet, at)
    if tree is None:
        return None
    name = _namer(sheet, book)

    def f(pinned: dict) -> float | None:
        def cell(sheet_name, row, col):
            where = (sheet_name or sheet.name, row, col)
            return pinned[where] if where in pinned else value(sheet, book, where)

        try:
            v = excel.evaluate(tree, cell, name)
        except (excel.FormulaError, ArithmeticError, ValueError, TypeError, RecursionError):
            return None
        return float(v) if excel.is_number(v, finite=True) else None

    return f


def of_cell(sheet: Sheet, book: Book | None, at: tuple[int, int], arg: Cell):
    """The formula at `at` as a function of the one cell `arg`: x -> its value with that cell holding x."""
    f = evaluator(sheet, book, at)
    return None if f is None else (lambda x: f({arg: x}))


def reads(sheet: Sheet, book: Book | None, at: tuple[int, int]) -> list[tuple[Cell, object]]:
    """The single cells the formula at `at` reads, on any sheet, through defined names too: each as
    (sheet, row, col) with how it is written (its Ref, or the name's text), in order, once each."""
    tree = _parsed(sheet, at)
    if tree is None:
        return []
    name, out = _namer(sheet, book), {}

    stack = [tree]  # a sum of thousands of terms is a tree thousands deep: no recursion
    while stack:
        n = stack.pop()
        if not isinstance(n, tuple) or not n:
            continue
        if n[0] == "ref" and n[1].end is None:
            out.setdefault((n[1].sheet or sheet.name, n[1].row, n[1].col), n[1])
        elif n[0] == "name" and isinstance(ref := name(n[1]), excel.Ref) and ref.end is None:
            out.setdefault((ref.sheet or sheet.name, ref.row, ref.col), n[1])
        for part in reversed(n[1:]):
            if isinstance(part, list):
                stack.extend(reversed(part))
            elif isinstance(part, tuple):
                stack.append(part)
    return list(out.items())


def times(f, x: Cell, y: Cell, at: dict) -> float | None:
    """∂²f/∂x∂y at the cells' values `at` (a mixed difference, exact for f bilinear in x and y): 1 where
    f holds x·y as a term, −1 where it holds −x·y, 0 where x and y do not multiply."""
    x0, y0 = at[x], at[y]
    parts = [f({x: x0 + dx, y: y0 + dy}) for dx, dy in ((1, 1), (1, 0), (0, 1), (0, 0))]
    if any(p is None for p in parts):
        return None
    return parts[0] - parts[1] - parts[2] + parts[3]


def _close(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= RTOL * max(1.0, abs(b))


def activation_of(f) -> str | None:
    """The activation a function of one number computes at the probe points: sigmoid, tanh, relu or
    leaky_relu; None if none of them (a bare identity is none: a forgotten σ must not pass)."""
    ys = [f(x) for x in PROBES]
    if any(y is None for y in ys):
        return None
    for kind, g in KNOWN.items():
        if all(_close(y, g(x)) for x, y in zip(PROBES, ys)):
            return kind
    positive = all(_close(y, x) for x, y in zip(PROBES, ys) if x > 0)
    slopes = [y / x for x, y in zip(PROBES, ys) if x < 0]
    if positive and 0 < slopes[0] < 1 and all(abs(s - slopes[0]) <= 1e-9 for s in slopes):
        return "leaky_relu"
    return None


def activation(sheet: Sheet, book: Book | None, rows: list[int], col: int, arg_col: int | None) -> str | None:
    """The activation a column computes of the column it is a function of, by most of a few of its rows
    (the first, the second, one in the middle, the last: a slip in one row does not change the network):
    None if no row's formula computes a known one. `arg_col`: its neuron's column (h1 for a_h1), else
    the one cell of its own row its formula reads."""
    votes: dict[str, int] = {}
    for r in dict.fromkeys([rows[0], *rows[1:2], rows[len(rows) // 2], rows[-1]] if rows else []):
        c = arg_col if arg_col is not None else _one_read(sheet, r, col)
        if c is None or (f := of_cell(sheet, book, (r, col), (sheet.name, r, c))) is None:
            continue
        if kind := activation_of(f):
            votes[kind] = votes.get(kind, 0) + 1
    return max(votes, key=votes.get) if votes else None


def _one_read(sheet: Sheet, r: int, c: int) -> int | None:
    """The column of the one cell of its own row the formula at (r, c) reads, if it reads one."""
    try:
        refs = excel.refs(sheet.formula(r, c))
    except (excel.FormulaError, TypeError):
        return None
    cols = {ref.col for ref in refs if ref.sheet in (None, sheet.name) and ref.end is None and ref.row == r}
    return cols.pop() if len(cols) == 1 else None

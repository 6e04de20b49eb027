"""The spreadsheet formula language, as much of it as hand-made backprop sheets use.

Tokens keep their place in the text, so a formula can be moved (a shared formula's followers) or
edited (one reference swapped for another, when the judge looks for the single change that makes
a wrong cell right) without disturbing anything else the author wrote. `evaluate` computes a
formula from the values of the cells it reads: arithmetic, comparisons, and the functions such
sheets call (EXP, POWER, SUM, IF, …). Rows and columns count from 0, as in the reader.
"""

import math
import re
from dataclasses import dataclass

# one token: a string, an error literal, a reference (sheet!cell, cell:cell, col:col, row:row),
# a number, a function's name with its "(", a name, an operator, or punctuation
_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<string>"(?:[^"]|"")*")
    |(?P<error>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|SPILL!|CALC!|GETTING_DATA))
    |(?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?
        (?:\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?\d+:\$?\d+)
        (?![\w(.]))
    |(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    |(?P<function>[A-Za-z_][\w.]*(?=\())
    |(?P<name>[A-Za-z_\\][\w.]*)
    |(?P<op><>|<=|>=|[-+*/^&=<>%])
    |(?P<punct>[(),;{}])""",
    re.X,
)
_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)")
MAX_ROW, MAX_COL = 1_048_576, 16_384


CIRCULAR = {"Err:522", "Err:523", "#CIRC!"}  # LibreOffice's "circular reference" (and no convergence)


class FormulaError(ValueError):
    """Text the parser does not understand (the judge then says so, and judges the value alone)."""


def is_number(v, finite: bool = False) -> bool:
    """A number as a cell holds it (not TRUE or FALSE); `finite`: and not ±inf or NaN (which an
    engine of a wider range, or our own stand-in for #NUM!, may hold)."""
    return isinstance(v, int | float) and not isinstance(v, bool) and (not finite or math.isfinite(v))


# a number written as text, as Excel's and LibreOffice's arithmetic read it whatever the locale:
# spaces around it, a sign, a decimal point, an exponent, a percent sign (" 0.05", "1e-3", "5%")
_TEXT_NUMBER = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(%?)\s*")


def number(v) -> float | None:
    """A cell's value as a finite number, as a formula that computes with it sees it: a number, or
    text that reads as one (a number stored as text: `=A2*2` gives 0.1 when A2 holds "0.05"); None
    for anything else (empty, TRUE, an error value, other text, ±inf or NaN)."""
    if v.__class__ is str:
        if (m := _TEXT_NUMBER.fullmatch(v)) is None:
            return None
        v = float(m[1]) / (100 if m[2] else 1)
    return float(v) if is_number(v, finite=True) else None


@dataclass(frozen=True)
class Error:
    """A spreadsheet error value, such as #NUM! or #DIV/0!."""

    code: str

    def __str__(self):
        return self.code


@dataclass(frozen=True)
class Ref:
    """A cell or a range as written: rows and columns from 0; `end` is None for a single cell."""

    sheet: str | None
    row: int
    col: int
    row_abs: bool = False
    col_abs: bool = False
    end: tuple[int, int, bool, bool] | None = None  # (row, col, row_abs, col_abs) of a range's corner

    @property
    def size(self) -> int:
        """How many cells it covers (A:XFD is 17 billion: counted, never listed)."""
        if self.end is None:
            return 1
        return (abs(self.end[0] - self.row) + 1) * (abs(self.end[1] - self.col) + 1)

    def cells(self):
        """Every (row, col) it covers."""
        if self.end is None:
            return [(self.row, self.col)]
        r0, r1 = sorted((self.row, self.end[0]))
        c0, c1 = sorted((self.col, self.end[1]))
        return [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]

    def text(self) -> str:
        sheet = ""
        if self.sheet is not None:
            plain = re.fullmatch(r"[A-Za-z_][\w.]*", self.sheet) and not _CELL.fullmatch(self.sheet)
            sheet = (self.sheet if plain else "'" + self.sheet.replace("'", "''") + "'") + "!"
        text = sheet + a1(self.row, self.col, self.row_abs, self.col_abs)
        if self.end:
            text += ":" + a1(*self.end)
        return text

    def moved(self, rows: int, cols: int) -> "Ref":
        """As it reads when its formula is copied `rows` down and `cols` across ($ parts stay)."""
        row = self.row if self.row_abs else self.row + rows
        col = self.col if self.col_abs else self.col + cols
        end = self.end
        if end is not None:
            end = (end[0] if end[2] else end[0] + rows, end[1] if end[3] else end[1] + cols, end[2], end[3])
        return Ref(self.sheet, row, col, self.row_abs, self.col_abs, end)


def col_name(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def a1(row: int, col: int, row_abs: bool = False, col_abs: bool = False) -> str:
    return f"{'$' if col_abs else ''}{col_name(col)}{'$' if row_abs else ''}{row + 1}"


def parse_ref(text: str) -> Ref:
    """`Sheet1!$B$2`, `B2:C9`, `'LR 0.1'!W18` (whole columns and rows become ranges)."""
    sheet = None
    if "!" in text:
        sheet, text = text.rsplit("!", 1)
        sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
    parts = text.split(":")
    corners = []
    for part in parts:
        if m := _CELL.fullmatch(part):
            corners.append((int(m[4]) - 1, col_index(m[2]), bool(m[3]), bool(m[1])))
        elif m := re.fullmatch(r"(\$?)([A-Za-z]{1,3})", part):  # a whole column
            corners.append((None, col_index(m[2]), False, bool(m[1])))
        elif m := re.fullmatch(r"(\$?)(\d+)", part):  # a whole row
            corners.append((int(m[2]) - 1, None, bool(m[1]), False))
        else:
            raise FormulaError(f"not a reference: {text}")
    if len(corners) == 1:
        row, col, row_abs, col_abs = corners[0]
        return Ref(sheet, row, col, row_abs, col_abs)
    (r0, c0, ra0, ca0), (r1, c1, ra1, ca1) = corners
    if r0 is None:  # A:A
        r0, r1, ra0, ra1 = 0, MAX_ROW - 1, True, True
    if c0 is None:  # 1:1
        c0, c1, ca0, ca1 = 0, MAX_COL - 1, True, True
    return Ref(sheet, r0, c0, ra0, ca0, (r1, c1, ra1, ca1))


@dataclass(frozen=True)
class Token:
    kind: str  # string, error, ref, number, function, name, op, punct, space
    text: str


def tokenize(formula: str) -> list[Token]:
    """The tokens of a formula (with or without its leading "="), spaces kept."""
    text = formula[1:] if formula.startswith("=") else formula
    tokens, at = [], 0
    while at < len(text):
        m = _TOKEN.match(text, at)
        if not m:
            raise FormulaError(f"cannot read {text[at : at + 12]!r}")
        tokens.append(Token(m.lastgroup, m[0]))
        at = m.end()
    return tokens


def untokenize(tokens) -> str:
    return "=" + "".join(t.text for t in tokens)


# a plain cell or range in a formula with no sheet names and no text (the common case, read fast)
_PLAIN = re.compile(r"(?<![\w.$])(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)(?![\w(.!])")


def refs(formula: str) -> list[Ref]:
    if not any(ch in formula for ch in "\"'!"):
        return [parse_ref(text) for text in _PLAIN.findall(formula)]
    return [parse_ref(t.text) for t in tokenize(formula) if t.kind == "ref"]


def edit(formula: str, change) -> str:
    """The formula with each reference r replaced by change(r) — another Ref, or text to put in its
    place (None keeps it) — all else as written."""
    out = []
    for t in tokenize(formula):
        if t.kind == "ref" and (new := change(parse_ref(t.text))) is not None:
            t = Token("ref", new if isinstance(new, str) else new.text())
        out.append(t)
    return untokenize(out)


def move(formula: str, rows: int, cols: int) -> str:
    """A shared formula as it reads in a cell `rows` below and `cols` right of where it was written."""
    return mover(formula)(rows, cols)


def mover(formula: str):
    """move() for one formula, tokenized once: a shared formula may cover thousands of cells."""
    parts = [(t.text, parse_ref(t.text) if t.kind == "ref" else None) for t in tokenize(formula)]

    def moved(rows: int, cols: int) -> str:
        return "=" + "".join(text if ref is None else ref.moved(rows, cols).text() for text, ref in parts)

    return moved


_RELATIVE_ROW = re.compile(r"(?<![\w.$])(\$?[A-Z]{1,3})(\d+)(?![\w(.!])")


def shape(formula: str, row: int) -> str | None:
    """A formula in cell `row` with each relative row written as its distance from that row: the
    same for a formula and its copies down a column (move). None for a formula with text in it,
    where a string may look like a cell."""
    return None if '"' in formula else _RELATIVE_ROW.sub(lambda m: f"{m[1]}[{int(m[2]) - 1 - row}]", formula)


# -- parsing: Excel's precedence, loosest first. Unary minus binds tighter than ^ (-2^2 = 4).
_BINARY = [("=", "<>", "<", ">", "<=", ">="), ("&",), ("+", "-"), ("*", "/"), ("^",)]


class _Parser:
    def __init__(self, formula: str):
        self.tokens = [t for t in tokenize(formula) if t.kind != "space"]
        self.at = 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self):
        t = self.peek()
        if t is None:
            raise FormulaError("the formula ends too soon")
        self.at += 1
        return t

    def expect(self, text):
        t = self.take()
        if t.text != text:
            raise FormulaError(f"expected {text!r}, found {t.text!r}")

    def parse(self):
        node = self.binary(0)
        if self.peek() is not None:
            raise FormulaError(f"unexpected {self.peek().text!r}")
        return node

    def binary(self, level):
        if level == len(_BINARY):
            return self.unary()
        node = self.binary(level + 1)
        while (t := self.peek()) is not None and t.kind == "op" and t.text in _BINARY[level]:
            self.take()
            node = ("op", t.text, node, self.binary(level + 1))
        return node

    def unary(self):
        t = self.peek()
        if t is not None and t.kind == "op" and t.text in "+-":
            self.take()
            return ("neg", self.unary()) if t.text == "-" else self.unary()
        node = self.atom()
        while (t := self.peek()) is not None and t.text == "%":
            self.take()
            node = ("op", "/", node, ("num", 100.0))
        return node

    def atom(self):
        t = self.take()
        if t.kind == "number":
            return ("num", float(t.text))
        if t.kind == "string":
            return ("str", t.text[1:-1].replace('""', '"'))
        if t.kind == "error":
            return ("err", t.text)
        if t.kind == "ref":
            return ("ref", parse_ref(t.text))
        if t.kind == "name":
            upper = t.text.upper()
            return ("bool", upper == "TRUE") if upper in ("TRUE", "FALSE") else ("name", t.text)
        if t.kind == "function":
            self.expect("(")
            args = []
            if self.peek() is not None and self.peek().text == ")":
                self.take()
                return ("call", _function_name(t.text), args)
            while True:
                args.append(self.binary(0))
                sep = self.take()
                if sep.text == ")":
                    return ("call", _function_name(t.text), args)
                if sep.text not in ",;":
                    raise FormulaError(f"expected ',' or ')', found {sep.text!r}")
        if t.text == "(":
            node = self.binary(0)
            self.expect(")")
            return node
        raise FormulaError(f"unexpected {t.text!r}")


def _function_name(text: str) -> str:
    return text.upper().removeprefix("_XLFN.").removeprefix("_XLWS.")


def parse(formula: str):
    """A formula's tree: ("num", x), ("ref", Ref), ("name", n), ("op", op, a, b), ("neg", a),
    ("call", NAME, [args]), ("str", s), ("bool", b), ("err", code)."""
    try:
        return _Parser(formula).parse()
    except RecursionError:  # thousands of nested parentheses: no sheet computes that
        raise FormulaError("nested too deeply to read") from None


def substitute(node, change):
    """A parsed formula with each single-cell reference r replaced by change(r) (a Ref, a number, or
    None to keep it): the judge tries thousands of such one-reference edits, without re-parsing."""
    kind = node[0]
    if kind == "ref":
        new = change(node[1])
        return node if new is None else ("ref", new) if isinstance(new, Ref) else ("num", float(new))
    if kind == "op":
        return ("op", node[1], substitute(node[2], change), substitute(node[3], change))
    if kind == "neg":
        return ("neg", substitute(node[1], change))
    if kind == "call":
        return ("call", node[1], [substitute(a, change) for a in node[2]])
    return node


# -- evaluation ----------------------------------------------------------------------------------
def _number(x):
    """A value as arithmetic sees it: empty is 0, TRUE is 1; text that is not a number is #VALUE!."""
    if x is None:
        return 0.0
    if isinstance(x, bool):
        return 1.0 if x else 0.0
    if isinstance(x, int | float):
        return float(x)
    if isinstance(x, Error):
        return x
    return Error("#VALUE!") if (x := number(x)) is None else x


def _numbers(args) -> list:
    """Every number among SUM's arguments: ranges give their numbers (text and empties are skipped)."""
    out = []
    for a in args:
        if isinstance(a, list):
            out += [x for x in a if isinstance(x, Error) or (isinstance(x, int | float) and not isinstance(x, bool))]
        else:
            out.append(_number(a))
    return out


def _checked(x: float):
    return x if math.isfinite(x) else Error("#NUM!")


def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        return Error("#NUM!")


def _ln(x):
    return math.log(x) if x > 0 else Error("#NUM!")


def _power(x, y):
    if x == 0 and y < 0:
        return Error("#DIV/0!")
    try:
        result = x**y
    except OverflowError:
        return Error("#NUM!")
    return Error("#NUM!") if isinstance(result, complex) else result


FUNCTIONS = {
    "EXP": _exp,
    "LN": _ln,
    "LOG10": lambda x: math.log10(x) if x > 0 else Error("#NUM!"),
    "LOG": lambda x, b=10.0: math.log(x, b) if x > 0 and b > 0 and b != 1 else Error("#NUM!"),
    "SQRT": lambda x: math.sqrt(x) if x >= 0 else Error("#NUM!"),
    "POWER": _power,
    "POW": _power,  # Google Sheets' spelling
    "ABS": abs,
    "TANH": math.tanh,
    "SIGN": lambda x: (x > 0) - (x < 0),
    # online training picks its sample with MOD(Iteration − 1, N) + 1: the divisor's sign, as Excel's
    "MOD": lambda x, d: Error("#DIV/0!") if d == 0 else x - d * math.floor(x / d),
    "INT": math.floor,
    "ROUND": lambda x, digits=0: _round(x, int(digits)),
}
SHEETS_ONLY = ("POW",)  # Google Sheets' own functions among these, which Excel, LibreOffice and Gnumeric lack
AGGREGATES = {
    "SUM": math.fsum,
    "PRODUCT": math.prod,
    "MAX": lambda xs: max(xs, default=0.0),
    "MIN": lambda xs: min(xs, default=0.0),
    "AVERAGE": lambda xs: math.fsum(xs) / len(xs) if xs else Error("#DIV/0!"),
    "SUMSQ": lambda xs: math.fsum(x * x for x in xs),
}


def _round(x: float, digits: int) -> float:
    """Excel's ROUND: half away from zero (Python's round is half to even)."""
    scale = 10.0**digits
    return math.copysign(math.floor(abs(x) * scale + 0.5) / scale, x)


def evaluate(node, cell, name=None, rows: int = 0):
    """The value of a parsed formula. `cell(sheet, row, col)` gives a cell's value (None if empty);
    `name(text)` a defined name's value, or a Ref to read. Errors are Error values, as in a sheet.
    `rows`: the formula as copied that many rows down (its relative references moved), unparsed again."""

    def read(ref):
        if ref.end is None:
            return cell(ref.sheet, ref.row, ref.col)
        if ref.size > MAX_ROW:  # A:XFD would be a list of 17 billion cells
            raise FormulaError(f"{ref.text()} covers {ref.size:,} cells, more than a whole column")
        return [cell(ref.sheet, r, c) for r, c in ref.cells()]

    def ev(n):
        kind = n[0]
        if kind in ("num", "str", "bool"):
            return n[1]
        if kind == "err":
            return Error(n[1])
        if kind == "ref":
            ref = n[1]
            if ref.end is None:
                return cell(ref.sheet, ref.row if ref.row_abs else ref.row + rows, ref.col)
            return read(ref.moved(rows, 0) if rows else ref)
        if kind == "name":
            value = name(n[1]) if name else None
            if value is None:
                return Error("#NAME?")
            return read(value) if isinstance(value, Ref) else value
        if kind == "neg":
            x = _number(ev(n[1]))
            return x if isinstance(x, Error) else -x
        if kind == "op":
            return _binary(n[1], ev(n[2]), ev(n[3]))
        if kind == "call":
            return _call(n[1], n[2], ev)
        raise FormulaError(f"cannot evaluate {kind}")

    try:
        result = ev(node)
    except RecursionError:  # a sum of thousands of terms is a tree thousands deep
        raise FormulaError("too long to evaluate") from None
    if isinstance(result, list):  # a range as a whole formula: its first cell, as Excel shows it
        result = result[0] if result else None
    if isinstance(result, float):
        return _checked(result)
    return result


def _binary(op, a, b):
    if op == "&":
        return f"{_text(a)}{_text(b)}"
    if op in ("=", "<>", "<", ">", "<=", ">="):
        for x in (a, b):
            if isinstance(x, Error):
                return x
        a, b = (0.0 if a is None else a), (0.0 if b is None else b)
        if isinstance(a, str) != isinstance(b, str):  # text sorts after numbers
            a, b = (isinstance(a, str), 0), (isinstance(b, str), 0)
        return {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
    x, y = _number(a), _number(b)
    if isinstance(x, Error):
        return x
    if isinstance(y, Error):
        return y
    if op == "+":
        return _checked(x + y)
    if op == "-":
        return _checked(x - y)
    if op == "*":
        return _checked(x * y)
    if op == "/":
        return Error("#DIV/0!") if y == 0 else _checked(x / y)
    result = _power(x, y)
    return result if isinstance(result, Error) else _checked(result)


def _text(x) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return "" if x is None else str(x)


def _call(fn: str, args, ev):
    if fn == "IF":
        condition = ev(args[0])
        if isinstance(condition, Error):
            return condition
        if isinstance(condition, list):
            condition = condition[0] if condition else None
        chosen = args[1] if _number(condition) else (args[2] if len(args) > 2 else ("bool", False))
        return ev(chosen)
    if fn == "CHOOSE":  # CHOOSE(sample, i1[1], i1[2], …): only the chosen one is evaluated, as IF's
        index = _number(ev(args[0]))
        if isinstance(index, Error):
            return index
        return ev(args[int(index)]) if 1 <= index < len(args) else Error("#VALUE!")
    values = [ev(a) for a in args]
    if fn in AGGREGATES:
        numbers = _numbers(values)
        if errors := [x for x in numbers if isinstance(x, Error)]:
            return errors[0]
        return AGGREGATES[fn](numbers)
    if fn == "SUMPRODUCT":
        columns = [v if isinstance(v, list) else [v] for v in values]
        return math.fsum(math.prod(_number(x) for x in xs) for xs in zip(*columns))
    if fn not in FUNCTIONS:  # Excel knows it, we do not: no value can be said (not #NAME?)
        raise FormulaError(f"cannot evaluate {fn}()")
    numbers = [_number(v[0] if isinstance(v, list) and v else v) for v in values]
    if errors := [x for x in numbers if isinstance(x, Error)]:
        return errors[0]
    try:
        result = FUNCTIONS[fn](*numbers)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return Error("#VALUE!")
    return result if isinstance(result, Error) else _checked(float(result))


# -- compiled evaluation ----------------------------------------------------------------------------
class _Slow(Exception):
    """Something the compiled formula leaves to evaluate(): a value no float, an error, an overflow."""


_COMPILED_CALLS = {"EXP": "_exp1", "LN": "_ln1", "TANH": "_tanh", "SQRT": "_sqrt1", "ABS": "abs"}
_COMPILED_AGGREGATES = {"SUM": "_fsum", "MAX": "max", "MIN": "min"}


def _exp1(x):
    return math.exp(x)  # OverflowError: evaluate() says #NUM!


def _ln1(x):
    if x > 0:
        return math.log(x)
    raise _Slow


def _sqrt1(x):
    if x >= 0:
        return math.sqrt(x)
    raise _Slow


def compiled(node):
    """evaluate() of one parsed formula, made a Python function once: `run(cell, name, rows)` gives what
    evaluate(node, cell, name, rows) gives. Copied down a column, one formula is evaluated on every row
    (whether a cached value is what its formula gives): arithmetic on numbers is done by compiled Python,
    the same operations in the same order, so the same doubles; anything else — a value that is no
    number, an error, a division by zero, an overflow, a function it does not compile — by evaluate()."""

    def ref_line(t, ref, row, const):
        return f"{t} = cell({const(ref.sheet)}, {row}, {ref.col})"

    def name_line(t, text, const):
        return f"{t} = _name(name, {const(text)}, cell)"

    try:
        lines, result, scope = _program(node, ref_line, name_line)
        body = "\n    ".join(lines + [f"return {result}"])
        exec(compile(f"def fast(cell, name, rows):\n    {body}\n", "<formula>", "exec"), scope)
    except (_Slow, RecursionError, MemoryError, SyntaxError):  # a sum of thousands of terms: evaluate's
        return lambda cell, name=None, rows=0: evaluate(node, cell, name, rows)
    fast = scope["fast"]

    def run(cell, name=None, rows=0):
        try:
            x = fast(cell, name, rows)
        except (_Slow, OverflowError, ZeroDivisionError, ValueError, TypeError):
            return evaluate(node, cell, name, rows)
        return x if x.__class__ is float and x - x == 0 else evaluate(node, cell, name, rows)

    return run


def compiled_rows(node):
    """compiled() of a formula copied down a column, for many rows in one call: `fast(cell, name,
    offsets, column)` gives, for each `rows` of `offsets`, the finite double compiled's run(cell, name,
    rows) gives when it needs no evaluate(), else None (for the caller to ask run: anything odd, and
    whatever run would raise, is run's to say, in its turn). `column(col)`: the values of a column of the
    formula's own sheet by row (None where empty), read as a list, where run calls cell(None, row, col)
    for each of them; a defined name's cell is read once for all rows (the cells do not change between
    them). None if the formula is not compiled. A key's 17,400 formulas were 32 ms row by row, a function
    call per row and one per cell read; 9 ms so."""
    columns: dict[int, str] = {}  # an own-sheet column -> the variable holding it
    named: list[str] = []  # the defined names' lines, hoisted

    def ref_line(t, ref, row, const):
        if ref.sheet is not None:
            return f"{t} = cell({const(ref.sheet)}, {row}, {ref.col})"
        values = columns.setdefault(ref.col, f"c{len(columns)}")
        return f"{t} = {values}[{row}] if 0 <= {row} < len({values}) else None"

    def name_line(t, text, const):
        named.append(f"{t} = _name(name, {const(text)}, cell)")
        return None

    try:
        lines, result, scope = _program(node, ref_line, name_line)
    except (_Slow, RecursionError, MemoryError):
        return None
    head = [f"{v} = column({c})" for c, v in columns.items()]
    loop = "\n            ".join([*lines, f"x = {result}"])
    source = f"""def fast(cell, name, offsets, column):
    try:
        {"; ".join(named) or "pass"}
    except Exception:
        return [None] * len(offsets)
    {"; ".join(head) or "pass"}
    out = []
    for rows in offsets:
        try:
            {loop}
            out.append(x if x.__class__ is float and x - x == 0 else None)
        except Exception:
            out.append(None)
    return out
"""
    try:
        exec(compile(source, "<formula rows>", "exec"), scope)
    except (RecursionError, MemoryError, SyntaxError):
        return None
    return scope["fast"]


def _program(node, ref_line, name_line):
    """The lines of Python computing a formula on doubles (compiled's), the variable of its result, and
    their scope; `ref_line(t, ref, row, const)` and `name_line(t, text, const)` write how a cell and a
    defined name are read into variable t (None: read elsewhere, before). Raises _Slow for a formula it
    does not compile."""
    lines, consts, counter = [], {}, iter(range(1_000_000))

    def const(x):
        key = f"k{len(consts)}"
        consts[key] = x
        return key

    def emit(n) -> str:
        kind = n[0]
        t = f"t{next(counter)}"
        if kind == "num" and n[1].__class__ is float:
            return repr(n[1]) if math.isfinite(n[1]) else const(n[1])
        if kind == "ref" and n[1].end is None:
            ref = n[1]
            row = f"{ref.row}" if ref.row_abs else f"{ref.row} + rows"
            lines.append(ref_line(t, ref, row, const))
            lines.append(f"if {t}.__class__ is not float: raise _Slow")
            return t
        if kind == "name":
            if (line := name_line(t, n[1], const)) is not None:
                lines.append(line)
            return t
        if kind == "neg":
            return f"(-{emit(n[1])})"
        if kind == "op" and n[1] in ("+", "-", "*", "/", "^"):
            a, b = emit(n[2]), emit(n[3])
            if n[1] == "/":
                lines.append(f"if {b} == 0: raise _Slow")
            op = "**" if n[1] == "^" else n[1]
            lines.append(f"{t} = {a} {op} {b}")
            lines.append(f"if {t}.__class__ is not float or {t} - {t} != 0: raise _Slow")
            return t
        if kind == "call" and (n[1] in _COMPILED_CALLS or n[1] in _COMPILED_AGGREGATES) and n[2]:
            args = [emit(a) for a in n[2]]
            if n[1] in _COMPILED_CALLS:
                if len(args) != 1:
                    raise _Slow
                lines.append(f"{t} = {_COMPILED_CALLS[n[1]]}({args[0]})")
            else:
                lines.append(f"{t} = {_COMPILED_AGGREGATES[n[1]]}([{', '.join(args)}])")
            lines.append(f"if {t}.__class__ is not float or {t} - {t} != 0: raise _Slow")
            return t
        raise _Slow

    result = emit(node)
    scope = {"_Slow": _Slow, "_exp1": _exp1, "_ln1": _ln1, "_tanh": math.tanh, "_sqrt1": _sqrt1,
             "_fsum": math.fsum, "_name": _named_float, **consts}  # fmt: skip
    return lines, result, scope


def _named_float(name, text, cell) -> float:
    value = name(text) if name else None
    if isinstance(value, Ref) and value.end is None:
        value = cell(value.sheet, value.row, value.col)
    if value.__class__ is not float:
        raise _Slow
    return value

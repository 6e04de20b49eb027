"""The table finder: where, on any sheet, an iteration table is, and what each column holds.

A header row is recognised by the quantities' names in the spellings real sheets use (E_tot,
E_Total, Etotal; ∂E/∂w1, dE/dw1, δE_tot/δw1, E∂w1; out_h1, ah1; a_01 for a_o1 …), columns in any
order, extra columns ignored. Several tables may be stacked on one sheet, or stand side by side.
Rows below the header that hold numbers are iterations. The parameters (i1, i2, t1, t2, η) are
looked for where people keep them: a column of the table, a defined name, a label cell beside its
value (`η =`, `LR`, `learning rate`), the sheet's name (`LR=0.5`, `ɳ = 0.1`) — or, for η, inferred
from the updates themselves.
"""

import itertools
import math
import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from sheetgen.check import functions, params, structure
from sheetgen.model import names
from sheetgen.model.spelling import norm, quantity
from sheetgen.xlsx import excel, transpose
from sheetgen.xlsx.reader import Book, Sheet

MIN_QUANTITIES = 5  # recognised names that make a row a header, with E_total, a weight and a gradient


@dataclass
class Param:
    """Where a parameter's value comes from: a column of the table (one value per row), or one value."""

    value: float | None = None
    column: int | None = None
    cell: tuple[int, int] | None = None  # the cell holding it, when there is one
    source: str = ""  # said to the user: "column A", "cell G1 labelled 'η ='", "the tab's name 'LR=0.5'"
    sheet: str | None = None  # the sheet of `cell`, when it is not the table's ('Params'!B2)


@dataclass
class Table:
    sheet: Sheet
    header_row: int
    columns: dict[str, int]  # quantity -> column
    spellings: dict[str, str]  # quantity -> its header as written
    rows: list[int]  # the sheet rows of the iterations, in order
    params: dict[str, Param] = field(default_factory=dict)  # i1.., t1.., b1.. (fixed), η
    unknown: list[str] = field(default_factory=list)  # headers that name nothing known
    # of them, those over a column of numbers or formulas (a helper column): (column, header), said by read_as
    unidentified: list[tuple[int, str]] = field(default_factory=list)
    # parameters found nowhere as a number, but whose label or defined name is beside or on a cell
    # that holds something else ('abc', #N/A): said by the judge, which then judges nothing
    not_numbers: dict[str, tuple[int, int]] = field(default_factory=dict)
    network: object = None  # the Spec of its network, when the workbook says which (sheetgen's own)
    book: Book | None = None  # the workbook it is in: formulas may read other sheets and defined names
    # how each quantity was read: [{quantity, cells, how}], said by --json and, when a formula told, the text
    read_as: list[dict] = field(default_factory=list)
    # found by what its formulas compute (structure), not by a header row: why each column is its quantity
    hows: dict[str, str] = field(default_factory=dict)
    # read sideways (each iteration a column): `sheet` is the view (xlsx.transpose), rows its columns
    transposed: bool = False

    @property
    def eta(self) -> Param | None:
        return self.params.get(names.ETA)


# -- parameters -------------------------------------------------------------------------------------
_PARAM_LABEL = {
    names.ETA: r"η|ɳ|ƞ|eta|lr|l\.r\.?|learningrate|learning_rate|learn_rate|alpha|α",
}
_INPUT_WORDS = r"input|inp|in|x|eingabe|entrada|输入"
_TARGET_WORDS = r"target|tgt|desired|expected|ziel|objetivo|目标"
_ALPHA_LABEL = re.compile(r"alpha|α")  # η to some (Mazur's α), a leaky ReLU's slope or RMSprop's to others


def _param_of_label(text) -> str | None:
    if not isinstance(text, str):
        return None
    t = norm(text).rstrip(":=").rstrip()
    t = re.sub(r"\(([^)]*)\)$", "", t) if not re.fullmatch(r".*\((?:η|ɳ|ƞ)\)", t) else t
    if re.fullmatch(_PARAM_LABEL[names.ETA], t) or re.fullmatch(r".*\((?:η|ɳ|ƞ)\)|learningrate:?(?:η|ɳ|ƞ)", t):
        return names.ETA
    if m := re.fullmatch(r"([it])_?(\d)", t):
        return (names.input_ if m[1] == "i" else names.target)(int(m[2]))
    # a word for it, in a defined name or a label (input_1, target2, Eingabe 1, objetivo_2)
    if m := re.fullmatch(rf"({_INPUT_WORDS})_?(\d)", t):
        return names.input_(int(m[2]))
    if m := re.fullmatch(rf"({_TARGET_WORDS})_?(\d)", t):
        return names.target(int(m[2]))
    if m := re.fullmatch(r"b_?(\d)", t):
        return names.bias(int(m[1]))
    return None


def _param_of_name(defined_name: str) -> str | None:
    """The parameter a defined name stands for: sheetgen's spelling (i_1, w_5, beta_1, eta), or as a label reads."""
    q = names.label(defined_name)
    if names.is_setting(q) or re.fullmatch(r"[itwb]\d+(\[\d+\])?", q):
        return q
    return _param_of_label(defined_name)


_TAB_ETA = re.compile(r"(?:lr|η|ɳ|ƞ|eta|l\.r\.?|learning\s*rate|alpha|α)\s*[=:_\- ]?\s*(\d*\.?\d+)", re.I)


def eta_of_tab(name: str) -> float | None:
    m = _TAB_ETA.search(unicodedata.normalize("NFKC", name))
    return float(m[1]) if m else None


# -- finding tables ---------------------------------------------------------------------------------
def find(sheet: Sheet, book: Book | None = None, turned: bool = False) -> list[Table]:
    """Every iteration table on a sheet, top to bottom, left to right; where there is none, every one
    of the sheet seen sideways (one iteration per column)."""
    by_row: dict[int, list[tuple[int, object]]] = {}
    for (r, c), v in sheet.texts():
        by_row.setdefault(r, []).append((c, v))
    headers = []
    for r in sorted(by_row):
        for segment in _segments(sorted(by_row[r])):
            if _is_header({q for q, _ in segment.values()}):
                headers.append((r, segment))
    tables = []
    header_rows = sorted({r for r, _ in headers})
    for r, segment in headers:
        following = next((h for h in header_rows if h > r), None)
        rows = _data_rows(sheet, r, {c for c, _ in segment.items()}, following)
        if not rows:
            continue
        # an input's or target's header cell with its number right of it, over no number and no formula in
        # any row, is no column: a label of a parameter block beside the table, on the header row
        segment = {c: x for c, x in segment.items() if not _block_label(sheet, r, c, x[0], rows)}
        # a header the spellings do not name may still say it beside words or as an equation
        # ("σ'(h1) = a_h1*(1-a_h1)", "dE/dw1 (Gradient)"): a clue taken where it names a quantity not yet there
        for c, v in sorted(by_row[r]):
            if min(segment) < c < max(segment) and c not in segment and (q := structure.clue(v)) and \
                    q not in {x for x, _ in segment.values()}:  # fmt: skip
                segment[c] = (q, v)
        columns = {q: c for c, (q, _) in segment.items()}
        spellings = {q: text for _, (q, text) in segment.items()}
        unknown = [v for c, v in sorted(by_row[r]) if min(segment) <= c <= max(segment) and c not in segment]
        table = Table(sheet, r, columns, spellings, rows, unknown=unknown, book=book)
        _find_params(table, book)
        table.read_as = read_as(table)
        tables.append(table)
    if not tables:
        tables = [_by_formulas(sheet, book, found) for found in structure.find(sheet, book)]
    if not tables and not turned and _formulas(sheet) >= SIDEWAYS:
        tables = find(transpose.view(sheet, book), book, turned=True)
        for table in tables:
            table.transposed = True
    return tables


SIDEWAYS = 20  # formula cells a sheet needs before it is looked at sideways too (a table has hundreds)


def _formulas(sheet: Sheet) -> int:
    return sum(1 for _ in itertools.islice(sheet.formula_cells(), SIDEWAYS))


def _by_formulas(sheet: Sheet, book: Book | None, found) -> Table:
    """A table the structure finder read by its formulas, with its parameters and helper columns."""
    table = Table(sheet, found.rows[0] - 1, dict(found.columns), dict(found.spellings), found.rows, book=book,
                  hows=dict(found.hows))  # fmt: skip
    table.unidentified = [(c, structure._header_text(sheet, found.rows[0] - 1, c) or "") for c in found.unidentified]
    _find_params(table, book)
    if found.unidentified:
        _helpers(table, found.unidentified)
    table.read_as = read_as(table)
    return table


def _helpers(table: Table, cols: list[int]) -> None:
    """Columns the gradients read that no structure named, named by the reference's quantity they hold."""
    from sheetgen.check import judge  # the network read off the columns: judge's, which imports this module
    from sheetgen.model import reference

    try:
        rule = reference.Local(judge.network(table))
        sample = [
            r for r in dict.fromkeys(table.rows[:2] + table.rows[len(table.rows) // 2 : len(table.rows) // 2 + 1])
        ]
        expected = [(r, rule(row_values(table, r))) for r in sample]
    except (KeyError, ValueError, ArithmeticError):
        return
    for q, c in structure.name_helpers(table, cols, expected).items():
        table.columns[q] = c
        table.hows[q] = f"holds {q}'s values in every row looked at"
        table.unidentified = [(col, text) for col, text in table.unidentified if col != c]


SYMBOL = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU"}


def read_as(table: Table) -> list[dict]:
    """How the table was read: each column's quantity and why (its header; for an activation, what its
    formula computes of its neuron's column too), each parameter's cell and why (a label, a name, the
    formulas that read it); a column whose header names nothing known, as quantity None (not judged)."""
    sheet, first, last = table.sheet, table.rows[0], table.rows[-1]
    out = []
    for q, c in table.columns.items():
        how = f"header {table.spellings.get(q, q)!r}"
        if q in table.hows:  # found by its formula: why, and the header's words where there are any
            how = table.hows[q] + (f", header {table.spellings[q]!r}" if q in table.spellings else "")
        neuron = q[2:] if q.startswith("a_") else None
        if neuron and q not in table.hows and (n := table.columns.get(neuron)) is not None:
            kind = functions.activation(sheet, table.book, table.rows, c, n)
            if kind:
                how = f"its formula is {SYMBOL[kind]}({_col(n)}), {how}"
        out.append({"quantity": q, "cells": f"{_col(c)}{first + 1}:{_col(c)}{last + 1}", "how": how})
    for q, p in table.params.items():
        if q in table.columns:
            continue
        if p.column is not None:
            cells = f"{_col(p.column)}{first + 1}:{_col(p.column)}{last + 1}"
        elif p.cell is not None:
            cells = excel.Ref(p.sheet, *p.cell).text()
        else:
            cells = ""
        out.append({"quantity": q, "cells": cells, "how": p.source})
    if not table.hows:  # a table read by its header (one read by its formulas knows them already)
        table.unidentified = unidentified(table)
    for c, text in table.unidentified:
        cells = f"{_col(c)}{first + 1}:{_col(c)}{last + 1}"
        said = f"header {text!r}: " if text else ""
        out.append({"quantity": None, "cells": cells, "how": f"{said}not identified, not judged"})
    return out


def unidentified(table: Table) -> list[tuple[int, str]]:
    """The columns among the table's whose header names nothing known, yet hold numbers or formulas
    (a helper column, `helper 1`): (column, header). Never judged, and said so."""
    sheet, known = table.sheet, set(table.columns.values())
    if not table.unknown or not known:
        return []
    texts = set(table.unknown)
    out = []
    for c in range(min(known), max(known) + 1):
        text = sheet.value(table.header_row, c)
        if c in known or text not in texts or sheet.formula(table.header_row, c) is not None:
            continue
        column = sheet.column(c, table.rows)
        if any(f is not None or _is_value(v) for f, v in column):
            out.append((c, text.strip()))
    return out


VALUES_SAY = ": its values are "  # a δ column read as what its values are (check.helpers.settle)


def inferred(table: Table) -> bool:
    """Whether something of the table was read from its formulas or values rather than its labels."""
    return (
        bool(table.hows)
        or any(", read by " in p.source for p in table.params.values())
        or any(VALUES_SAY in x["how"] for x in table.read_as)
    )


def told(x: dict) -> bool:
    """Whether a read_as entry was read from formulas (a parameter's cell) or values (a δ column)."""
    return ", read by " in x["how"] or VALUES_SAY in x["how"]


def _block_label(sheet: Sheet, r: int, c: int, q: str, rows: list[int]) -> bool:
    """Whether header cell (r, c), naming q, is a parameter's label with its number beside it (right of
    it above an empty column, or under it and nothing further down): no column of the table."""
    if not is_given(q):
        return False
    if excel.number(sheet.value(r, c + 1)) is not None:  # its number right of it, nothing below
        return not any(_is_value(sheet.value(row, c)) or sheet.formula(row, c) is not None for row in rows)
    # its number under it in the first row alone (a block laid across the header row): no column either
    held = sum(1 for row in rows if _is_value(sheet.value(row, c)) or sheet.formula(row, c) is not None)
    return len(rows) > 2 and held == 1 and excel.number(sheet.value(rows[0], c)) is not None


def _is_header(known) -> bool:
    """Whether these quantities make a header row: enough of them, with E_total, a weight and a gradient."""
    known = set(known) - {names.ITERATION}
    grads = any(names.of_grad(q) for q in known)
    weights = any(names.is_param(q) for q in known)
    return len(known) >= MIN_QUANTITIES and grads and weights and names.E_TOTAL in known


def repeated(sheet: Sheet, row: int) -> dict[str, list[int]]:
    """The quantities a row names more than once, and in which columns (a name repeated in a header
    row starts a second table beside the first)."""
    where: dict[str, list[int]] = {}
    for (r, c), (formula, v) in sheet.scan():
        if r == row and formula is None and (q := quantity(v)) not in (None, names.ITERATION):
            where.setdefault(q, []).append(c)
    return {q: sorted(cs) for q, cs in where.items() if len(cs) > 1}


def said_twice(sheet: Sheet, row: int) -> str:
    """`w1 in E2 and I2`: the names a row repeats, said for the user (empty if none)."""
    return "; ".join(
        f"{q} in {' and '.join(f'{_col(c)}{row + 1}' for c in cs)}" for q, cs in repeated(sheet, row).items()
    )


def no_table(sheet: Sheet) -> list[str]:
    """Why the rows of a sheet that name a table's quantities are no table's header: a name repeated
    (which splits the row in two), or no row of numbers under it."""
    by_row: dict[int, set] = {}
    for (r, _), (formula, v) in sheet.scan():
        if formula is None and (q := quantity(v)) is not None:
            by_row.setdefault(r, set()).add(q)
    out = []
    for r in sorted(r for r, known in by_row.items() if _is_header(known)):
        if twice := said_twice(sheet, r):
            out.append(f"row {r + 1} names {twice}: a name repeated in a header row starts another table beside "
                       "the first, and neither half is a table")  # fmt: skip
        else:
            out.append(f"row {r + 1} names the quantities, but no row under it holds numbers")
    return out


def _segments(cells) -> list[dict[int, tuple[str, str]]]:
    """A header row's recognised cells, split where a quantity repeats (tables side by side)."""
    out, current = [], {}
    for c, text in cells:
        q = quantity(text)
        if q is None:
            continue
        if q in (x for x, _ in current.values()):
            out.append(current)
            current = {}
        current[c] = (q, text)
    if current:
        out.append(current)
    return out


def _data_rows(sheet: Sheet, header: int, columns: set[int], stop: int | None) -> list[int]:
    """The rows below a header whose columns mostly hold numbers; a few rows of notes right under
    the header are skipped, the first row that is not data after that ends the table."""
    rows, skipped = [], 0
    last = sheet.last_row(header)
    columns = sorted(columns)[:: max(1, len(columns) // 8)]  # eight columns spread across tell enough
    every = range(header + 1, min(last, stop - 1 if stop is not None else last) + 1)
    for start in range(0, len(every), 256):  # the columns read a run of rows at a time, each in one walk
        run = every[start : start + 256]
        values = [[v for _, v in sheet.column(c, run)] for c in columns]
        for k, r in enumerate(run):
            numbers = sum(1 for column in values if _is_value(column[k]))
            if numbers * 2 >= len(columns):
                rows.append(r)
            elif rows or skipped >= 3:
                return rows
            else:
                skipped += 1
    return rows


def _is_error(v) -> bool:
    return type(v).__name__ == "Error"


def _is_value(v) -> bool:
    """A number (±inf too: an engine of a wider range holds one beyond a double's), an error value, or
    a number stored as text: what an iteration's cells hold."""
    return excel.is_number(v) or _is_error(v) or (v.__class__ is str and excel.number(v) is not None)


def _find_params(table: Table, book: Book | None) -> None:
    sheet = table.sheet
    wanted = [q for q in table.columns if q[0] in "it" and q[1:].isdigit()]
    for q in wanted:  # inputs and targets kept as columns of the table
        table.params[q] = Param(column=table.columns[q], source=f"column {_col(table.columns[q])}")
    odd: dict[str, tuple[int, int]] = {}  # a parameter's cell that holds no number
    labels = _labels(sheet, table, odd)
    for q, found in labels.items():
        table.params.setdefault(q, found)
    for label_name, (r, c) in sheet.names.items():  # sheet-level defined names (sheetgen's own: i_1, eta)
        if q := _param_of_name(label_name):
            if (x := excel.number(sheet.value(r, c))) is not None:
                table.params[q] = Param(x, None, (r, c), f"defined name {label_name} ({_col(c)}{r + 1})")
            elif sheet.value(r, c) is not None:
                odd.setdefault(q, (r, c))
    if book is not None:  # workbook-level ones (a hand-made sheet's "eta", "beta_1")
        for label_name, ref in book.names.items():
            q = _param_of_name(label_name)
            if q and q not in table.params and ref.end is None and ref.sheet in (None, sheet.name):
                if (x := excel.number(v := sheet.value(ref.row, ref.col))) is not None:
                    table.params[q] = Param(x, None, (ref.row, ref.col), f"defined name {label_name}")
                elif v is not None:
                    odd.setdefault(q, (ref.row, ref.col))
    # where the formulas read them: a label confirms, never decides. A labelled cell no formula of the
    # table reads gives way to the cell they do read (a list of rates `lr 1 0.8 0.5` whose third the
    # updates read; a second table's own block beside the first's)
    read = None
    for q, found in params.read_by_formulas(table, lambda cell: _label_beside(book, sheet, cell)).items():
        if q not in table.params:
            table.params[q] = Param(**found)
        elif (p := table.params[q]) is labels.get(q) and found.get("cell") not in (None, p.cell):
            read = _read_cells(table) if read is None else read
            if (sheet.name, *p.cell) not in read:
                table.params[q] = Param(**found)
    if names.ETA not in table.params and (eta := eta_of_tab(sheet.name)) is not None:
        table.params[names.ETA] = Param(eta, source=f"the tab's name {sheet.name!r}")
    if names.ETA not in table.params and (eta := infer_eta(table)) is not None:
        table.params[names.ETA] = Param(eta, source="inferred from the weight updates (no η found)")
    # said only of a parameter that has no number anywhere: a label's note, or a name left on a label
    # cell, is no mistake when the number is found elsewhere
    table.not_numbers = {q: cell for q, cell in odd.items() if q not in table.params}


def _read_cells(table: Table) -> set[tuple[str, int, int]]:
    """The cells the formulas of the table's first two rows read (sheet, row, col)."""
    out = set()
    for r in table.rows[:2]:
        for c in table.columns.values():
            out |= {cell for cell, _ in functions.reads(table.sheet, table.book, (r, c))}
    return out


def _labels(sheet: Sheet, table: Table, odd: dict) -> dict[str, Param]:
    """Label cells (`i1`, `η =`, `LR`) with a number beside them (right, or below), outside the
    table; where a label appears more than once, the one nearest above the table's header. Of
    several cells that may be η, the one the weight updates read; else an η, LR or learning-rate
    label before an α (which may be a leaky ReLU's slope). A label with no number beside it but
    something else right of it or below ('abc', #N/A; not another label) puts that cell in `odd`."""
    found: dict[str, list[tuple[tuple, Param]]] = {}
    table_cols = set(table.columns.values())
    for (r, c), v in sheet.texts():  # a label is text (_param_of_label), never a formula's
        if (q := _param_of_label(v)) is None:
            continue
        if table.header_row <= r <= table.rows[-1] and c in table_cols:
            continue  # a header or a cell of the table itself
        value_at = next(
            ((r, cc) for cc in range(c + 1, c + 4) if excel.number(sheet.value(r, cc)) is not None),
            (r + 1, c) if excel.number(sheet.value(r + 1, c)) is not None else None,
        )
        if value_at is None:
            if at := next((at for at in ((r, c + 1), (r + 1, c)) if _not_a_number(sheet, *at)), None):
                odd.setdefault(q, at)
            continue
        distance = table.header_row - r if r <= table.header_row else 10_000 + r - table.header_row
        text = v.strip()
        alpha = q == names.ETA and _ALPHA_LABEL.fullmatch(norm(text).rstrip(":=").rstrip()) is not None
        source = f"cell {_col(value_at[1])}{value_at[0] + 1} labelled {text!r}"
        param = Param(excel.number(sheet.value(*value_at)), None, value_at, source)  # "0.05" stored as text too
        found.setdefault(q, []).append(((alpha, distance), param))
    out = {q: min(candidates, key=lambda x: x[0])[1] for q, candidates in found.items()}
    if len(etas := found.get(names.ETA, [])) > 1 and (read := _read_by_updates(sheet, table)):
        out[names.ETA] = next((p for _, p in sorted(etas, key=lambda x: x[0]) if p.cell in read), out[names.ETA])
    # an α not taken for η: a leaky ReLU's slope, if the sheet has one
    if alphas := sorted((key, p) for key, p in etas if key[0] and p is not out.get(names.ETA)):
        out[names.ALPHA] = alphas[0][1]
    return out


def _label_beside(book: Book | None, sheet: Sheet, cell) -> str | None:
    """The parameter a label left of a cell, or above it, names (on the cell's own sheet), or None."""
    where, r, c = cell
    on = sheet if where == sheet.name else (book.sheet(where) if book is not None else None)
    if on is None:
        return None
    return next((q for at in ((r, c - 1), (r - 1, c)) if (q := _param_of_label(on.value(*at)))), None)


def _not_a_number(sheet: Sheet, r: int, c: int) -> bool:
    """Whether a constant cell holds a value that is no number, and no label or header either."""
    v = sheet.value(r, c)
    if v is None or sheet.formula(r, c) is not None or excel.number(v) is not None:
        return False
    return not isinstance(v, str) or (_param_of_label(v) is None and quantity(v) is None)


def _read_by_updates(sheet: Sheet, table: Table) -> set[tuple[int, int]]:
    """The cells of this sheet that the second row's weight updates read (η's among them)."""
    if len(table.rows) < 2:
        return set()
    read = set()
    for q, c in table.columns.items():
        if names.is_param(q) and isinstance(formula := sheet.formula(table.rows[1], c), str):
            try:
                read |= {(ref.row, ref.col) for ref in excel.refs(formula) if ref.sheet in (None, sheet.name)}
            except excel.FormulaError:
                pass
    return read


def infer_eta(table: Table) -> float | None:
    """η from the updates themselves: w(k+1) − w(k) = −η·∂E_total/∂w(k), the median over the table."""
    sheet, estimates = table.sheet, []
    for q, c in table.columns.items():
        if not names.is_param(q) or (g := table.columns.get(names.grad(q))) is None:
            continue
        for r, nxt in zip(table.rows, table.rows[1:]):
            w0, w1, grad = sheet.value(r, c), sheet.value(nxt, c), sheet.value(r, g)
            if excel.is_number(w0) and excel.is_number(w1) and excel.is_number(grad) and abs(grad) > 1e-12:
                estimates.append((w0 - w1) / grad)
    if not estimates:
        return None
    eta = statistics.median(estimates)
    return float(f"{eta:.6g}") if eta > 0 else None


def given_cells(table: Table) -> list[tuple[str, tuple[int, int]]]:
    """The constants a table starts from, as (quantity, cell): its inputs' and targets' columns, row
    by row; each parameter's own cell (an input or a target kept beside its label or in a defined
    name, η); the cells of parameters found holding no number; its first row's weights and biases."""
    sheet, first = table.sheet, table.rows[0]
    given = [(q, (r, c)) for q, c in table.columns.items() if is_given(q) for r in table.rows]
    given += [(q, p.cell) for q, p in table.params.items() if p.cell is not None and p.column is None and
              p.sheet is None]  # fmt: skip
    given += table.not_numbers.items()
    given += [(q, (first, c)) for q, c in table.columns.items() if names.is_param(q)]
    return [(q, at) for q, at in given if sheet.formula(*at) is None]


def is_given(q: str) -> bool:
    """An input or a target (a sample's too: i1[2])."""
    return re.fullmatch(r"[it]\d+", names.unsampled(q)[0]) is not None


def stored_as_text(table: Table) -> list[str]:
    """The given cells that hold a number as text, `i1 (B2)`, a column's first such cell with how
    many more: formulas compute with them (Excel's and LibreOffice's arithmetic read "0.05" as 0.05),
    SUM and charts skip them."""
    where: dict[str, list[tuple[int, int]]] = {}
    for q, at in given_cells(table):
        if (v := table.sheet.value(*at)).__class__ is str and excel.number(v) is not None:
            where.setdefault(q, []).append(at)
    return [f"{q} ({excel.a1(*cells[0])}{f' and {len(cells) - 1} more' if len(cells) > 1 else ''})"
            for q, cells in where.items()]  # fmt: skip


def _col(c: int) -> str:
    from sheetgen.xlsx.excel import col_name

    return col_name(c)


def row_values(table: Table, r: int, errors: bool = True) -> dict[str, float]:
    """The row's own values by quantity, and the parameters as the table keeps them. `errors`: an
    error value is the reference's NaN (what is computed from it is an error too), else left out."""
    sheet = table.sheet
    given = {}
    for q, c in table.columns.items():
        v = sheet.value(r, c)
        if v.__class__ is float or (isinstance(v, int) and not isinstance(v, bool)):
            given[q] = float(v)
        elif errors and isinstance(v, excel.Error) and v.code not in excel.CIRCULAR:  # #NUM! and its kind
            given[q] = math.nan  # the reference's stand-in for #NUM!
        elif v.__class__ is str and (x := excel.number(v)) is not None:  # stored as text: formulas compute with it
            given[q] = x
    for q, p in table.params.items():
        v = sheet.value(r, p.column) if p.column is not None else p.value
        if (x := excel.number(v)) is not None:
            given.setdefault(q, x)
    return given

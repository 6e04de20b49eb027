"""A sheet's cells held compactly: (row, col) -> (formula, value), as a dict would hold them, in a
few dozen bytes a cell rather than a few hundred.

A 10,000-iteration workbook is 1.8 million cells. As a dict of tuples of a formula's text and a float
each cell costs about 300 bytes (the key's tuple, the value's, the float, the text): 0.6 GB. Here the
values sit in arrays of doubles, and a formula copied down a column is kept once, as its *shape* —
its text cut at each relative row number, the rows kept as distances from the cell's own row (what
excel.shape says in words) — each cell keeping only its shape's number. The text of a cell's formula
is made again when asked for, exactly as written.

Cells are kept in the order they were added (as a dict keeps them), and by column for looking up: a
cell added above one already in its column (a sheet whose XML is not in row order) turns the store
into a plain dict, which holds anything.
"""

from array import array
from bisect import bisect_left
from collections.abc import MutableMapping

from sheetgen.xlsx import excel

FORMULA = True  # a formula whose text was not kept (read with formulas=False)
_RELATIVE_ROW = excel._RELATIVE_ROW
_FLOAT, _NONE, _OTHER = 0, 1, 2  # how a cell's value is kept: in the array, None, in `_other`
_CONSTANT, _UNKEPT, _VERBATIM = -1, -2, -3  # a cell's formula, when no shape: none, FORMULA, in `_texts`


class _Column:
    __slots__ = ("rows", "at", "shape")

    def __init__(self):
        self.rows = array("i")  # its cells' rows, ascending
        self.at = array("i")  # each one's place in the store's arrays
        self.shape = -1  # the shape of the formula last added to it by add(), if any


class Cells(MutableMapping):
    """(row, col) -> (formula, value), as in a dict; see the module's docstring."""

    def __init__(self, items=()):
        self._rows, self._cols = array("i"), array("i")
        self._values, self._kinds, self._formulas = array("d"), array("b"), array("i")
        self._other: dict[tuple[int, int], object] = {}  # values not a float: text, TRUE, an error
        self._texts: dict[tuple[int, int], str] = {}  # formulas of no shape (text in quotes)
        self._shapes: list[tuple] = []  # a shape's parts: text, column letters, row distance, text, …
        self._shape_of: dict[tuple, int] = {}
        self._columns: dict[int, _Column] = {}
        self._dict: dict | None = None  # once a cell comes out of order, a plain dict holds them all
        for at, cell in dict(items).items():
            self[at] = cell

    # -- the store --------------------------------------------------------------------------------
    def _find(self, row: int, col: int) -> int:
        column = self._columns.get(col)
        if column is None:
            return -1
        rows = column.rows
        n = len(rows)
        if n and rows[n - 1] - rows[0] + 1 == n:  # a column without a gap: no search
            i = row - rows[0]
            return column.at[i] if 0 <= i < n else -1
        i = bisect_left(rows, row)
        return column.at[i] if i < len(rows) and rows[i] == row else -1

    def _shape(self, formula: str, row: int) -> int:
        if '"' in formula:  # a string in it may look like a cell: no shape
            return _VERBATIM
        parts = _RELATIVE_ROW.split(formula)
        if len(parts) > 1:
            row += 1
            for k in range(2, len(parts), 3):
                digits = parts[k]
                if digits[0] == "0":  # A01: its text would not be made again as written
                    return _VERBATIM
                parts[k] = int(digits) - row
        key = tuple(parts)
        n = self._shape_of.get(key)
        if n is None:
            n = self._shape_of[key] = len(self._shapes)
            self._shapes.append(key)
        return n

    def add(self, row: int, col: int, formula, value) -> None:
        """__setitem__ for a reader adding cells in order, the common case first: a formula below the
        column's last cell, its result a number or none (a copy stripped of them, openpyxl's)."""
        if (
            self._dict is None
            and formula.__class__ is str
            and (value.__class__ is float and value == value or value is None)
        ):
            column = self._columns.get(col)
            if column is not None and column.rows[-1] < row:
                # the formula above copied down, most often: its text made for this row and compared
                # (0.5 µs) costs a quarter of cutting the text into its shape (2 µs, 17,400 a key)
                f = column.shape
                if f < 0 or self._text(f, row, None) != formula:
                    f = column.shape = self._shape(formula, row)
                if f != _VERBATIM:
                    column.rows.append(row)
                    column.at.append(len(self._rows))
                    self._rows.append(row)
                    self._cols.append(col)
                    if value is None:
                        self._values.append(0.0)
                        self._kinds.append(_NONE)
                    else:
                        self._values.append(value)
                        self._kinds.append(_FLOAT)
                    self._formulas.append(f)
                    return
        self[(row, col)] = (formula, value)

    def _text(self, n: int, row: int, at) -> object:
        if n >= 0:
            parts = self._shapes[n]
            if len(parts) == 1:
                return parts[0]
            out = list(parts)
            for k in range(2, len(out), 3):
                out[k] = str(out[k] + 1 + row)
            return "".join(out)
        if n == _CONSTANT:
            return None
        return FORMULA if n == _UNKEPT else self._texts[at]

    def _value(self, i: int, at):
        kind = self._kinds[i]
        if kind == _FLOAT:
            return self._values[i]
        return None if kind == _NONE else self._other[at]

    def _put(self, i: int, at, formula, value) -> None:
        row = at[0]
        if formula is _KEEP:
            f = self._formulas[i]
        elif formula is None:
            f = _CONSTANT
        elif formula is FORMULA:
            f = _UNKEPT
        else:
            f = self._shape(formula, row) if formula.__class__ is str else _VERBATIM
        if formula is not _KEEP:
            if f == _VERBATIM:
                self._texts[at] = formula
            elif self._texts:
                self._texts.pop(at, None)
        if value.__class__ is float and value == value:
            kind, x = _FLOAT, value
        else:
            kind, x = (_NONE, 0.0) if value is None else (_OTHER, 0.0)
        if kind == _OTHER:
            self._other[at] = value
        elif i >= 0 and self._other:
            self._other.pop(at, None)
        if i < 0:
            self._rows.append(row)
            self._cols.append(at[1])
            self._values.append(x)
            self._kinds.append(kind)
            self._formulas.append(f)
        else:
            self._values[i], self._kinds[i], self._formulas[i] = x, kind, f

    def _to_dict(self) -> dict:
        if self._dict is None:
            self._dict = dict(self._items())
            for name in ("_rows", "_cols", "_values", "_kinds", "_formulas"):
                setattr(self, name, array(getattr(self, name).typecode))
            self._other, self._texts, self._shapes, self._shape_of, self._columns = {}, {}, [], {}, {}
        return self._dict

    # -- a mapping --------------------------------------------------------------------------------
    def __getitem__(self, at):
        if self._dict is not None:
            return self._dict[at]
        i = self._find(*at)
        if i < 0:
            raise KeyError(at)
        return self._text(self._formulas[i], at[0], at), self._value(i, at)

    def get(self, at, default=None):
        if self._dict is not None:
            return self._dict.get(at, default)
        i = self._find(*at)
        if i < 0:
            return default
        return self._text(self._formulas[i], at[0], at), self._value(i, at)

    def value(self, row: int, col: int):
        """The value at (row, col), None if empty: get's, without making the formula's text."""
        if self._dict is not None:
            return self._dict.get((row, col), _EMPTY)[1]
        i = self._find(row, col)
        if i < 0:
            return None
        kind = self._kinds[i]
        if kind == _FLOAT:
            return self._values[i]
        return None if kind == _NONE else self._other[(row, col)]

    def __contains__(self, at) -> bool:
        return at in self._dict if self._dict is not None else self._find(*at) >= 0

    def __setitem__(self, at, cell) -> None:
        if self._dict is not None:
            self._dict[at] = cell
            return
        row, col = at
        formula, value = cell
        column = self._columns.get(col)
        if column is None:
            column = self._columns[col] = _Column()
        if not column.rows or column.rows[-1] < row:
            column.rows.append(row)
            column.at.append(len(self._rows))
            self._put(-1, at, formula, value)
        elif (i := self._find(row, col)) >= 0:
            self._put(i, at, formula, value)
        else:  # above a cell already in its column
            self._to_dict()[at] = cell

    def __delitem__(self, at) -> None:
        del self._to_dict()[at]

    def __len__(self) -> int:
        return len(self._dict) if self._dict is not None else len(self._rows)

    def __iter__(self):
        if self._dict is not None:
            yield from self._dict
            return
        yield from zip(self._rows, self._cols)

    def _items(self, text: bool = True):
        rows, cols, kinds, values, formulas = self._rows, self._cols, self._kinds, self._values, self._formulas
        other = self._other
        for i in range(len(rows)):
            at = (rows[i], cols[i])
            kind, f = kinds[i], formulas[i]
            value = values[i] if kind == _FLOAT else None if kind == _NONE else other[at]
            if f == _CONSTANT:
                yield at, (None, value)
            else:
                yield at, (self._text(f, at[0], at) if text else FORMULA, value)

    def items(self):
        return self._dict.items() if self._dict is not None else _View(self._items, len(self))

    def values(self):
        if self._dict is not None:
            return self._dict.values()
        return _View(lambda: (c for _, c in self._items()), len(self))

    # -- what a whole sheet's reading asks --------------------------------------------------------
    def scan(self):
        """(at, (formula, value)) of every cell, in order, with FORMULA for a formula's text: what
        looks at every cell and needs no formula's text reads this, and makes no text."""
        return self._dict.items() if self._dict is not None else self._items(text=False)

    def texts(self) -> list:
        """(at, text) of every constant holding text, in order: a sheet's labels and headers, found
        without a pass over its numbers (a few hundred of a key tab's 3,070 cells)."""
        if self._dict is not None:
            return [(at, v) for at, (f, v) in self._dict.items() if f is None and isinstance(v, str)]
        found = []
        for at, v in self._other.items():
            if isinstance(v, str) and (i := self._find(*at)) >= 0 and self._formulas[i] == _CONSTANT:
                found.append((i, at, v))
        found.sort()
        return [(at, v) for _, at, v in found]

    def last_row(self, default: int) -> int:
        """The largest row of any cell (`default` if there is none)."""
        if self._dict is not None:
            return max((r for r, _ in self._dict), default=default)
        return max(self._rows, default=default)

    def formulas(self):
        """(row, col, shape) of every formula cell, in order: shape as shape() says it."""
        if self._dict is not None:
            yield from ((r, c, None) for (r, c), (f, _) in self._dict.items() if f is not None)
            return
        for r, c, f in zip(self._rows, self._cols, self._formulas):
            if f != _CONSTANT:
                yield r, c, (f if f >= 0 else None)

    def column(self, col: int, rows) -> list:
        """[(FORMULA or None, value)] of `col` at each of `rows` (ascending), (None, None) where empty."""
        if self._dict is not None:
            get = self._dict.get
            return [(None if (cell := get((r, col), _EMPTY))[0] is None else FORMULA, cell[1]) for r in rows]
        column = self._columns.get(col)
        if column is None:
            return [_EMPTY] * len(rows)
        out, crows, where = [], column.rows, column.at
        kinds, values, formulas, other = self._kinds, self._values, self._formulas, self._other
        n = len(crows)
        if rows and n and crows[n - 1] - crows[0] + 1 == n and rows[-1] - rows[0] + 1 == len(rows):
            # a column without a gap read over a run of rows (a table's, most often): sliced, not walked
            # (600 rows of 30 columns a table were 0.4 µs a cell walked, half of that so)
            before, first = max(0, crows[0] - rows[0]), max(0, rows[0] - crows[0])
            found = [
                (None if formulas[i] == _CONSTANT else FORMULA, values[i] if kinds[i] == _FLOAT
                 else None if kinds[i] == _NONE else other[(crows[0] + first + k, col)])
                for k, i in enumerate(where[first : first + max(0, len(rows) - before)])
            ]  # fmt: skip
            before = min(before, len(rows))
            return [_EMPTY] * before + found + [_EMPTY] * (len(rows) - before - len(found))
        j = bisect_left(crows, rows[0]) if rows else 0
        for r in rows:
            while j < n and crows[j] < r:
                j += 1
            if j == n or crows[j] != r:
                out.append(_EMPTY)
                continue
            i = where[j]
            kind = kinds[i]
            value = values[i] if kind == _FLOAT else None if kind == _NONE else other[(r, col)]
            out.append((None if formulas[i] == _CONSTANT else FORMULA, value))
        return out

    def shapes(self, col: int, rows) -> list:
        """shape() of `col` at each of `rows` (ascending), in one walk down the column."""
        if self._dict is not None:
            return [None] * len(rows)
        column = self._columns.get(col)
        if column is None:
            return [None] * len(rows)
        out, crows, where, formulas = [], column.rows, column.at, self._formulas
        j, n = (bisect_left(crows, rows[0]) if rows else 0), len(crows)
        for r in rows:
            while j < n and crows[j] < r:
                j += 1
            f = formulas[where[j]] if j < n and crows[j] == r else -1
            out.append(f if f >= 0 else None)
        return out

    def dense(self, col: int) -> list | None:
        """The values of `col` from row 0 to its last cell, by row (None where empty): what reads a
        column cell by cell reads it as a list (a list index, not a search). None once the store is a
        plain dict (a column would be a pass over every cell)."""
        if self._dict is not None:
            return None
        column = self._columns.get(col)
        if column is None:
            return []
        out = [None] * (column.rows[-1] + 1)
        kinds, values, other = self._kinds, self._values, self._other
        for r, i in zip(column.rows, column.at):
            kind = kinds[i]
            out[r] = values[i] if kind == _FLOAT else None if kind == _NONE else other[(r, col)]
        return out

    def shape(self, at) -> int | None:
        """The number of the formula's shape at `at` (the same for its copies down a column), or None
        (no formula, or one kept as written)."""
        if self._dict is not None:
            return None
        i = self._find(*at)
        return self._formulas[i] if i >= 0 and self._formulas[i] >= 0 else None

    def only(self, keep) -> dict:
        """A dict of the cells at `keep` (those it holds), in this store's order: what is left of a
        judged sheet (check's release). Looked up one by one, not by a pass over every cell: a few
        dozen kept of a key's 18,600 cells, the pass took 13 ms of the 290 ms a key's check takes."""
        if self._dict is not None:
            return {at: cell for at, cell in self._dict.items() if at in keep}
        found = sorted((i, at) for at in keep if (i := self._find(*at)) >= 0)
        return {at: (self._text(self._formulas[i], at[0], at), self._value(i, at)) for i, at in found}

    def fill(self, values: dict) -> None:
        """Every formula's value from `values` ((row, col) -> value; None where it has none)."""
        if self._dict is not None:
            for at, (formula, _) in self._dict.items():
                if formula is not None:
                    self._dict[at] = (formula, values.get(at))
            return
        rows, cols, formulas, kinds, kept = self._rows, self._cols, self._formulas, self._kinds, self._values
        for i in range(len(rows)):
            if formulas[i] != _CONSTANT:
                at = (rows[i], cols[i])
                value = values.get(at)
                if value.__class__ is float and value == value and kinds[i] != _OTHER:  # _put's, inline
                    kept[i], kinds[i] = value, _FLOAT
                else:
                    self._put(i, at, _KEEP, value)

    def set_value(self, at, value) -> None:
        """The value of a cell, its formula kept."""
        if self._dict is not None or (i := self._find(*at)) < 0:
            self[at] = (self.get(at, _EMPTY)[0], value)
            return
        self._put(i, at, _KEEP, value)


class _Keep:
    """The formula as it is (set_value)."""


_KEEP = _Keep()
_EMPTY = (None, None)


class _View:
    """items() or values() of a compact store: iterable again, and sized."""

    def __init__(self, make, size):
        self.make, self.size = make, size

    def __iter__(self):
        return self.make()

    def __len__(self):
        return self.size

"""The table finder by meaning: a table found by what its formulas compute, where no header row names
enough of its quantities for tables.find (headers in words, in German or Chinese, equations, `dw1`,
two merged rows, or no header at all).

Read as a teacher reads a sheet, one iteration's row at a time:
- an iteration's **weights** are the cells whose formulas read only the row above and something
  beside their own column there (w1 ← w1 − η·∂E_total/∂w1, or a copy of the row above's "new w1");
  an iteration counter (=A3+1) reads only its own column and is none;
- an **activation** is a cell that is σ (or tanh, ReLU …) of one cell of its row, by what it computes
  at probe points (functions); that cell is a neuron's net input: **h1, h2** read no activation,
  **o1, o2** read the hidden ones';
- **∂E_total/∂w1** is the cell w1's update reads beside w1 itself (and η);
- **E1** reads a_o1 alone and no gradient reads it, **E_total** both outputs' losses;
- a **helper** the gradients read (δo1, ∂E_total/∂a_h1 …) is the reference's quantity whose values it
  holds, row after row; none, and it is named among the columns not identified, and not judged.
Which neuron is h1, which weight w1: each a vote — a header naming it in any spelling tables knows
(4), the products the formulas compute (h1 = w1·i1 + w2·i2: 2), the sheet's left-to-right order (1) —
and the assignment that most votes agree on wins. A slip in one formula is outvoted by the rest.
"""

import itertools
import math
import re
from dataclasses import dataclass, field

from sheetgen.check import functions
from sheetgen.model import names
from sheetgen.model.spelling import new, norm, quantity
from sheetgen.xlsx import excel
from sheetgen.xlsx.reader import Book, Sheet

CLUE, PRODUCT, ORDER, VALUE = 4.0, 2.0, 1.0, 3.0  # the weight of each kind of vote (see the docstring)
RTOL = 1e-9
SAMPLED = 4  # formula cells of a column looked at to tell a weight's column: its copies say the same
HEADER_ROWS = 4  # how far above a table's first row its header's words are looked for (two merged rows and a title)


@dataclass
class Found:
    """A table read by its formulas: the columns of its quantities and how each was told."""

    rows: list[int]
    columns: dict[str, int]
    hows: dict[str, str]
    spellings: dict[str, str]
    unidentified: list[int] = field(default_factory=list)  # formula columns of the table nothing names


def find(sheet: Sheet, book: Book | None) -> list[Found]:
    """Every table of the sheet that its formulas compute, top to bottom, left to right."""
    formulas: dict[int, list[int]] = {}
    for r, c, _ in sheet.formula_cells():
        formulas.setdefault(c, []).append(r)
    weighty = {c for c, rows in formulas.items() if len(rows) >= 2 and _updates(sheet, c, rows)}
    if len(weighty) < 8:
        return []
    out, seen = [], set()
    for start in _runs(formulas, weighty):
        for group in _groups(sheet, book, start, weighty):
            key = (start, min(group.columns.values()))
            if key not in seen:
                seen.add(key)
                out.append(group)
    return sorted(out, key=lambda f: (f.rows[0], min(f.columns.values())))


# -- weights: cells that read only the row above --------------------------------------------------
def _updates(sheet: Sheet, c: int, rows: list[int]) -> bool:
    """Whether most of a few of a column's formula cells read the row above (something beside their own
    column there) and nothing of their own row: a weight's column from its second iteration on."""
    picked = list(dict.fromkeys([rows[1], rows[len(rows) // 2], rows[-1], rows[min(2, len(rows) - 1)]]))[:SAMPLED]
    votes = sum(1 for r in picked if _reads_above(sheet, r, c))
    return votes * 2 > len(picked)


def _reads_above(sheet: Sheet, r: int, c: int) -> bool:
    try:
        refs = [x for x in excel.refs(sheet.formula(r, c)) if x.sheet in (None, sheet.name) and x.end is None]
    except (excel.FormulaError, TypeError):
        return False
    relative = [x for x in refs if not x.row_abs]
    if any(x.row == r for x in relative):
        return False
    above = {x.col for x in relative if x.row == r - 1}
    return bool(above) and above != {c}


def _runs(formulas: dict[int, list[int]], weighty: set[int]) -> list[int]:
    """The first update row of each run of rows in which the weights' columns hold formulas (tables
    stacked on one sheet are runs apart)."""
    counts: dict[int, int] = {}
    for c in weighty:
        for r in formulas[c]:
            counts[r] = counts.get(r, 0) + 1
    rows = sorted(r for r, n in counts.items() if n >= 8)
    return [r for i, r in enumerate(rows) if i == 0 or rows[i - 1] != r - 1]


# -- one row's cells, by what they read ---------------------------------------------------------------
@dataclass
class _Row:
    sheet: Sheet
    book: Book | None
    r: int
    reads: dict[int, list]  # column -> the cells its formula in row r reads [(sheet, row, col)]

    def own(self, c: int) -> set[int]:
        """The computed cells of row r (its formula cells' columns) that column c's formula reads: a
        constant of the row (t1 repeated on every row) is a given, not part of the network's graph."""
        return {col for where, row, col in (x for x, _ in self.reads.get(c, ())) if where == self.sheet.name and
                row == self.r and col in self.reads}  # fmt: skip

    def above(self, c: int) -> set[int]:
        """The computed cells of the row above that column c's formula reads (their columns)."""
        return {col for where, row, col in (x for x, _ in self.reads.get(c, ())) if where == self.sheet.name and
                row == self.r - 1 and col in self.reads}  # fmt: skip


def _row(sheet: Sheet, book: Book | None, r: int) -> _Row:
    reads = {}
    for c in sorted({c for (row, c) in _cells_of_row(sheet, r)}):
        reads[c] = functions.reads(sheet, book, (r, c))
    return _Row(sheet, book, r, reads)


def _cells_of_row(sheet: Sheet, r: int):
    return [(row, c) for row, c, _ in sheet.formula_cells() if row == r]


def _groups(sheet: Sheet, book: Book | None, r: int, weighty: set[int]) -> list[Found]:
    """The tables whose second iteration is row r: the row's formula cells, split into the networks
    they compute (two tables side by side read nothing of each other)."""
    row = _row(sheet, book, r)
    links: dict[int, set[int]] = {c: set() for c in row.reads}
    for c in row.reads:
        for d in row.own(c):
            if d in links:
                links[c].add(d)
                links[d].add(c)
    groups, seen = [], set()
    for c in sorted(links):
        if c in seen:
            continue
        stack, part = [c], set()
        while stack:
            x = stack.pop()
            if x in part:
                continue
            part.add(x)
            stack.extend(links[x] - part)
        seen |= part
        if (found := _network(sheet, book, row, part, weighty)) is not None:
            groups.append(found)
    return groups


def _network(sheet: Sheet, book: Book | None, row: _Row, part: set[int], weighty: set[int]) -> Found | None:
    """The 2-2-2 network a group of row r's cells computes, named; None if they compute no such network."""
    r, name = row.r, sheet.name
    act: dict[int, tuple[int, str]] = {}  # activation's column -> (its net input's column, which function)
    for c in sorted(part):
        own = row.own(c)
        # σ of one cell of its row; or of the row above's (a slip, a_h2 = σ(h2 above), judged as one: it
        # reads only the row above, as a weight does, but a weight is no activation)
        arg = own if own else row.above(c)
        at = r if own else r - 1
        if len(arg) == 1 and (n := next(iter(arg))) in part and n not in weighty:
            f = functions.of_cell(sheet, book, (r, c), (name, at, n))
            if f is not None and (kind := functions.activation_of(f)):
                act[c] = (n, kind)
    weighty = weighty - set(act)
    nets = {n for n, _ in act.values()}
    hidden = sorted(n for n in nets if not (row.own(n) & set(act)))
    output = sorted(n for n in nets if row.own(n) & {a for a, (m, _) in act.items() if m in hidden})
    weights = sorted({w for n in hidden + output for w in row.own(n) & weighty})
    if len(weights) != 8:  # a net reading one weight twice (w7 for w6): the weights of the group, then
        weights = sorted(part & weighty)
    if len(hidden) != 2 or len(output) != 2 or len(weights) != 8:
        return None
    of_net = {n: a for a, (n, _) in act.items()}
    clue = _clues(sheet, r - 1, part | set(weights))
    hows: dict[str, str] = {}

    # which neuron is h1, which o1, which input i1, and which weight w1: the naming most votes agree on
    pairs = _products(sheet, book, r, hidden, output, of_net, set(weights), set(row.reads))
    inputs = sorted({x for _, _, x in pairs if x[0] == "input"}, key=lambda x: (x[1][0] != name, x[1][1:]))
    best = None
    for h, o, ins in itertools.product(_orders(hidden), _orders(output), _orders(inputs)):
        votes = _neuron_votes(h, clue, "h", of_net) + _neuron_votes(o, clue, "o", of_net)
        votes += sum(ORDER for k, x in enumerate(ins) if x == inputs[k]) + _input_votes(sheet, book, ins)
        score = _weight_votes(weights, clue, pairs, h, o, ins)
        named = _assign(weights, [names.weight(k) for k in range(1, 9)], score)
        total = votes + sum(score.get((w, q), 0.0) for w, q in named.items())
        if best is None or total > best[0]:
            best = (total, h, o, named)
    _, h, o, named = best
    columns = {q: w for w, q in named.items()}
    for q in columns:
        hows[q] = "updated from the row above"
    for j, n in enumerate(h, 1):
        columns[f"h{j}"], columns[f"a_h{j}"] = n, of_net[n]
        hows[f"h{j}"] = f"reads {_read_weights(row, n, named)}, inputs"
        hows[f"a_h{j}"] = f"{_symbol(act[of_net[n]][1])}({_col(n)})"
    for j, n in enumerate(o, 1):
        columns[f"o{j}"], columns[f"a_o{j}"] = n, of_net[n]
        hows[f"o{j}"] = f"reads {_read_weights(row, n, named)}, a_h1, a_h2"
        hows[f"a_o{j}"] = f"{_symbol(act[of_net[n]][1])}({_col(n)})"
    rest = sorted(part - set(columns.values()) - weighty)
    _gradients(sheet, book, row, named, rest, clue, columns, hows)
    rest = [c for c in rest if c not in columns.values()]
    _losses(row, rest, columns, hows, clue)
    rows = _rows(sheet, r, [*columns.values()])
    if len(rows) < 2:
        return None
    spellings = {q: clue_text for q, c in columns.items() if (clue_text := _header_text(sheet, rows[0] - 1, c))}
    unidentified = [c for c in sorted(part | set(weights)) if c not in columns.values()]
    return Found(rows, columns, hows, spellings, unidentified)


def _symbol(kind: str) -> str:
    return {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU"}[kind]


def _read_weights(row: _Row, n: int, named: dict[int, str]) -> str:
    ws = [named[c] for c in sorted(row.own(n)) if c in named]
    return ", ".join(ws) if ws else "two weights"


def _orders(cells: list) -> list[list]:
    """Both orders of two cells (one order of fewer)."""
    return [cells, cells[::-1]] if len(cells) == 2 else [cells]


def _neuron_votes(order: list[int], clue: dict[int, str], layer: str, of_net: dict[int, int]) -> float:
    """Votes for naming `order` as h1, h2 (or o1, o2): a header naming the net or its activation so
    (CLUE), standing left to right (ORDER)."""
    votes = 0.0
    for j, n in enumerate(order, 1):
        if clue.get(n) == f"{layer}{j}" or clue.get(of_net[n]) == f"a_{layer}{j}":
            votes += CLUE
        if n == sorted(order)[j - 1]:
            votes += ORDER
    return votes


def _input_votes(sheet: Sheet, book: Book | None, ins: list) -> float:
    """A label beside an input's cell (or its column's header) naming it i1 or i2: CLUE."""
    votes = 0.0
    for j, (_, cell) in enumerate(ins, 1):
        where, r, c = cell
        on = sheet if where == sheet.name else (book.sheet(where) if book is not None else None)
        if on is None:
            continue
        for at in ((r, c - 1), (r - 1, c), *((rr, c) for rr in range(r - 1, max(-1, r - HEADER_ROWS - 1), -1))):
            if (text := on.value(*at)) and isinstance(text, str) and clue(text) in ("i1", "i2"):
                votes += CLUE if clue(text) == f"i{j}" else 0.0
                break
    return votes


def _weight_votes(weights: list[int], clues: dict[int, str], pairs, h, o, ins) -> dict:
    """Votes for naming each weight's column w_k: its header (CLUE), the product it takes part in under
    this naming of the neurons and inputs (h1 = w1·i1 + w2·i2: PRODUCT), its place left to right (ORDER)."""
    score: dict[tuple[int, str], float] = {}
    for rank, w in enumerate(weights):
        score[(w, names.weight(rank + 1))] = ORDER
        if (q := clues.get(w)) and re.fullmatch(r"w[1-8]", q):
            score[(w, q)] = score.get((w, q), 0) + CLUE
    for n, w, x in pairs:
        if x[0] == "input" and x in ins and n in h:
            k = 2 * h.index(n) + ins.index(x) + 1
        elif x[0] == "act" and n in o:
            k = 4 + 2 * o.index(n) + h.index(x[1]) + 1
        else:
            continue
        score[(w, names.weight(k))] = score.get((w, names.weight(k)), 0) + PRODUCT
    return score


def _products(sheet, book, r, h, o, of_net, weights: set[int], computed: set[int]):
    """(net, weight's column, what it multiplies): ('input', cell) for a hidden net's constants,
    ('act', hidden net) for an output's: told by the mixed difference of the net's formula."""
    name, out = sheet.name, []
    acts = {of_net[n]: n for n in h}
    for n in [*h, *o]:
        f = functions.evaluator(sheet, book, (r, n))
        if f is None:
            continue
        reads = [cell for cell, _ in functions.reads(sheet, book, (r, n))]
        at = {cell: x for cell in reads if (x := excel.number(functions.value(sheet, book, cell))) is not None}
        # a weight without a number (#REF! where a renamed tab broke its reference) multiplies nothing here
        ws = [cell for cell in reads if cell[0] == name and cell[1] == r and cell[2] in weights and cell in at]
        others = [cell for cell in reads if cell not in ws and cell in at]
        for w in ws:
            for x in others:
                m = functions.times(f, w, x, at)
                if m is None or abs(m - 1) > 1e-9:
                    continue
                if x[0] == name and x[1] == r and x[2] in acts:
                    out.append((n, w[2], ("act", acts[x[2]])))
                elif n in h and not (x[0] == name and x[1] == r and x[2] in computed):
                    out.append((n, w[2], ("input", x)))
    return out


def _assign(cells: list[int], labels: list[str], score: dict) -> dict[int, str]:
    """The one-to-one naming of `cells` by `labels` with the most votes (a cell with no vote stays
    unnamed). Exact: at most 8 labels, so every subset of them is a state (2^8)."""
    best: dict[int, tuple[float, tuple]] = {0: (0.0, ())}
    for c in cells:
        nxt = dict(best)  # c left unnamed
        for used, (s, chosen) in best.items():
            for k, q in enumerate(labels):
                v = score.get((c, q), 0.0)
                if used & (1 << k) or v <= 0:
                    continue
                key = used | (1 << k)
                if key not in nxt or nxt[key][0] < s + v:
                    nxt[key] = (s + v, chosen + ((c, q),))
        best = nxt
    return dict(max(best.values(), key=lambda x: x[0])[1])


def _gradients(sheet, book, row: _Row, named: dict[int, str], rest: list[int], clue, columns, hows) -> None:
    """∂E_total/∂w1 is the cell of the row above that w1's update reads beside w1 itself (or, when the
    update is a "new w1" column of its own row, the cell that one reads beside w1)."""
    r, name = row.r, sheet.name
    score: dict[tuple[int, str], float] = {}
    new_cols: dict[str, int] = {}
    for w, q in named.items():
        above = [cell for cell, _ in functions.reads(sheet, book, (r, w)) if cell[0] == name and cell[1] == r - 1]
        cols = {cell[2] for cell in above} - {w}
        if len(cols) == 1 and not any(cell[2] == w for cell in above):  # a copy of the row above's new w1
            n = cols.pop()
            new_cols[q] = n
            cols = row.own(n) - {w}
        for g in cols:
            if g in rest:
                score[(g, names.grad(q))] = score.get((g, names.grad(q)), 0) + CLUE
    for g in rest:
        q = clue.get(g)
        if q and names.of_grad(q) and names.is_param(names.of_grad(q)):
            score[(g, q)] = score.get((g, q), 0) + CLUE
    for q, n in new_cols.items():
        columns[new(q)] = n
        hows[new(q)] = f"the row below's {q} is a copy of it"
    grads = _assign([g for g in rest if any(k[0] == g for k in score)], [names.grad(q) for q in named.values()], score)
    _gaps(grads, rest, named)
    for g, q in grads.items():
        columns[q] = g
        hows[q] = f"read by {names.of_grad(q)}'s update"


def _gaps(grads: dict[int, str], rest: list[int], named: dict[int, str]) -> None:
    """A gradient no update reads (w3's update reads ∂E/∂w1 by a slip) named by its place: the one
    unnamed column between ∂E/∂w2 and ∂E/∂w4 is ∂E/∂w3 (or right after ∂E/∂w7, ∂E/∂w8)."""
    at = {names.of_grad(q): c for c, q in grads.items()}
    free = set(rest) - set(grads)
    # the way the gradients run: w1 to w8 left to right, or (a mirrored sheet) right to left
    steps = [at[names.weight(k + 1)] - at[names.weight(k)] for k in range(1, 8)
             if names.weight(k) in at and names.weight(k + 1) in at]  # fmt: skip
    d = -1 if sum(1 for x in steps if x < 0) > len(steps) / 2 else 1
    for k in range(1, 9):
        w = names.weight(k)
        if w in at or w not in named.values():
            continue
        before, after = at.get(names.weight(k - 1)), at.get(names.weight(k + 1))
        if before is not None and before + d in free and (after is None or after == before + 2 * d):
            c = before + d
        elif after is not None and after - d in free and before is None:
            c = after - d
        else:
            continue
        grads[c], at[w] = names.grad(w), c
        free.discard(c)


def _losses(row: _Row, rest: list[int], columns: dict[str, int], hows: dict[str, str], clue) -> None:
    """E_total reads the two losses (or both outputs); E1 is the loss of a_o1, E2 of a_o2 — or, where a
    slip makes both read one output (E2 = ½(t2 − a_o1)²), by a header naming them, else left to right.
    No gradient reads a loss (a helper such as δo1 reads a_o1 alone too, but a gradient reads it)."""
    known = set(columns.values())
    read_by_known = {d for c in known for d in row.own(c)}
    a1, a2 = columns["a_o1"], columns["a_o2"]
    outputs = {a1: "E1", a2: "E2"}
    loss = [c for c in rest if c not in read_by_known and row.own(c) and row.own(c) <= {a1, a2}]
    single = [c for c in loss if len(row.own(c)) == 1]
    total = next((c for c in rest if c not in read_by_known and c not in single and
                  (len(row.own(c) & set(single)) == 2 or row.own(c) == {a1, a2})), None)  # fmt: skip
    losses = {}
    if total is not None:
        losses[names.E_TOTAL] = total
        pair = sorted(row.own(total) & set(single))
        if len(pair) == 2:
            said = [outputs[next(iter(row.own(c)))] for c in pair]
            if said[0] == said[1]:  # both read one output: a header says which is which, else the sheet's
                # own order (E1 on o1's side: a sheet that stands o2 before o1 stands E2 before E1)
                mirrored = columns["o2"] < columns["o1"]
                said = ["E2", "E1"] if [clue.get(c) for c in pair] == ["E2", "E1"] or mirrored else ["E1", "E2"]
            losses |= dict(zip(said, pair))
    for c in single:
        losses.setdefault(outputs[next(iter(row.own(c)))], c) if c not in losses.values() else None
    for q, c in losses.items():
        columns[q] = c
        hows[q] = {"E1": "reads a_o1", "E2": "reads a_o2"}.get(q, "reads both outputs' losses")
        if q != names.E_TOTAL and row.own(c) != {a1 if q == "E1" else a2}:
            hows[q] = f"read by E_total ({'left' if q == 'E1' else 'right'} of the two)"


def _rows(sheet: Sheet, r: int, cols: list[int]) -> list[int]:
    """The table's iterations: the row above r (the first, its weights given, when it holds numbers) and
    the rows from r on whose columns hold numbers."""
    weights_given = r > 0 and sum(1 for c in cols if _is_value(sheet.value(r - 1, c))) * 2 >= len(cols)
    rows = [r - 1] if weights_given else []  # else the row above is a header: the table starts at r
    n = r
    while True:
        held = sum(1 for c in cols if _is_value(sheet.value(n, c)))
        if held * 2 < len(cols):
            break
        rows.append(n)
        n += 1
    return rows


def _is_value(v) -> bool:
    return excel.is_number(v) or type(v).__name__ == "Error"


# -- the header's words: clues ------------------------------------------------------------------------
def _header_text(sheet: Sheet, above: int, c: int) -> str | None:
    """The nearest text above a table's first row in column c (a merged header's top cell, two rows
    up, included), or None."""
    for r in range(above, max(-1, above - HEADER_ROWS), -1):
        v = sheet.value(r, c)
        if isinstance(v, str) and v.strip() and sheet.formula(r, c) is None:
            return v.strip()
    return None


def _clues(sheet: Sheet, above: int, cols) -> dict[int, str]:
    """The quantity each column's header text names, when it names one: in a spelling tables knows,
    on the left of an equation (`h1 = w1*i1 + w2*i2`), beside words (`dE/dw1 (Gradient)`, `E_total 总误差`),
    or a weight's gradient as `dw1`."""
    out = {}
    for c in cols:
        if (text := _header_text(sheet, above, c)) and (q := clue(text)):
            out[c] = q
    return out


def clue(text: str) -> str | None:
    """The quantity a header's words name, as a clue (never a decision), or None."""
    candidates = [text, text.split("=")[0], re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text), *re.split(r"[\s,;:|]+", text)]
    for t in candidates:
        t = t.strip()
        if not t:
            continue
        if q := quantity(t):
            return None if q == names.ITERATION else q
        if m := re.fullmatch(r"d_?([wb])_?(\d+)", norm(t)):
            return names.grad(f"{m[1]}{m[2]}")
    return None


def _col(c: int) -> str:
    return excel.col_name(c)


# -- helpers: named by the values they hold ----------------------------------------------------------
def name_helpers(table, candidates: list[int], expected_rows) -> dict[str, int]:
    """The reference's quantity each helper column holds in every one of a few rows (δo1 is ∂E_total/∂o1,
    ∂E/∂a_h1 …), when exactly one does; `expected_rows`: [(row, {quantity: value})]."""
    out = {}
    for c in candidates:
        fits = None
        for r, expected in expected_rows:
            v = table.sheet.value(r, c)
            if not excel.is_number(v, finite=True):
                fits = set()
                break
            here = {q for q, x in expected.items() if x == x and math.isclose(v, x, rel_tol=RTOL, abs_tol=1e-15)}
            fits = here if fits is None else fits & here
        if fits and len(fits) == 1 and (q := fits.pop()) not in out and q not in table.columns:
            out[q] = c
    return out

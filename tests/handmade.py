"""Hand-made-style backprop workbooks, written with openpyxl the way students lay them out.

The formulas are the seeds' equations typed as text templates, independent of sheetgen's own
formula builder: {q} is this row's cell of quantity q, {q-} the row above's, {$q} a parameter's
own cell. A slip replaces one quantity's template (from some row on), as the mistakes found in
real sheets do.
"""

from dataclasses import dataclass, field

import openpyxl
from openpyxl.utils import get_column_letter

ERA = {"i1": 0.05, "i2": 0.1, "t1": 0.5, "t2": 0.5}
WEIGHTS = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]

# the seeds' equations, one per quantity
RULES = {
    "h1": "={w1}*{i1}+{w2}*{i2}",
    "h2": "={w3}*{i1}+{w4}*{i2}",
    "a_h1": "=1/(1+EXP(-{h1}))",
    "a_h2": "=1/(1+EXP(-{h2}))",
    "o1": "={w5}*{a_h1}+{w6}*{a_h2}",
    "o2": "={w7}*{a_h1}+{w8}*{a_h2}",
    "a_o1": "=1/(1+EXP(-{o1}))",
    "a_o2": "=1/(1+EXP(-{o2}))",
    "E1": "=0.5*({t1}-{a_o1})^2",
    "E2": "=0.5*({t2}-{a_o2})^2",
    "E_total": "={E1}+{E2}",
    "g1": "=(({a_o1}-{t1})*{a_o1}*(1-{a_o1})*{w5}+({a_o2}-{t2})*{a_o2}*(1-{a_o2})*{w7})*{a_h1}*(1-{a_h1})*{i1}",
    "g2": "=(({a_o1}-{t1})*{a_o1}*(1-{a_o1})*{w5}+({a_o2}-{t2})*{a_o2}*(1-{a_o2})*{w7})*{a_h1}*(1-{a_h1})*{i2}",
    "g3": "=(({a_o1}-{t1})*{a_o1}*(1-{a_o1})*{w6}+({a_o2}-{t2})*{a_o2}*(1-{a_o2})*{w8})*{a_h2}*(1-{a_h2})*{i1}",
    "g4": "=(({a_o1}-{t1})*{a_o1}*(1-{a_o1})*{w6}+({a_o2}-{t2})*{a_o2}*(1-{a_o2})*{w8})*{a_h2}*(1-{a_h2})*{i2}",
    "g5": "=({a_o1}-{t1})*{a_o1}*(1-{a_o1})*{a_h1}",
    "g6": "=({a_o1}-{t1})*{a_o1}*(1-{a_o1})*{a_h2}",
    "g7": "=({a_o2}-{t2})*{a_o2}*(1-{a_o2})*{a_h1}",
    "g8": "=({a_o2}-{t2})*{a_o2}*(1-{a_o2})*{a_h2}",
}
for k in range(1, 9):
    RULES[f"w{k}"] = f"={{w{k}-}}-{{$eta}}*{{g{k}-}}"  # the update, read from the row above
    RULES[f"new w{k}"] = f"={{w{k}}}-{{$eta}}*{{g{k}}}"  # or written in the same row
    RULES[f"w{k}+"] = f"={{new w{k}-}}"  # then copied down

# columns some sheets add between the loss and the gradients: each output's share of ∂E_total/∂a_h1
for k, (w_o1, w_o2) in enumerate((("w5", "w7"), ("w6", "w8")), 1):
    RULES[f"∂E1/∂a_h{k}"] = f"=({{a_o1}}-{{t1}})*{{a_o1}}*(1-{{a_o1}})*{{{w_o1}}}"
    RULES[f"∂E2/∂a_h{k}"] = f"=({{a_o2}}-{{t2}})*{{a_o2}}*(1-{{a_o2}})*{{{w_o2}}}"
    RULES[f"∂E/∂a_h{k}"] = f"={{∂E1/∂a_h{k}}}+{{∂E2/∂a_h{k}}}"

GRAD = {f"g{k}": f"∂E_total/∂w{k}" for k in range(1, 9)}  # what sheetgen calls them


def canonical(q: str) -> str:
    return GRAD.get(q, q)


@dataclass
class Layout:
    name: str
    sheet: str
    header_row: int  # 1-based, as the sheet numbers rows
    columns: list[tuple[str, str]]  # (quantity, header text), left to right from first_col
    first_col: int = 1
    block: dict[str, tuple[str, str]] = field(default_factory=dict)  # param -> (label cell, label text)
    eta: float = 0.5
    same_row_update: bool = False  # "new w1" columns instead of the next row's w1
    rows: int = 12

    def col(self, q: str) -> str | None:
        for n, (name, _) in enumerate(self.columns):
            if name == q:
                return get_column_letter(self.first_col + n)
        return None

    def value_cell(self, param: str) -> str:
        """The cell right of a block parameter's label."""
        label = self.block[param][0]
        col = "".join(ch for ch in label if ch.isalpha())
        row = "".join(ch for ch in label if ch.isdigit())
        return get_column_letter(openpyxl.utils.column_index_from_string(col) + 1) + row


@dataclass(frozen=True)
class Slip:
    """A mistake: quantity q's formula is `template` from data row `start` (0-based) on."""

    q: str
    template: str | None  # None: a number typed over the formula (its right value, copied from a twin cell)
    start: int = 0
    code: str = ""  # the finding's code check must give
    diagnosis: str = ""  # what check must say, where the words are the point (a fragment of it)
    relative_eta: bool = False


def resolve(layout: Layout, template: str, r: int, relative_eta: bool = False) -> str:
    """A template's text in sheet row r (1-based)."""
    out, at = [], 0
    while (start := template.find("{", at)) >= 0:
        out.append(template[at:start])
        end = template.index("}", start)
        key = template[start + 1 : end]
        out.append(_cell(layout, key, r, relative_eta))
        at = end + 1
    out.append(template[at:])
    return "".join(out)


def _cell(layout: Layout, key: str, r: int, relative_eta: bool) -> str:
    if key.startswith("$"):  # a parameter's own cell
        q = key[1:]
        cell = layout.value_cell(q)
        if relative_eta:  # typed as G1, not $G$1, in the first update: copied down, it drifts
            col = "".join(ch for ch in cell if ch.isalpha())
            row = int("".join(ch for ch in cell if ch.isdigit()))
            first_update = layout.header_row + (1 if layout.same_row_update else 2)
            return f"{col}{row + (r - first_update)}"
        col = "".join(ch for ch in cell if ch.isalpha())
        return f"${col}${''.join(ch for ch in cell if ch.isdigit())}"
    shift = -1 if key.endswith("-") else 2 if key.endswith("+2") else 0
    q = key.removesuffix("-").removesuffix("+2")
    col = layout.col(q)
    if col is None:  # a parameter kept in a block
        cell = layout.value_cell(q)
        col = "".join(ch for ch in cell if ch.isalpha())
        return f"${col}${''.join(ch for ch in cell if ch.isdigit())}"
    return f"{col}{r + shift}"


def write(layout: Layout, path, slips=(), params=None, as_text=False, rules=None) -> dict[str, str]:
    """Write the workbook; returns {quantity: its first wrong cell} of the slips planted. `as_text`:
    every given number (inputs, targets, η, the first row's weights) typed as text, "0.05". `rules`:
    this sheet's own way of writing some quantities (right, but not the seeds' words), by quantity."""
    params = dict(ERA, **(params or {}))
    rules = dict(RULES, **(rules or {}))
    given = str if as_text else (lambda x: x)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = layout.sheet
    for q, (label_cell, text) in layout.block.items():
        ws[label_cell] = text
        ws[layout.value_cell(q)] = given(layout.eta if q == "eta" else params[q])
    for n, (_, text) in enumerate(layout.columns):
        ws.cell(layout.header_row, layout.first_col + n, text)
    by_q = {s.q: s for s in slips}
    planted = {}
    for n in range(layout.rows):
        r = layout.header_row + 1 + n
        for q, _ in layout.columns:
            col = layout.col(q)
            if q in ERA:
                ws[f"{col}{r}"] = given(params[q])
                continue
            if q in ("Iteration", "Step"):
                ws[f"{col}{r}"] = n + 1
                continue
            if q.startswith("w") and n == 0:
                ws[f"{col}{r}"] = given(WEIGHTS[int(q[1:]) - 1])
                continue
            rule = q + "+" if (q.startswith("w") and layout.same_row_update) else q
            template = rules[rule]
            slip = by_q.get(q)
            relative = False
            if slip is not None and n >= slip.start:
                planted.setdefault(canonical(q), f"{col}{r}")
                template = slip.template if slip.template is not None else template
                relative = slip.relative_eta
                if slip.template is None:  # a number typed over the formula
                    ws[f"{col}{r}"] = 0.63
                    continue
            ws[f"{col}{r}"] = resolve(layout, template, r, relative)
    wb.save(path)
    return planted


# -- four layouts, none of them sheetgen's own --------------------------------------------------------
def _grads(spelling: str) -> list[tuple[str, str]]:
    return [(f"g{k}", spelling.format(k=k)) for k in range(1, 9)]


CLASS_SHEET = Layout(  # parameters repeated on every row; η in a labelled cell above the table
    name="columns",
    sheet="Sheet1",
    header_row=3,
    columns=[("t1", "t1"), ("t2", "t2"), ("i1", "i1"), ("i2", "i2")]
    + [(f"w{k}", f"w{k}") for k in (1, 2, 3, 4)]
    + [("h1", "h1"), ("a_h1", "a_h1"), ("h2", "h2"), ("a_h2", "a_h2")]
    + [(f"w{k}", f"w{k}") for k in (5, 6, 7, 8)]
    + [("o1", "o1"), ("a_o1", "a_o1"), ("o2", "o2"), ("a_o2", "a_o2"), ("E1", "E1"), ("E2", "E2")]
    + [("E_total", "E_tot")]
    + _grads("∂E/∂w{k}"),
    block={"eta": ("F1", "η =")},
    eta=0.5,
)
BLOCK = Layout(  # a parameter block, then the table; other spellings (out_h1, dE/dw1, E_Total)
    name="block",
    sheet="Backprop",
    header_row=9,
    first_col=2,
    columns=[("Iteration", "Iteration")]
    + [(f"w{k}", f"w{k}") for k in range(1, 9)]
    + [("h1", "h1"), ("a_h1", "out_h1"), ("h2", "h2"), ("a_h2", "out_h2")]
    + [("o1", "o1"), ("a_o1", "out_o1"), ("o2", "o2"), ("a_o2", "out_o2"), ("E1", "E1"), ("E2", "E2")]
    + [("E_total", "E_Total")]
    + _grads("dE/dw{k}"),
    block={
        "i1": ("A2", "i1"),
        "i2": ("A3", "i2"),
        "t1": ("A4", "t1"),
        "t2": ("A5", "t2"),
        "eta": ("A6", "Learning rate"),
    },
    eta=0.2,
)
SHUFFLED = Layout(  # another column order: the loss and gradients first, then the forward pass
    name="shuffled",
    sheet="LR=1.0",
    header_row=2,
    columns=[("Step", "Step")]
    + [("E_total", "Etotal"), ("E2", "E2"), ("E1", "E1")]
    + [(f"g{k}", f"δE_tot/δw{k}") for k in range(8, 0, -1)]
    + [("a_o2", "a_O2"), ("o2", "O2"), ("a_o1", "a_01"), ("o1", "O1")]
    + [("a_h2", "ah2"), ("h2", "h2"), ("a_h1", "ah1"), ("h1", "h1")]
    + [(f"w{k}", f"W{k}") for k in range(1, 9)]
    + [("t1", "t1"), ("t2", "t2"), ("i1", "i1"), ("i2", "i2")],
    block={"eta": ("Z1", "ɳ")},
    eta=1.0,
)
SAME_ROW = Layout(  # the update in "new w" columns of the same row, copied down; 𝜕 spelled as in Word
    name="same row",
    sheet="ɳ = 0.8",
    header_row=4,
    columns=[("i1", "i1"), ("i2", "i2"), ("t1", "t1"), ("t2", "t2")]
    + [(f"w{k}", f"w{k}") for k in range(1, 9)]
    + [("h1", "h1"), ("h2", "h2"), ("a_h1", "a_h1"), ("a_h2", "a_h2")]
    + [("o1", "o1"), ("o2", "o2"), ("a_o1", "a_o1"), ("a_o2", "a_o2"), ("E1", "E1"), ("E2", "E2")]
    + [("E_total", "E total")]
    + _grads("𝜕E_total/𝜕w{k}")
    + [(f"new w{k}", f"new w{k}") for k in range(1, 9)],
    block={"eta": ("B2", "LR")},
    eta=0.8,
    same_row_update=True,
)
LAYOUTS = [CLASS_SHEET, BLOCK, SHUFFLED, SAME_ROW]


def slips(layout: Layout) -> list[Slip]:
    """One of every kind of mistake, each in a quantity of its own, so each is judged on its own."""
    w = "new w" if layout.same_row_update else "w"  # where the update is written
    prev = "" if layout.same_row_update else "-"
    return [
        # a reference to the wrong column: the course's class sheet
        Slip("g3", RULES["g3"].replace("{a_h2}*(1-{a_h2})", "{a_h1}*(1-{a_h1})"), 0, "swap-reference", "uses a_h1 ("),
        # σ' of h instead of a_h
        Slip("g1", RULES["g1"].replace("{a_h1}*(1-{a_h1})", "{h1}*(1-{h1})"), 0, "swap-reference"),
        # the chain rule through o1 alone (seed 002)
        Slip("g2", "=({a_o1}-{t1})*{a_o1}*(1-{a_o1})*{w5}*{a_h1}*(1-{a_h1})*{i2}", 0, "one-path"),
        # w6 and w7 swapped
        Slip("o1", "={w5}*{a_h1}+{w7}*{a_h2}", 0, "swap-reference"),
        # a wrong row: a_h2 from the row above
        Slip("a_h2", "=1/(1+EXP(-{h2-}))", 2, "other-row"),
        # a sign
        Slip("g5", "=({t1}-{a_o1})*{a_o1}*(1-{a_o1})*{a_h1}", 0, "sign"),
        # a missing ½
        Slip("E1", "=({t1}-{a_o1})^2", 0, "missing-half"),
        # E2 with a_o1 (seed 001)
        Slip("E2", "=0.5*({t2}-{a_o1})^2", 0, "swap-reference", "seed 001"),
        # i1 and i2 typed into h1's formula as numbers: right while the cells hold 0.05 and 0.1
        Slip("h1", "={w1}*0.05+{w2}*0.1", 0, "typed-number", "reads i1 as 0.05, i2 as 0.1"),
        # t1 where t2 belongs: both 0.5, so every value is right; only the formula is not ∂E_total/∂w8's rule
        Slip("g8", "=({a_o2}-{t1})*{a_o2}*(1-{a_o2})*{a_h2}", 0, "coincidence"),
        # ∂E/∂w7 with a_o1 and t1 (seed 002): two references wrong at once
        Slip("g7", "=({a_o1}-{t1})*{a_o1}*(1-{a_o2})*{a_h1}", 0, "two-references", "seed 002"),
        # w3 updated with ∂E/∂w1
        Slip(f"{w}3", f"={{w3{prev}}}-{{$eta}}*{{g1{prev}}}", 1, "swap-reference"),
        # w8 = w6 − η·∂E/∂w6 (seed 004)
        Slip(f"{w}8", f"={{w6{prev}}}-{{$eta}}*{{g6{prev}}}", 1, "two-references", "seed 004"),
        # η referenced relatively: right in the first update, then it drifts down the column
        Slip(f"{w}1", RULES[f"{w}1"], 1 if layout.same_row_update else 2, "relative-parameter", relative_eta=True),
        # a number typed over a formula
        Slip("a_o2", None, 5, "not-live"),
    ]


# a_h1 read from two rows below: the update chain brings it back, a circular reference
CIRCULAR = Slip("a_h1", "=1/(1+EXP(-{h1+2}))", 0, "circular")

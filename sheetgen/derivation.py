"""The Derivation tab: the forward pass and the chain rule, generated from the network.

Each equation is the formula tree of its table column, rendered as the seeds write equations,
with the hidden layers' ∂E_total/∂a… substituted in (the seeds' one-line ∂E_total/∂w1). Beside it,
one live cell evaluates that expanded equation from the first tab's iteration-1 cells, another
shows the table's own cell: the two agree, and `verify` checks both against the reference.
"""

from xlsxwriter.utility import xl_rowcol_to_cell

from . import formulas
from .layout import EXCEL_FORMULA, Layout

NAME = "Derivation"
HEADER_ROW = 3
HEADERS = ("quantity", "equation", "value of the equation", "value in the table", "step by step")
# An equation's live cell refers to the table as 'LR 0.1'!$B$18: at most 46 characters a leaf with
# its operator, so 150 leaves stay within Excel's 8,192-character formulas, however the tab is named.
EXPANDED_LEAVES = 150

# The errors found in the five seed write-ups (shared/seeds), and what this workbook shows instead.
SEED_ERRORS = (
    ("001", "E2 = ½(t2 − a_o1)²", "E2 = ½(t2 − a_o2)²"),
    ("001", "a_o2 = 0.5342 (that is o2)", "a_o2 = σ(o2) = 0.6305 at iteration 1"),
    ("001", "∂E_total/∂w1 = 0.000315, w1 → 0.1499685", "0.0003170 and w1 → 0.1499683 at η = 0.1"),
    ("002", "∂E/∂w7 = (a_o1 − t1)·a_o1·(1 − a_o2)·a_h1", "∂E_total/∂w7 = (a_o2 − t2)·a_o2·(1 − a_o2)·a_h1"),
    ("002", "∂E/∂w8 = (a_o1 − t1)·a_o1·(1 − a_o2)·a_h2", "∂E_total/∂w8 = (a_o2 − t2)·a_o2·(1 − a_o2)·a_h2"),
    ("002", "∂E1/∂a_h1 = … w5 + … w7 (both outputs)", "∂E1/∂a_h1 is the o1 path only; the sum is ∂E_total/∂a_h1"),
    ("002", "∂E_total/∂w1 chained through o1 alone", "∂E_total/∂a_h1 sums the paths through o1 and o2"),
    ("004", "w8 = w6 − η·∂E/∂w6", "w6 = w6 − η·∂E_total/∂w6"),
    ("000, 001, 003", "a_01, a_02", "a_o1, a_o2 (the letter o, not zero)"),
)


def rows(spec, layout: Layout) -> list[tuple[str, str, str, formulas.Expr | None]]:
    """(section or quantity, equation, step-by-step form, expanded tree) in reading order."""
    rules = formulas.rules(spec)
    hidden = {name for name in rules if name.startswith("∂E_total/∂a_")}

    def show(e):
        return formulas.render(e, lambda name, previous: name, formulas.DISPLAY)[1:]

    out = [("Forward pass", "", "", None)]
    for layer in range(1, len(spec.layers)):
        for j in range(spec.layers[layer]):
            n = spec.neuron(layer, j)
            f = {"sigmoid": "σ"}.get(spec.activations[layer - 1], spec.activations[layer - 1])
            out.append((n, show(rules[n].rest), "", rules[n].rest))
            out.append((f"a_{n}", f"{f}({n}) = {show(rules[f'a_{n}'].rest)}", "", rules[f"a_{n}"].rest))
    out.append(("Loss", "", "", None))
    losses = [c for c in layout.columns if c.startswith("E")]
    out += [(c, show(rules[c].rest), "", rules[c].rest) for c in losses]
    out.append(("Backward pass: the chain rule", "", "", None))
    sizes = {}  # the ∂E_total/∂a… columns come last hidden layer first: each needs only those before it
    for c in layout.columns:
        if c in hidden:
            sizes[c] = formulas.leaves(rules[c].rest, sizes)
    for c in layout.columns:
        if c.startswith("∂"):
            # written out in one equation while that fits one Excel formula; beyond, step by step
            written = formulas.leaves(rules[c].rest, sizes) <= EXPANDED_LEAVES
            full = formulas.expand(rules[c].rest, rules, hidden) if written else rules[c].rest
            out.append((c, show(full), show(rules[c].rest) if full != rules[c].rest else "", full))
    if spec.iterations >= 2:
        out.append(("Update (gradient descent), giving iteration 2", "", "", None))
        params = [c for c in layout.columns if c[:1] in "wb" and c[1:].isdigit()]
        out += [(p, show(rules[p].rest).replace("[previous row]", ""), "", rules[p].rest) for p in params]
    return out


def quantity_of(label: str) -> tuple[str, int]:
    """A row's label -> (table column, 0-based iteration its value belongs to)."""
    return (label.removesuffix(" (iteration 2)"), 1) if label.endswith(" (iteration 2)") else (label, 0)


def write(ws, tab: str, first_rows: list[dict], spec, layout: Layout, fmt) -> None:
    """`first_rows`: the reference's first two rows of `tab`, for the cached results."""
    ws.write_string(0, 0, "Derivation — generated from this network: forward pass, chain rule, update", fmt["title"])
    ws.write_string(1, 0, "values at iteration 1 of tab", fmt["label"])
    ws.write_string(1, 1, tab, fmt["input"])
    for c, header in enumerate(HEADERS):
        ws.write_string(HEADER_ROW, c, header, fmt["header"])
    for c, width in enumerate((18, 80, 22, 22, 50)):
        ws.set_column(c, c, width)
    params = {p.name: layout.param_cell(p) for p in layout.params}
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # printed one page wide

    def at(name, previous):  # every value of iteration 1; an update's result is in iteration 2
        return f"'{tab}'!{xl_rowcol_to_cell(layout.first_row, layout.col(name), True, True)}"

    excel = formulas.EXCEL | {"name": lambda name: f"'{tab}'!{params[name]}"}
    row = HEADER_ROW + 1
    for quantity, equation, steps, tree in rows(spec, layout):
        if tree is None:
            ws.write_string(row, 0, quantity, fmt["section"])
        else:
            update = quantity[:1] in "wb" and quantity[1:].isdigit()
            table_row = layout.first_row + (1 if update else 0)
            ws.write_string(row, 0, quantity + (" (iteration 2)" if update else ""), fmt["label"])
            ws.write_string(row, 1, f"{quantity} = {equation}", fmt["equation"])
            cached = first_rows[1 if update else 0][quantity]
            cached = "#NUM!" if cached != cached else cached
            live = formulas.render(tree, at, excel)
            if len(live) - 1 <= EXCEL_FORMULA:
                ws.write_formula(row, 2, live, fmt["value"], cached)
            else:  # a sum over hundreds of neurons, each named with its tab
                ws.write_string(row, 2, "(too long for one Excel formula)", fmt["note"])
            ws.write_formula(row, 3, f"='{tab}'!{xl_rowcol_to_cell(table_row, layout.col(quantity), True, True)}",
                             fmt["value"], cached)  # fmt: skip
            if steps:
                ws.write_string(row, 4, f"{quantity} = {steps}", fmt["note"])
        row += 1
    row += 1
    ws.write_string(
        row, 0, "Where the seed write-ups go wrong (shared/seeds) — and what this workbook shows", fmt["section"]
    )
    for seed, wrong, right in SEED_ERRORS:
        row += 1
        ws.write_string(row, 0, f"seed {seed}", fmt["label"])
        ws.write_string(row, 1, f"wrote: {wrong}", fmt["equation"])
        ws.write_string(row, 4, f"right: {right}", fmt["note"])

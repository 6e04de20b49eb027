"""The Derivation tab: the forward pass and the chain rule, generated from the network.

Each equation is the formula tree of its table column, rendered as the seeds write equations,
with the hidden layers' ∂E_total/∂a… substituted in (the seeds' one-line ∂E_total/∂w1). Beside it,
one live cell evaluates that expanded equation from the first tab's iteration-1 cells, another
shows the table's own cell: the two agree, and `verify` checks both against the reference.
"""

import re

from xlsxwriter.utility import xl_rowcol_to_cell

from sheetgen.build import formulas, metrics
from sheetgen.build.layout import EXCEL_FORMULA, Layout, print_pages
from sheetgen.model import names

NAME = "Derivation"
HEADER_ROW = 3
HEADERS = ("quantity", "equation", "value of the equation", "value in the table", "step by step")
# The equations' font is monospaced: Consolas in Excel (1126/2048 em a character); where it is
# missing, as in LibreOffice on Linux, DejaVu Sans Mono stands in (1233/2048 em). The wider of the two.
EQUATION_PX = 1233 / metrics.UNITS_PER_EM * metrics.PX_PER_EM
WIDEST_COLUMN = 255  # Excel's widest column, in characters
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


# each optimizer's update as PyTorch documents it (torch.optim), for the section that applies it
OPTIMIZER_TITLES = {
    "sgd": "gradient descent",
    "momentum": "SGD with momentum, torch.optim.SGD(momentum=μ)",
    "rmsprop": "RMSprop, torch.optim.RMSprop",
    "adam": "Adam, torch.optim.Adam",
    "adagrad": "Adagrad, torch.optim.Adagrad",
}
STEP = "t"  # Adam's step number, as PyTorch's documentation writes it: the Iteration of the row above


def rows(spec, layout: Layout) -> list[tuple[str, str, str, formulas.Expr | None]]:
    """(section or quantity, equation, step-by-step form, expanded tree) in reading order. A row
    without a tree is a section's title, or (with an equation) a derivation in words, no cell to check."""
    rules = formulas.rules(spec)
    split = spec.n_samples > 1 and not spec.online  # every sample in every row: sample 1's pass shown
    out = _online(spec, layout, rules) if spec.online else []
    out += _forward(spec, rules, split)
    out.append(("Loss" + (": each sample's, and the batch's, their mean" if split else ""), "", "", None))
    losses = [c for c in layout.columns if names.is_loss(c) and _first(c)]
    out += [(c, _show(rules[c].rest), "", rules[c].rest) for c in losses]
    out += _backward(spec, layout, rules, split)
    out += _optimizer(spec, layout, rules)
    return out


def _first(c) -> bool:  # one sample stands for all
    return names.unsampled(c)[1] in (None, 1)


def _show(e, marked=False) -> str:  # marked: a reference to the row above says so
    def ref(name, previous):
        return STEP if name == names.ITERATION else f"{name}[previous row]" if previous and marked else name

    return formulas.render(e, ref, formulas.DISPLAY)[1:]


def _online(spec, layout: Layout, rules) -> list:
    out = [(f"The row's sample: one a row, 1 to {spec.n_samples} in order, then again", "", "", None)]
    picked = [names.SAMPLE] + [c for c in layout.columns if re.fullmatch(r"[it]\d+", c)]
    return out + [(c, _show(rules[c].rest), "", rules[c].rest) for c in picked]


def _forward(spec, rules, split: bool) -> list:
    def own(q):
        return names.sampled(q, 1) if split else q

    others = f" (samples 2 to {spec.n_samples} alike, each with its own i1[s], t1[s] …)" if split else ""
    out = [(f"Forward pass{', sample 1' if split else ''}{others}", "", "", None)]
    for layer in range(1, len(spec.layers)):
        for j in range(spec.layers[layer]):
            n = own(spec.neuron(layer, j))
            f = {"sigmoid": "σ"}.get(spec.activations[layer - 1], spec.activations[layer - 1])
            out.append((n, _show(rules[n].rest), "", rules[n].rest))
            a = own(names.act(spec.neuron(layer, j)))
            named = f"{f}({n}) = " if f != "softmax" else ""  # softmax is the layer's: its equation says it
            out.append((a, f"{named}{_show(rules[a].rest)}", "", rules[a].rest))
    return out


def _backward(spec, layout: Layout, rules, split: bool) -> list:
    # the hidden layers' ∂E_total/∂a…, written out wherever a gradient reads them
    hidden = {n for n in rules if (of := names.of_grad(n)) and not names.is_param(names.unsampled(of)[0])}
    out = [("Backward pass: the chain rule", "", "", None)]
    if spec.loss == "cross_entropy":  # why each output's δ is a_o1 − t1, with no activation's slope
        o, p, t = "o_j", "p_j", "t_j"
        softmax = f"{p} = a_o{{j}} = EXP({o})/Σk EXP(o_k) and E_total = −Σk t_k·LN(p_k)"
        steps = f"∂E_total/∂{o} = −Σk t_k·(δ_kj − {p}) = {p}·Σk t_k − {t} = {p} − {t}, the targets summing to 1"
        out.append((names.grad(o), f"{p} − {t}, where {softmax}: {steps}", "", None))
    sizes = {}  # the ∂E_total/∂a… columns come last hidden layer first: each needs only those before it
    for c in layout.columns:
        if c in hidden:
            sizes[c] = formulas.leaves(rules[c].rest, sizes)
    for c in layout.columns:
        if names.of_grad(c) and _first(c):
            if split and c == names.grad(names.weight(1)):  # the first of the batch's gradients
                each = names.sampled(names.grad("w"), "s")
                why = f"the mean of the samples' {each}: the gradient of their mean loss is the mean of their gradients"
                out.append((names.grad("w"), why, "", None))
            # written out in one equation while that fits one Excel formula; beyond, step by step
            written = formulas.leaves(rules[c].rest, sizes) <= EXPANDED_LEAVES
            full = formulas.expand(rules[c].rest, rules, hidden) if written else rules[c].rest
            out.append((c, _show(full), _show(rules[c].rest) if full != rules[c].rest else "", full))
    return out


def _optimizer(spec, layout: Layout, rules) -> list:
    """The optimizer's state after iteration 1, and the update that gives iteration 2."""
    out = []
    states = [c for c in layout.columns if names.of_state(c)]
    if states:
        # the first row's state is the rule with PyTorch's zero start left out; the rule itself beside it
        out.append(
            (f"Optimizer state ({OPTIMIZER_TITLES[spec.optimizer]}), after iteration 1's gradient", "", "", None)
        )
        out += [(c, _show(rules[c].first), _show(rules[c].rest, marked=True), rules[c].first) for c in states]
    if spec.iterations >= 2:
        out.append((f"Update ({OPTIMIZER_TITLES[spec.optimizer]}), giving iteration 2", "", "", None))
        if spec.optimizer == "adam":
            out.append((STEP, "the step's number: the iteration whose gradient it takes (PyTorch's state['step'])",
                        "", None))  # fmt: skip
        params = [c for c in layout.columns if names.is_param(c)]
        out += [(p, _show(rules[p].rest).replace("[previous row]", ""), "", rules[p].rest) for p in params]
    return out


def quantity_of(label: str) -> tuple[str, int]:
    """A row's label -> (table column, 0-based iteration its value belongs to)."""
    return (label.removesuffix(" (iteration 2)"), 1) if label.endswith(" (iteration 2)") else (label, 0)


def write(ws, tab: str, first_rows: list[dict], spec, layout: Layout, fmt) -> None:
    """`first_rows`: the reference's first two rows of `tab`, for the cached results."""
    _head(ws, tab, fmt)
    # what each column shows, for its width: (text, Calibri style); the equations' column is counted
    # in characters of Consolas
    shows = [[(header, "bold")] for header in HEADERS]
    shows[0].append(("values from", "bold"))
    equations = []
    params = {p.name: layout.param_cell(p) for p in layout.params}

    def at(name, previous):  # every value of iteration 1; an update's result is in iteration 2
        return f"'{tab}'!{xl_rowcol_to_cell(layout.first_row, layout.col(name), True, True)}"

    excel = formulas.EXCEL | {"name": lambda name: f"'{tab}'!{params[name]}"}
    row = HEADER_ROW + 1
    for quantity, equation, steps, tree in rows(spec, layout):
        if tree is None and not equation:
            ws.write_string(row, 0, quantity, fmt["section"])
        elif tree is None:  # derived in words: nothing to evaluate
            ws.write_string(row, 0, quantity, fmt["label"])
            ws.write_string(row, 1, f"{quantity} = {equation}", fmt["equation"])
            if steps:
                ws.write_string(row, 4, steps, fmt["note"])
        else:
            update = names.is_param(quantity)
            table_row = layout.first_row + (1 if update else 0)
            label = quantity + (" (iteration 2)" if update else "")
            ws.write_string(row, 0, label, fmt["label"])
            ws.write_string(row, 1, f"{quantity} = {equation}", fmt["equation"])
            cached = first_rows[1 if update else 0][quantity]
            cached = "#NUM!" if cached != cached else cached
            shows[0].append((label, "bold"))
            equations.append(f"{quantity} = {equation}")
            for c in (2, 3):
                shows[c].append((metrics.shown(cached, metrics.FIXED), "regular"))
            cell_fmt = fmt["huge" if metrics.huge(cached) else "value"]
            live = formulas.render(tree, at, excel)
            if len(live) - 1 <= EXCEL_FORMULA:
                ws.write_formula(row, 2, live, cell_fmt, cached)
            else:  # a sum over hundreds of neurons, each named with its tab
                ws.write_string(row, 2, "(too long for one Excel formula)", fmt["note"])
            ws.write_formula(row, 3, f"='{tab}'!{xl_rowcol_to_cell(table_row, layout.col(quantity), True, True)}",
                             cell_fmt, cached)  # fmt: skip
            if steps:
                ws.write_string(row, 4, f"{quantity} = {steps}", fmt["note"])
                shows[4].append((metrics.INDENT + f"{quantity} = {steps}", "italic"))
        row += 1
    row = _seed_errors(ws, row + 1, fmt, shows, equations)
    widths = [metrics.fit(texts) for texts in shows]
    widths[1] = max(widths[1], metrics.chars(metrics.INDENT_PX + max(map(len, equations)) * EQUATION_PX))
    for c, width in enumerate(widths):
        ws.set_column(c, c, min(width, WIDEST_COLUMN))
    ws.set_landscape()
    ws.fit_to_pages(1, print_pages(row + 1))  # printed one page wide


def _head(ws, tab: str, fmt) -> None:
    """The title, the tab the values come from, the headers."""
    ws.write_string(0, 0, "Derivation — generated from this network: forward pass, chain rule, update", fmt["title"])
    # The cells below read `tab` by name, wired in when the workbook is built: B2 says which tab, and
    # is no input (following a typed name would take INDIRECT, which is volatile and which some
    # readers do not compute). Typing another name is refused, with the way to get one.
    ws.write_string(1, 0, "values from", fmt["label"])
    ws.write_string(1, 1, tab, fmt["caption"])
    ws.write_string(2, 1, "iteration 1 of this tab (2 for the updates): fixed when the workbook is built", fmt["note"])
    ws.data_validation(1, 1, 1, 1, {
        "validate": "custom",
        "value": '=$B$2="' + tab.replace('"', '""') + '"',
        "error_title": "Fixed when built",
        "error_message": f"The equations below read {tab}, wired in when the workbook was built. To derive "
        "another learning rate, build with it first: sheetgen build --lr ETA …",
    })  # fmt: skip
    for c, header in enumerate(HEADERS):
        ws.write_string(HEADER_ROW, c, header, fmt["header"])


def _seed_errors(ws, row: int, fmt, shows: list, equations: list) -> int:
    """The seeds' errors from `row` on, what each column shows added to `shows` and `equations`; the last row."""
    ws.write_string(
        row, 0, "Where the seed write-ups go wrong (shared/seeds) — and what this workbook shows", fmt["section"]
    )
    for seed, wrong, right in SEED_ERRORS:
        row += 1
        ws.write_string(row, 0, f"seed {seed}", fmt["label"])
        ws.write_string(row, 1, f"wrote: {wrong}", fmt["equation"])
        ws.write_string(row, 4, f"right: {right}", fmt["note"])
        shows[0].append((f"seed {seed}", "bold"))
        equations.append(f"wrote: {wrong}")
        shows[4].append((metrics.INDENT + f"right: {right}", "italic"))
    return row

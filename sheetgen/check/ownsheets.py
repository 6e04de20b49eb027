"""sheetgen's own workbook read back: its network from the document property, each learning-rate
tab's parameters where the layout put them, and the Summary and Derivation judged against the tabs
they read (what `verify` runs after a real engine recalculated a stripped copy)."""

import json

from sheetgen.build import summary
from sheetgen.build.derivation import quantity_of
from sheetgen.build.layout import Layout
from sheetgen.build.summary import THRESHOLD_CELL, expected_row, trace_of
from sheetgen.build.workbook import TITLE_CELL
from sheetgen.check import judge, tables
from sheetgen.model import names, reference
from sheetgen.model.spec import ACTIVATIONS, BATCHES, BIAS_MODES, OPTIMIZERS, REFERENCES, SOFTMAX, Spec, weight_count
from sheetgen.xlsx import excel


def parse_network(text: str) -> dict | None:
    """The network a workbook's `sheetgen` property records (see network_property), or None if damaged."""
    try:
        net = json.loads(text)
        layers, acts = net["layers"], net["activations"]
        if (
            all(isinstance(n, int) and n >= 1 for n in layers)
            and len(acts) == len(layers) - 1
            and set(acts[:-1]) <= set(ACTIVATIONS)
            and acts[-1] in (*ACTIVATIONS, SOFTMAX)
            and (acts[-1] == SOFTMAX) == (net.get("loss", "mse") == "cross_entropy")
            and net["bias"] in BIAS_MODES
            and net.get("optimizer", "sgd") in OPTIMIZERS
            and isinstance(net.get("samples", 1), int)
            and net.get("samples", 1) >= 1
            and net.get("batch", "full") in BATCHES
            and net.setdefault("references", "names") in REFERENCES  # older workbooks: names
        ):
            return net
    except (ValueError, TypeError, KeyError):
        pass
    return None


def tab_spec(net: dict, table: tables.Table) -> Spec:
    """The network of one of our tabs: its shape and training from the property, its slope α and the
    optimizer's settings from the tab's named cells."""
    layers, bias = tuple(net["layers"]), net["bias"]
    n_samples = net.get("samples", 1)
    optimizer = net.get("optimizer", "sgd")
    settings = [(names.HYPERPARAMETERS[key], x) for key, x in OPTIMIZERS[optimizer].items()]
    return Spec(
        source=table.sheet.name,
        description="",
        output="verify.xlsx",
        iterations=len(table.rows),
        learning_rates=(table.eta.value if table.eta else 1.0,),
        layers=layers,
        activations=tuple(net["activations"]),
        bias=bias,
        inputs=(0.0,) * layers[0],
        targets=(0.0,) * layers[-1],
        weights=(0.0,) * weight_count(layers),
        biases=(0.0,) * sum(layers[1:]) if bias != "none" else (),
        leaky_slope=table.params[names.ALPHA].value if names.ALPHA in table.params else 0.01,
        samples=((0.0,) * layers[0],) * n_samples if n_samples > 1 else (),
        sample_targets=((0.0,) * layers[-1],) * n_samples if n_samples > 1 else (),
        batch=net.get("batch", "full"),
        loss=net.get("loss", "mse"),
        optimizer=optimizer,
        # every setting, so the layout has a cell for each; where the tab has none, the default (and
        # read_params says it is missing)
        settings=tuple((label, table.params[label].value if label in table.params else x) for label, x in settings),
        references=net.get("references", "names"),
    )


def read_params(sheet, table: tables.Table, net: dict, strict: bool = False) -> str | None:
    """One of our tabs' parameters, read where sheetgen puts them: its named cells, or with
    references = "cells" the cell beside each label, where the layout puts it (in place of whatever
    the table finder took: it knows no w1 label, and takes α for η). Returns what is missing, as a
    report says it, or None. `strict` (verify): each must be where sheetgen put it; else (check, a
    student's edits) found anywhere will do."""
    layers, bias = tuple(net["layers"]), net["bias"]
    wanted = [names.input_(n) for n in range(1, layers[0] + 1)] + [names.target(n) for n in range(1, layers[-1] + 1)]
    if (n_samples := net.get("samples", 1)) > 1:
        wanted = [names.sampled(q, s) for s in range(1, n_samples + 1) for q in wanted]
    wanted += [names.bias(k) for k in range(1, sum(layers[1:]) + 1)] if bias == "fixed" else []
    wanted += [names.ETA] + ([names.ALPHA] if "leaky_relu" in net["activations"] else [])
    wanted += [names.HYPERPARAMETERS[key] for key in OPTIMIZERS[net.get("optimizer", "sgd")]]
    if net.get("references", "names") == "cells":
        where = {}
        for p in Layout(tab_spec(net, table)).params:
            r, c = p.row, p.col + 1
            value = sheet.value(r, c)
            if sheet.value(p.row, p.col) == p.label and excel.is_number(value, finite=True):
                source = f"cell {excel.a1(r, c)} labelled {p.label!r}"
                table.params[p.label] = tables.Param(float(value), None, (r, c), source)
            elif strict or p.label not in table.params:
                where[p.label] = excel.a1(r, c)
        if missing := [f"{q} ({where[q]})" for q in wanted if q in where]:
            return f"missing or not a number: the parameter cell(s) {', '.join(missing)}"
        return None
    named = {q for q, p in table.params.items() if p.source.startswith("defined name") or not strict}
    if missing := [names.defined(q) for q in wanted if q not in named]:
        return f"missing or not a number: the named cell(s) {', '.join(missing)}"
    return None


def check_tab(sheet, book, net: dict, extended: bool = False) -> tuple[judge.Report, tables.Table | None]:
    """A learning-rate tab as sheetgen wrote it: its table found by its own headers, its parameters in
    their named cells (with references = "cells": beside their labels, where the layout puts them),
    every cell of the table a live formula judged against the cells it reads (judge.judge, as
    `check` judges any sheet), and no formula anywhere else.
    The values are an engine's fresh recalculation (`extended`: see judge.judge).
    Returns the report, and the table (the Summary and the Derivation read it)."""
    found = tables.find(sheet, book)
    if not found:
        report = judge.Report(sheet.name)
        report.fail("no table (no header row of sheetgen's quantities)")
        return report, None
    table = found[0]
    if missing := read_params(sheet, table, net, strict=True):
        report = judge.Report(sheet.name)
        report.fail(missing)
        return report, table
    table.network = spec = tab_spec(net, table)
    report = judge.judge(table, book, spec, strict=True, fresh=True, extended=extended)
    rows, cols = set(table.rows), set(table.columns.values())
    title = summary.caption(table.eta.value)
    for (r, c), (formula, got) in sheet.scan():
        if formula is None or (r in rows and c in cols):
            continue
        if (r, c) == TITLE_CELL:  # "η = 0.1 — …": the tab's title follows its η
            if not judge.same_caption(str(got).split(" — ", 1)[0], title):
                report.fail(f"{excel.a1(r, c)}: the title says {got!r}, not {title}")
        else:
            report.fail(f"{excel.a1(r, c)}: a formula outside the table")
    return report, table


def check_summary(sheet, tabs: dict) -> judge.Report:
    """Each Summary row against the learning-rate tab it names, as that tab was recalculated: every
    cell is the right function of the cells it reads there (tabs: sheet name -> its Table)."""
    report = judge.Report(sheet.name)
    cells = sheet.cells
    at = sheet.names.get("threshold")
    if at is None and sheet.value(THRESHOLD_CELL[0], 0) == "threshold":  # references = "cells": no names
        at = THRESHOLD_CELL
    fraction = sheet.value(*at) if at else None
    if not isinstance(fraction, float):
        report.fail("threshold is missing or not a number")
        return report
    header = min((r for (r, c), (_, v) in cells.items() if c == 0 and v == "tab"), default=None)
    if header is None:
        report.fail("no table (no 'tab' header)")
        return report
    headers = {c: v for (r, c), (_, v) in cells.items() if r == header and c > 0}
    rows = {r: v for (r, c), (_, v) in cells.items() if c == 0 and r > header and v in tabs}
    traces = {name: (table.eta.value, trace_of(table)) for name, table in tabs.items() if table is not None}
    for (r, c), (formula, got) in cells.items():
        if r not in rows or c not in headers:
            if formula is not None:
                report.fail(f"{excel.a1(r, c)}: a formula outside the table")
            continue
        if formula is None:
            report.fail(f"{excel.a1(r, c)}: {headers[c]} is not a live formula (holds {got!r})")
            continue
        if rows[r] not in traces:
            report.fail(f"{excel.a1(r, c)}: its tab {rows[r]} could not be checked")
            continue
        eta, trace = traces[rows[r]]
        try:
            want = expected_row(headers[c], eta, trace, fraction)
        except KeyError:
            report.fail(f"{excel.a1(r, c)}: unknown column {headers[c]!r}")
            continue
        scale = max((abs(x) for x in (trace[names.E_TOTAL][0], trace[names.E_TOTAL][-1]) if x - x == 0), default=0.0)
        if not report.agrees(got, want, judge.NOISE * scale):
            report.fail(f"{excel.a1(r, c)}: {headers[c]} = {got!r}, expected {want!r}")
    if missing := [tab for tab in tabs if tab not in rows.values()]:
        report.fail(f"no row for {', '.join(missing)}")
    elif report.cells < len(rows) * len(headers):
        report.fail(f"{len(rows) * len(headers) - report.cells} cells missing")
    return report


def check_derivation(sheet, tabs: dict) -> judge.Report:
    """Both live cells of every equation against the tab they read (tabs: sheet name -> its Table):
    the equation's own value is its rule applied to that tab's iteration-1 cells, the table's value
    is a copy of that cell."""
    report = judge.Report(sheet.name)
    tab = sheet.value(1, 1)
    table = tabs.get(tab)
    if table is None:
        report.fail(f"B2 names no checked tab: {tab!r}")
        return report
    first, second = table.rows[0], table.rows[1] if len(table.rows) > 1 else None
    row1 = tables.row_values(table, first)
    # the equation is written out in full: it reads no gradient column, it recomputes them
    leaves = {q: x for q, x in row1.items() if names.of_grad(q) is None}
    spec = judge.network(table)
    expected = reference.local(spec, leaves)
    eta = table.eta.value
    optimizer = judge.optimizer_of(spec, row1)
    for (r, c), (formula, got) in sheet.cells.items():
        if formula is None:
            continue
        label = sheet.value(r, 0)
        name, n = quantity_of(label) if isinstance(label, str) else (None, 0)
        if c not in (2, 3) or name not in table.columns or (n == 1 and second is None):
            report.fail(f"{excel.a1(r, c)}: a formula where none belongs")
            continue
        if c == 3:  # the table's own cell, copied
            want = table.sheet.value(second if n else first, table.columns[name])
            want = want if isinstance(want, float) else reference.NUM_ERROR
        elif n == 1:  # an update: w ← w − η·∂E_total/∂w (or the optimizer's), from iteration 1's cells
            state = tuple(row1[names.state(kind, name)] for kind in optimizer.kinds)
            t = row1.get(names.ITERATION, 1.0)
            want = optimizer.step(row1[name], row1[names.grad(name)], state, t, row1.get(names.ETA, eta))
        elif of := names.of_state(name):  # the optimizer's state after iteration 1's gradient
            kind, p = of
            want = optimizer.state(None, row1[names.grad(p)])[optimizer.kinds.index(kind)]
        else:
            want = expected[name]
        scale = max((abs(x) for x in row1.values() if x == x), default=0.0)
        if not report.agrees(got, want, judge.NOISE * scale):
            report.fail(f"{excel.a1(r, c)}: {label} = {got!r}, expected {want!r}")
    return report

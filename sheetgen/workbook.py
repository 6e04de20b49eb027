"""Stage 5: write the workbook — one tab per learning rate, live formulas, cached reference values.

xlsxwriter runs in constant_memory mode, which silently drops a cell written to a row above the
current one, so every tab is written strictly top to bottom. `verify` would catch a slip.
"""

import datetime
import glob
import json
import os
import tempfile
import zipfile
from array import array
from dataclasses import replace
from pathlib import Path

import xlsxwriter
import xlsxwriter.exceptions

from . import __version__, derivation, excel, formulas, judge, names, reference, summary, tables
from .errors import WorkbookError
from .layout import Layout
from .spec import Spec, weight_count

# fixed document timestamps: the same template gives a byte-identical file
CREATED = datetime.datetime(2024, 1, 1)
PROPERTY = "sheetgen"  # custom document property that marks our workbooks and records the network


def sheet_name(eta: float) -> str:
    return f"LR {eta!r}"


def valid_sheet_name(text: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not empty, unique (case-blind)."""
    name = text.translate(str.maketrans("[]:*?/\\", "()-----")).strip("'") or "Sheet"
    name, n = name[:31], 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = name[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def build(spec: Spec, path, progress=None, force: bool = False) -> dict[str, int]:
    """Write the workbook for `spec` to `path` atomically: the old file stays until the new one is whole.

    An existing file that is not a sheetgen workbook, or is open in LibreOffice, is refused
    unless `force`. `progress(rows)`, if given, is told of rows as they are written. Returns the
    tabs that diverge: sheet name -> the first iteration showing #NUM!.
    """
    path = Path(path)
    _may_replace(path, force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(path)
        # the pid in the name lets a later build tell a dead build's leftover from a live one's
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as e:
        raise WorkbookError(f"{path}: cannot write in {path.parent}: {e.strerror}") from None
    try:
        diverged = _write(spec, tmp, progress or (lambda rows: None))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a workbook is an ordinary file
        os.replace(tmp, path)
    except (OSError, xlsxwriter.exceptions.XlsxWriterException) as e:
        reason = getattr(e, "strerror", None) or str(e).split(":")[-1].strip() or type(e).__name__
        raise WorkbookError(f"{path}: cannot write: {reason} (the previous file, if any, is untouched)") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return diverged


def is_ours(path: Path) -> bool:
    """A sheetgen workbook carries the `sheetgen` custom document property."""
    try:
        with zipfile.ZipFile(path) as z:
            return f'name="{PROPERTY}"'.encode() in z.read("docProps/custom.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _may_replace(path: Path, force: bool) -> None:
    if path.is_dir():
        raise WorkbookError(f"{path}: is a folder; give a file name ending in .xlsx")
    lock = path.with_name(f".~lock.{path.name}#")
    if lock.exists() and not force:
        raise WorkbookError(f"{path}: is open in LibreOffice ({lock.name}); close it first, or use --force")
    if path.exists() and not force and not is_ours(path):
        raise WorkbookError(f"{path}: exists and is not a sheetgen workbook; not overwriting it (use --force)")


def _remove_stale_temps(path: Path) -> None:
    """Temporary files of builds that were killed (their process is gone)."""
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write(spec: Spec, filename: str, progress) -> dict[str, int]:
    layout = Layout(spec)
    # each column's formula text is resolved once, with {r}/{p} left for the row
    rules = formulas.rules(spec)
    symbols = formulas.EXCEL | {"name": layout.parameter}  # t_1, or $B$4 (references = "cells")
    templates = {
        name: (
            formulas.render(rule.first, layout.ref_template, symbols),
            formulas.render(rule.rest, layout.ref_template, symbols),
        )
        for name, rule in rules.items()
    }
    notes = {name: formulas.describe(name, rule) for name, rule in rules.items()}
    notes[names.ITERATION] = "Iteration: the row's step number (a constant; every other cell is a live formula)"
    wb = xlsxwriter.Workbook(filename, {"constant_memory": True})
    wb.set_properties(
        {"title": "Backpropagation by hand", "comments": spec.description, "created": CREATED, "author": "sheetgen"}
    )
    wb.set_custom_property(PROPERTY, json.dumps(network_property(spec), separators=(",", ":")))
    fmt = _formats(wb)
    # the Summary is the first tab, but it is written last, from what the other tabs report
    summary_ws = wb.add_worksheet(summary.NAME)
    diverged, taken, tabs = {}, {summary.NAME.lower(), derivation.NAME.lower()}, []
    for eta in spec.learning_rates:
        name = valid_sheet_name(sheet_name(eta), taken)
        rows = reference.iterate(spec, eta)
        first_error, seen = _write_tab(wb, name, spec, layout, templates, notes, rows, eta, fmt, progress)
        tabs.append((name, eta, seen))
        if first_error is not None:
            diverged[name] = first_error
    summary.write(wb, summary_ws, layout, tabs, spec.iterations, fmt)
    first_tab, _, seen = tabs[0]
    derivation.write(wb.add_worksheet(derivation.NAME), first_tab, seen["first rows"], spec, layout, fmt)
    wb.close()
    return diverged


def network_property(spec: Spec) -> dict:
    """What `verify` needs besides the named cells to rebuild the reference from the file alone."""
    return {
        "version": __version__,
        "layers": list(spec.layers),
        "activations": list(spec.activations),
        "bias": spec.bias,
        "seed": spec.seed,
        "references": spec.references,
    }


def param_values(spec: Spec, eta: float) -> dict[str, float]:
    """Parameter (by its label: i1, w5, η) -> the value its input cell starts with."""
    values = {names.input_(n): x for n, x in enumerate(spec.inputs, 1)}
    values |= {names.target(n): x for n, x in enumerate(spec.targets, 1)}
    values |= {names.weight(k): x for k, x in enumerate(spec.weights, 1)}
    values |= {names.bias(k): x for k, x in enumerate(spec.biases, 1)}
    return values | {names.ALPHA: spec.leaky_slope, names.ETA: eta}


def _formats(wb) -> dict:
    base = {"font_name": "Calibri", "font_size": 11}
    return {
        "title": wb.add_format({**base, "bold": True, "font_size": 14}),
        "label": wb.add_format({**base, "bold": True, "align": "right"}),
        # inputs look like inputs: blue on pale yellow, boxed (the modelling convention)
        "input": wb.add_format({**base, "font_color": "#0000CC", "bg_color": "#FFF2CC", "border": 1}),
        "note": wb.add_format({**base, "italic": True, "font_color": "#666666"}),
        "header": wb.add_format(
            {**base, "bold": True, "bg_color": "#DDEBF7", "bottom": 2, "align": "center", "valign": "vcenter"}
        ),
        "iteration": wb.add_format({**base, "num_format": "0", "align": "center"}),
        "value": wb.add_format({**base, "num_format": "0.0000000000"}),
        "loss": wb.add_format({**base, "num_format": "0.000000E+00", "bold": True}),
        "gradient": wb.add_format({**base, "num_format": "0.000000E+00"}),
        "section": wb.add_format({**base, "bold": True, "font_size": 12, "bottom": 1}),
        "equation": wb.add_format({**base, "font_name": "Consolas"}),
    }


def _column_format(name: str, fmt: dict):
    if names.of_grad(name):
        return fmt["gradient"]
    if names.is_loss(name):
        return fmt["loss"]
    return fmt["value"]


def _write_tab(wb, name, spec: Spec, layout: Layout, templates, notes, rows, eta, fmt, progress):
    """Write one tab from the reference's rows as they come. Returns the first iteration with #NUM!
    (or None), and what the Summary needs: E_total of every row and the last row's values."""
    ws = wb.add_worksheet(name)
    drawn = f" — weights drawn with seed {spec.seed}" if spec.seed is not None else ""
    # template text goes in as a string, never as a formula, whatever it looks like
    ws.write_string(0, 0, f"η = {eta!r} — {spec.description}{drawn}", fmt["title"])
    values = param_values(spec, eta)
    # rows first, then columns: constant_memory keeps only the current row
    for p in sorted(layout.params, key=lambda p: (p.row, p.col)):
        ws.write_string(p.row, p.col, p.label, fmt["label"])
        ws.write_number(p.row, p.col + 1, values[p.label], fmt["input"])
        ws.write_string(p.row, p.col + 2, p.note, fmt["note"])
        if spec.references == "names":
            wb.define_name(f"'{name}'!{p.name}", f"='{name}'!{layout.param_cell(p)}")

    columns = layout.columns
    for c, header in enumerate(columns):
        ws.write_string(layout.header_row, c, header, fmt["header"])
        ws.write_comment(layout.header_row, c, notes[header], {"x_scale": 2.2, "y_scale": 0.9})
        ws.set_column(c, c, max(12, len(header) + 2), _column_format(header, fmt) if c else fmt["iteration"])

    cells = [(c, col, *templates[col], _column_format(col, fmt)) for c, col in enumerate(columns) if c]
    # E_total of every row, for the Summary: 8 bytes a row (a list of floats takes 32), so a long run
    # stays nearly flat in memory
    first_error, e_total, values, first_rows = None, array("d"), {}, []
    for n, values in enumerate(rows):
        e_total.append(values[names.E_TOTAL])
        if n < 2:
            first_rows.append(values)
        row = layout.row(n + 1)
        numbers = layout.row_numbers(row)
        ws.write_number(row, 0, n + 1, fmt["iteration"])
        for c, col, first, rest, cell_fmt in cells:
            x = values[col]
            if x != x:  # the reference's NaN is the sheet's #NUM!: cached as Excel would show it
                x, first_error = "#NUM!", first_error or n + 1
            ws.write_formula(row, c, (rest if n else first).format_map(numbers), cell_fmt, x)
        if n % 256 == 255:
            progress(256)
    progress(spec.iterations % 256)

    ws.freeze_panes(layout.first_row, 1)
    # printed (or exported to PDF): landscape, one page wide, the header repeated on every page
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(layout.header_row)
    ws.insert_chart(0, layout.chart_col, _chart(wb, name, layout, eta), {"x_offset": 8, "y_offset": 4})
    return first_error, {name: [x] for name, x in values.items()} | {names.E_TOTAL: e_total, "first rows": first_rows}


def _labelled_params(sheet, table: tables.Table, layout: Layout) -> dict[str, str | None]:
    """references = "cells": each parameter of the layout read from the cell beside its label, in
    place of whatever the table finder took for it (it knows no w1 label, and takes α for η).
    Returns label -> None where found, else the cell that should hold it."""
    out = {}
    for p in layout.params:
        r, c = p.row, p.col + 1
        value = sheet.value(r, c)
        if sheet.value(p.row, p.col) != p.label or not judge.is_number(value):
            out[p.label] = excel.a1(r, c)
            continue
        table.params[p.label] = tables.Param(float(value), None, (r, c), f"cell {excel.a1(r, c)} labelled {p.label!r}")
        out[p.label] = None
    return out


def _chart(wb, sheet: str, layout: Layout, eta: float):
    chart = wb.add_chart({"type": "line"})
    loss = layout.col(names.E_TOTAL)
    chart.add_series(
        {
            "name": "E_total",
            "categories": [sheet, layout.first_row, 0, layout.last_row, 0],
            "values": [sheet, layout.first_row, loss, layout.last_row, loss],
            "line": {"width": 2.25, "color": "#C00000"},
        }
    )
    chart.set_title({"name": f"E_total, η = {eta!r}", "name_font": {"size": 12}})
    chart.set_x_axis({"name": "Iteration", "interval_unit": max(1, layout.iterations // 10)})
    chart.set_y_axis({"name": "E_total", "num_format": "0.0000", "major_gridlines": {"visible": True}})
    chart.set_legend({"none": True})
    width, height = layout.chart_size()
    chart.set_size({"width": width, "height": height})
    return chart


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
    layers, bias = tuple(net["layers"]), net["bias"]
    spec = Spec(
        source=sheet.name,
        description="",
        output="verify.xlsx",
        iterations=len(table.rows),
        learning_rates=(1.0,),  # the tab's own η, below
        layers=layers,
        activations=tuple(net["activations"]),
        bias=bias,
        inputs=(0.0,) * layers[0],
        targets=(0.0,) * layers[-1],
        weights=(0.0,) * weight_count(layers),
        biases=(0.0,) * sum(layers[1:]) if bias != "none" else (),
        references=net["references"],
    )
    wanted = [names.input_(n) for n in range(1, layers[0] + 1)] + [names.target(n) for n in range(1, layers[-1] + 1)]
    wanted += [names.bias(k) for k in range(1, sum(layers[1:]) + 1)] if bias == "fixed" else []
    wanted += [names.ETA] + ([names.ALPHA] if "leaky_relu" in net["activations"] else [])
    if spec.references == "cells":
        params = _labelled_params(sheet, table, Layout(spec))
        if missing := [f"{q} ({cell})" for q, cell in params.items() if q in wanted and cell is not None]:
            report = judge.Report(sheet.name)
            report.fail(f"missing or not a number: the parameter cell(s) {', '.join(missing)}")
            return report, table
    else:
        named = {q for q, p in table.params.items() if p.source.startswith("defined name")}
        if missing := [names.defined(q) for q in wanted if q not in named]:
            report = judge.Report(sheet.name)
            report.fail(f"missing or not a number: the named cell(s) {', '.join(missing)}")
            return report, table
    alpha = table.params[names.ALPHA].value if names.ALPHA in table.params else 0.01
    spec = replace(spec, learning_rates=(table.eta.value,), leaky_slope=alpha)
    table.network = spec
    report = judge.judge(table, book, spec, strict=True, fresh=True, extended=extended)
    rows, cols = set(table.rows), set(table.columns.values())
    for (r, c), (formula, _) in sheet.cells.items():
        if formula is not None and not (r in rows and c in cols):
            report.fail(f"{excel.a1(r, c)}: a formula outside the table")
    return report, table

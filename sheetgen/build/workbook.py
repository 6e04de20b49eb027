"""Stage 5: write the workbook — one tab per learning rate, live formulas, cached reference values.

xlsxwriter runs in constant_memory mode, which silently drops a cell written to a row above the
current one, so every tab is written strictly top to bottom. `verify` would catch a slip.
"""

import datetime
import hashlib
import json
import os
import stat
import tempfile
import zipfile
from array import array
from pathlib import Path
from typing import NamedTuple

import xlsxwriter
import xlsxwriter.exceptions
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell, xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import Worksheet

from sheetgen import __version__, files
from sheetgen.build import derivation, formulas, metrics, summary
from sheetgen.build.layout import CHART_ROW, EXCEL_COLUMNS, EXCEL_FORMULA, Layout, print_pages
from sheetgen.errors import SpecError, WorkbookError
from sheetgen.model import names, reference
from sheetgen.model.spec import Spec

TITLE_CELL = (0, 0)
# fixed document timestamps: the same template gives a byte-identical file
CREATED = datetime.datetime(2024, 1, 1)
PROPERTY = "sheetgen"  # custom document property that marks our workbooks and records the network
EXERCISE = "sheetgen exercise"  # the one of an exercise (`sheetgen class`): no workbook to verify, nothing computed
SEAL = b"sheetgen sha256:"  # the zip comment that says the file is as sheetgen wrote it (see _seal)

# The table's formulas skip xlsxwriter's future-function pass, which was two thirds of a build:
# write_formula runs one re.search (dynamic arrays) and about 29 re.sub (Worksheet._prepare_formula)
# on every formula, to prefix Excel 365 functions such as FILTER, LAMBDA or XLOOKUP with _xlfn.
# None of them can change a formula that calls no function outside PLAIN_FUNCTIONS (the renderer
# writes "(" only after a function's name or an operator, never after a name or a cell, and never
# braces), so such a column's cells are written exactly as write_formula would write them, without
# the pass, by TableSheet; which also writes their XML itself, sparing xlsxwriter's generic cell writer
# (a list of attributes, each escaped, and two TypeErrors raised and caught per cell for the
# numbers it cannot search). Whether a column qualifies is read once from its expression tree
# (formulas.functions). Every other formula (the Summary's array formulas, the Derivation's, a column
# calling any other function) goes through write_formula. TableSheet reaches into xlsxwriter's
# internals, so pyproject.toml pins the versions it is tested with, and test_workbook.py::
# test_the_fast_path_writes_what_xlsxwriters_own_path_writes builds both ways and compares bytes.
PLAIN_FUNCTIONS = frozenset({"EXP", "TANH", "MAX", "IF"})
FAST_PATH = True  # False: every formula through write_formula (the test's reference build)


class Plain(NamedTuple):
    """A table cell for TableSheet: its formula XML-escaped and without "=", its cached result a number
    or "#NUM!" (the only values the table caches)."""

    formula: str
    format: Format
    value: float | str


class TableSheet(Worksheet):
    """A learning-rate tab. Its plain formulas are stored as Plain cells, which _write_cell writes as
    Worksheet._write_cell and XMLwriter._xml_formula_element write a formula cell."""

    def write_plain_formulas(self, row: int, cells: list[tuple[int, str, Format, float | str]]) -> None:
        """One row's plain formulas: (col, formula as Plain holds it, format, cached result), columns
        ascending. What Worksheet._write_formula does, less _prepare_formula."""
        # the sheet's dimensions are a min and max: the row's first and last cell move them as all would
        # (rows and columns are known to fit: Layout and EXCEL_COLUMNS)
        self._check_dimensions(row, cells[0][0])
        self._check_dimensions(row, cells[-1][0])
        if self.constant_memory and row > self.previous_row:
            self._write_single_row(row)
        stored = self.table[row]
        for col, formula, cell_format, value in cells:
            stored[col] = Plain(formula, cell_format, value)

    def _write_cell(self, row: int, col: int, cell) -> None:
        if cell.__class__ is not Plain:
            return super()._write_cell(row, col, cell)
        # the format's index is taken as the cell is written, as xlsxwriter does: indices are handed
        # out in order of first use
        error = ' t="e"' if cell.value.__class__ is str else ""
        self.fh.write(
            f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell.format._get_xf_index()}"{error}>'
            f"<f>{cell.formula}</f><v>{cell.value}</v></c>"
        )


def _xml_escape(text: str) -> str:
    """As XMLwriter._escape_data escapes a formula."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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

    An existing file that is not a sheetgen workbook, was changed since sheetgen wrote it, is
    read-only, or is open in LibreOffice, is refused unless `force`; anything but a regular file
    always is. A symbolic link is written through: the file it points to is replaced, the link stays.
    `progress(rows)`, if given, is told of rows as they are written. Returns the tabs that diverge:
    sheet name -> the first iteration showing #NUM!.
    """
    path = Path(path)
    _fits_excel(spec)
    target, old = _may_replace(path, force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WorkbookError(f"{path}: cannot write in {path.parent}: {e.strerror}") from None
    diverged = {}

    def write_to(tmp):
        # xlsxwriter's own scratch files (one per tab, in constant_memory mode) go in a folder that
        # is removed however the build ends, Ctrl-C included
        with tempfile.TemporaryDirectory(prefix="sheetgen-") as scratch:
            diverged.update(_write(spec, tmp, progress or (lambda rows: None), scratch))
        _seal(tmp)

    # a workbook is an ordinary file, or keeps the mode of the one it replaces
    mode = stat.S_IMODE(old.st_mode) if old else None
    files.atomic(target, write_to, WorkbookError, mode, (xlsxwriter.exceptions.XlsxWriterException,), shown=path)
    return diverged


def _fits_excel(spec: Spec) -> None:
    """Refuse, before anything is touched, a network whose workbook Excel would not open whole:
    too many rows or columns (Layout), a formula over 8,192 characters, or a network too deep for
    the 255 characters of the document property that records it (xlsxwriter would drop it with a
    warning, and the file would no longer be sheetgen's)."""
    layout = Layout(spec)
    last = layout.row_numbers(layout.last_row)  # the longest row numbers, in the last row
    rules = formulas.rules(spec).values()
    widest = max(len(formulas.render(rule.rest, layout.ref_template).format_map(last)) - 1 for rule in rules)
    if widest > EXCEL_FORMULA:
        raise SpecError(
            f"{spec.where('network.layers')}: {list(spec.layers)} needs formulas of {widest:,} characters; "
            f"Excel allows {EXCEL_FORMULA:,}"
        )
    if len(json.dumps(network_property(spec), separators=(",", ":"))) > 255:
        raise SpecError(
            f"{spec.where('network.layers')}: {len(spec.layers)} layers are too many to record in the workbook "
            "(Excel's 255-character document property)"
        )


def is_ours(path: Path) -> bool:
    """A sheetgen workbook carries the `sheetgen` custom document property."""
    if not os.path.isfile(path):  # a FIFO or a device is never opened
        return False
    try:
        with zipfile.ZipFile(path) as z:
            return f'name="{PROPERTY}"'.encode() in z.read("docProps/custom.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def unchanged(path: Path) -> bool:
    """True if the workbook is exactly as sheetgen wrote it: it still carries its seal (see _seal)."""
    if not os.path.isfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as z:
            return z.comment == _digest(z)
    except (zipfile.BadZipFile, OSError):
        return False


def _digest(z: zipfile.ZipFile) -> bytes:
    """A digest of every member's name, CRC-32 and size. Read from the zip's directory alone, so
    checking a 60 MB workbook costs what checking a small one does; an edit to any part changes
    its CRC, and a part added or removed changes the list."""
    h = hashlib.sha256()
    for info in z.infolist():
        h.update(f"{info.filename}\0{info.CRC}\0{info.file_size}\n".encode())
    return SEAL + h.hexdigest().encode()


def _seal(filename) -> None:
    """Record the digest in the zip's own comment, outside every part: Excel, LibreOffice and
    openpyxl write a new zip when they save, without it, so a workbook saved by any of them (the
    user's edits) is no longer sheetgen's to replace without --force. Deterministic, like the rest."""
    with zipfile.ZipFile(filename, "a") as z:
        z.comment = _digest(z)


def _may_replace(path: Path, force: bool) -> tuple[Path, os.stat_result | None]:
    """The file to write (where a symbolic link at `path` points, or `path`) and its stat if it
    exists; WorkbookError if it may not be replaced."""
    if os.path.isdir(path):
        raise WorkbookError(f"{path}: is a folder; give a file name ending in .xlsx")
    old = files.regular(path)  # never a device, a FIFO or a socket, even with --force
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    for lock in {_lock(path), _lock(target)}:
        if os.path.lexists(lock) and not force:
            raise WorkbookError(f"{path}: is open in LibreOffice ({lock.name}); close it first, or use --force")
    if old is None or force:
        return target, old
    if not is_ours(target):
        raise WorkbookError(f"{path}: exists and is not a sheetgen workbook; not overwriting it (use --force)")
    if not unchanged(target):
        raise WorkbookError(
            f"{path}: changed since sheetgen wrote it (edited, or saved by another program); "
            "not overwriting it (use --force, or another -o)"
        )
    if not old.st_mode & 0o222:
        raise WorkbookError(f"{path}: is read-only; not overwriting it (use --force)")
    return target, old


def _lock(path: Path) -> Path:
    """LibreOffice's lock file for a document it has open."""
    return path.with_name(f".~lock.{path.name}#")


def _write(spec: Spec, filename: str, progress, scratch=None) -> dict[str, int]:
    layout = Layout(spec)
    # each column's formula text is resolved once, with {r}/{p} left for the row, and whether it may
    # skip xlsxwriter's future-function pass (then as a Plain cell holds it: escaped, without its "=")
    rules = formulas.rules(spec)
    symbols = formulas.EXCEL | {"name": layout.parameter}  # t_1, or $B$4 (references = "cells")
    templates = {}
    for name, rule in rules.items():
        texts = (
            formulas.render(rule.first, layout.ref_template, symbols),
            formulas.render(rule.rest, layout.ref_template, symbols),
        )
        plain = FAST_PATH and len(layout.columns) <= EXCEL_COLUMNS
        plain = plain and formulas.functions(rule.first) | formulas.functions(rule.rest) <= PLAIN_FUNCTIONS
        templates[name] = (*(_xml_escape(t[1:]) for t in texts), True) if plain else (*texts, False)
    notes = {name: formulas.describe(name, rule) for name, rule in rules.items()}
    notes[names.ITERATION] = "Iteration: the row's step number (a constant; every other cell is a live formula)"
    for name in layout.columns:
        if of := names.of_state(name):  # say what PyTorch calls it
            notes[name] = (
                f"{spec.optimizer}: PyTorch's optimizer.state[{of[1]}]['{of[0]}'] after this row's step\n" + notes[name]
            )
    wb = xlsxwriter.Workbook(filename, {"constant_memory": True, "tmpdir": scratch})
    wb.set_properties(
        {"title": "Backpropagation by hand", "comments": spec.description, "created": CREATED, "author": "sheetgen"}
    )
    wb.set_custom_property(PROPERTY, json.dumps(network_property(spec), separators=(",", ":")))
    fmt = _formats(wb)
    # the Summary is the first tab, but it is written last, from what the other tabs report
    summary_ws = wb.add_worksheet(summary.NAME)
    diverged, taken, tabs = {}, {summary.NAME.lower(), derivation.NAME.lower()}, []
    drawn = f" — weights drawn with seed {spec.seed}" if spec.seed is not None else ""
    description = f"{spec.description}{drawn}"
    for n, eta in enumerate(spec.learning_rates):
        name = valid_sheet_name(sheet_name(eta), taken)
        rows = reference.iterate(spec, eta)
        label = summary.label_cell(layout, spec.iterations, n)
        first_error, seen = _write_tab(
            wb, name, spec, layout, templates, notes, rows, eta, fmt, progress, description, label
        )
        tabs.append((name, eta, seen))
        if first_error is not None:
            diverged[name] = first_error
    summary.write(wb, summary_ws, layout, tabs, spec.iterations, fmt, description)
    first_tab, _, seen = tabs[0]
    derivation.write(wb.add_worksheet(derivation.NAME), first_tab, seen["first rows"], spec, layout, fmt)
    wb.close()
    return diverged


def network_property(spec: Spec) -> dict:
    """What `verify` needs besides the named cells to rebuild the reference from the file alone."""
    net = {
        "version": __version__,
        "layers": list(spec.layers),
        "activations": list(spec.activations),
        "bias": spec.bias,
        "seed": spec.seed,
        "references": spec.references,
    }
    # said only when not the default, so a workbook that uses none of it stays as it was
    net |= {"optimizer": spec.optimizer} if spec.optimizer != "sgd" else {}
    net |= {"samples": spec.n_samples, "batch": spec.batch} if spec.n_samples > 1 else {}
    return net | ({"loss": spec.loss} if spec.loss != "mse" else {})


def param_values(spec: Spec, eta: float) -> dict[str, float]:
    """Parameter (by its label: i1, w5, η) -> the value its input cell starts with."""
    values = {names.input_(n): x for n, x in enumerate(spec.inputs, 1)}
    values |= {names.target(n): x for n, x in enumerate(spec.targets, 1)}
    for s, (inputs, targets) in enumerate(spec.data() if spec.n_samples > 1 else (), 1):
        values |= {names.sampled(names.input_(n), s): x for n, x in enumerate(inputs, 1)}
        values |= {names.sampled(names.target(n), s): x for n, x in enumerate(targets, 1)}
    values |= {names.weight(k): x for k, x in enumerate(spec.weights, 1)}
    values |= {names.bias(k): x for k, x in enumerate(spec.biases, 1)}
    return values | {names.ALPHA: spec.leaky_slope, names.ETA: eta} | dict(spec.settings)


def _formats(wb) -> dict:
    base = {"font_name": "Calibri", "font_size": 11}
    return {
        "title": wb.add_format({**base, "bold": True, "font_size": 14}),
        "label": wb.add_format({**base, "bold": True, "align": "right"}),
        "caption": wb.add_format({**base, "bold": True, "indent": 1}),  # a name the workbook gives, not an input
        "text": wb.add_format({**base, "indent": 1}),
        # inputs look like inputs: blue on pale yellow, boxed (the modelling convention)
        "input": wb.add_format({**base, "font_color": "#0000CC", "bg_color": "#FFF2CC", "border": 1}),
        # a note stands off the value or label before it by an indent: "0.05   input", not "0.05input"
        "note": wb.add_format({**base, "italic": True, "font_color": "#666666", "indent": 1}),
        "header": wb.add_format(
            {**base, "bold": True, "bg_color": "#DDEBF7", "bottom": 2, "align": "center", "valign": "vcenter"}
        ),
        "iteration": wb.add_format({**base, "num_format": metrics.WHOLE, "align": "center"}),
        "value": wb.add_format({**base, "num_format": metrics.FIXED}),
        "huge": wb.add_format({**base, "num_format": metrics.SCIENTIFIC}),  # a value of 10^6 or more
        "loss": wb.add_format({**base, "num_format": metrics.SCIENTIFIC, "bold": True}),
        "gradient": wb.add_format({**base, "num_format": metrics.SCIENTIFIC}),
        "section": wb.add_format({**base, "bold": True, "font_size": 12, "bottom": 1}),
        "equation": wb.add_format({**base, "font_name": "Consolas", "indent": 1}),
    }


def _column_kind(name: str) -> str:
    if name == names.ITERATION:
        return "iteration"
    if names.of_grad(name) or names.of_state(name):
        return "gradient"
    if names.is_loss(name):
        return "loss"
    return "value"


def _column_format(name: str, fmt: dict):
    return fmt[_column_kind(name)]


def _write_tab(wb, name, spec: Spec, layout: Layout, templates, notes, rows, eta, fmt, progress, description, label):
    """Write one tab from the reference's rows as they come. Returns the first iteration with #NUM!
    (or None), and what the Summary needs: E_total of every row and the last row's values.
    `label`: the (sheet, row, col) of the cell that names this tab's η, for its chart's title."""
    ws = wb.add_worksheet(name, worksheet_class=TableSheet)
    # The title follows η as the user edits it. The template's text is not in the formula: it stays
    # a string in the Summary (DESCRIPTION_CELL), whatever it looks like.
    where = f"'{summary.NAME}'!{xl_rowcol_to_cell(*summary.DESCRIPTION_CELL, True, True)}"
    title = f'="η = "&{layout.parameter(names.defined(names.ETA))}&" — "&{where}'
    ws.write_formula(*TITLE_CELL, title, fmt["title"], f"{summary.caption(eta)} — {description}")
    params = param_values(spec, eta)
    # rows first, then columns: constant_memory keeps only the current row
    for p in sorted(layout.params, key=lambda p: (p.row, p.col)):
        ws.write_string(p.row, p.col, p.label, fmt["label"])
        ws.write_number(p.row, p.col + 1, params[p.label], fmt["input"])
        ws.write_string(p.row, p.col + 2, p.note, fmt["note"])
        if spec.references == "names":
            wb.define_name(f"'{name}'!{p.name}", f"='{name}'!{layout.param_cell(p)}")

    columns = layout.columns
    for c, header in enumerate(columns):
        ws.write_string(layout.header_row, c, header, fmt["header"])
        ws.write_comment(layout.header_row, c, notes[header], {"x_scale": 2.2, "y_scale": 0.9})
    # what each column holds, noted as the rows stream past, decides its width once they are written
    extremes = metrics.Extremes(columns[1:])
    rows = extremes.track(rows)

    cells = [(c, col, *templates[col], _column_format(col, fmt)) for c, col in enumerate(columns) if c]
    fixed, huge = fmt["value"], fmt["huge"]
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
        plain = []
        for c, col, first, rest, is_plain, cell_fmt in cells:
            x = values[col]
            if x != x:  # the reference's NaN is the sheet's #NUM!: cached as Excel would show it
                x, first_error = "#NUM!", first_error or n + 1
            elif cell_fmt is fixed and not -metrics.HUGE < x < metrics.HUGE:
                cell_fmt = huge  # written out, it would take a column as wide as the number is long
            text = (rest if n else first).format_map(numbers)
            if is_plain:
                plain.append((c, text, cell_fmt, x))
            else:
                ws.write_formula(row, c, text, cell_fmt, x)
        if plain:
            ws.write_plain_formulas(row, plain)
        if n % 256 == 255:
            progress(256)
    progress(spec.iterations % 256)

    widths = _table_widths(layout, extremes, params)
    for c, header in enumerate(columns):
        ws.set_column(c, c, widths[c], _column_format(header, fmt))
    ws.freeze_panes(layout.first_row, 1)
    # printed (or exported to PDF): landscape, one page wide, the header repeated on every page
    ws.set_landscape()
    ws.fit_to_pages(1, print_pages(layout.last_row + 1))
    ws.repeat_rows(layout.header_row)
    chart = _chart(wb, name, layout, label, summary.caption(eta), first_error, extremes.largest(names.E_TOTAL))
    ws.insert_chart(CHART_ROW, layout.chart_col, chart, {"x_offset": 8, "y_offset": 4})
    return first_error, {name: [x] for name, x in values.items()} | {names.E_TOTAL: e_total, "first rows": first_rows}


def _table_widths(layout: Layout, extremes: metrics.Extremes, params: dict[str, float]) -> list[float]:
    """Each column as wide as the widest thing it shows: its header, its numbers in its format
    (either sign, every magnitude it reaches), and what the parameter block puts in it. A note may
    run on into the empty gap column beside it, which is widened if even the two are too narrow."""
    shows = [[(header, "bold")] for header in layout.columns]  # headers are bold
    shows[0] += [(metrics.shown(layout.iterations, metrics.WHOLE), "regular")]
    for c, name in enumerate(layout.columns[1:], 1):
        num_format, style = metrics.CELLS[_column_kind(name)]
        shows[c] += [(text, style) for text in extremes.texts(name, num_format)]
    for p in layout.params:
        shows[p.col] += [(p.label, "bold")]
        shows[p.col + 1] += [(metrics.shown(params[p.label]), "regular")]
    widths = [metrics.fit(texts) for texts in shows]
    for p in layout.params:  # note and gap column together
        room = metrics.column_px(widths[p.col + 2]) + metrics.column_px(widths[p.col + 3]) - 2 * 5
        short = metrics.INDENT_PX + metrics.text_px(p.note, "italic") + metrics.SLACK_PX - room
        if short > 0:
            widths[p.col + 3] += metrics.chars(short)
    return widths


def _chart(wb, sheet: str, layout: Layout, label, caption: str, first_error: int | None, largest: float):
    """E_total against iteration. A tab that diverges (`first_error`: its first #NUM! iteration) says
    so where its line ends: a label on the last number, or, if there is none, on the axis. `largest`:
    the largest E_total, for the y axis's number format."""
    chart = wb.add_chart({"type": "line"})
    loss = layout.col(names.E_TOTAL)
    series = {
        "name": "E_total",
        "categories": [sheet, layout.first_row, 0, layout.last_row, 0],
        "values": [sheet, layout.first_row, loss, layout.last_row_drawn(first_error), loss],
        "line": {"width": 2.25, "color": "#C00000"},
    }
    mark = f"#NUM! from iteration {first_error}" if first_error else ""
    if first_error and first_error > 1:
        # one label, on the last number (iteration first_error - 1); every other point's is deleted
        last = {"value": mark, "font": {"bold": True, "color": "#C00000"}, "position": "left"}
        series["data_labels"] = {"value": True, "custom": [{"delete": True}] * (first_error - 2) + [last]}
    chart.add_series(series)
    # titled by the cell that names the tab's η ("η = 0.1"): Excel follows it; LibreOffice (7.4) shows
    # the title cached here, as it was built
    chart.set_title({"name": list(label), "data": [caption], "name_font": {"size": 12}})
    x_title = "Iteration" + (f" — {mark}: no number to draw" if first_error == 1 else "")
    chart.set_x_axis({"name": x_title, "interval_unit": max(1, layout.iterations // 10)})
    y_format = "0.0E+00" if largest >= metrics.HUGE else "0.0000"  # 1e150 written out is 151 digits wide
    chart.set_y_axis({"name": "E_total", "num_format": y_format, "major_gridlines": {"visible": True}})
    chart.set_legend({"none": True})
    width, height = layout.chart_size()
    chart.set_size({"width": width, "height": height})
    return chart

"""Stage 5: write the workbook — one tab per learning rate, live formulas, cached reference values.

xlsxwriter runs in constant_memory mode, which silently drops a cell written to a row above the
current one, so every tab is written strictly top to bottom. `verify` would catch a slip.
"""

import datetime
import glob
import hashlib
import json
import os
import stat
import tempfile
import zipfile
from array import array
from pathlib import Path

import xlsxwriter
import xlsxwriter.exceptions

from . import __version__, derivation, files, formulas, reference, summary
from .errors import SpecError, WorkbookError
from .layout import ALPHA, ETA, EXCEL_FORMULA, Layout, bias_name, input_name, target_name, weight_name
from .spec import Spec

# fixed document timestamps: the same template gives a byte-identical file
CREATED = datetime.datetime(2024, 1, 1)
PROPERTY = "sheetgen"  # custom document property that marks our workbooks and records the network
SEAL = b"sheetgen sha256:"  # the zip comment that says the file is as sheetgen wrote it (see _seal)


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
        _remove_stale_temps(target)
        # the pid in the name lets a later build tell a dead build's leftover from a live one's
        fd, tmp = tempfile.mkstemp(prefix=f".{_stem(target)}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as e:
        raise WorkbookError(f"{path}: cannot write in {path.parent}: {e.strerror}") from None
    try:
        # xlsxwriter's own scratch files (one per tab, in constant_memory mode) go in a folder that
        # is removed however the build ends, Ctrl-C included
        with tempfile.TemporaryDirectory(prefix="sheetgen-") as scratch:
            diverged = _write(spec, tmp, progress or (lambda rows: None), scratch)
        _seal(tmp)
        # mkstemp makes it private; a workbook is an ordinary file, or keeps the mode of the one it replaces
        os.chmod(tmp, stat.S_IMODE(old.st_mode) if old else 0o666 & ~_umask())
        os.replace(tmp, target)
    except (OSError, xlsxwriter.exceptions.XlsxWriterException) as e:
        reason = getattr(e, "strerror", None) or str(e).split(":")[-1].strip() or type(e).__name__
        raise WorkbookError(f"{path}: cannot write: {reason} (the previous file, if any, is untouched)") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
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


def _remove_stale_temps(path: Path) -> None:
    """Temporary files of builds that were killed (their process is gone)."""
    stem = _stem(path)
    for tmp in path.parent.glob(f".{glob.escape(stem)}.*.tmp"):
        pid = tmp.name[len(stem) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and os.path.isfile(tmp):
            tmp.unlink(missing_ok=True)


def _stem(path: Path) -> str:
    """The output's name as its temporary file starts, cut to 100 bytes: a name near the 255-byte
    limit must leave room for the pid and mkstemp's suffix."""
    stem = path.name
    while len(os.fsencode(stem)) > 100:
        stem = stem[:-1]
    return stem


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


def _write(spec: Spec, filename: str, progress, scratch=None) -> dict[str, int]:
    layout = Layout(spec)
    # each column's formula text is resolved once, with {r}/{p} left for the row
    rules = formulas.rules(spec)
    templates = {
        name: (formulas.render(rule.first, layout.ref_template), formulas.render(rule.rest, layout.ref_template))
        for name, rule in rules.items()
    }
    notes = {name: formulas.describe(name, rule) for name, rule in rules.items()}
    notes["Iteration"] = "Iteration: the row's step number (a constant; every other cell is a live formula)"
    wb = xlsxwriter.Workbook(filename, {"constant_memory": True, "tmpdir": scratch})
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
    }


def param_values(spec: Spec, eta: float) -> dict[str, float]:
    """Defined name -> the value its input cell starts with."""
    values = {input_name(i): x for i, x in enumerate(spec.inputs)}
    values |= {target_name(j): x for j, x in enumerate(spec.targets)}
    values |= {weight_name(k): x for k, x in enumerate(spec.weights, 1)}
    values |= {bias_name(k): x for k, x in enumerate(spec.biases, 1)}
    return values | {ALPHA: spec.leaky_slope, ETA: eta}


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
    if name.startswith("∂"):
        return fmt["gradient"]
    if name.startswith("E"):
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
        ws.write_number(p.row, p.col + 1, values[p.name], fmt["input"])
        ws.write_string(p.row, p.col + 2, p.note, fmt["note"])
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
        e_total.append(values["E_total"])
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
    return first_error, {name: [x] for name, x in values.items()} | {"E_total": e_total, "first rows": first_rows}


def _chart(wb, sheet: str, layout: Layout, eta: float):
    chart = wb.add_chart({"type": "line"})
    loss = layout.col("E_total")
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

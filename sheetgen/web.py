"""What the web page (web/, built by `make web`) calls, in the browser, through Pyodide: the library
as the command line calls it, its answers as JSON for the page to draw.

Beside cli.py at the top of the house, and like it the only caller of everything below; unlike it,
it prints nothing: each call returns a JSON text. An error is the command line's one line
("sheetgen: error: …"), under "error". Files are where the page wrote them in Pyodide's own file
system; a workbook that needs recalculating is computed by sheetgen's own formula evaluator
(check.run.OWN), as no spreadsheet program runs in a browser.
"""

import json
import os
from pathlib import Path

from sheetgen import __version__, check, classroom, writeup
from sheetgen.build import workbook
from sheetgen.check import mark as marking
from sheetgen.check.run import OWN
from sheetgen.errors import SheetgenError
from sheetgen.model import spec
from sheetgen.xlsx import evaluate, excel
from sheetgen.xlsx.reader import read

AROUND_ROWS, AROUND_COLS = 4, 3  # the grid drawn around a first wrong cell: rows and columns each side
_results: dict[str, object] = {}  # the last check of each file, for mark()


def version() -> str:
    return __version__


def templates() -> str:
    """The shipped templates, each with its description and the defaults the Build form shows."""
    out = []
    for name, description in spec.list_templates():
        s = spec.load(name)
        out.append({
            "name": name,
            "description": description,
            "iterations": s.iterations,
            "learning_rates": list(s.learning_rates),
            "layers": list(s.layers),
            "optimizer": s.optimizer,
            "loss": s.loss,
        })  # fmt: skip
    return json.dumps({"templates": out, "optimizers": list(spec.OPTIMIZERS), "losses": list(spec.LOSSES)})


def _answer(work):
    try:
        return json.dumps(work(), ensure_ascii=False)
    except SheetgenError as e:
        return json.dumps({"error": f"sheetgen: error: {e}"}, ensure_ascii=False)


def check_files(paths_json: str, klass: str = "", progress=None) -> str:
    """`sheetgen check PATHS` (with `--class` when `klass` names a class folder): each file's verdict, its
    lines as the command line prints them, and what the page draws (grids, a write-up's lines)."""
    return _answer(lambda: _check(json.loads(paths_json), klass or None, progress))


def _check(paths: list[str], klass_dir: str | None, progress) -> dict:
    klass = classroom.load(klass_dir) if klass_dir else None
    network_of = klass.writeups() if klass and any(writeup.is_writeup(Path(p)) for p in paths) else None
    results = check.check(paths, progress=progress, engine=OWN, network_of=network_of)
    grades = classroom.grade(results, klass)
    files = []
    for result, g in zip(results, grades):
        _results[str(result.path)] = result
        lines = check.text(result)
        lines[1:1] = g.lines() if klass else []
        files.append(_file(result, lines) | {"grade": g.row(klass is not None)})
    out = {"files": files}
    if klass:
        out["missing"] = classroom.missing(grades[len(results) :], klass, False)
        out["grades"] = [g.row(True) for g in grades]
        csv_path = Path(klass_dir) / "grades.csv"
        if csv_path.exists():
            csv_path.unlink()
        classroom.write_csv(csv_path, grades, with_student=True)
        out["csv"] = csv_path.read_bytes().decode("utf-8")  # its \r\n kept, as the CLI writes it
    return out


def _file(result, lines: list[str]) -> dict:
    out = {"file": str(result.path), "verdict": result.verdict, "lines": lines}
    if isinstance(result, writeup.Result):
        return out | {"kind": "writeup", "writeup": _writeup(result)}
    out |= {"kind": "workbook", "values": result.values, "computed": result.values.startswith("computed by")}
    mistakes = [(t, m) for t in result.tables for m in t.report.mistakes]
    out["markable"] = bool(mistakes) and result.converted is None
    if not mistakes:
        out["mistakes"] = []
        return out
    book = read(result.source)  # again: the check let go of the cells once it had judged them
    if out["computed"]:
        evaluate.compute(book)
    shown, said = [], set()
    for t, m in mistakes:
        place = (t.table.sheet.name, m.where)
        if place in said:  # judged once per engine: drawn once
            continue
        said.add(place)
        shown.append({
            "sheet": t.table.sheet.name,
            "code": m.code,
            "quantity": m.quantity,
            "cell": m.where,
            "rows": m.rows,
            "formula": m.formula,
            "expected": _plain(m.expected),
            "got": _plain(m.got),
            "diagnosis": m.message,
            "fix": m.fix,
            "grid": _grid(book, t.table, m),
        })  # fmt: skip
    out["mistakes"] = shown
    return out


def _grid(book, table, m) -> dict:
    """The table around a first wrong cell: its header row as written, the rows and columns each side."""
    sheet = table.sheet if table.transposed else book.sheet(table.sheet.name)  # a sideways table: its view
    at = excel.parse_ref(m.where)
    if table.transposed:
        at = excel.Ref(None, at.col, at.row)
    cols = sorted(table.columns.values())
    i = cols.index(at.col) if at.col in cols else 0
    shown_cols = cols[max(0, i - AROUND_COLS) : i + AROUND_COLS + 1]
    k = table.rows.index(at.row) if at.row in table.rows else 0
    shown_rows = table.rows[max(0, k - AROUND_ROWS) : k + AROUND_ROWS + 1]
    wrong = set(m.wrong_rows)

    def cell(r, c):
        formula, value = sheet.cells.get((r, c), (None, None)) if sheet else (None, None)
        return {"v": _show(value), "f": formula if isinstance(formula, str) else None}

    return {
        "columns": [excel.col_name(c) for c in shown_cols],
        "header_row": table.header_row + 1,
        "headers": [_show(sheet.value(table.header_row, c)) if sheet else "" for c in shown_cols],
        "rows": [
            {"row": r + 1, "cells": [cell(r, c) | {"wrong": c == at.col and r in wrong} for c in shown_cols]}
            for r in shown_rows
        ],
        "first": {"row": at.row + 1, "column": excel.col_name(at.col)},
    }


def _plain(x):
    """A value as JSON holds it: #NUM! for NaN, an error value's code."""
    if isinstance(x, float) and x != x:
        return "#NUM!"
    return x if isinstance(x, int | float | str | None) else str(x)


def _show(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return "#NUM!" if v != v else f"{v:.6g}"
    return str(v)


def _writeup(result) -> dict:
    try:
        text = Path(result.path).read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        text = []
    wrong: dict[int, list[dict]] = {}
    for m in result.mistakes:
        wrong.setdefault(m.line, []).append(m.as_dict())
    return {"text": text, "wrong": {str(n): ms for n, ms in wrong.items()}}


def mark(path: str, out: str) -> str:
    """`sheetgen check PATH --mark OUT`, on the page's last check of PATH: OUT's path, or why not."""

    def work():
        result = _results.get(path)
        if result is None:
            result = check.check([path], engine=OWN)[0]
        n = marking.mark(result, out)
        return {"marked": n, "out": out}

    return _answer(work)


def build(options_json: str) -> str:
    """`sheetgen build TEMPLATE --iterations … --lr … --optimizer … --loss … --layers …`: the workbook's
    path in the page's file system and its name, byte for byte what the command line writes."""

    def work():
        o = json.loads(options_json)
        s = spec.load(o.get("template") or "era").with_overrides(
            iterations=o.get("iterations"),
            learning_rates=o.get("learning_rates"),
            layers=o.get("layers"),
            optimizer=o.get("optimizer"),
            loss=o.get("loss"),
        )
        folder = Path(o.get("folder") or "built")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / s.output
        if path.exists():
            os.unlink(path)
        diverged = workbook.build(s, path)
        return {
            "path": str(path),
            "name": s.output,
            "line": f"wrote {s.output}: {len(s.learning_rates)} tab{'s' * (len(s.learning_rates) != 1)} × "
            f"{s.iterations:,} iteration{'s' * (s.iterations != 1)}",
            "warnings": [
                f"sheetgen: warning: {sheet} diverges: #NUM! from iteration {n} on" for sheet, n in diverged.items()
            ],  # fmt: skip
        }

    return _answer(work)

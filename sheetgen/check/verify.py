"""`sheetgen verify`: `check`, on the layout sheetgen wrote, after a forced recalculation.

    sheetgen workbook -> strip cached results -> LibreOffice and/or Gnumeric -> reader -> each tab's own check

Which cells are formulas, and every constant, are read from the stripped copy the engine was
given; every formula's value from what the engine computed (its CSV). No cached result is read.
With several engines, each one's values are judged on their own: every engine must agree.
The network comes from the `sheetgen` document property, the parameters from each tab's named
cells, or (references = "cells") the cells beside their labels, so a user's edits count. Each tab
module judges its own tab: workbook (the learning-rate tabs, with the local judge `check` uses),
summary and derivation.
"""

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import unescape

from sheetgen.build import derivation, summary, workbook
from sheetgen.check import ownsheets
from sheetgen.check.judge import NOISE, SHOWN, Report  # noqa: F401  (SHOWN, NOISE: what the CLI tells)
from sheetgen.errors import WorkbookError
from sheetgen.xlsx import reader, recalc
from sheetgen.xlsx.reader import Book, read_csv  # noqa: F401  (read_csv: LibreOffice's values, for tests)

PROPERTY = workbook.PROPERTY


@dataclass
class FileReport:
    path: Path
    tabs: list[Report]
    engine: str = "LibreOffice"  # whose recalculation was judged

    @property
    def ok(self) -> bool:
        return bool(self.tabs) and all(t.ok for t in self.tabs)


def network(path) -> dict:
    """The network recorded in a sheetgen workbook; WorkbookError for anything else."""
    with reader.open_zip(path) as z:
        if "xl/workbook.xml" not in z.namelist():
            raise WorkbookError(f"{path}: not an .xlsx workbook (a zip file without xl/workbook.xml)")
        try:
            xml = z.read("docProps/custom.xml").decode()
        except KeyError:
            raise WorkbookError(f"{path}: not a sheetgen workbook (no '{PROPERTY}' document property)") from None
    m = re.search(rf'name="{PROPERTY}"[^>]*>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>', xml)
    if m is None:
        raise WorkbookError(f"{path}: not a sheetgen workbook (no '{PROPERTY}' document property)")
    net = ownsheets.parse_network(unescape(m[1], {"&quot;": '"', "&apos;": "'"}))
    if net is None:
        raise WorkbookError(f"{path}: damaged sheetgen workbook (unreadable '{PROPERTY}' property)")
    return net


def stages(paths, engine: str = "libreoffice") -> int:
    """How many stages verify() goes through: strip, each engine, each file with each engine."""
    n = len(recalc.engines(engine))
    return 1 + n + n * len(paths)


def verify(paths, timeout: float = 300, progress=None, engine: str = "libreoffice") -> list[FileReport]:
    """Recalculate all `paths` with the engine(s) (`libreoffice`: one run for all; `gnumeric`: one
    process per file; `all`: both) and check each tab of each. One FileReport per file and engine,
    file by file. `progress(stage)`, if given, hears of each stage (see stages) as it starts, and
    `progress(None)` about once a second while an engine works."""
    progress = progress or (lambda stage: None)
    chosen = recalc.engines(engine)
    nets = [network(p) for p in paths]  # refuse foreign files before starting an engine
    with tempfile.TemporaryDirectory(prefix="sheetgen-verify-") as tmp:
        progress("stripping cached results")
        copies = recalc.strip(paths, tmp)  # one stripped copy for every engine
        fresh = {}
        for e in chosen:
            progress(f"{e.title} recalculating")
            fresh[e] = recalc.recalculate(copies, tmp, timeout, tick=lambda: progress(None), engine=e.name)
        reports = []
        for n, (path, net) in enumerate(zip(paths, nets)):
            for e in chosen:
                progress(f"comparing {Path(path).name}" + (f" ({e.title})" if len(chosen) > 1 else ""))
                reports.append(compare(path, fresh[e][n], net))
        return reports


def compare(path, recalculated: recalc.Recalculated, net: dict) -> FileReport:
    """Every tab of an engine's recalculation of `path`, each checked by the module that wrote it."""
    book = recalculated_book(recalculated, formulas=False)
    extended = recalculated.engine.extended
    tabs, later, values = [], [], {}
    for sheet in book.sheets:
        if sheet.name in (summary.NAME, derivation.NAME):
            later.append(sheet)  # they read the learning-rate tabs: those first
            continue
        report, values[sheet.name] = ownsheets.check_tab(sheet, book, net, extended)
        if report.bad:  # say why: read that tab's formula text, which the first pass did not keep
            text = next(s for s in reader.iter_sheets(recalculated.stripped) if s.name == sheet.name)
            sheet.cells = {at: (text.cells.get(at, (f, None))[0], v) for at, (f, v) in sheet.cells.items()}
            report, values[sheet.name] = ownsheets.check_tab(sheet, book, net, extended)
        tabs.append(report)
    tabs += [ownsheets.check_summary(sheet, values) for sheet in later if sheet.name == summary.NAME]
    tabs += [ownsheets.check_derivation(sheet, values) for sheet in later if sheet.name == derivation.NAME]
    return FileReport(Path(path), tabs, recalculated.engine.title)


def recalculated_book(recalculated: recalc.Recalculated, formulas: bool = True) -> Book:
    """The stripped copy's cells with the engine's values in place of every formula's result."""
    engine = recalculated.engine
    sheets = [
        reader.with_values(sheet, recalculated.values(sheet.name), engine.title)
        for sheet in reader.iter_sheets(recalculated.stripped, formulas)
    ]
    return Book(recalculated.stripped, sheets, {}, [], None)

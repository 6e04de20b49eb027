"""`sheetgen verify`: `check`, on the layout sheetgen wrote, after a forced recalculation.

    sheetgen workbook -> strip cached results -> LibreOffice -> reader -> each tab's own check

Which cells are formulas, and every constant, are read from the stripped copy LibreOffice was
given; every formula's value from what LibreOffice computed (its CSV). No cached result is read.
The network comes from the `sheetgen` document property, the parameters from each tab's named
cells (so a user's edits count). Each tab module judges its own tab: workbook (the learning-rate
tabs, with the local judge `check` uses), summary and derivation.
"""

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import unescape

from . import derivation, reader, recalc, summary, workbook
from .errors import WorkbookError
from .judge import NOISE, SHOWN, Report  # noqa: F401  (SHOWN, NOISE: what the CLI tells)
from .reader import Book, read_csv  # noqa: F401  (read_csv: LibreOffice's values, for tests)

PROPERTY = workbook.PROPERTY


@dataclass
class FileReport:
    path: Path
    tabs: list[Report]

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
    net = workbook.parse_network(unescape(m[1], {"&quot;": '"', "&apos;": "'"}))
    if net is None:
        raise WorkbookError(f"{path}: damaged sheetgen workbook (unreadable '{PROPERTY}' property)")
    return net


def verify(paths, timeout: float = 300, progress=None) -> list[FileReport]:
    """Recalculate all `paths` in one LibreOffice run and check each tab of each.
    `progress(stage)`, if given, hears of each of the 2 + len(paths) stages as it starts, and
    `progress(None)` about once a second while LibreOffice works."""
    progress = progress or (lambda stage: None)
    nets = [network(p) for p in paths]  # refuse foreign files before starting LibreOffice
    with tempfile.TemporaryDirectory(prefix="sheetgen-verify-") as tmp:
        progress("stripping cached results")
        copies = recalc.strip(paths, tmp)
        progress("LibreOffice recalculating")
        fresh = recalc.recalculate(copies, tmp, timeout, tick=lambda: progress(None))
        reports = []
        for path, f, net in zip(paths, fresh, nets):
            progress(f"comparing {Path(path).name}")
            reports.append(compare(path, f, net))
        return reports


def compare(path, recalculated: recalc.Recalculated, net: dict) -> FileReport:
    """Every tab of LibreOffice's recalculation of `path`, each checked by the module that wrote it."""
    book = recalculated_book(recalculated, formulas=False)
    tabs, later, values = [], [], {}
    for sheet in book.sheets:
        if sheet.name in (summary.NAME, derivation.NAME):
            later.append(sheet)  # they read the learning-rate tabs: those first
            continue
        report, values[sheet.name] = workbook.check_tab(sheet, book, net)
        if report.bad:  # say why: read that tab's formula text, which the first pass did not keep
            text = next(s for s in reader.iter_sheets(recalculated.stripped) if s.name == sheet.name)
            sheet.cells = {at: (text.cells.get(at, (f, None))[0], v) for at, (f, v) in sheet.cells.items()}
            report, values[sheet.name] = workbook.check_tab(sheet, book, net)
        tabs.append(report)
    tabs += [summary.check(sheet, values) for sheet in later if sheet.name == summary.NAME]
    tabs += [derivation.check(sheet, values) for sheet in later if sheet.name == derivation.NAME]
    return FileReport(Path(path), tabs)


def recalculated_book(recalculated: recalc.Recalculated, formulas: bool = True) -> Book:
    """The stripped copy's cells with LibreOffice's values in place of every formula's result."""
    sheets = [
        reader.with_values(sheet, recalculated.values(sheet.name))
        for sheet in reader.iter_sheets(recalculated.stripped, formulas)
    ]
    return Book(recalculated.stripped, sheets, {}, [], None)

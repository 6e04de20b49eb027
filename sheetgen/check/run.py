"""`sheetgen check`: the mistakes in any hand-made backprop workbook, each at its first wrong cell.

    any workbook -> reader -> table finder -> local judge -> report

Values are the cached results the author saw. A file without them (openpyxl writes none), with
rounded ones (Google Sheets keeps 10 significant digits, enough to blame a right formula for its
storage), or with stale ones (a result its own formula does not give) is recalculated exactly as
`verify` does it, by LibreOffice (all such files in one run), Gnumeric, or each of them, every
engine's values judged on their own. .xls and .ods are converted to .xlsx by LibreOffice first.
"""

import errno
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sheetgen import writeup
from sheetgen.build import workbook
from sheetgen.check import diagnose, judge, ownsheets, tables
from sheetgen.errors import RecalcTimeout, SheetgenError, WorkbookError
from sheetgen.finding import Finding, plain
from sheetgen.model import names, spelling
from sheetgen.xlsx import evaluate, excel, recalc, transpose
from sheetgen.xlsx.cells import Cells
from sheetgen.xlsx.reader import Book, read, with_values

ASSIGNMENT = (0.1, 0.2, 0.5, 0.8, 1.0, 2.0)  # the learning rates the course asks for
CONVERTED = {".xls", ".ods", ".xlsb"}  # read through a LibreOffice conversion
ROUNDED_DIGITS = 10  # cached results with no more significant digits than this are a rounded copy
AS_TEXT_SHOWN = 8  # given cells named, at most, in the warning about numbers stored as text
# engine=OWN: a file that needs recalculating is computed by sheetgen's own formula evaluator
# (xlsx.evaluate), where no spreadsheet program runs (the web page); .xls and .ods are then refused
OWN = "sheetgen"
OWN_ENGINE = recalc.Engine(OWN, evaluate.TITLE, extended=False)


@dataclass
class TableResult:
    table: tables.Table
    report: judge.Report
    chart: bool
    other_charts: list[str] = field(default_factory=list)  # what charts on its sheet plot instead
    engine: str | None = None  # whose recalculation was judged; None: the cached results

    def as_dict(self) -> dict:
        t, eta = self.table, self.table.eta
        return {
            "sheet": t.sheet.name,
            "engine": self.engine,
            "eta": eta.value if eta else None,
            "eta_from": eta.source if eta else None,
            "iterations": len(t.rows),
            "header_row": t.header_row + 1,
            "rows": [t.rows[0] + 1, t.rows[-1] + 1],
            # read sideways: each quantity a row of the sheet (its number), each iteration a column
            "columns": {q: str(c + 1) if t.transposed else excel.col_name(c) for q, c in t.columns.items()},
            "transposed": t.transposed,
            "read_as": t.read_as,
            "network": self.report.network,
            "chart": self.chart,
            "live": self.report.live,
            "cells": self.report.cells,
            "mistakes": [mistake(m) for m in self.report.mistakes],
            "notes": self.report.notes + self.report.problems,
        }


def mistake(f: Finding) -> dict:
    """A workbook's Finding as check's JSON has always said it (cell, formula, rows, diagnosis), with its
    code and severity."""
    return {
        "code": f.code,
        "severity": f.severity,
        "quantity": f.quantity,
        "cell": f.where,
        "formula": f.formula,
        "expected": plain(f.expected),
        "got": plain(f.got),
        "rows": f.rows,
        "diagnosis": f.message,
        "fix": f.fix,
    }


@dataclass
class FileResult:
    path: Path
    verdict: str = "right"  # right | wrong | no table | unreadable | not checked (an engine failed: not the file)
    tables: list[TableResult] = field(default_factory=list)
    reason: str = ""  # why unreadable, or what was recognised when there is no table
    values: str = "cached"  # or "recalculated by LibreOffice (…)"
    warnings: list[str] = field(default_factory=list)
    converted: Path | None = None  # the .xlsx LibreOffice made of an .xls or .ods
    handout: str | None = None  # an exercise of `sheetgen class` with nothing filled in: its description

    @property
    def source(self) -> Path:
        return self.converted or self.path

    @property
    def missing_learning_rates(self) -> list[float]:
        found = {round(t.table.eta.value, 9) for t in self.tables if t.table.eta and t.table.eta.value is not None}
        return [eta for eta in ASSIGNMENT if round(eta, 9) not in found]

    @property
    def mistakes(self) -> list[Finding]:
        """Every table's findings, in order (as a write-up's Result has them)."""
        return [m for t in self.tables for m in t.report.mistakes]

    def first_mistake(self) -> str:
        """The first wrong quantity of the first table that has one (quantity, cell, diagnosis), or what
        kept that table from being judged: the class CSV's first_mistake, as a write-up's Result says it."""
        for t in self.tables:
            sheet = "'" + t.table.sheet.name.replace("'", "''") + "'"
            if t.report.mistakes:
                m = t.report.mistakes[0]
                return f"{m.quantity} at {sheet}!{m.where}: {m.message}"
            if t.report.problems:
                return f"{sheet}: {t.report.problems[0]}"
        return ""

    def lines(self) -> list[str]:
        """What a person reads (see text)."""
        return _lines(self)

    def as_dict(self) -> dict:
        out = {"file": str(self.path), "verdict": self.verdict}
        if self.reason:
            out["reason"] = self.reason
        out["values"] = self.values
        out["tables"] = [t.as_dict() for t in self.tables]
        out["missing_learning_rates"] = self.missing_learning_rates if self.tables else []
        out["warnings"] = self.warnings
        return out


# verdicts of a file that could not be checked: exit 2 (not checked: an engine failed, or ran out of time)
UNCHECKED = {"unreadable", "no table", "no equations", "not checked"}


def check(paths, timeout: float = 300, progress=None, spec_of=None, engine: str = "libreoffice",
          network_of=None, jobs: int = 1, done=None) -> list:  # fmt: skip
    """Every file's result, in the order of `paths` (see each); `done(result)` hears of each file as soon
    as its result is final, in the order they finish."""
    done = done or (lambda result: None)
    out = [None] * len(paths)
    for n, r in each(paths, timeout, progress, spec_of, engine, network_of, jobs):
        out[n] = r
        done(r)
    return out


def each(paths, timeout: float = 300, progress=None, spec_of=None, engine: str = "libreoffice",
         network_of=None, jobs: int = 1):  # fmt: skip
    """(n, the result of paths[n]) for every file, as soon as it is final, in the order they finish;
    nothing of a file is kept here once it is given (a class of thousands is checked in the memory of
    one file per process). Workbooks that need it are recalculated by the engine(s) (`libreoffice`:
    one run for all; `gnumeric`; `all`: each, and each one's values judged on their own). A write-up
    (.md, .txt, .rst) has its equations judged instead (writeup.Result), its numbers against
    `network_of(the given values it states)` when that gives a network (writeup.check). `progress(stage)`
    hears of each stage. `spec_of(book)`, if given, says a workbook's network. `jobs`: how many
    processes read and judge the workbooks, each one file at a time."""
    progress = progress or (lambda stage: None)
    engines = [] if engine == OWN else recalc.engines(engine)
    everything = [FileResult(Path(p)) for p in paths]  # a path each until its file is read
    for r in everything:
        if not r.path.is_file():  # folders, devices and fifos are never opened
            r.verdict, r.reason = "unreadable", _not_a_file(r.path)
    texts = set()  # the write-ups, judged apart: equations, not tables
    for n, r in enumerate(everything):
        if r.verdict != "unreadable" and writeup.is_writeup(r.path):
            progress(f"checking {r.path.name}")
            texts.add(n)
            yield n, writeup.check(r.path, network_of)
    with tempfile.TemporaryDirectory(prefix="sheetgen-check-") as tmp:
        convert = [r for n, r in enumerate(everything) if n not in texts and r.verdict != "unreadable"
                   and r.path.suffix.lower() in CONVERTED]  # fmt: skip
        if convert and engine == OWN:
            for r in convert:
                r.verdict, r.reason = (
                    "unreadable",
                    f"a {r.path.suffix} file needs LibreOffice: check it with the command line",
                )
        elif convert:
            progress("LibreOffice converting .xls/.ods")
            _convert(convert, Path(tmp), timeout)
        todo = []
        for n, r in enumerate(everything):
            if n in texts:
                continue
            if r.verdict == "unreadable":
                everything[n] = None
                yield n, r
            else:
                todo.append(n)
        parallel = jobs if spec_of is None else 1  # a function to say the network may not cross to a process
        if parallel > 1 and len(todo) > 1:
            own = engine == OWN
            for k, r in _apart([everything[n] for n in todo], own, parallel, progress, engines, timeout, Path(tmp)):
                everything[todo[k]] = None  # from another process: its copy, judged; given, and let go
                yield todo[k], r
            return
        again = []  # (n, result) to be judged again on an engine's values: one run of it for them all
        for n in todo:
            r, everything[n] = everything[n], None
            progress(f"checking {r.path.name}")
            why = _first_pass(r, spec_of, engine == OWN)
            if why is None:
                yield n, r
                continue
            r.values = _recalculated_by(engines, why)
            again.append((n, r))
        if again:
            _recalculate([r for _, r in again], Path(tmp), timeout, progress, spec_of, engines)
            yield from again


# with -j, files that need recalculating go to an engine this many at a time, each batch one run of
# it (LibreOffice starts in seconds) while the other files are judged
BATCH = 50


def _recalculated_by(engines, why: str) -> str:
    return f"recalculated by {' and '.join(e.title for e in engines)}: {why}"


def _apart(results: list, own: bool, jobs: int, progress, engines, timeout: float, tmp: Path):
    """(n, the n-th result) of each workbook as it is final, read and judged across `jobs` processes
    (each file read, judged and let go by one of them; what comes back is its result, a few kB).

    Files that need recalculating go to the engine BATCH at a time, each batch one run of it in a thread
    while the processes judge the others; with one engine, what it computed is then read and judged by
    the processes too. Files that look as if they hold no cached results (_looks_uncached) are read
    first, so that the engine's runs start at once and overlap the judging of the rest: found where
    they lie in a class's folder, the last batch started after the others were judged, and it and its
    judging were the last minute of a round of 1,000 with one core idle."""
    import concurrent.futures  # only here: the web page's Python has no processes
    import multiprocessing

    wait, first = concurrent.futures.wait, concurrent.futures.FIRST_COMPLETED
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    order, guess = _reading_order([r.source for r in results])
    with (
        concurrent.futures.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method)) as pool,
        concurrent.futures.ThreadPoolExecutor(1) as engine_runs,
    ):
        pending: dict = {}  # future -> (what it is, the index or indices of what it is for)
        at, reading, again, batches = 0, 0, [], 0
        unread, early = sum(guess), False  # the files that look uncached not read yet; all read just now
        while at < len(order) or pending or again:
            # a few files ahead of the workers, not the whole class: what waits is a path
            while at < len(order) and reading < 4 * jobs:
                n = order[at]
                pending[pool.submit(_first_pass_apart, results[n], None, own)] = ("read", n)
                at, reading = at + 1, reading + 1
            # a batch when it is full, when the files that looked uncached are all read, and at the end
            if again and (len(again) >= BATCH or early or at == len(order) and not reading):
                batch = [results[n] for n in again]
                folder = tmp / f"batch{batches}"
                if len(engines) == 1:
                    job = engine_runs.submit(_engine_run, batch, folder, timeout, progress, engines[0])
                else:  # each engine's values judged after the one before's, as in one process
                    job = engine_runs.submit(_recalculate, batch, folder, timeout, progress, None, engines)
                pending[job] = ("engine", again)
                again, batches, early = [], batches + 1, False
                continue
            finished, _ = wait(pending, return_when=first)
            finished = sorted(finished, key=lambda f: pending[f][1] if pending[f][0] != "engine" else -1)
            while finished:  # each future let go as it is read: it holds its result, which is given away
                future = finished.pop(0)
                (kind, n), outcome, future = pending.pop(future), future.result(), None  # its failure raised here
                if kind == "read":
                    reading, unread = reading - 1, unread - guess[n]
                    early = early or guess[n] and not unread
                    r, why = outcome
                    progress(f"checked {r.path.name}")
                    if why is None:
                        results[n] = None  # given, and let go: a class's results are not kept here
                        yield n, r
                    else:
                        results[n], r.values = r, _recalculated_by(engines, why)
                        again.append(n)
                elif kind == "engine":  # the batch's files: to be judged on the engine's values, or final
                    fresh = outcome if len(engines) == 1 else []
                    judged = {id(r): f for r, f in fresh}
                    for m in n:
                        if id(results[m]) in judged:
                            job = pool.submit(_judge_fresh_apart, results[m], judged[id(results[m])], engines[0])
                            pending[job] = ("judge", m)
                        else:
                            r, results[m] = results[m], None
                            yield m, r
                else:
                    r, results[n] = outcome, None
                    progress(f"judged {r.path.name}")
                    yield n, r


def _reading_order(paths) -> tuple[list[int], list[bool]]:
    """The order in which -j reads the files (by index): those that look uncached first, each kind in
    the order given; and whether each looks uncached."""
    guess = [_looks_uncached(p) for p in paths]
    return sorted(range(len(paths)), key=lambda n: not guess[n]), guess


def _looks_uncached(path) -> bool:
    """A guess, from the first formulas of its first sheet that has any, whether a workbook holds no
    cached results (as openpyxl writes it, or with them removed): it will need an engine. Only an
    order: whatever it guesses, each file is judged by what _needs_recalculation finds."""
    guess = False
    try:
        with zipfile.ZipFile(path) as z:
            for name in sorted((n for n in z.namelist() if _SHEET_PART.fullmatch(n)), key=_part_number):
                with z.open(name) as part:
                    head = part.read(1 << 16)
                formulas = len(_FORMULA_END.findall(head))
                if formulas:
                    guess = len(_NO_RESULT.findall(head)) * 10 >= formulas
                    break
    except Exception:  # anything unreadable is found so by its reading, in its turn
        return False
    return guess


_SHEET_PART = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
_FORMULA_END = re.compile(rb"</f>|<f\b[^>]*/>")
_NO_RESULT = re.compile(rb"(?:</f>|<f\b[^>]*/>)(?:</c>|<v\s*/>|<v></v>)")


def _part_number(name: str) -> int:
    return int(_SHEET_PART.fullmatch(name)[1])


def _first_pass_apart(result, spec_of, own: bool):
    """_first_pass in a worker process: the result and why, sent back."""
    return result, _first_pass(result, spec_of, own)


def _first_pass(r: FileResult, spec_of, own: bool) -> str | None:
    """Read one workbook and judge it on its cached results (or, with `own`, on sheetgen's evaluator's
    values); why it needs recalculating by an engine first, or None if it is judged (or unreadable)."""
    try:
        book = read(r.source)
    except (WorkbookError, OSError) as e:
        r.verdict, r.reason = "unreadable", _unreadable(r.path, e)
        return None
    except MemoryError:  # a sheet of millions of cells, beyond what this machine lets us hold
        r.verdict, r.reason = "unreadable", "not enough memory to read it"
        return None
    why = _needs_recalculation(book)
    if why is None:
        try:
            _judge(r, book, spec_of)
            return None
        except diagnose.Stale as e:
            cell, *said = e.args  # what is wrong with the cell, when not a stale value
            why = f"stale results (the cached value of {cell} is not what its formula gives)"
            why = f"{cell} {said[0]}" if said else why
            r.tables, r.warnings = [], []  # judged again, on fresh values
    if own:
        _own(r, book, why, spec_of)
        return None
    return why


def _not_a_file(path: Path) -> str:
    """Why a path that is no regular file cannot be checked."""
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "a symbolic link that leads round in a loop (to itself, or through others back to it)"
        if path.is_symlink():
            return f"a symbolic link to {os.readlink(path)}, which is not there"
        return "no such file" if e.errno == errno.ENOENT else f"cannot read: {e.strerror}"
    return "not a regular file"


def _unreadable(path: Path, e: Exception) -> str:
    text = str(e)
    return text.split(": ", 1)[1] if text.startswith(f"{path}: ") else text


def _convert(results, tmp: Path, timeout: float) -> None:
    out = tmp / "converted"
    try:
        recalc.convert([r.path for r in results], out, timeout)
    except SheetgenError as e:
        for r in results:
            r.verdict, r.reason = "unreadable", str(e)
        return
    for n, r in enumerate(results):
        converted = out / f"{n:04d}-{r.path.stem}.xlsx"
        if converted.is_file():
            r.converted = converted
        else:
            r.verdict, r.reason = "unreadable", "LibreOffice could not open it"


def _needs_recalculation(book: Book) -> str | None:
    """Why the cached results cannot be trusted as the author's sheet computes them, or None."""
    formulas = missing = zeros = 0
    digits = 0
    for sheet in book.sheets:
        for _, (formula, value) in sheet.scan():
            if formula is None:
                continue
            formulas += 1
            if value is None:
                missing += 1
            elif value == 0 and excel.is_number(value):
                zeros += 1
            elif value.__class__ is float and digits <= ROUNDED_DIGITS:
                digits = max(digits, _significant_digits(value))
    if formulas and missing * 10 >= formulas:
        return "no cached results" if missing == formulas else f"{missing:,} of {formulas:,} formulas have no result"
    if formulas and zeros + missing == formulas:  # xlsxwriter writes 0 where it computes nothing
        return "every formula's cached result is 0: written by a program that computes no formula (xlsxwriter)"
    if formulas and 0 < digits <= ROUNDED_DIGITS:
        return f"its cached results keep only {digits} significant digits (a Google Sheets download)"
    return None


def _significant_digits(x: float) -> int:
    return len(re.sub(r"e.*|[-.]", "", repr(x)).strip("0")) or 1


def _recalculate(results, tmp: Path, timeout: float, progress, spec_of, engines) -> None:
    """Every engine's run over `results`, one after the other, each file judged on each one's values."""
    failed: dict[int, object] = {}  # by index: why a file cannot be copied, or an engine could not open it
    copies = recalc.strip([r.source for r in results], tmp, failed)  # one stripped copy for every engine
    pairs = list(zip(results, copies))
    for engine in engines:
        pairs, failed = _unopened(pairs, failed), {}  # that file alone is unreadable: the others are judged
        if not pairs:
            return
        fresh = _run(pairs, tmp, timeout, progress, engine, failed)
        if fresh is None:
            return
        for n, ((r, _), f) in enumerate(zip(pairs, fresh)):
            if n in failed:
                continue
            progress(f"judging {r.path.name}" + (f" ({engine.title})" if len(engines) > 1 else ""))
            _judge_fresh(r, f, spec_of, engine)
    _unopened(pairs, failed)


def _engine_run(results, tmp: Path, timeout: float, progress, engine) -> list:
    """_recalculate with one engine, but for the judging: (result, its recalculation) of each file the
    engine computed, to be judged elsewhere (_judge_fresh); every other file's result is final."""
    failed: dict[int, object] = {}
    copies = recalc.strip([r.source for r in results], tmp, failed)
    pairs, failed = _unopened(list(zip(results, copies)), failed), {}
    if not pairs:
        return []
    fresh = _run(pairs, tmp, timeout, progress, engine, failed)
    if fresh is None:
        return []
    judged = [(r, f) for n, ((r, _), f) in enumerate(zip(pairs, fresh)) if n not in failed]
    _unopened(pairs, failed)
    return judged


def _run(pairs, tmp: Path, timeout: float, progress, engine, failed: dict):
    """The engine's recalculation of each pair's stripped copy; None if the whole run failed, each file
    then not checked (and said why)."""
    progress(f"{engine.title} recalculating")
    try:
        return recalc.recalculate([c for _, c in pairs], tmp, timeout, tick=lambda: progress(None),
                                  engine=engine.name, failed=failed)  # fmt: skip
    except SheetgenError as e:  # the whole run's (missing, failed, out of time): the files are not to blame
        why = f"{engine.title} could not recalculate it: {e}"
        if isinstance(e, RecalcTimeout):
            why = f"{engine.title} ran out of time recalculating it ({e}): give a longer --timeout"
        for r, _ in pairs:
            r.tables, r.verdict, r.reason = [], "not checked", why
        return None


def _judge_fresh(r: FileResult, f: recalc.Recalculated, spec_of, engine) -> None:
    """A file judged on an engine's values: its stripped copy read, with the engine's values put in."""
    book = read(f.stripped)
    book.path = r.path
    for sheet in book.sheets:
        if f.values(sheet.name).is_file():  # a sheet the engine left out is judged without values
            with_values(sheet, f.values(sheet.name), engine.title)
            if said := _lacking(sheet, book, engine.title):
                r.warnings.append(said)
    _judge(r, book, spec_of, engine=engine)


def _judge_fresh_apart(r: FileResult, f: recalc.Recalculated, engine) -> FileResult:
    """_judge_fresh in a worker process: the result, sent back."""
    _judge_fresh(r, f, None, engine)
    return r


def _lacking(sheet, book: Book, engine: str) -> str | None:
    """What an engine could not compute for want of a function (#NAME? for Google Sheets' POW), computed
    by sheetgen's own evaluator instead from the engine's values, and so every formula that reads one:
    the student is not blamed for the engine. Said in a warning, or None if there was none."""
    unknown = {at for at, (f, v) in sheet.scan() if f is not None and isinstance(v, excel.Error)
               and v.code == "#NAME?" and isinstance(sheet.formula(*at), str)}  # fmt: skip
    functions = {name for at in unknown for name in excel.SHEETS_ONLY if f"{name}(" in sheet.cells[at][0].upper()}
    if not functions:
        return None

    def cell(name, row, col):
        other = sheet if name in (None, sheet.name) else book.sheet(name)
        return other.value(row, col) if other else None

    def named(text):
        return excel.Ref(None, *sheet.names[text]) if text in sheet.names else book.names.get(text)

    computed = 0
    for _ in range(50):  # formulas read each other in any column order: again, until none is left
        done = set()
        for at in sorted(unknown):
            try:
                value = excel.evaluate(excel.parse(sheet.cells[at][0]), cell, named)
            except excel.FormulaError:
                continue
            if not (isinstance(value, excel.Error) and value.code == "#NAME?"):
                sheet.cells[at] = (sheet.cells[at][0], value)
                done.add(at)
        if not done:
            break
        unknown -= done
        computed += len(done)
    return (
        f"{sheet.name}: {', '.join(sorted(functions))} is a Google Sheets function {engine} lacks (#NAME?): "
        f"{computed} formula(s) that use it, or read one that does, computed by sheetgen's own evaluator"
    )


def _unopened(pairs: list, failed: dict) -> list:
    """Each (result, stripped copy) of `failed`, by its index, made unreadable; the others."""
    for n, why in failed.items():
        r = pairs[n][0]
        r.tables, r.verdict, r.reason = [], "unreadable", why if isinstance(why, str) else _unreadable(r.source, why)
    return [pair for n, pair in enumerate(pairs) if n not in failed]


def _own(result: FileResult, book: Book, why: str, spec_of) -> None:
    """Judge `book` on the values sheetgen's own evaluator gives its formulas."""
    evaluate.compute(book)
    result.values = f"computed by {evaluate.TITLE}: {why}"
    _judge(result, book, spec_of, engine=OWN_ENGINE)


def _judge(result: FileResult, book: Book, spec_of, engine: recalc.Engine | None = None) -> None:
    """Every table of the book judged and added to the result's (`engine`: whose fresh
    recalculation the book holds; None: its cached results); the verdict, from all of them."""
    found = [(sheet, tables.find(sheet, book)) for sheet in book.sheets]
    # a sheetgen workbook says its network (deeper, tanh, biases); any other is read off its columns
    net = ownsheets.parse_network(book.properties[workbook.PROPERTY]) if workbook.PROPERTY in book.properties else None
    for sheet, sheet_tables in found:
        for table in sheet_tables:
            spec, missing = spec_of(book) if spec_of else None, None
            if net and not spec_of:  # our tab: its parameters where sheetgen put them
                missing = ownsheets.read_params(sheet, table, net)
                spec = ownsheets.tab_spec(net, table)
            if missing:
                report = judge.Report(sheet.name)
                report.fail(missing)
            else:
                extended = engine is not None and engine.extended
                report = judge.judge(table, book, spec, fresh=engine is not None, extended=extended,
                                     engine=engine.title if engine else None)  # fmt: skip
            if table.transposed:  # said of the sheet as it is, not of the view it was read in
                _turn_back(table, report)
            charted = _charted(table, book)
            others = [] if charted else list(dict.fromkeys(r.text() for r in book.charts if r.sheet == sheet.name))[:2]
            result.tables.append(TableResult(table, report, charted, others, engine.title if engine else None))
            for text in table.spellings.values():
                if (w := spelling.typo(text)) and f"{sheet.name}: {w}" not in result.warnings:
                    result.warnings.append(f"{sheet.name}: {w}")
        # one warning a sheet, whatever its tables, and said once however many engines judge it
        if as_text := list(dict.fromkeys(cell for table in sheet_tables for cell in tables.stored_as_text(table))):
            more = f" … ({len(as_text)} in all)" if len(as_text) > AS_TEXT_SHOWN else ""
            warning = (f"{sheet.name}: numbers stored as text, which formulas compute with (SUM and charts skip "
                       f"them): {', '.join(as_text[:AS_TEXT_SHOWN])}{more}")  # fmt: skip
            if warning not in result.warnings:
                result.warnings.append(warning)
    # read by openpyxl where the fast reader could not (xlsx.reader): said, as the values may differ in form
    result.warnings += [note for note in book.notes if note not in result.warnings]
    if not result.tables:
        result.verdict, result.reason = "no table", _recognised(book)
        if workbook.EXERCISE in book.properties:  # handed in as handed out: say that, not why it is no table
            result.handout = book.description
            result.reason = f"an exercise of sheetgen class ({book.description}) with nothing filled in"
    elif any(t.report.mistakes or t.report.problems for t in result.tables):
        result.verdict = "wrong"
    else:
        result.verdict = "right"
    _release(book, [t.table for t in result.tables])


def _turn_back(table: tables.Table, report: judge.Report) -> None:
    """What was said of a table read sideways, said of the sheet: cells, formulas, fixes, sentences."""
    name = table.sheet.name
    for m in report.mistakes:
        m.where, m.message = transpose.address(m.where), transpose.sentence(m.message)
        m.formula, m.fix = transpose.formula(m.formula, name), transpose.formula(m.fix, name)
    report.problems = [transpose.sentence(p) for p in report.problems]
    report.notes = [transpose.sentence(n) for n in report.notes]
    table.read_as = [dict(x, cells=transpose.address(x["cells"]), how=transpose.sentence(x["how"]))
                     for x in table.read_as]  # fmt: skip
    for p in table.params.values():
        p.source = transpose.sentence(p.source)


def _release(book: Book, judged: list) -> None:
    """Once a file is judged, keep of its cells only what a report still reads (each table's first
    row: the numbers it starts from, and the parameters' cells): a class of a hundred workbooks
    would otherwise all stay in memory until the last is judged."""
    keep = {(t.rows[0], c) for t in judged for c in t.columns.values()}
    keep |= {p.cell for t in judged for p in t.params.values() if p.cell is not None}
    for sheet in book.sheets:
        if isinstance(sheet.cells, Cells):
            sheet.cells = sheet.cells.only(keep)
        else:
            sheet.cells = {at: cell for at, cell in sheet.cells.items() if at in keep}
        sheet.reads = None


def _charted(table: tables.Table, book: Book) -> bool:
    """Whether a native chart plots the table's E_total column (any chart, on any sheet)."""
    col = table.columns.get(names.E_TOTAL)
    if col is None:
        return False
    first, last = table.rows[0], table.rows[-1]
    for ref in book.charts:
        (r0, c0), (r1, c1) = (ref.row, ref.col), (ref.end or (ref.row, ref.col))[:2]  # corners: $A:$XFD is huge
        if table.transposed:  # a row of the sheet is a column of the view the table was read in
            (r0, c0), (r1, c1) = (c0, r0), (c1, r1)
        sheet = ref.sheet if ref.sheet is not None else table.sheet.name
        if sheet == table.sheet.name and c0 == c1 == col and min(r0, r1) <= last and max(r0, r1) >= first:
            return True
    return False


def _recognised(book: Book) -> str:
    """What a sheet without a table does hold: a header row that is no table's and why, or else the
    names that were recognised, sheet by sheet."""
    headers: dict[str, list[str]] = {}  # why -> the sheets it is said of: six tabs of one layout, said once
    for sheet in book.sheets:
        for why in tables.no_table(sheet):
            headers.setdefault(why, []).append(repr(sheet.name))
    if headers:
        return "; ".join(f"{', '.join(tabs)} {why}" for why, tabs in headers.items())
    parts = []
    for sheet in book.sheets:
        seen = sorted({q for _, (_, v) in sheet.scan() if (q := spelling.quantity(v))}, key=_order)
        if seen:
            parts.append(f"{sheet.name!r}: {', '.join(seen[:12])}{' …' if len(seen) > 12 else ''}")
    if not parts:
        return "no sheet names any quantity of the network (i1, w1, h1, a_h1, E_total, ∂E_total/∂w1 …)"
    return (
        f"no header row names {tables.MIN_QUANTITIES} or more quantities with E_total, a weight and a gradient; "
        f"recognised: {'; '.join(parts)}"
    )


def _order(q: str):
    return (len(q), q)


# -- the report ---------------------------------------------------------------------------------------
COURSE = "2-2-2 sigmoid net, no biases"  # the seeds' network, said by Spec.network


def text(result) -> list[str]:
    """What a person reads, of a workbook (FileResult) or a write-up (writeup.Result) alike."""
    return result.lines()


def _lines(result: FileResult) -> list[str]:
    """A workbook's report: a verdict line, then per table what was found and each wrong quantity."""
    head = {"right": "RIGHT", "wrong": "WRONG", "no table": "NO TABLE", "unreadable": "UNREADABLE",
            "not checked": "NOT CHECKED"}[result.verdict]  # fmt: skip
    if result.verdict in ("unreadable", "no table", "not checked"):
        return [f"{result.path}: {head}: {result.reason}"]
    # with several engines each table is judged once per engine: count the places, not the verdicts
    wrong = len({(t.table.sheet.name, m.quantity, m.where) for t in result.tables for m in t.report.mistakes})
    place = lambda t: (t.table.sheet.name, t.table.header_row, t.table.columns.get(names.E_TOTAL))  # noqa: E731
    found = len({place(t) for t in result.tables})
    unjudged = len({place(t) for t in result.tables if t.report.problems and not t.report.cells})
    engines = len({t.engine for t in result.tables})
    problems = sum(len(t.report.problems) for t in result.tables)
    # columns of a table read by its formulas that nothing identified: not judged, so not "every formula"
    unread = len({(t.table.sheet.name, c) for t in result.tables for c, _ in t.table.unidentified})
    right = f"every identified formula right ({unread} column{'s' if unread != 1 else ''} not identified)" if unread \
        else "every formula right"  # fmt: skip
    summary = f"{wrong} wrong quantit{'y' if wrong == 1 else 'ies'}" if wrong else right
    if unjudged:  # a table that could not be judged is no table of right formulas
        summary = (summary + f" in {found} table(s), " if wrong else "") + f"{unjudged} of {found} table(s) not judged"
    elif problems and not wrong:  # what kept some cells from being judged: not "every formula right"
        summary = f"{problems} problem{'s' if problems != 1 else ''}, no formula found wrong in {found} table(s)"
    else:
        summary += f" in {found} table(s)"
    etas = sorted({t.table.eta.value for t in result.tables if t.table.eta and t.table.eta.value is not None})
    missing = result.missing_learning_rates
    shape = f"η {', '.join(f'{e:g}' for e in etas) or 'unknown'}" + (
        f"; missing {', '.join(f'{e:g}' for e in missing)}" if missing else "; all six learning rates"
    )
    out = [f"{result.path}: {head}: {summary} ({shape})"]
    if result.values != "cached":
        out.append(f"  values {result.values}")
    shown = shown_net = None
    said = ([], "", "")  # the last mistakes said in full (quantity, diagnosis, formula without rows), and where
    for t in result.tables:
        table, report = t.table, t.report
        eta = table.eta
        where = f"η = {eta.value:g} ({eta.source})" if eta and eta.value is not None else "η not found"
        live = "" if report.live else "; NOT LIVE (pasted values, no formulas)"
        by = f" [{t.engine}'s values]" if engines > 1 else ""
        span = f"rows {table.rows[0] + 1}-{table.rows[-1] + 1}"
        if table.transposed:
            span = f"columns {excel.col_name(table.rows[0])}-{excel.col_name(table.rows[-1])} (one iteration a column)"
        out.append(
            f"  {table.sheet.name!r} {span}{by}: {len(table.rows)} iterations, "
            f"{where}; chart of E_total: {'yes' if t.chart else 'no'}{_elsewhere(t)}{live}"
        )
        cols = ", ".join(f"{q} {c + 1 if table.transposed else excel.col_name(c)}" for q, c in table.columns.items())
        cols = ("rows: " if table.transposed else "") + cols
        if cols != shown:  # said once for tables laid out alike
            out.append(f"    {cols}" if cols.startswith("rows: ") else f"    columns: {cols}")
            shown = cols
        if tables.inferred(table):  # read from what its formulas compute: said, with why
            said = [x for x in table.read_as if x["quantity"] is not None and (table.hows or tables.told(x))]
            out += _wrapped("    read as: ", [f"{_short(x['cells'])}: {x['quantity']} — {x['how']}" for x in said])
        if table.unidentified:  # a column nothing identifies (a header naming nothing known, or none)
            said = ", ".join(f"{text!r} ({excel.col_name(c)})" if text else f"column {excel.col_name(c)}"
                             for c, text in table.unidentified)  # fmt: skip
            out.append(f"    not identified, not judged: {said}")
        if report.network not in ("", COURSE, shown_net):  # judged as another network than the course's
            out.append(f"    network: {report.network}")
            shown_net = report.network
        alike = [(m.quantity, _rowless(m.message), _rowless(m.formula or "")) for m in report.mistakes]
        full = report.mistakes
        if alike and alike == said[0]:  # six tabs of one copied mistake: said in full once, then pointed at
            earlier = said[2] if said[1] == table.sheet.name else repr(said[1])
            cells = ", ".join(f"{m.quantity} at {m.where}" for m in report.mistakes)
            out.append(f"    the same mistake{'s' if len(alike) > 1 else ''} as {earlier}: {cells}")
            full = []
        elif alike:
            span = (f"columns {excel.col_name(table.rows[0])}-{excel.col_name(table.rows[-1])}" if table.transposed
                    else f"rows {table.rows[0] + 1}-{table.rows[-1] + 1}")  # fmt: skip
            said = (alike, table.sheet.name, span)
        for m in full:
            out += _said(m, "column" if table.transposed else "row")  # a sideways table's iterations are columns
        out += [f"    {p}" for p in report.notes + report.problems]
    out += [f"  warning: {w}" for w in dict.fromkeys(result.warnings)]
    return out


def _short(cells: str) -> str:
    """A column's cells said by its letter (the rows are said on the line above): E4:E15 is E."""
    m = re.fullmatch(r"([A-Z]+)\d+:([A-Z]+)\d+", cells)
    return m[1] if m and m[1] == m[2] else cells


def _wrapped(head: str, parts: list[str], width: int = 110) -> list[str]:
    """`head` then the parts joined by "; ", in lines of about `width` characters, the rest indented."""
    lines, line = [], head
    for part in parts:
        if line.strip() and len(line) + len(part) > width and line != head:
            lines.append(line.rstrip("; ").rstrip() + ";")
            line = " " * len(head)
        line += part + "; "
    lines.append(line.rstrip("; ").rstrip())
    return lines


def _said(m: Finding, each: str = "row") -> list[str]:
    """A workbook's Finding in full: where and why, the formula as written with its values, the fix."""
    out = [f"    {m.quantity} at {m.where} ({m.rows} {each}{'s' if m.rows != 1 else ''} wrong): {m.message}"]
    if m.formula:
        values = f"expected {_num(m.expected)}, got {_num(m.got)}" if m.expected is not None else f"got {m.got}"
        out.append(f"        {m.formula}   {values}")
    if m.fix:
        out.append(f"        fix: {m.fix}")
    return out


def _rowless(text: str) -> str:
    """A diagnosis or formula with its cells' rows taken out: J5 and J32 are one column's cell."""
    return re.sub(r"\b(\$?[A-Z]{1,3}\$?)\d+\b", r"\1", text)


def _elsewhere(t: TableResult) -> str:
    return f" (a chart plots {', '.join(t.other_charts)} …, not the table's E_total column)" if t.other_charts else ""


def _num(x) -> str:
    if isinstance(x, float):
        return "#NUM!" if x != x else f"{x:.10g}"
    return str(x)

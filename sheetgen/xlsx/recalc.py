"""Stage 6a: have a spreadsheet program compute every formula afresh, trusting nothing cached.

Two engines, independent of each other and of the reference: LibreOffice and Gnumeric. Each gets
the same stripped copy and hands back its values as one CSV per sheet. CSV holds values only, so
the reader takes which cells are formulas from the stripped copy, never from the engine.

Two independent guards, because either alone can be defeated:
  1. the copy an engine opens has every cached formula result removed;
  2. recalculation is forced: for LibreOffice a throwaway profile sets OOXMLRecalcMode = 0
     ("always recalculate"; by default it shows the results cached in an .xlsx instead of
     computing them), for Gnumeric `ssconvert --recalc`.

LibreOffice: writing CSV takes it half the time that writing .xlsx does (24 s against 47 s for
1.7 million formulas); its numbers are 15 significant digits (see NUMBER_FORMAT).
Gnumeric computes in extended precision (80-bit long double) and writes its "raw" values with 20
significant digits, rounded to the nearest double when read. ssconvert converts one file per
process: the files run side by side, one process per core.
"""

import os
import re
import shutil
import signal
import subprocess
import time
import zipfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from sheetgen.errors import RecalcError, RecalcTimeout, WorkbookError
from sheetgen.xlsx.reader import ZIP_ERRORS

# The throwaway profile: always recalculate, and an en-US locale, so CSV numbers use "." whatever
# the machine's LANG says (with de_DE they would come back as "0,05").
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop>\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N">\
<prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>en-US</value></prop></item>
</oor:items>
"""
# CSV filter options: comma, double quote, UTF-8 (76), from line 1, default cell formats, en-US,
# quote every text cell (so text and numbers stay apart), -, values "as shown", no formulas,
# keep spaces, every sheet (-1) into a file of its own, named <stem>-<sheet>.csv.
CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,true,true,true,false,false,-1"
# "As shown" with this one number format gives 15 significant digits at every magnitude, as many as
# LibreOffice writes into an .xlsx. (Its unformatted CSV keeps only 20 decimals: 7 digits at 1e-14.)
NUMBER_FORMAT = "0.00000000000000E+00"
NUMBER_FORMAT_ID = 300  # beyond Excel's built-in ids (< 164) and the few a workbook defines

# a formula element (with text, or empty) followed by its cached value
# ssconvert's CSV: every sheet, values unformatted ("raw": Gnumeric's full precision), "." for the
# decimal point whatever the machine's locale; text quoted when it holds a comma, quote, line break
# or space. The xlsx importer is named, or a damaged file would be read as text and "succeed".
GNUMERIC_CSV = "separator=, format=raw locale=C charset=UTF-8 eol=unix quoting-mode=auto"
GNUMERIC_IMPORTER = "Gnumeric_Excel:xlsx"


@dataclass(frozen=True)
class Engine:
    name: str  # as --engine says it
    title: str  # as reports say it
    # computes beyond a double's range (Gnumeric's long double reaches 1e4932): where a double
    # overflows into #NUM!, as in Excel and LibreOffice, it may still hold a number
    extended: bool


ENGINES = {
    "libreoffice": Engine("libreoffice", "LibreOffice", extended=False),
    "gnumeric": Engine("gnumeric", "Gnumeric", extended=True),
}
CHOICES = (*ENGINES, "all")  # --engine


def engines(choice: str) -> list[Engine]:
    """The engines an --engine choice stands for: one, or all of them."""
    return list(ENGINES.values()) if choice == "all" else [ENGINES[choice]]


_CACHED = re.compile(rb"(<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)<v>[^<]*</v>")
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


@dataclass(frozen=True)
class Recalculated:
    """A workbook as an engine recalculated it: the stripped copy it computed (which cells are
    formulas, the constants) and the values it computed, one CSV per sheet."""

    stripped: Path
    folder: Path
    engine: Engine = ENGINES["libreoffice"]
    prefix: str = ""  # of the CSV files' names; the stripped copy's stem if empty

    def values(self, sheet: str) -> Path:
        """The engine's values for one sheet."""
        return self.folder / f"{self.prefix or self.stripped.stem}-{sheet}.csv"


def ssconvert() -> str:
    found = os.environ.get("SHEETGEN_SSCONVERT") or shutil.which("ssconvert")
    if not found:
        raise RecalcError("Gnumeric (ssconvert) not found: install gnumeric, or set SHEETGEN_SSCONVERT")
    return found


def soffice() -> str:
    given = os.environ.get("SHEETGEN_SOFFICE")
    if given:  # the user's own choice (a path, or a command on PATH): say so when it is not a program
        found = shutil.which(given)
        if not found:
            raise RecalcError(f"SHEETGEN_SOFFICE={given}: not an executable file (unset it, or give soffice's path)")
        return found
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise RecalcError("LibreOffice (soffice) not found: install libreoffice-calc-nogui, or set SHEETGEN_SOFFICE")
    return found


def strip_cached_results(src, dst) -> int:
    """Copy an .xlsx, dropping the cached result of every formula and giving every cell the one
    number format above. Returns how many results were dropped. The copy is stored uncompressed:
    it is read once, by LibreOffice, and deflating 100 MB of XML took longer than the stripping."""
    dropped, item = 0, None
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
            for item in zin.infolist():
                data = zin.read(item)
                if _SHEET.fullmatch(item.filename):
                    data, n = _CACHED.subn(rb"\1", data)
                    dropped += n
                elif item.filename == "xl/styles.xml":
                    data = _one_number_format(data)
                zout.writestr(item.filename, data, compress_type=zipfile.ZIP_STORED)
    except OSError as e:
        raise WorkbookError(f"{src}: cannot read: {e.strerror or e}") from None
    except ZIP_ERRORS as e:  # a part no reader needed, but every part is copied for the engine
        part = f"{item.filename}: " if item is not None else ""
        raise WorkbookError(f"{src}: cannot read the workbook (a damaged zip: {part}{e})") from None
    return dropped


def _one_number_format(styles: bytes) -> bytes:
    """styles.xml with NUMBER_FORMAT defined and applied by every cell format."""
    numfmt = b'<numFmt numFmtId="%d" formatCode="%s"/>' % (NUMBER_FORMAT_ID, NUMBER_FORMAT.encode())
    if b"<numFmts" in styles:
        styles = re.sub(rb"(<numFmts\b[^>]*>)", lambda m: m[1] + numfmt, styles, count=1)
        styles = re.sub(rb"<numFmts\b[^>]*/>", b"<numFmts>" + numfmt + b"</numFmts>", styles, count=1)
    else:  # numFmts comes first in a styleSheet
        styles = re.sub(rb"(<styleSheet\b[^>]*>)", lambda m: m[1] + b"<numFmts>" + numfmt + b"</numFmts>", styles)

    def xf(m):
        attrs = re.sub(rb'\s(?:numFmtId|applyNumberFormat)="[^"]*"', b"", m[1])
        return b'<xf numFmtId="%d" applyNumberFormat="1"%s' % (NUMBER_FORMAT_ID, attrs)

    return re.sub(
        rb"<cellXfs\b.*?</cellXfs>", lambda m: re.sub(rb"<xf\b([^>]*)", xf, m[0]), styles, count=1, flags=re.S
    )


def strip(paths, workdir, failed: dict | None = None) -> list[Path]:
    """A stripped copy of each workbook (see strip_cached_results), in workdir/stripped. Copies are
    numbered so that files of the same name from different folders cannot collide; named in plain
    ASCII and ending in .xlsx whatever the original's name, so LibreOffice reads each as a workbook
    and names its CSVs predictably. `failed`, if given, gets the WorkbookError of each file (by its
    index) that cannot be copied, and that file's copy is None; otherwise the first is raised."""
    folder = Path(workdir) / "stripped"
    folder.mkdir(parents=True, exist_ok=True)
    plain = [re.sub(r"[^\w.-]", "_", Path(path).stem, flags=re.ASCII)[:100] for path in paths]
    copies = [folder / f"{n:04d}-{stem}.xlsx" for n, stem in enumerate(plain)]
    for n, (path, copy) in enumerate(zip(paths, copies)):
        try:
            strip_cached_results(path, copy)
        except WorkbookError as e:
            if failed is None:
                raise
            failed[n], copies[n] = e, None
    return copies


def recalculate(copies, workdir, timeout: float = 300, tick=None, engine: str = "libreoffice",
                failed: dict | None = None) -> list[Recalculated]:  # fmt: skip
    """Stripped copies (see strip) recalculated by one engine: every formula computed afresh, every
    sheet's values written as CSV into a folder of workdir. `tick()`, if given, is called about
    once a second while the engine works. `failed`, if given, gets why the engine failed on each
    copy (by its index) it computed nothing for, and the others go on; otherwise that is a RecalcError.
    A timeout is the whole run's: always a RecalcError."""
    if engine == "gnumeric":
        return _gnumeric(copies, Path(workdir) / "gnumeric", timeout, tick, failed)
    out = Path(workdir) / "recalculated"
    out.mkdir(parents=True, exist_ok=True)
    log = _soffice(copies, out, CSV, Path(workdir), timeout, tick)
    results = [Recalculated(Path(copy), out) for copy in copies]
    written = {p.name for p in out.iterdir()}
    for n, result in enumerate(results):  # a sheet LibreOffice left out is the reader's to report
        if not any(name.startswith(f"{result.stripped.stem}-") for name in written):
            if failed is None:
                raise RecalcError(f"LibreOffice failed on {result.stripped.name}: {_last_line(log)}")
            failed[n] = "LibreOffice could not open it"
    return results


def _gnumeric(copies, out: Path, timeout: float, tick, failed: dict | None = None) -> list[Recalculated]:
    """ssconvert --recalc over each copy, one process per file (it converts one at a time), as many
    at once as there are cores. Files are numbered, so no name of the user's reaches ssconvert's
    output pattern (where % is special). Left alone, ssconvert writes each sheet from its first
    row and column with content (or a chart), not from A1: --export-range says where to start,
    and how far to go."""
    out.mkdir(parents=True, exist_ok=True)
    program = ssconvert()
    results = [Recalculated(Path(c), out, ENGINES["gnumeric"], f"{n:04d}") for n, c in enumerate(copies)]
    env = os.environ | {"LC_ALL": "C.UTF-8"}  # the export's locale=C says it too: "." for the decimal point
    waiting, running = deque(results), {}
    deadline, ticked = time.monotonic() + timeout, time.monotonic()
    try:
        while waiting or running:
            while waiting and len(running) < (os.cpu_count() or 1):
                r = waiting.popleft()
                cmd = [program, "-I", GNUMERIC_IMPORTER, "--recalc", f"--export-range=A1:{_extent(r.stripped)}",
                       "-S", "-T", "Gnumeric_stf:stf_assistant", "-O", GNUMERIC_CSV,
                       str(r.stripped), str(out / f"{r.prefix}-%s.csv")]  # fmt: skip
                with open(out / f"{r.prefix}.log", "wb") as log:  # a file: a pipe left unread could fill
                    running[r] = subprocess.Popen(cmd, stdout=log, stderr=log, env=env, start_new_session=True)
            for r, proc in list(running.items()):
                if proc.poll() is None:
                    continue
                del running[r]
                if proc.returncode or not any(out.glob(f"{r.prefix}-*.csv")):
                    if failed is None:
                        raise RecalcError(f"Gnumeric failed on {r.stripped.name}: {_gnumeric_reason(out, r, proc)}")
                    failed[results.index(r)] = f"Gnumeric could not open it: {_gnumeric_reason(out, r, proc)}"
            now = time.monotonic()
            if now >= deadline:
                raise RecalcTimeout(f"Gnumeric did not finish within {timeout:g} s")
            if tick and now - ticked >= 1:
                tick()
                ticked = now
            time.sleep(0.02)
    finally:
        for proc in running.values():  # a timeout or a failure: take the others down too
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return results


def _extent(path) -> str:
    """The last column and row holding a cell, on any sheet of a workbook: `AD10017`."""
    last_row, last_col = 1, b"A"
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if _SHEET.fullmatch(name):
                data = z.read(name)
                rows = re.findall(rb'<row r="(\d+)"', data)
                last_row = max([last_row, *map(int, rows)])
                last_col = max({last_col, *re.findall(rb'<c r="([A-Z]{1,3})', data)}, key=lambda c: (len(c), c))
    return f"{last_col.decode()}{last_row}"


def _gnumeric_reason(out: Path, r: Recalculated, proc) -> str:
    # it also warns of what it does not render (comments: "Unhandled object of type Note")
    log = (out / f"{r.prefix}.log").read_text(errors="replace").splitlines()
    lines = [line for line in log if line.strip() and "Unhandled object" not in line]
    return lines[-1] if lines else f"exit status {proc.returncode}"


def convert(paths, out: Path, timeout: float = 300) -> None:
    """.xls, .ods (anything LibreOffice opens) to .xlsx in `out`, recalculated on load, in one run.
    Each becomes out/NNNN-<stem>.xlsx, numbered in the order given (same names cannot collide)."""
    inputs = Path(out) / "in"
    inputs.mkdir(parents=True, exist_ok=True)
    copies = []
    for n, path in enumerate(paths):
        copy = inputs / f"{n:04d}-{Path(path).name}"
        shutil.copyfile(path, copy)
        copies.append(copy)
    _soffice(copies, Path(out), "xlsx", Path(out), timeout)


def to_pdf(paths, workdir, timeout: float = 300) -> list[Path]:
    """The workbooks as LibreOffice prints them (recalculated as well), one PDF each."""
    out = Path(workdir) / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    log = _soffice(paths, out, "pdf", Path(workdir), timeout)
    results = [out / Path(p).with_suffix(".pdf").name for p in paths]
    if missing := [str(p) for p, r in zip(paths, results) if not r.is_file()]:
        raise RecalcError(f"LibreOffice failed on {', '.join(missing)}: {_last_line(log)}")
    return results


def _soffice(inputs, out: Path, target: str, workdir: Path, timeout: float, tick=None) -> str:
    """One headless LibreOffice run converting `inputs` into `out`, with a throwaway profile;
    returns its log. (It exits 0 even when a file would not load: callers check for their files.)"""
    profile = workdir / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    cmd = [
        soffice(),
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        target,
        "--outdir",
        str(out),
        *map(str, inputs),
    ]
    deadline = time.monotonic() + timeout
    # its own process group, so a timeout can take soffice.bin down with the wrapper script
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:  # not a program after all (a script without its interpreter, a wrong architecture)
        raise RecalcError(f"cannot run LibreOffice ({cmd[0]}): {e.strerror or e}") from None
    try:
        while True:
            try:
                log, _ = proc.communicate(timeout=max(0.0, min(1.0, deadline - time.monotonic())))
                break
            except subprocess.TimeoutExpired:  # retrying communicate() loses no output
                if time.monotonic() >= deadline:
                    raise RecalcTimeout(f"LibreOffice did not finish within {timeout:g} s") from None
                if tick:
                    tick()
    except BaseException:
        # a timeout, or Ctrl-C (which reaches only our process group, not soffice's): take it down
        # rather than leave it running, orphaned, on a folder about to be removed
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    log = log.decode(errors="replace")
    if proc.returncode:
        raise RecalcError(f"LibreOffice failed (exit status {proc.returncode}): {_last_line(log)}")
    return log


def _last_line(log: str) -> str:
    return (log.strip().splitlines() or ["no output"])[-1]

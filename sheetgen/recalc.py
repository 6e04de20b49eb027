"""Stage 6a: have LibreOffice compute every formula afresh, trusting nothing cached.

Two independent guards, because either alone can be defeated:
  1. the copy LibreOffice opens has every cached formula result removed;
  2. a throwaway profile sets OOXMLRecalcMode = 0 ("always recalculate"); by default
     LibreOffice shows the results cached in an .xlsx instead of computing them.
"""

import os
import re
import shutil
import signal
import subprocess
import zipfile
from pathlib import Path

from .errors import RecalcError, WorkbookError

ALWAYS_RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
# a formula element (with text, or empty) followed by its cached value
_CACHED = re.compile(rb"(<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)<v>[^<]*</v>")
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


def soffice() -> str:
    found = os.environ.get("SHEETGEN_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise RecalcError("LibreOffice (soffice) not found: install libreoffice-calc-nogui, or set SHEETGEN_SOFFICE")
    return found


def strip_cached_results(src, dst) -> int:
    """Copy an .xlsx, dropping the cached result of every formula. Returns how many were dropped."""
    dropped = 0
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item)
                if _SHEET.fullmatch(item.filename):
                    data, n = _CACHED.subn(rb"\1", data)
                    dropped += n
                zout.writestr(item, data)
    except (zipfile.BadZipFile, OSError) as e:
        raise WorkbookError(f"{src}: not a readable .xlsx file ({e})") from None
    return dropped


def recalculate(paths, workdir, timeout: float = 300) -> list[Path]:
    """Strip and recalculate each workbook in one LibreOffice run; returns the recalculated copies.

    Copies are numbered so that files of the same name from different folders cannot collide.
    """
    workdir = Path(workdir)
    stripped, out = workdir / "stripped", workdir / "recalculated"
    stripped.mkdir(parents=True, exist_ok=True)
    out.mkdir(exist_ok=True)
    inputs = []
    for n, path in enumerate(paths):
        copy = stripped / f"{n:04d}-{Path(path).name}"
        strip_cached_results(path, copy)
        inputs.append(copy)
    return _soffice(paths, inputs, out, "xlsx:Calc MS Excel 2007 XML", workdir, timeout)


def to_pdf(paths, workdir, timeout: float = 300) -> list[Path]:
    """The workbooks as LibreOffice prints them (recalculated as well), one PDF each."""
    out = Path(workdir) / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    return _soffice(paths, [Path(p) for p in paths], out, "pdf", Path(workdir), timeout)


def _soffice(paths, inputs, out: Path, target: str, workdir: Path, timeout: float) -> list[Path]:
    """One headless LibreOffice run converting `inputs` (made from `paths`) into `out`, with a
    throwaway profile; returns the converted files, in order."""
    profile = workdir / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(ALWAYS_RECALC, encoding="utf-8")
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
    # its own process group, so a timeout can take soffice.bin down with the wrapper script
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        log, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise RecalcError(f"LibreOffice did not finish within {timeout:g} s") from None
    suffix = "." + target.split(":")[0]
    results = [out / p.with_suffix(suffix).name for p in inputs]
    missing = [str(p) for p, r in zip(paths, results) if not r.is_file()]
    if proc.returncode or missing:
        tail = log.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise RecalcError(f"LibreOffice failed on {', '.join(missing) or 'its input'}: {tail[0]}")
    return results

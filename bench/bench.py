"""make bench: sheetgen build against xlsxwriter's own floor, in the same run.

For each size: (a) `sheetgen build` as a whole process; (b) a baseline process that writes the
very same formula strings and cached values with bare xlsxwriter in constant_memory mode,
extracted from (a)'s workbook beforehand (not timed). Medians over several runs of wall time,
formula cells per second, the ratio a/b (of wall and of CPU time: the machine is shared, and CPU
time is the steadier of the two) and each process's peak RSS. Runs of (a) and (b) alternate. Then
`sheetgen verify` of (a)'s workbook, as many times. The tables go to stdout and, with --readme,
between the bench markers in README.md.
"""

import argparse
import marshal
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = [("default (100 iterations × 6 η)", None), ("1,000 iterations × 6 η", 1000), ("10,000 iterations × 6 η", 10000)]
CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
FORMULA = re.compile(rb"<f>(.*?)</f>(?:<v>(.*?)</v>)?", re.S)
VALUE = re.compile(rb"<v>(.*?)</v>")

BASELINE = r"""
import marshal, sys, xlsxwriter
sheets = marshal.load(open(sys.argv[1], "rb"))
wb = xlsxwriter.Workbook(sys.argv[2], {"constant_memory": True})
for name, rows in sheets:
    ws = wb.add_worksheet(name)
    for r, cells in rows:
        for c, formula, value in cells:
            if formula is None:
                ws.write(r, c, value)
            else:
                ws.write_formula(r, c, formula, None, value)
wb.close()
"""


def col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def extract(xlsx: Path, dump: Path) -> int:
    """Every cell of every tab, in row order: (col, formula or None, value). Returns formula count."""
    sheets, formulas = [], 0
    with zipfile.ZipFile(xlsx) as z:
        names = re.findall(rb'<sheet name="([^"]+)"', z.read("xl/workbook.xml"))
        for n, name in enumerate(names, 1):
            rows: dict[int, list] = {}
            for m in CELL.finditer(z.read(f"xl/worksheets/sheet{n}.xml")):
                col, row, body = col_index(m[1]), int(m[2]) - 1, m[3] or b""
                if f := FORMULA.search(body):
                    formulas += 1
                    cached = f[2].decode() if f[2] is not None else 0
                    rows.setdefault(row, []).append((col, "=" + f[1].decode(), _number(cached)))
                elif v := VALUE.search(body):
                    rows.setdefault(row, []).append((col, None, _number(v[1].decode())))
                elif t := re.search(rb"<t[^>]*>(.*?)</t>", body, re.S):
                    rows.setdefault(row, []).append((col, None, t[1].decode()))
            sheets.append((name.decode(), sorted(rows.items())))
    dump.write_bytes(marshal.dumps(sheets))
    return formulas


def _number(text):
    try:
        return float(text)
    except ValueError:
        return text  # "#NUM!"


def timed(cmd) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"bench: {cmd[:3]} failed: {proc.stderr.read().decode()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    p.add_argument("--max-iterations", type=int, default=10000, help="skip larger sizes")
    p.add_argument("--readme", action="store_true", help="write the table into README.md")
    p.add_argument("--extract", nargs=2, metavar=("XLSX", "DUMP"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.extract:
        print(extract(Path(args.extract[0]), Path(args.extract[1])))
        return 0
    sheetgen = [sys.executable, "-m", "sheetgen", "build", "--quiet"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for label, iterations in SIZES:
            if iterations and iterations > args.max_iterations:
                continue
            ours, floor = tmp / "ours.xlsx", tmp / "floor.xlsx"
            cmd = sheetgen + ["-o", str(ours)] + (["--iterations", str(iterations)] if iterations else [])
            timed(cmd)  # once to have the cells to extract (and warm the file cache)
            # extracted in a child: were this process to grow, every child forked from it would
            # count the inherited pages in its peak RSS
            done = subprocess.run(
                [sys.executable, __file__, "--extract", str(ours), str(tmp / "cells.marshal")],
                capture_output=True,
                text=True,
                check=True,
            )
            cells = int(done.stdout)
            baseline = [sys.executable, "-c", BASELINE, str(tmp / "cells.marshal"), str(floor)]
            a, b = [], []
            for _ in range(args.runs):  # interleaved, so that drift in the machine hits both alike
                a.append(timed(cmd))
                b.append(timed(baseline))
            v = [timed([sys.executable, "-m", "sheetgen", "verify", "--quiet", str(ours)]) for _ in range(args.runs)]
            med = [[statistics.median(m[k] for m in runs) for k in range(3)] for runs in (a, b, v)]
            rows.append((label, cells, *med[0], *med[1], ours.stat().st_size, med[2][0], med[2][2]))
            print(
                f"{label}: {cells:,} formula cells, sheetgen {med[0][0]:.2f} s, bare {med[1][0]:.2f} s, "
                f"verify {med[2][0]:.1f} s",
                flush=True,
            )
    table = render(rows, args.runs)
    print(table)
    if args.readme:
        readme = ROOT / "README.md"
        text = readme.read_text(encoding="utf-8")
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        before, rest = text.split(start)
        _, after = rest.split(end)
        readme.write_text(f"{before}{start}\n{table}{end}{after}", encoding="utf-8")
    return 0


def render(rows, runs) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    out = [
        f"Measured by `make bench` on {machine}; medians of {runs} runs, each a separate process.",
        "",
        "| workbook | formula cells | sheetgen build | bare xlsxwriter | ratio (wall) | ratio (CPU) "
        "| cells/s ours | cells/s bare | peak RSS ours | peak RSS bare | file |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, cells, wa, ca, ra, wb, cb, rb, size, *_ in rows:
        out.append(
            f"| {label} | {cells:,} | {wa:.2f} s | {wb:.2f} s | {wa / wb:.3f} | {ca / cb:.3f} | {cells / wa:,.0f} "
            f"| {cells / wb:,.0f} | {ra:.0f} MB | {rb:.0f} MB | {size / 1e6:.1f} MB |"
        )
    out += [
        "",
        "| workbook | `sheetgen verify` | formula cells/s | peak RSS (its largest process: LibreOffice) |",
        "|---|---:|---:|---:|",
    ]
    for label, cells, *_, verify_wall, verify_rss in rows:
        out.append(f"| {label} | {verify_wall:.1f} s | {cells / verify_wall:,.0f} | {verify_rss:.0f} MB |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())

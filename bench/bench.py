"""make bench: sheetgen build against bare xlsxwriter writing the same cells, in the same run.

For each size: (a) `sheetgen build` as a whole process; (b) a baseline process that writes the
very same formula strings and cached values with bare xlsxwriter's public API (write_formula) in
constant_memory mode, extracted from (a)'s workbook beforehand (not timed). Medians over several
runs of wall time, formula cells per second, the ratio a/b (of wall and of CPU time: the machine is
shared, and CPU time is the steadier of the two) and each process's peak RSS. Runs of (a) and (b)
alternate. Once per size, (a) is also built with every formula through xlsxwriter's own
write_formula (workbook.FAST_PATH off) and the two files are compared byte for byte. Then each
command in READERS (`sheetgen verify`) on (a)'s workbook, as many times. The tables go to stdout
and, with --docs, between the bench markers in docs/performance.md.
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
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "performance.md"  # where --docs writes the tables
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

# sheetgen build with its table's fast path off: every formula through xlsxwriter's write_formula
OWN_PATH = r"""
import sys
from sheetgen import cli
from sheetgen.build import workbook
workbook.FAST_PATH = False
sys.exit(cli.main(sys.argv[1:]))
"""

# commands that read a built workbook, timed on each size's: the name in the tables -> the arguments
# after `sheetgen` (the workbook's path follows). A command added here gets its own table.
READERS = {"verify": ["verify", "--quiet"], "check": ["check", "--quiet"]}
COPIES = 16  # of each of the four hand-made layouts, right and with slips: a class of 128 workbooks


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


def timed(cmd, ok=(0,)) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one child process, which must
    exit with a status in `ok` (check says 1 when it finds mistakes, as planted ones are)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in ok:
        raise SystemExit(f"bench: {cmd[:3]} failed: {proc.stderr.read().decode()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def median(runs) -> list[float]:
    """Median wall, CPU and peak RSS over runs of timed()."""
    return [statistics.median(m[k] for m in runs) for k in range(3)]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    p.add_argument("--max-iterations", type=int, default=10000, help="skip larger sizes")
    p.add_argument("--docs", action="store_true", help="write the tables into docs/performance.md")
    p.add_argument("--extract", nargs=2, metavar=("XLSX", "DUMP"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.extract:
        print(extract(Path(args.extract[0]), Path(args.extract[1])))
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for label, iterations in SIZES:
            if iterations and iterations > args.max_iterations:
                continue
            ours, floor, own = tmp / "ours.xlsx", tmp / "floor.xlsx", tmp / "own.xlsx"
            build = ["build", "--quiet", *(["--iterations", str(iterations)] if iterations else [])]
            cmd = [sys.executable, "-m", "sheetgen", *build, "-o", str(ours)]
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
            own_time = timed([sys.executable, "-c", OWN_PATH, *build, "-o", str(own)])
            identical = own.read_bytes() == ours.read_bytes()
            reads = {
                reader: [timed([sys.executable, "-m", "sheetgen", *argv, str(ours)]) for _ in range(args.runs)]
                for reader, argv in READERS.items()
            }
            row = {"label": label, "cells": cells, "ours": median(a), "bare": median(b), "size": ours.stat().st_size}
            row |= {"identical": identical, "reads": {reader: median(runs) for reader, runs in reads.items()}}
            rows.append(row)
            print(
                f"{label}: {cells:,} formula cells, sheetgen {row['ours'][0]:.2f} s, bare {row['bare'][0]:.2f} s, "
                f"through write_formula {own_time[0]:.2f} s (one run), "
                f"{'byte-identical' if identical else 'FILES DIFFER'}, "
                + ", ".join(f"{reader} {t[0]:.1f} s" for reader, t in row["reads"].items()),
                flush=True,
            )
        classes = check_classes(tmp, args.runs)
    table = render(rows, args.runs) + render_classes(classes, args.runs)
    print(table)
    if args.docs:
        into_docs("bench", table)
    return 0 if all(row["identical"] for row in rows) else 1


def into_docs(marker: str, table: str) -> None:
    """Put `table` between docs/performance.md's <!-- marker:start --> and <!-- marker:end --> lines."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    text = DOCS.read_text(encoding="utf-8")
    if text.count(start) != 1 or text.count(end) != 1:
        raise SystemExit(f"bench: {DOCS} must hold {start} and {end} once each")
    before, rest = text.split(start)
    _, after = rest.split(end)
    DOCS.write_text(f"{before}{start}\n{table}{end}{after}", encoding="utf-8")


def check_classes(tmp: Path, runs: int) -> list[tuple[str, int, list[float]]]:
    """`sheetgen check` over whole classes of hand-made workbooks in one command: as saved by
    LibreOffice (cached results, judged as they are), as written by openpyxl (no results: one
    LibreOffice run recalculates them all), and the real student workbooks when they are there."""
    sys.path.insert(0, str(ROOT))
    from sheetgen.xlsx import recalc
    from tests import handmade

    written, saved, bare, bare_saved = tmp / "written", tmp / "saved", tmp / "bare", tmp / "bare-saved"
    written.mkdir()
    bare.mkdir()
    originals, unheaded = [], []
    for layout in handmade.LAYOUTS:
        for kind, slips in (("right", ()), ("slips", handmade.slips(layout))):
            path = written / f"{layout.name.replace(' ', '_')}-{kind}.xlsx"
            handmade.write(layout, path, slips)
            originals.append(path)
            # the same without a header row: found by what the formulas compute (check/structure.py)
            unheaded.append(bare / path.name)
            handmade.write(replace(layout, columns=[(q, None) for q, _ in layout.columns]), unheaded[-1], slips)
    recalc.convert(originals, saved)  # not timed
    recalc.convert(unheaded, bare_saved)
    classes = []
    for label, folder in (
        ("as saved by LibreOffice (cached results)", saved),
        ("the same with no header row, read by their formulas (cached results)", bare_saved),
        ("as written by openpyxl (no results)", written),
    ):
        files = sorted(folder.glob("*.xlsx"))
        for n in range(1, COPIES):
            for f in files[: len(originals)]:
                (folder / f"{n:02d}-{f.name}").write_bytes(f.read_bytes())
        files = sorted(folder.glob("*.xlsx"))
        cmd = [sys.executable, "-m", "sheetgen", "check", "--quiet", "--json", *map(str, files)]
        classes.append((label, len(files), median([timed(cmd, ok=(0, 1)) for _ in range(runs)])))
    students = ROOT.parent / "shared" / "students"
    if students.is_dir():
        files = sorted(map(str, students.glob("*.xlsx")))
        cmd = [sys.executable, "-m", "sheetgen", "check", "--quiet", "--json", *files]
        classes.append(
            (
                "the real student workbooks in ../shared/students (those without cached results recalculated)",
                len(files),
                median([timed(cmd, ok=(0, 1)) for _ in range(runs)]),
            )
        )
    return classes


def render_classes(classes, runs) -> str:
    out = [
        "",
        "| a class of workbooks, one `sheetgen check` | workbooks | wall | workbooks/min | CPU | peak RSS |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, count, (wall, cpu, rss) in classes:
        out.append(f"| {label} | {count} | {wall:.1f} s | {60 * count / wall:,.0f} | {cpu:.1f} s | {rss:.0f} MB |")
    return "\n".join(out) + "\n"


def render(rows, runs) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    out = [
        f"Measured by `make bench` on {machine}; medians of {runs} runs, each a separate process.",
        "",
        "| workbook | formula cells | sheetgen build | bare xlsxwriter | ratio (wall) | ratio (CPU) "
        "| cells/s ours | cells/s bare | peak RSS ours | peak RSS bare | file | bytes as through write_formula |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        cells, (wa, ca, ra), (wb, cb, rb) = row["cells"], row["ours"], row["bare"]
        out.append(
            f"| {row['label']} | {cells:,} | {wa:.2f} s | {wb:.2f} s | {wa / wb:.3f} | {ca / cb:.3f} "
            f"| {cells / wa:,.0f} | {cells / wb:,.0f} | {ra:.0f} MB | {rb:.0f} MB | {row['size'] / 1e6:.1f} MB "
            f"| {'identical' if row['identical'] else '**differ**'} |"
        )
    for reader in READERS:
        out += [
            "",
            f"| workbook | `sheetgen {reader}` | workbooks/min | formula cells/s | peak RSS (its largest process) |",
            "|---|---:|---:|---:|---:|",
        ]
        for row in rows:
            wall, _, rss = row["reads"][reader]
            out.append(
                f"| {row['label']} | {wall:.1f} s | {60 / wall:.1f} | {row['cells'] / wall:,.0f} | {rss:.0f} MB |"
            )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())

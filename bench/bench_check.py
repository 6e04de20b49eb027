"""make bench, `sheetgen check` at the sizes it meets: default-size workbooks (6 tabs x 100 iterations,
what a key or a whole submission is), the real student workbooks in ../shared/students/ when they are
there, one 10,000 x 6 workbook, and a course's round of 1,000 submissions in one `check --class` run
(keys, keys with planted slips, hand-made layouts, smaller and larger workbooks; a tenth without
cached results, which one LibreOffice run recalculates). Each a separate process, one run each: wall
and CPU time (the process and its workers), peak RSS (its largest process: LibreOffice's, where one
runs) and sheetgen's own (the main process, which holds what is kept of every file: a round at
half its size and whole shows whether that grows with the number of files), files a minute. The
table goes to stdout and, with --docs, between the bench-check markers in docs/performance.md.
`--python` measures another checkout's sheetgen on the same files (before/after).
"""

import argparse
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench import ROOT, into_docs

STUDENTS = ROOT.parent / "shared" / "students"
# the course's class-sheet slip, planted down a column of every row: ∂E_total/∂w5 with a_h2 where a_h1 belongs
SLIP = (re.compile(r"<f>\(O(\d+)-t_1\)\*O\1\*\(1-O\1\)\*K\1</f>"), r"<f>(O\1-t_1)*O\1*(1-O\1)*M\1</f>")
NO_RESULTS = (re.compile(r"(</f>)<v>[^<]*</v>"), r"\1")


def edited(src: Path, dst: Path, *changes, sheets: str = r"\d+") -> Path:
    """A copy of a workbook with each (pattern, replacement) applied to its sheets' XML."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if re.fullmatch(rf"xl/worksheets/sheet{sheets}\.xml", item.filename):
                text = data.decode()
                for pattern, replacement in changes:
                    text = pattern.sub(replacement, text)
                data = text.encode()
            zout.writestr(item, data)
    return dst


def submissions(tmp: Path, n: int) -> tuple[Path, list[Path], list[Path]]:
    """The class folder, its keys, and n submissions (copies of a few dozen distinct files, by kind)."""
    sys.path.insert(0, str(ROOT))
    from sheetgen.xlsx import recalc
    from tests import handmade

    sheetgen = [sys.executable, "-m", "sheetgen"]
    (tmp / "roster.txt").write_text("".join(f"student{k:03d}\n" for k in range(1, 41)))
    subprocess.run(sheetgen + ["class", str(tmp / "roster.txt"), "-o", str(tmp / "class"), "--seed", "1", "-q"],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    keys = sorted((tmp / "class" / "keys").glob("*.xlsx"))
    made = tmp / "made"
    made.mkdir()
    # slips planted in 20 keys (one tab in half of them, every tab in the others), their results made
    # again by LibreOffice (not timed), so the slip is in the values too and no recalculation is needed
    slipped = [edited(k, made / f"slip-{k.name}", SLIP, NO_RESULTS, sheets="2" if i % 2 else r"[2-7]")
               for i, k in enumerate(keys[:20])]  # fmt: skip
    written = []
    for layout in handmade.LAYOUTS:
        for kind, slips in (("right", ()), ("slips", handmade.slips(layout))):
            written.append(made / f"{layout.name.replace(' ', '_')}-{kind}.xlsx")
            handmade.write(layout, written[-1], slips)
    saved = made / "saved"
    recalc.convert(slipped + written, saved)
    slipped = [saved / f"{i:04d}-{p.stem}.xlsx" for i, p in enumerate(slipped)]
    layouts = [saved / f"{i + len(slipped):04d}-{p.stem}.xlsx" for i, p in enumerate(written)]
    for iterations in (20, 500):
        out = str(made / f"i{iterations}.xlsx")
        subprocess.run(sheetgen + ["build", "-q", "--iterations", str(iterations), "-o", out], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    stripped = [edited(k, made / f"bare-{k.name}", NO_RESULTS) for k in keys[20:30]]
    kinds = [  # (distinct files, copies): 1,000 in all at n = 1,000
        (keys, 14), (slipped, 10), (layouts, 10), ([made / "i20.xlsx"], 40), ([made / "i500.xlsx"], 20),
        (stripped, 6), (written, 5),  # a tenth without cached results: 60 + 40
    ]  # fmt: skip
    out, folder = [], tmp / "submissions"
    folder.mkdir()
    names = [f for files, copies in kinds for _ in range(copies) for f in files]
    random.Random(1).shuffle(names)  # as a class's folder sorted by student name mixes them
    for f in names:
        out.append(folder / f"{len(out):04d}-{f.name}")
        shutil.copyfile(f, out[-1])
    return tmp / "class", keys, out[:: max(1, len(out) // n)][:n]  # a smaller round: every kind, fewer copies


def timed_main(cmd, ok=(0, 1)) -> tuple[float, float, float, float]:
    """timed(), and the peak RSS (MB) of the process itself apart from its workers and LibreOffice:
    its VmHWM (a high-water mark, so a poll every 0.1 s misses nothing but the last tenth)."""
    start = time.perf_counter()
    # run from / : `python -m sheetgen` from this checkout would import this checkout's sheetgen, not
    # the one --python names (every path given is absolute)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/")
    own, status, usage = 0.0, None, None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        try:
            with open(f"/proc/{proc.pid}/status") as f:
                own = max([own] + [int(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM:")])
        except OSError:  # between its exit and the wait
            pass
        time.sleep(0.1)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in ok:
        raise SystemExit(f"bench: {cmd[:3]} failed: {proc.stderr.read().decode()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, own


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--python", default=sys.executable, help="the interpreter whose sheetgen is measured")
    p.add_argument("--submissions", type=int, default=1000, metavar="N", help="the round's size (default: 1,000)")
    p.add_argument("--skip", nargs="*", default=[], choices=("keys", "students", "big", "round"),
                   help="rows to leave out")  # fmt: skip
    p.add_argument("--docs", action="store_true", help="write the table into docs/performance.md")
    args = p.parse_args(argv)
    sheetgen = [args.python, "-m", "sheetgen"]
    jobs = "--jobs" in subprocess.run(sheetgen + ["check", "--help"], capture_output=True, text=True).stdout
    rows = []

    def row(label, files, cmd, cells=""):
        wall, cpu, rss, own = timed_main(cmd)
        rows.append((label, files, wall, cpu, rss, own))
        print(f"{label}: {files} files, {wall:.1f} s, CPU {cpu:.1f} s, {rss:.0f} MB ({own:.0f} MB its own)",
              file=sys.stderr)  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        klass, keys, round_ = submissions(tmp, args.submissions)
        if "keys" not in args.skip:
            files = list(map(str, keys))
            one = ["-j", "1"] if jobs else []
            row("default-size keys (6 × 100), one process", len(files), sheetgen + ["check", "-q", *one, *files])
            if jobs:
                row(f"default-size keys (6 × 100), `-j {os.cpu_count()}` (the default)", len(files),
                    sheetgen + ["check", "-q", *files])  # fmt: skip
        if "students" not in args.skip and STUDENTS.is_dir():
            files = sorted(str(f) for f in STUDENTS.iterdir() if f.suffix in (".xlsx", ".ods"))
            row(f"the real student workbooks ({STUDENTS.relative_to(ROOT.parent)})", len(files),
                sheetgen + ["check", "-q", *files])  # fmt: skip
        if "big" not in args.skip:
            big = tmp / "big.xlsx"
            subprocess.run(sheetgen + ["build", "-q", "--iterations", "10000", "-o", str(big)], check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
            row("one 10,000 × 6 workbook (1.74 M formulas)", 1, sheetgen + ["check", "-q", str(big)])
        if "round" not in args.skip:
            for part in (round_[::2], round_):  # half the round (every kind, half the copies), then all of it
                csv = tmp / f"grades{len(part)}.csv"
                row(f"a course's round: {len(part):,} submissions, `check --class … --csv`", len(part),
                    sheetgen + ["check", "-q", "--class", str(klass), *map(str, part), "--csv", str(csv)])  # fmt: skip
                graded = csv.read_text(encoding="utf-8").splitlines()[1:]
                if sum(1 for line in graded if line and not line.startswith(",")) != len(part):
                    raise SystemExit("bench: the round's CSV does not hold a row for every submission")
    load = os.getloadavg()[0]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    table = "\n".join([
        f"Measured by `make bench` (`bench/bench_check.py`) on {machine}; one run each, a separate process "
        f"(its workers' CPU counted in), load average {load:.1f} at the end.",
        "",
        "| `sheetgen check` of | files | wall | CPU | files/min | peak RSS (its largest process) | sheetgen's own |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(f"| {label} | {files:,} | {wall:.1f} s | {cpu:.1f} s | {60 * files / wall:,.0f} | {rss:.0f} MB "
          f"| {own:.0f} MB |" for label, files, wall, cpu, rss, own in rows),
    ]) + "\n"  # fmt: skip
    print(table)
    if args.docs:
        into_docs("bench-check", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

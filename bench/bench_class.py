"""make bench, a class's round trip: `sheetgen class` for a roster of 100, then `sheetgen check
--class` of the class's 100 keys, each a separate process, one run each (a class takes minutes):
wall and CPU time, peak RSS. The table goes to stdout and, with --docs, between the bench-class
markers in docs/performance.md.
"""

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

from bench import into_docs, timed  # bench/bench.py: a child process's wall, CPU and peak RSS


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=100, metavar="N", help="the roster's size (default: 100)")
    p.add_argument("--docs", action="store_true", help="write the table into docs/performance.md")
    args = p.parse_args(argv)
    n = args.students
    sheetgen = [sys.executable, "-m", "sheetgen"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "roster.txt").write_text("".join(f"student{k:03d}\n" for k in range(1, n + 1)))
        made = timed(sheetgen + ["class", str(tmp / "roster.txt"), "-o", str(tmp / "class"), "--seed", "1", "-q"])
        keys = sorted(str(p) for p in (tmp / "class" / "keys").iterdir())
        graded = timed(sheetgen + ["check", "-q", "--class", str(tmp / "class"), *keys, "--csv", str(tmp / "g.csv")])
        rows = (tmp / "g.csv").read_text(encoding="utf-8").splitlines()[1:]
        if len(rows) != n or not all(",right," in r for r in rows):
            raise SystemExit("bench: a key was not graded right")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    table = "\n".join([
        f"Measured by `make bench` on {machine}; one run each, a separate process.",
        "",
        "| a class of the default template | wall | CPU | per student (wall) | peak RSS |",
        "|---|---:|---:|---:|---:|",
        *(f"| {what} | {wall:.1f} s | {cpu:.1f} s | {wall / n:.2f} s | {rss:.0f} MB |" for what, (wall, cpu, rss) in (
            (f"`sheetgen class`: {n} exercises and {n} keys", made),
            (f"`sheetgen check --class`: {n} submissions (the keys)", graded),
        )),
    ]) + "\n"  # fmt: skip
    print(table)
    if args.docs:
        into_docs("bench-class", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The command line: parse, call the library, turn its exceptions into one line each.

Exit status: 0 done / verified; 1 `verify` found cells that disagree; 2 bad input or setup
(unknown template, invalid value, unreadable or foreign file, LibreOffice missing or too slow).
"""

import argparse
import sys
from pathlib import Path

from . import __version__, spec, verify, workbook
from .errors import SheetgenError

EXAMPLES = {
    "build": "example: sheetgen build era --iterations 200 --lr 0.5 1.0 -o output/mine.xlsx",
    "templates": "example: sheetgen templates",
    "verify": "example: sheetgen verify output/ERA_backprop.xlsx",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # one line, not argparse's usage block: the user asked for help with --help
        self.exit(2, f"sheetgen: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="sheetgen",
        description="Build the 'backpropagation by hand' Excel workbook with live formulas, and verify it.",
        epilog="example: sheetgen build && sheetgen verify output/ERA_backprop.xlsx",
    )
    p.add_argument("--version", action="version", version=f"sheetgen {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    b = sub.add_parser("build", help="write the workbook", description="Write one tab per learning rate, "
                       "live formulas and a chart each.", epilog=EXAMPLES["build"])  # fmt: skip
    b.add_argument("template", nargs="?", default="era", help="a template name (see 'sheetgen templates') "
                   "or a path to a .toml file (default: era)")  # fmt: skip
    b.add_argument("-o", "--output", type=Path, help="the .xlsx to write (default: output/<the template's output>)")
    b.add_argument("--iterations", type=int, metavar="N", help="rows per tab (overrides the template)")
    b.add_argument("--lr", type=float, nargs="+", metavar="X", help="learning rates, one tab each (overrides)")

    sub.add_parser("templates", help="list the shipped templates", description="List the shipped templates "
                   "with a one-line description each.", epilog=EXAMPLES["templates"])  # fmt: skip

    v = sub.add_parser("verify", help="recalculate in LibreOffice and compare with the reference",
                       description="Strip cached results from a copy, recalculate it in headless LibreOffice "
                       "(recalculation forced), and compare every formula cell with the Python reference "
                       f"(relative tolerance {verify.RTOL:g}).", epilog=EXAMPLES["verify"])  # fmt: skip
    v.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="sheetgen workbooks (one LibreOffice run)")
    v.add_argument("--timeout", type=float, default=300, metavar="S", help="seconds LibreOffice may take")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except SheetgenError as e:
        print(f"sheetgen: error: {e}", file=sys.stderr)
        return 2


def _build(args) -> int:
    s = spec.load(args.template).with_overrides(args.iterations, args.lr)
    path = workbook.build(s, args.output or Path("output") / s.output)
    print(f"wrote {path}: {len(s.learning_rates)} tabs × {s.iterations} iterations")
    return 0


def _templates(args) -> int:
    for name, description in spec.list_templates():
        print(f"{name:<12} {description}")
    return 0


def _verify(args) -> int:
    ok = True
    for report in verify.verify(args.paths, args.timeout):
        ok &= report.ok
        print(f"{report.path}: {'OK' if report.ok else 'FAILED'}")
        for t in report.tabs:
            print(f"  {t.sheet}: {t.cells:,} cells, max abs dev {t.max_abs:.3g}, max rel dev {t.max_rel:.3g}"
                  + (f", {t.bad} bad" if t.bad else ""))  # fmt: skip
            for problem in t.problems:
                print(f"    {problem}")
    return 0 if ok else 1


COMMANDS = {"build": _build, "templates": _templates, "verify": _verify}


def entrypoint() -> None:
    sys.exit(main(sys.argv[1:]))

"""By hand, not in `make test`: the `formulas` Python library as a third engine, judged by verify's judge.

`formulas` (PyPI) cannot read sheet-level defined names: on a default (`--references names`)
workbook every formula that reads a parameter is #REF!. On a `--references cells` workbook it
computes every cell. It pulls numpy and scipy (about 280 MB, 40 s to install) and takes about
3 minutes for the default workbook, too heavy for the test suite; run it once by hand:

    python -m venv /tmp/fvenv && /tmp/fvenv/bin/pip install 'formulas[excel]' -e .
    sheetgen build --references cells -o /tmp/cells.xlsx
    /tmp/fvenv/bin/python bench/formulas_engine.py /tmp/cells.xlsx

The workbook is stripped of its cached results (as verify does), `formulas` computes every cell,
its values are written as one CSV per sheet, in the shape the engines hand theirs back, and
verify.compare judges them as it judges LibreOffice's and Gnumeric's.
"""

import csv
import re
import sys
import tempfile
import time
from pathlib import Path

import formulas

from sheetgen.check import verify
from sheetgen.xlsx import excel, reader, recalc


def main(book: Path) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        stripped = out / "stripped.xlsx"
        recalc.strip_cached_results(book, stripped)
        started = time.perf_counter()
        solution = formulas.ExcelModel().loads(str(stripped)).finish().calculate()
        took = time.perf_counter() - started
        sheets = [s.name for s in reader.iter_sheets(stripped)]
        by_upper = {name.upper(): name for name in sheets}  # formulas names sheets in capitals
        values: dict[str, dict] = {name: {} for name in sheets}
        errors = 0
        for key, solved in solution.items():
            m = re.fullmatch(r"'\[[^\]]*\](.*)'!([A-Z]+\d+)", key)  # single cells only, not ranges
            if not m or m[1] not in by_upper:
                continue
            ref = excel.parse_ref(m[2])
            x = solved.value[0, 0] if hasattr(solved, "value") else solved
            x = x.item() if hasattr(x, "item") else x  # numpy scalars
            if type(x).__name__ == "XlError":
                errors += 1
                x = excel.Error(str(x))
            values[by_upper[m[1]]][(ref.row, ref.col)] = x
        for name, cells in values.items():
            rows = 1 + max((r for r, _ in cells), default=0)
            cols = 1 + max((c for _, c in cells), default=0)
            with open(out / f"x-{name}.csv", "w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                for r in range(rows):
                    row = []
                    for c in range(cols):
                        x = cells.get((r, c))
                        if x is None or isinstance(x, bool):
                            row.append("" if x is None else str(x).upper())
                        elif isinstance(x, int | float):
                            row.append(repr(float(x)))  # every digit of the double
                        else:
                            row.append(str(x))
                    writer.writerow(row)
        engine = recalc.Engine("formulas", "formulas (Python)", extended=False)
        report = verify.compare(book, recalc.Recalculated(stripped, out, engine, "x"), verify.network(book))
    print(f"{book}: formulas computed {len(solution):,} cells in {took:.1f} s, {errors:,} of them error values")
    print(f"{book}: {'OK' if report.ok else 'FAILED'} ({report.engine})")
    for tab in report.tabs:
        print(f"  {tab.sheet}: {tab.cells:,} cells, max abs dev {tab.max_abs:.3g}, max rel dev {tab.max_rel:.3g}"
              + (f", {tab.bad} bad" if tab.bad else ""))  # fmt: skip
        for line in tab.lines()[:3]:
            print(f"    {line}")
    return report.ok


if __name__ == "__main__":
    sys.exit(0 if main(Path(sys.argv[1])) else 1)

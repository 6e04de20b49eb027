"""sheetgen's own recalculation (xlsx.evaluate), the web page's engine: every formula of sheetgen's own
workbook computed afresh gives the value sheetgen cached for it; cycles are #CIRC!; and `check` with
engine="sheetgen" says of a hand-made sheet without cached values what it says after LibreOffice."""

import math
from pathlib import Path

import pytest

from sheetgen import check
from sheetgen.check.run import OWN
from sheetgen.xlsx import evaluate, excel, reader
from tests import handmade
from tests.conftest import need_libreoffice


def test_every_formula_of_our_workbook_computes_to_its_cached_value(era):
    book = reader.read(era)
    cached = {(s.name, at): v for s in book.sheets for at, (f, v) in s.cells.items() if f is not None}
    for sheet in book.sheets:  # nothing cached survives: each value is computed
        sheet.cells = {at: (f, None if f is not None else v) for at, (f, v) in sheet.cells.items()}
    computed = evaluate.compute(book)
    assert computed >= 0.99 * len(cached)
    off = []
    for sheet in book.sheets:
        for at, (f, v) in sheet.cells.items():
            want = cached.get((sheet.name, at))
            if f is None or v is None:  # an array formula of the Summary's: not this evaluator's
                continue
            if excel.is_number(want) and not math.isclose(v, want, rel_tol=1e-12, abs_tol=1e-300):
                off.append((sheet.name, excel.a1(*at), v, want))
            elif not excel.is_number(want) and str(v) != str(want):
                off.append((sheet.name, excel.a1(*at), v, want))
    assert off == []


def test_a_cycle_is_circular_and_a_chain_of_thousands_of_rows_is_no_recursion(tmp_path):
    cells = {(0, 0): ("=B1+1", None), (0, 1): ("=A1*2", None), (0, 2): (None, 1.0)}
    cells |= {(r, 2): (f"=C{r}+1", None) for r in range(1, 5000)}
    book = reader.Book(tmp_path / "x.xlsx", [reader.Sheet("S", cells)], {}, [], None)
    evaluate.compute(book)
    sheet = book.sheets[0]
    assert sheet.value(0, 0).code == sheet.value(0, 1).code == "#CIRC!"
    assert sheet.value(4999, 2) == 5000.0


@pytest.mark.libreoffice
@pytest.mark.parametrize("layout", handmade.LAYOUTS, ids=lambda lay: lay.name)
def test_check_on_our_evaluator_says_what_it_says_on_libreoffices_values(layout, tmp_path, monkeypatch):
    need_libreoffice()
    monkeypatch.chdir(tmp_path)
    paths = []
    for name, slips in (("right", ()), ("slips", handmade.slips(layout))):
        paths.append(Path(f"{layout.name}-{name}.xlsx"))
        handmade.write(layout, paths[-1], slips)
    ours = check.check(paths, engine=OWN)
    theirs = check.check(paths)
    for a, b in zip(ours, theirs, strict=True):
        assert a.verdict == b.verdict
        a_lines, b_lines = check.text(a), check.text(b)
        assert a_lines[1] == b_lines[1].replace("recalculated by LibreOffice", f"computed by {evaluate.TITLE}")
        assert a_lines[:1] + a_lines[2:] == b_lines[:1] + b_lines[2:]


def test_an_ods_asks_for_the_command_line(tmp_path):
    path = tmp_path / "mine.ods"
    path.write_bytes(b"PK\x03\x04 not really")
    (result,) = check.check([path], engine=OWN)
    assert result.verdict == "unreadable"
    assert result.reason == "a .ods file needs LibreOffice: check it with the command line"

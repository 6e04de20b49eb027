"""Two engines and two ways to read a parameter.

Every variant of conftest is recalculated by LibreOffice and by Gnumeric (one run each) and judged
for each engine on its own; `--references cells` workbooks read their parameters by address.
"""

import re

import pytest

from sheetgen import cli
from sheetgen.model import reference, spec
from sheetgen.xlsx import excel, reader
from tests.conftest import CHAOTIC_SLIP, UNDERFLOW, need_gnumeric, need_libreoffice, sheet

NUM = excel.Error("#NUM!")
# the presets and the variants a verifier must pass, each engine on its own
PASSING = ["era", "eva8", "mazur", "deep", "chaotic", "whatif", "stale", "injection", "cells", "cells-leaky"]
# a planted error: the one tab it is in, the start of its line, what it says
PLANTED = {
    "broken": ("LR 0.1", "AA18: ∂E_total/∂w5 = ", "uses a_h2 (M18) where a_h1 (K18) belongs"),
    "cells-broken": ("LR 0.1", "AA18: ∂E_total/∂w5 = ", "uses a_h2 (M18) where a_h1 (K18) belongs"),
    "cells-leaky-broken": ("LR 2.0", "J18: h1 = ", "uses b2 ($B$15) where b1 ($B$14) belongs"),
    "cells-initial": ("LR 0.2", "B18: w1 = 0.2, expected 0.15", "uses w2 ($B$7) where w1 ($B$6) belongs"),
    "chaotic-broken": ("LR 1.0", f"{CHAOTIC_SLIP}: ∂E_total/∂w19 = ", "the sign is wrong"),
    "frozen": ("LR 0.1", "T30: E_total = ", "not live"),
    "typed-initial": ("LR 0.1", "B18: w1 = 0.15, expected 0.15", "not live: a number typed over a formula"),
    "vandalised": ("LR 0.1", "B19: w1 = ", "(99 rows)"),
}
ENGINES = ["LibreOffice", "Gnumeric"]


@pytest.fixture(scope="session")
def engines(reports, gnumeric_reports):
    return {"LibreOffice": reports, "Gnumeric": gnumeric_reports}


@pytest.mark.parametrize("name", PASSING)
def test_both_engines_agree_with_the_reference(engines, name):
    lo, gn = engines["LibreOffice"][name], engines["Gnumeric"][name]
    assert (lo.engine, gn.engine) == ("LibreOffice", "Gnumeric")
    assert lo.ok, [line for t in lo.tabs for line in t.lines()]
    assert gn.ok, [line for t in gn.tabs for line in t.lines()]
    # the same cells judged, every one of them, under each engine
    assert [(t.sheet, t.cells) for t in gn.tabs] == [(t.sheet, t.cells) for t in lo.tabs]
    assert sum(t.cells for t in gn.tabs) > 0


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_planted_error_fails_under_each_engine_alone(engines, engine, name):
    report = engines[engine][name]
    tab, start, says = PLANTED[name]
    bad = [t for t in report.tabs if not t.ok]
    assert not report.ok and [t.sheet for t in bad] == [tab]  # blamed where it is, and nowhere else
    first = bad[0].lines()[0]
    assert first.startswith(start) and says in first, first


def test_gnumeric_values_come_back_at_full_precision(engines):
    """Gnumeric writes 20 significant digits of its long double, read back as the nearest double:
    each cell recomputed from the cells it reads agrees to a unit in the last place of 0.5, where
    LibreOffice's 15 digits leave about 1e-15."""
    tabs = [(lo, gn) for lo, gn in zip(engines["LibreOffice"]["era"].tabs, engines["Gnumeric"]["era"].tabs)]
    for lo, gn in tabs[:6]:
        assert gn.sheet.startswith("LR ") and gn.max_abs <= 2**-53 < lo.max_abs


def test_gnumeric_computes_beyond_a_doubles_range(gnumeric_reports, gnumeric):
    """A linear net at η = 50 overflows. Excel and LibreOffice show #NUM! from where a double
    overflows; Gnumeric's long double reaches 1e4932 and goes on computing for a few rows. Those
    cells are counted, not judged; the others still are, and its Summary says its own first #NUM!."""
    report = gnumeric_reports["diverging"]
    tab = report.tabs[0]
    assert report.ok and tab.beyond > 0 and tab.errors > 0 and tab.cells > 10 * 29
    s = spec.load("era").with_overrides(activation="linear", learning_rates=[50.0], iterations=20)
    double = reference.first_error(reference.run(s, 50.0))
    _, fresh = gnumeric["diverging"]
    e_total = [row[19] for row in sheet(fresh, "LR 50.0").rows(18)]  # column T
    extended = next(n for n, x in enumerate(e_total, 1) if x == NUM)
    assert double < extended < 20 and e_total[double - 1] == float("inf")  # a number beyond 1.8e308
    assert sheet(fresh, "Summary")["F6"] == extended  # "E_total #NUM! from", as Gnumeric computes it


def test_engines_differ_where_a_square_underflows(engines, recalculated, gnumeric):
    """The known difference of ^: (1e-161)^2 is 1e-322, below a double's smallest normal number.
    Python and Gnumeric give the number; LibreOffice gives #NUM!, so verify fails it there alone."""
    lo, gn = engines["LibreOffice"]["underflow"], engines["Gnumeric"]["underflow"]
    assert gn.ok and not lo.ok
    e1 = (sheet(recalculated["underflow"][1], "LR 0.5")["R18"], sheet(gnumeric["underflow"][1], "LR 0.5")["R18"])
    want = reference.run(UNDERFLOW, 0.5)["E1"][0]
    assert 0 < want < 1e-300 and e1 == (NUM, pytest.approx(want, rel=1e-9))


@pytest.mark.libreoffice
@pytest.mark.gnumeric
def test_verify_engine_all_says_which_engine_found_what(variants, capsys):
    need_libreoffice()
    need_gnumeric()
    era, under, broken = variants["era"], variants["underflow"], variants["broken"]
    assert cli.main(["verify", "--engine", "all", str(era), str(under), str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{era}: OK (LibreOffice: OK, Gnumeric: OK)\n" in out
    assert f"{under}: FAILED (LibreOffice: FAILED, Gnumeric: OK)\n" in out
    assert f"{broken}: FAILED (LibreOffice: FAILED, Gnumeric: FAILED)\n" in out
    blamed = re.findall(r"\n  (\w+):\n(?:    .*\n)*?      AA18: ∂E_total/∂w5", out.split(f"{broken}:")[1])
    assert blamed == ["LibreOffice", "Gnumeric"]  # each engine's section names the slip
    assert cli.main(["verify", "--engine", "gnumeric", str(under)]) == 0
    assert capsys.readouterr().out.startswith(f"{under}: OK (Gnumeric: OK)\n")


def test_missing_gnumeric_is_one_clear_error(era, monkeypatch, capsys):
    monkeypatch.setenv("SHEETGEN_SSCONVERT", "")
    monkeypatch.setenv("PATH", "/nonexistent")
    assert cli.main(["verify", "--engine", "gnumeric", str(era)]) == 2
    assert capsys.readouterr().err == (
        "sheetgen: error: Gnumeric (ssconvert) not found: install gnumeric, or set SHEETGEN_SSCONVERT\n"
    )


@pytest.mark.gnumeric
def test_gnumeric_writes_each_sheet_from_a1(tmp_path):
    """Left alone, ssconvert starts a sheet's CSV at its first row and column with content: a sheet
    that starts at C4 would read two rows and columns off. Its values must land on their own cells."""
    need_gnumeric()
    import openpyxl

    from sheetgen.xlsx import recalc

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C4"], ws["D5"], ws["E6"] = 2.5, "=C4*2", "=D5+C4"
    wb.create_sheet("Empty")
    wb.save(tmp_path / "offset.xlsx")
    (fresh,) = recalc.recalculate(recalc.strip([tmp_path / "offset.xlsx"], tmp_path), tmp_path, engine="gnumeric")
    values = reader.with_values(next(reader.iter_sheets(fresh.stripped)), fresh.values(ws.title), "Gnumeric")
    assert (values["D5"], values["E6"]) == (5.0, 7.5)

"""Stage 6: LibreOffice's forced recalculation against the reference — and that it can fail."""

import csv
import math
import os
import re
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import unescape

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sheetgen import cli
from sheetgen.build import workbook
from sheetgen.build.layout import Layout
from sheetgen.check import verify
from sheetgen.errors import WorkbookError
from sheetgen.model import reference, spec
from sheetgen.xlsx import excel, recalc
from tests.conftest import CHAOTIC_SLIP, INJECTION, WHATIF_TARGETS, need_gnumeric, need_libreoffice, sheet
from tests.strategies import networks

CELLS_PER_TAB = 100 * 29  # 100 iterations × every column but Iteration
NUM = excel.Error("#NUM!")


def lr_tabs(report):
    return [t for t in report.tabs if t.sheet not in ("Summary", "Derivation")]


def test_default_workbook_agrees_with_the_reference_everywhere(reports):
    report = reports["era"]
    assert report.ok and [t.sheet for t in report.tabs][-2:] == ["Summary", "Derivation"]
    assert len(lr_tabs(report)) == 6
    for tab in lr_tabs(report):
        assert tab.cells == CELLS_PER_TAB and tab.bad == 0
        # each cell recomputed from the 15 digits LibreOffice writes of the cells it reads
        assert tab.max_abs <= 1e-14 and tab.max_rel <= 1e-11
    summary, derivation = report.tabs[-2:]
    # η, 2 losses, 2 iterations, 8 weights, the chart label
    assert summary.cells == 6 * (5 + 8 + 1) and summary.max_rel <= 1e-12
    # 8 forward + 3 losses + 10 gradients + 8 updates, each as its own equation and as the table's cell
    assert derivation.cells == 2 * 29 and derivation.max_rel <= 1e-12


def test_derivation_equations_agree_with_the_table_after_recalculation(recalculated):
    _, fresh = recalculated["era"]
    rows = {r[0]: r for r in sheet(fresh, "Derivation").rows(5) if r[0]}
    assert rows["∂E_total/∂w1"][1] == (
        "∂E_total/∂w1 = ((a_o1 − t1)·a_o1·(1 − a_o1)·w5 + (a_o2 − t2)·a_o2·(1 − a_o2)·w7)·a_h1·(1 − a_h1)·i1"
    )
    for quantity, row in rows.items():
        if isinstance(row[2], float):
            assert math.isclose(row[2], row[3], rel_tol=1e-12), quantity
    assert sum(isinstance(r[2], float) for r in rows.values()) == 29


def test_deeper_net_derivation_agrees(reports):
    report = reports["deep"]
    assert report.ok and report.tabs[-1].sheet == "Derivation" and report.tabs[-1].cells > 2 * 29


def test_summary_after_recalculation(recalculated, era_spec):
    """The Summary's live cells, read back after LibreOffice recalculated them from scratch."""
    _, fresh = recalculated["era"]
    rows = {r[0]: r for r in sheet(fresh, "Summary").rows(6, 11)}
    for eta in era_spec.learning_rates:
        row, e = rows[f"LR {eta!r}"], reference.run(era_spec, eta)["E_total"]
        assert (
            row[1] == eta and math.isclose(row[2], e[0], rel_tol=1e-12) and math.isclose(row[3], e[-1], rel_tol=1e-12)
        )
        below = next((n for n, x in enumerate(e, 1) if x < 0.01 * e[0]), "never")
        assert row[4] == below and row[5] == "no"
    assert rows["LR 0.1"][4] == "never" and isinstance(rows["LR 2.0"][4], int | float)  # both outcomes occur


def test_a_broken_formula_under_a_correct_cached_value_fails(reports):
    report = reports["broken"]
    assert not report.ok
    bad = [t for t in report.tabs if not t.ok]
    # blamed where it is: the Summary and the Derivation read LR 0.1's cells faithfully
    assert [t.sheet for t in bad] == ["LR 0.1"] and bad[0].bad == 1  # that cell alone, not what reads it
    (line,) = bad[0].lines()  # verify's one line per wrong quantity
    assert line.startswith("AA18: ∂E_total/∂w5 = ") and line.endswith("uses a_h2 (M18) where a_h1 (K18) belongs")
    assert bad[0].mistakes[0].code == "swap-reference"


def test_cached_values_are_never_read(reports, recalculated):
    # every cached result in this copy is wrong, every formula right: verify must not notice
    assert reports["stale"].ok
    stale, _ = recalculated["stale"]
    assert openpyxl.load_workbook(stale, data_only=True)["LR 0.1"]["T18"].value > 1  # the trap was set


def test_a_value_typed_over_a_formula_is_not_live(reports):
    assert not reports["frozen"].ok
    found = [(m.where, m.quantity, m.code) for t in reports["frozen"].tabs for m in t.mistakes]
    assert ("T30", "E_total", "not-live") in found, found


def test_recalculated_values_equal_the_cached_ones(recalculated):
    """A viewer that does not recalculate shows what LibreOffice computes."""
    original, fresh = recalculated["era"]
    cached = openpyxl.load_workbook(original, data_only=True)["LR 2.0"]
    computed = sheet(fresh, "LR 2.0").rows(18)
    assert len(computed) == 100
    for row_c, row_f in zip(cached.iter_rows(min_row=18, values_only=True), computed, strict=True):
        for a, b in zip(row_c[1:], row_f[1:], strict=True):
            assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)


def test_what_if_new_targets_through_the_named_cells(reports, recalculated, era_spec):
    assert reports["whatif"].ok  # verify read t_1, t_2 from the cells and agrees
    _, fresh = recalculated["whatif"]
    tabs = [s for s in verify.recalculated_book(fresh).sheets if s.name.startswith("LR ")]
    for tab, eta in zip(tabs, era_spec.learning_rates, strict=True):
        want = reference.run(replace(era_spec, targets=WHATIF_TARGETS), eta)
        before = reference.run(era_spec, eta)
        got = [row[19] for row in tab.rows(18)]  # column T, E_total
        assert all(math.isclose(g, w, rel_tol=1e-12) for g, w in zip(got, want["E_total"], strict=True))
        assert not math.isclose(got[-1], before["E_total"][-1], rel_tol=1e-3)  # it really moved


def test_presets_verify(reports):
    assert reports["eva8"].ok and [t.cells for t in lr_tabs(reports["eva8"])] == [CELLS_PER_TAB] * 6
    assert reports["mazur"].ok and [t.cells for t in lr_tabs(reports["mazur"])] == [200 * 29]


def test_networks_past_one_excel_formula_stay_within_its_limit_and_verify(recalculated, reports):
    """Excel will not open a file holding a formula over 8,192 characters. Where the chain rule written
    out (deep nets) or a forward sum naming its tab (wide ones) would be longer, the Derivation gives
    the step-by-step form or leaves the value to the table; what it writes still verifies."""
    for name in ("long_chains", "wide"):
        path, _ = recalculated[name]
        with zipfile.ZipFile(path) as z:
            sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        longest = max(len(unescape(f)) for xml in sheets for f in re.findall(r"<f>([^<]*)</f>", xml))
        assert longest <= 8192 and reports[name].ok, (name, longest)


# Matt Mazur, "A Step by Step Backpropagation Example": the error before any update and the eight
# weights after the first update, as he publishes them (8-9 places).
MAZUR_E_TOTAL = 0.298371109
MAZUR_WEIGHTS = (0.149780716, 0.19956143, 0.24975114, 0.29950229, 0.35891648, 0.408666186, 0.511301270, 0.561370121)


def test_mazur_first_step_as_published(recalculated):
    _, fresh = recalculated["mazur"]
    ws = sheet(fresh, "LR 0.5")  # mazur's only tab
    assert round(ws["T18"], 9) == MAZUR_E_TOTAL
    for got, want in zip(ws.rows(19, 19)[0][1:9], MAZUR_WEIGHTS, strict=True):
        assert abs(got - want) < 5e-9  # he rounds to 8 or 9 places
    # He then quotes E_total = 0.291027924 after the update; his own weights above give 0.291027774
    # (a slip of 1.5e-7 in the write-up). The sheet's second row must match his weights' loss.
    assert abs(ws["T19"] - reference.loss(spec.load("mazur"), MAZUR_WEIGHTS)) < 1e-8


def test_mazur_ten_thousand_steps_as_published():
    # "After repeating this process 10,000 times, for example, the error plummets to 0.0000351085"
    trace = reference.run(spec.load("mazur"), 0.5)
    assert len(trace["E_total"]) == 10_000 and round(trace["E_total"][-1], 10) == 0.0000351085


# each example is one LibreOffice run over ten workbooks: no shrinking (minutes per step); the
# assertion message carries the network and the cells that disagree instead
@pytest.mark.libreoffice
@pytest.mark.gnumeric
@settings(
    max_examples=int(os.environ.get("SHEETGEN_LO_EXAMPLES", "3")),  # 10 networks each
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(nets=st.lists(networks(max_neurons=8, max_layers=5, max_iterations=6), min_size=10, max_size=10))
def test_random_networks_recalculate_to_the_reference(nets):
    """Any network the templates allow, every other one reading its parameters by address: the
    recalculation of LibreOffice and that of Gnumeric each agree with the autograd."""
    need_libreoffice()
    need_gnumeric()
    nets = [replace(s, references="cells") if n % 2 else s for n, s in enumerate(nets)]
    with tempfile.TemporaryDirectory() as tmp:
        books = [Path(tmp) / f"net{n}.xlsx" for n in range(len(nets))]
        for s, book in zip(nets, books, strict=True):
            workbook.build(s, book)
        reports = verify.verify(books, engine="all")
        for s, lo, gn in zip(nets, reports[::2], reports[1::2], strict=True):
            assert (lo.engine, gn.engine) == ("LibreOffice", "Gnumeric")
            for report in (lo, gn):
                cells = sum(t.cells + t.beyond for t in lr_tabs(report))
                assert report.ok, (s, report.engine, [line for t in report.tabs for line in t.lines()])
                assert cells == len(s.learning_rates) * s.iterations * (len(Layout(s).columns) - 1)


def test_divergence_is_shown_where_and_as_the_reference_says(reports, recalculated):
    """A linear net at η = 50 overflows: the sheet shows #NUM! from the same row as the reference."""
    report = reports["diverging"]
    assert report.ok and report.tabs[0].errors > 0
    original, fresh = recalculated["diverging"]
    s = spec.load("era").with_overrides(activation="linear", learning_rates=[50.0], iterations=20)
    first = reference.first_error(reference.run(s, 50.0))
    assert first is not None and 2 < first < 20
    rows = sheet(fresh, "LR 50.0").rows(18)
    assert NUM not in rows[first - 2] and NUM in rows[first - 1]  # LibreOffice's own first bad row
    assert all(v == NUM for v in rows[-1][1:])  # and from there the whole row is poisoned


def test_build_warns_on_divergence(capsys, tmp_path):
    argv = ["build", "--activation", "linear", "--lr", "50", "--iterations", "20", "-o", str(tmp_path / "d.xlsx")]
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    assert re.fullmatch(r"sheetgen: warning: LR 50.0 diverges: #NUM! from iteration \d+ on\n", err)


def test_edited_formulas_are_reported_by_quantity(reports):
    tab = reports["vandalised"].tabs[0]
    assert not reports["vandalised"].ok and tab.bad == 8 * 99  # every update after the first row, all counted
    lines = tab.lines()  # one line per wrong quantity, at its first wrong cell
    assert len(lines) == 8 and lines[0].startswith("B19: w1 = ") and "(99 rows)" in lines[0]


def test_formula_looking_text_stays_text_after_recalculation(recalculated):
    _, fresh = recalculated["injection"]
    # LibreOffice's own output: had it taken the description for a formula, A1 would show "click"
    assert verify.read_csv(fresh.values("LR 0.5"))[(0, 0)] == f"η = 0.5 — {INJECTION}"
    # the title is a formula of η, and the description it shows is text in the Summary, not a formula
    assert sheet(fresh, "Summary").cells[(1, 0)] == (None, INJECTION)


def test_foreign_files_are_refused_before_libreoffice(tmp_path):
    text = tmp_path / "notes.xlsx"
    text.write_text("not a zip")
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("hello.txt", "a zip, not a workbook")
    for path in (text, other):
        with pytest.raises(WorkbookError, match="not an .xlsx workbook"):
            verify.network(path)
    with pytest.raises(WorkbookError, match="(?i)no such file"):
        verify.network(tmp_path / "missing.xlsx")


def test_verify_command_exit_codes(recalculated, capsys):
    need_libreoffice()
    era, _ = recalculated["era"]
    broken, _ = recalculated["broken"]
    assert cli.main(["verify", str(era), str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{era}: OK" in out and f"{broken}: FAILED" in out
    assert "LR 0.1: 2,900 cells, max abs dev" in out


def test_missing_libreoffice_is_one_clear_error(era, monkeypatch, capsys):
    monkeypatch.setenv("SHEETGEN_SOFFICE", "")
    monkeypatch.setenv("PATH", "/nonexistent")
    assert cli.main(["verify", str(era)]) == 2
    assert capsys.readouterr().err.startswith("sheetgen: error: LibreOffice (soffice) not found")


def test_strip_removes_every_cached_result(era, tmp_path):
    # the tables, their titles; the Summary's 13 columns and chart label per tab; the Derivation
    assert recalc.strip_cached_results(era, tmp_path / "s.xlsx") == 6 * CELLS_PER_TAB + 6 + 6 * 14 + 58


def test_csv_reader_keeps_text_and_numbers_apart(tmp_path):
    """LibreOffice quotes every text cell: quoted "5" stays text, commas and line breaks inside
    quotes stay in the field, bare #NUM! is an error's text, and empty fields are no cells."""
    path = tmp_path / "s.csv"
    path.write_text('"a, ""b""",1.5E-08,,#NUM!\n"5","two\nlines",-2\n,,\n3\n', encoding="utf-8")
    assert verify.read_csv(path) == {
        (0, 0): 'a, "b"',
        (0, 1): 1.5e-08,
        (0, 3): NUM,
        (1, 0): "5",
        (1, 1): "two\nlines",
        (1, 2): -2.0,
        (3, 0): 3.0,
    }


def test_csv_reader_agrees_with_pythons_csv_module(recalculated):
    """Our reader against the standard library's, field by field, on LibreOffice's own output."""
    _, fresh = recalculated["era"]
    checked = 0
    for name in ("Summary", "LR 0.1", "Derivation", "LR 2.0"):
        ours = verify.read_csv(fresh.values(name))
        with open(fresh.values(name), newline="", encoding="utf-8") as f:
            theirs = {(r, c): v for r, row in enumerate(csv.reader(f)) for c, v in enumerate(row) if v}
        assert ours.keys() == theirs.keys()
        for at, v in theirs.items():
            assert ours[at] == (float(v) if isinstance(ours[at], float) else v)
        checked += sum(isinstance(v, float) for v in ours.values())
    assert checked > 2 * 2900


@pytest.mark.libreoffice
def test_values_keep_15_digits_at_every_magnitude_and_any_locale(tmp_path, monkeypatch):
    """LibreOffice's plain CSV keeps 20 decimals (12 digits at 3e-8) and writes "0,05" under a German
    locale. With the throwaway profile's locale and number format, E_total at η = 2.0, down to 3e-8,
    comes back to 15 significant digits, with "." for the decimal point."""
    need_libreoffice()
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    s = spec.load("era").with_overrides(learning_rates=[2.0])
    book = tmp_path / "eta2.xlsx"
    workbook.build(s, book)
    (fresh,) = recalc.recalculate(recalc.strip([book], tmp_path), tmp_path)
    want = reference.run(s, 2.0)["E_total"]
    got = [row[19] for row in sheet(fresh, "LR 2.0").rows(18)]  # column T
    assert min(want) < 1e-7
    for g, w in zip(got, want, strict=True):
        assert abs(g - w) <= 1e-13 * w  # 15 digits, and LibreOffice's rounding of the last one


@pytest.mark.libreoffice
def test_a_workbook_saved_by_libreoffice_still_verifies(era, tmp_path):
    """A student opens the workbook in LibreOffice and saves it: shared strings, its own styles and
    number formats. verify still reads it, and still agrees."""
    need_libreoffice()
    recalc._soffice([era], tmp_path / "saved", "xlsx:Calc MS Excel 2007 XML", tmp_path, 300)
    saved = tmp_path / "saved" / era.name
    assert b"sharedStrings" in zipfile.ZipFile(saved).read("[Content_Types].xml")  # not our own writer's file
    (report,) = verify.verify([saved])
    assert report.ok and [t.cells for t in lr_tabs(report)] == [CELLS_PER_TAB] * 6


def test_a_chaotic_run_is_judged_locally_and_a_slip_in_it_still_fails(reports):
    """A deep tanh net whose trajectory LibreOffice and the reference round apart (a free-running
    comparison blamed 225 right cells); each cell judged on the cells it reads, none is blamed —
    and one gradient with its sign flipped, 33 iterations in, is found and nothing else."""
    assert reports["chaotic"].ok
    broken = reports["chaotic-broken"]
    bad = [t for t in broken.tabs if not t.ok]
    assert [t.sheet for t in bad] == ["LR 1.0"] and bad[0].bad == 1
    (mistake,) = bad[0].mistakes
    assert (mistake.where, mistake.quantity, mistake.code) == (CHAOTIC_SLIP, "∂E_total/∂w19", "sign")


def test_a_workbook_saved_by_openpyxl_still_verifies(reports, recalculated):
    """openpyxl keeps no formula results (it writes an empty <v/>): the reader takes that for a formula
    without a result, not for a missing cell, and the Derivation is judged like every tab."""
    saved, _ = recalculated["openpyxl"]
    with zipfile.ZipFile(saved) as z:
        assert re.search(rb"</f><v\s*/>", z.read("xl/worksheets/sheet2.xml"))
    report = reports["openpyxl"]
    assert report.ok and [t.cells for t in lr_tabs(report)] == [CELLS_PER_TAB] * 6
    assert report.tabs[-1].sheet == "Derivation" and report.tabs[-1].cells == 2 * 29


def test_check_reads_sheetgens_own_network(recalculated):
    """check on a sheetgen workbook judges it with the network its property records (tanh, biases),
    on the cached results sheetgen wrote — no LibreOffice needed, no false alarm."""
    from sheetgen import check

    chaotic, _ = recalculated["chaotic"]
    (result,) = check.check([chaotic])
    assert result.verdict == "right" and result.values == "cached" and result.tables[0].report.cells == 7380

"""Stage 6: LibreOffice's forced recalculation against the reference — and that it can fail."""

import math
import zipfile
from dataclasses import replace

import openpyxl
import pytest

from sheetgen import cli, recalc, reference, verify
from sheetgen.errors import WorkbookError

from .conftest import WHATIF_TARGETS, need_libreoffice

CELLS_PER_TAB = 100 * 29  # 100 iterations × every column but Iteration


def test_default_workbook_agrees_with_the_reference_everywhere(reports):
    report = reports["era"]
    assert report.ok and len(report.tabs) == 6
    for tab in report.tabs:
        assert tab.cells == CELLS_PER_TAB and tab.bad == 0
        assert tab.max_rel <= 1e-12  # well inside verify's 1e-9; LibreOffice writes 15 digits back


def test_a_broken_formula_under_a_correct_cached_value_fails(reports):
    report = reports["broken"]
    assert not report.ok
    bad = [t for t in report.tabs if not t.ok]
    assert [t.sheet for t in bad] == ["LR 0.1"] and bad[0].bad >= 1
    assert bad[0].problems[0].startswith("AA18: ∂E_total/∂w5 = ")


def test_cached_values_are_never_read(reports, recalculated):
    # every cached result in this copy is wrong, every formula right: verify must not notice
    assert reports["stale"].ok
    stale, _ = recalculated["stale"]
    assert openpyxl.load_workbook(stale, data_only=True)["LR 0.1"]["T18"].value > 1  # the trap was set


def test_a_value_typed_over_a_formula_is_not_live(reports):
    assert not reports["frozen"].ok
    assert any("T30: E_total is not a live formula" in p for t in reports["frozen"].tabs for p in t.problems)


def test_recalculated_values_equal_the_cached_ones(recalculated):
    """A viewer that does not recalculate shows what LibreOffice computes."""
    original, fresh = recalculated["era"]
    cached = openpyxl.load_workbook(original, data_only=True)["LR 2.0"]
    computed = openpyxl.load_workbook(fresh, data_only=True)["LR 2.0"]
    for row_c, row_f in zip(cached.iter_rows(min_row=18, values_only=True), computed.iter_rows(min_row=18)):
        for a, b in zip(row_c[1:], row_f[1:]):
            assert math.isclose(a, b.value, rel_tol=1e-12, abs_tol=1e-300)


def test_what_if_new_targets_through_the_named_cells(reports, recalculated, era_spec):
    assert reports["whatif"].ok  # verify read t_1, t_2 from the cells and agrees
    _, fresh = recalculated["whatif"]
    wb = openpyxl.load_workbook(fresh, data_only=True)
    for tab, eta in zip(wb.sheetnames, era_spec.learning_rates):
        want = reference.run(replace(era_spec, targets=WHATIF_TARGETS), eta)
        before = reference.run(era_spec, eta)
        got = [row[0] for row in wb[tab].iter_rows(min_row=18, min_col=20, max_col=20, values_only=True)]
        assert all(math.isclose(g, w, rel_tol=1e-12) for g, w in zip(got, want["E_total"], strict=True))
        assert not math.isclose(got[-1], before["E_total"][-1], rel_tol=1e-3)  # it really moved


def test_foreign_files_are_refused_before_libreoffice(tmp_path):
    text = tmp_path / "notes.xlsx"
    text.write_text("not a zip")
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("hello.txt", "a zip, not a workbook")
    for path in (text, other, tmp_path / "missing.xlsx"):
        with pytest.raises(WorkbookError, match="not an .xlsx workbook"):
            verify.network(path)


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
    assert recalc.strip_cached_results(era, tmp_path / "s.xlsx") == 6 * CELLS_PER_TAB

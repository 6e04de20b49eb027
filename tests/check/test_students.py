"""sheetgen check on the real student workbooks in ../shared/students (skipped where they are not).

The verdicts below were established by reading every sheet cell by cell, independently of check:
each table's columns mapped by hand, each cell recomputed from its own row's cached values with the
right rule, each diagnosis confirmed by evaluating the one-change fix on that row, and each live
table's loss column reproduced by a separate simulation with exactly those mistakes put back in.
"""

import os
from pathlib import Path

import pytest

from sheetgen import check
from sheetgen.xlsx import recalc
from tests.conftest import need_gnumeric, need_libreoffice, shared_absent

FOLDER = Path(os.environ.get("SHEETGEN_STUDENTS", Path(__file__).resolve().parents[3] / "shared" / "students"))

CLASS_SHEET = "uses a_h1 ({}) where a_h2 ({}) belongs"  # ∂E/∂w3, ∂E/∂w4 with a_h1·(1 − a_h1): swap-reference


def class_sheet(sheet, row, w3, w4, a_h1, a_h2):
    return {
        (sheet, "∂E_total/∂w3", f"{w3}{row}"): ("swap-reference", CLASS_SHEET.format(f"{a_h1}{row}", f"{a_h2}{row}")),
        (sheet, "∂E_total/∂w4", f"{w4}{row}"): ("swap-reference", CLASS_SHEET.format(f"{a_h1}{row}", f"{a_h2}{row}")),
    }


def every(sheets, mistakes):
    return {key: why for sheet in sheets for key, why in mistakes(sheet).items()}


CIRCULAR = ("circular", "reads h1 from row 31 in row 28: a circular reference")
VERDICTS = {  # file -> (verdict, tables, {(sheet, quantity, first wrong cell): (code, diagnosis begins)})
    "01_anilbhatt1.xlsx": ("right", 6, {}),
    "02_karthikmohan1702.xlsx": (
        "wrong",
        8,
        every(
            ["LR_0.1", "LR_0.2", "LR_0.5", "LR_0.8", "LR_1", "LR_2", "LR_8", "LR_20"],
            lambda s: class_sheet(s, 5, "Z", "AA", "J", "L"),
        ),
    ),  # fmt: skip
    "07_AkankshaK-AI.xlsx": ("right", 1, {}),
    "11_pranabeshdash.xlsx": ("wrong", 6, class_sheet("L.R. 0.1", 29, "Z", "AA", "J", "L")),
    "15_ojhajayant.xlsx": ("right", 6, {}),
    "17_SamdaniG.xlsx": ("right", 1, {}),
    "19_YETI-WU.xlsx": ("wrong", 1, class_sheet("Sheet1", 49, "AA", "AB", "K", "M")),
    "25_garima-mahato.xlsx": (
        "wrong",
        6,
        {(s, "a_h1", "K28"): CIRCULAR for s in ("LR=0.5", "LR=0.1", "LR=0.2", "LR=0.8", "LR=1.0", "LR=2.0")},
    ),
    "26_gupta1912.xlsx": (
        "wrong",
        2,
        class_sheet("backpropagation-1", 33, "Z", "AA", "J", "L")
        | class_sheet("Sheet2", 40, "Z", "AA", "J", "L")
        | {
            ("Sheet2", "∂E_total/∂w7", "AD40"): ("swap-reference", "uses a_o1 (R40) where a_o2 (T40) belongs"),
            ("Sheet2", "∂E_total/∂w8", "AE40"): ("swap-reference", "uses a_o1 (R40) where a_o2 (T40) belongs"),
        },
    ),
    "28_Madhur-1.xlsx": ("right", 1, {}),
    "31_Navyabhat03.xlsx": ("wrong", 1, class_sheet("Sheet1", 3, "Z", "AA", "J", "L")),
    "39_sunpau.xlsx": ("right", 1, {}),
    "42_venkyyuvy.xlsx": ("wrong", 1, class_sheet("Sheet1", 22, "Z", "AA", "J", "L")),
}


@pytest.fixture(scope="module")
def students():
    if not FOLDER.is_dir():
        pytest.skip(shared_absent(FOLDER, "the real student workbooks", "SHEETGEN_STUDENTS"))
    need_libreoffice()  # the three Google Sheets downloads are recalculated
    return {r.path.name: r for r in check.check(sorted(FOLDER.glob("*.xlsx")))}


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_each_student_workbook_gets_its_verdict(students, name):
    verdict, tables, mistakes = VERDICTS[name]
    result = students[name]
    assert result.verdict == verdict and len(result.tables) == tables, check.text(result)
    found = {(t.table.sheet.name, m.quantity, m.where): m for t in result.tables for m in t.report.mistakes}
    assert found.keys() == mistakes.keys()
    for key, (code, why) in mistakes.items():  # the code, and the cells it names
        assert found[key].code == code and found[key].message.startswith(why), (key, found[key])


@pytest.mark.libreoffice
def test_pasted_tabs_are_not_judged_and_google_downloads_are_recalculated(students):
    pasted = [t for t in students["11_pranabeshdash.xlsx"].tables if not t.report.live]
    assert [t.table.sheet.name for t in pasted] == ["L.R. 0.2", "L.R. 0.5", "L.R. 0.8", "L.R. 1", "L.R. 2"]
    assert all(t.report.cells == 0 and not t.report.mistakes for t in pasted)
    # of the labelled files (the folder holds more: students keep handing theirs in)
    google = [name for name in sorted(VERDICTS) if "10 significant digits" in students[name].values]
    assert google == ["07_AkankshaK-AI.xlsx", "25_garima-mahato.xlsx", "26_gupta1912.xlsx"]


@pytest.fixture(scope="module")
def stripped_students(tmp_path_factory) -> dict:
    """engine -> name -> FileResult: every student workbook of VERDICTS with its cached results
    stripped, so that each engine recalculates all of them."""
    if not FOLDER.is_dir():
        pytest.skip(shared_absent(FOLDER, "the real student workbooks", "SHEETGEN_STUDENTS"))
    need_libreoffice()
    need_gnumeric()
    where = tmp_path_factory.mktemp("stripped-students")
    files = []
    for path in sorted(FOLDER / name for name in VERDICTS):  # the ones whose verdicts were established by hand
        recalc.strip_cached_results(path, where / path.name)
        files.append(where / path.name)
    return {e: {r.path.name: r for r in check.check(files, engine=e)} for e in ("libreoffice", "gnumeric")}


@pytest.mark.libreoffice
@pytest.mark.parametrize("engine", ["libreoffice", "gnumeric"])
@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_each_engine_recalculates_each_student_workbook_to_its_verdict(stripped_students, engine, name):
    """No cached result left: LibreOffice's values, and Gnumeric's, give the verdicts established by hand."""
    verdict, tables, mistakes = VERDICTS[name]
    result = stripped_students[engine][name]
    assert result.values.startswith("recalculated by ")
    assert result.verdict == verdict and len(result.tables) == tables, check.text(result)
    found = {(t.table.sheet.name, m.quantity, m.where): m for t in result.tables for m in t.report.mistakes}
    assert found.keys() == mistakes.keys()
    for key, (code, why) in mistakes.items():  # the code, and the cells it names
        assert found[key].code == code and found[key].message.startswith(why), (key, found[key])

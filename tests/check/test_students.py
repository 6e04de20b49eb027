"""sheetgen check on the real student workbooks in ../shared/students (skipped where they are not).

VERDICTS lists at least 48 of them (47 .xlsx and one .ods, MANIFEST.tsv's 48), each with its verdict,
its number of tables and every mistake confirmed by hand. The first 13 (01…42) were established by
reading every sheet cell by cell, independently of check: each table's columns mapped by hand, each
cell recomputed from its own row's cached values with the right rule, each diagnosis confirmed by
evaluating the one-change fix on that row, and each live table's loss column reproduced by a separate
simulation with exactly those mistakes put back in. The 35 that arrived later (60…124 and the .ods)
were established by a hand review of each sheet (docs/students-review.md): every formula of a table's first
two rows read with its references rewritten as quantity names, every column checked for a break in its
formula, and every cell recomputed from its row's cached values. A mistake check reports that the review
found to be a false alarm is not expected here, so the test fails if check reports it; one the review
found that check misses is named in a comment (`# missed, see notes: …`) and not expected, so the test
pins the behaviour confirmed today. A file arriving in the folder later is not judged by this test
until it is added to VERDICTS; the folder must hold every file listed. Recalculated from scratch (no
cached result), each .xlsx gets the same verdict from LibreOffice and from Gnumeric, but for 123 under
Gnumeric (GNUMERIC_DIFFERS).
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
NOT_LIVE = "not live: a number typed over a formula (holds {})"
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
    # -- the 35 that arrived later, from the hand review (docs/students-review.md) --
    "60_Abhishek500.xlsx": ("wrong", 1, class_sheet("Sheet1", 33, "Z", "AA", "J", "L")),
    "61_SudoWodo.xlsx": (  # stale cache: recalculated. The class slip in every row, and w3 = G21 − $G$49·g3:
        "wrong",  # $G$49 (w3 at row 49) typed for η ($G$19), so the updates go round a circle
        1,
        class_sheet("Sheet1", 21, "Z", "AA", "J", "L")
        | {("Sheet1", "w3", "G22"): ("circular", "reads w3 from row 49 in row 22: a circular reference")},
        # missed, see notes: w1, w2, w4…w8 (E22, F22, H22, M22…P22) read the same $G$49 as η, in every row
    ),
    "66_jaiyesh.xlsx": ("wrong", 1, class_sheet("Sheet1", 33, "Z", "AA", "J", "L")),
    "67_mstangirala.xlsx": (
        "wrong",
        1,
        {("Sheet1", "E1", "U36"): ("typed-number", "reads t1 as 0.01, typed into the formula, not from A36")}
        | {  # rows 38, 40, …, 78 hold the initial weights, typed
            ("Sheet1", f"w{k}", f"{column}38"): ("not-live", NOT_LIVE.format(typed))
            for k, column, typed in zip(range(1, 9), "EFGHMNOP", (0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55))
        },
        # missed, see notes: rows 39, 41, …, 77 of E:H, M:P read η as a relative F36, F38, … (E39 =E38-F36*X38,
        # w2's typed 0.2 where lr F34 = 2 belongs); check counts them among the rows "not live" and names no slip
    ),
    "69_sagawritescode.xlsx": ("wrong", 1, {("Sheet1", "h1", "I29"): ("not-live", NOT_LIVE.format(0.0275))}),
    "70_shashnkvats.xlsx": ("wrong", 1, class_sheet("Sheet1", 32, "Z", "AA", "J", "L")),
    "73_shashankg69.xlsx": ("right", 1, {}),
    "74_sunandhini96.xlsx": ("right", 1, {}),
    "75_Nishant7007.xlsx": ("right", 1, {}),
    "76_Muthukamalan.ods": (  # the weight updates' fill dragged across I:L from row 7 on: h1 = h1 − η·g5, …
        "wrong",
        1,
        class_sheet("backprop", 6, "Z", "AA", "J", "L")
        | {
            ("backprop", "h1", "I7"): ("wrong-value", "gives 0.01461918137, expected 0.02742075165"),
            ("backprop", "a_h1", "J7"): ("wrong-value", "gives 0.4938984819, expected 0.5036547303"),
            ("backprop", "h2", "K7"): ("wrong-value", "gives 0.02709165172, expected 0.04241203283"),
            ("backprop", "a_h2", "L7"): ("wrong-value", "gives 0.4951010929, expected 0.5067724987"),
        },
    ),
    "80_RInkalshah93.xlsx": ("wrong", 1, class_sheet("Sheet1", 33, "AA", "AB", "K", "M")),
    "81_rahuldsce.xlsx": ("wrong", 1, class_sheet("Sheet1", 33, "AA", "AB", "K", "M")),
    "82_atulgupta01.xlsx": ("right", 1, {}),
    "86_gharshit.xlsx": ("wrong", 1, class_sheet("sheet_main", 33, "AA", "AB", "K", "M")),
    "88_kshitijqwerty.xlsx": ("right", 1, {}),
    "89_mshsingh772.xlsx": ("wrong", 1, class_sheet("Sheet1", 3, "Z", "AA", "J", "L")),
    "95_iteash.xlsx": ("right", 6, {}),
    "96_kunal2016.xlsx": (  # o1 = w5·a_h1 + w6·w6. Not expected: w1…w8 at F37…Q37, which read η = 0.5 from
        "wrong",  # H34 of the rates listed in F34:J34 (1, 0.8, 0.5, 0.2, 0.1), every update alike: right
        1,
        {("Sheet1", "o1", "R36"): ("swap-reference", "uses w6 (O36) where a_h2 (M36) belongs (at one of its 2 uses)")},
    ),
    "97_muralee36.xlsx": (
        "wrong",
        1,
        {
            ("Sheet1", "w6", "N34"): (
                "swap-reference",
                "uses ∂E_total/∂w5 (AB33, row 33) where ∂E_total/∂w6 (AC33, row 33)",
            )
        },
    ),
    "98_ravikshaga.xlsx": ("right", 1, {}),
    "99_SatamRoy.xlsx": ("wrong", 1, class_sheet("Sheet1", 33, "AA", "AB", "K", "M")),
    "100_sayanbanerjee32.xlsx": ("right", 1, {}),
    "103_chiranthancv95.xlsx": (
        "wrong",
        6,
        every(
            ["LR-0.1", "LR-0.2", "LR-0.5", "LR-0.8", "LR-1", "LR-2"],
            lambda s: class_sheet(s, 36, "Z", "AA", "J", "L"),
        ),
    ),
    "105_hassiahk.xlsx": ("right", 7, {}),
    "106_vivek-a81.xlsx": ("right", 6, {}),
    "107_mathi-123.xlsx": ("wrong", 6, class_sheet("L.R. 0.1", 29, "Z", "AA", "J", "L")),
    "113_gremlin97.xlsx": ("right", 1, {}),
    "114_sujitojha1.xlsx": (
        "wrong",
        1,
        {
            ("Sheet1", "∂E_total/∂w6", "AC41"): ("swap-reference", "uses h2 (K41) where a_h2 (L41) belongs"),
            ("Sheet1", "w4", "H42"): (  # =H41-Z$41*$B$39, every row reading row 41's ∂E/∂w3 (not said)
                "swap-reference",
                "uses ∂E_total/∂w3 (Z$41, row 41) where ∂E_total/∂w4 (AA41, row 41) belongs",
            ),
        },
    ),
    "115_SyedMa3.xlsx": ("wrong", 1, class_sheet("Sheet1", 32, "Z", "AA", "J", "L")),
    "118_SomaKorada07.xlsx": ("right", 1, {}),
    "119_siddjain24.xlsx": ("right", 1, {}),
    "120_aiplaybookin.xlsx": ("right", 1, {}),
    "121_anuda.xlsx": ("wrong", 1, class_sheet("Sheet1", 38, "AB", "AC", "L", "N")),
    "123_Code-Trees.xlsx": (  # AB40 ==(…)*K40*(1-K40)*E40, the class slip behind a doubled '='
        "wrong",
        1,
        class_sheet("Sheet1", 40, "AA", "AB", "K", "M")
        | {("Sheet1", "∂E_total/∂w4", "AB40"): ("unparsed-formula", "gives 0.0004497449551, expected 0.0004496269252")},
        # missed, see notes: AB40's cause (the class slip, a_h1 (K40) where a_h2 (M40) belongs) and its fix
    ),
    "124_pankaj90382.xlsx": (
        "wrong",
        6,
        every(
            ["0.1", "0.2", "0.5", "0.8", "1.0", "2.0"],
            lambda s: {(s, "∂E_total/∂w2", "Y24"): ("swap-reference", "uses a_h2 (L24) where a_h1 (J24) belongs")},
        ),
    ),
}


def test_the_folder_holds_every_listed_workbook():
    """More files may arrive (they are not judged here), but none listed may go."""
    if not FOLDER.is_dir():
        pytest.skip(shared_absent(FOLDER, "the real student workbooks", "SHEETGEN_STUDENTS"))
    assert len(VERDICTS) >= 48
    assert [name for name in sorted(VERDICTS) if not (FOLDER / name).is_file()] == []


@pytest.fixture(scope="module")
def students():
    if not FOLDER.is_dir():
        pytest.skip(shared_absent(FOLDER, "the real student workbooks", "SHEETGEN_STUDENTS"))
    need_libreoffice()  # the Google Sheets downloads are recalculated, and the .ods converted
    return {r.path.name: r for r in check.check(sorted(FOLDER / name for name in VERDICTS))}  # not a later file


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
    for name in ("11_pranabeshdash.xlsx", "107_mathi-123.xlsx"):  # five tabs of pasted values each
        pasted = [t for t in students[name].tables if not t.report.live]
        assert [t.table.sheet.name for t in pasted] == ["L.R. 0.2", "L.R. 0.5", "L.R. 0.8", "L.R. 1", "L.R. 2"]
        assert all(t.report.cells == 0 and not t.report.mistakes for t in pasted)
    # of the labelled files (the folder holds more: students keep handing theirs in)
    google = [name for name in sorted(VERDICTS) if "10 significant digits" in students[name].values]
    assert google == [
        "07_AkankshaK-AI.xlsx", "103_chiranthancv95.xlsx", "25_garima-mahato.xlsx", "26_gupta1912.xlsx",
        "69_sagawritescode.xlsx", "73_shashankg69.xlsx", "75_Nishant7007.xlsx", "81_rahuldsce.xlsx",
        "89_mshsingh772.xlsx",
    ]  # fmt: skip
    assert "stale results" in students["61_SudoWodo.xlsx"].values


# the .xlsx of VERDICTS: strip_cached_results copies an .xlsx (the .ods is converted by LibreOffice, its values kept)
STRIPPED = [name for name in sorted(VERDICTS) if name.endswith(".xlsx")]
GNUMERIC_DIFFERS = {  # name -> why Gnumeric's values cannot give the verdict established by hand on the cached ones
    "123_Code-Trees.xlsx": "Gnumeric reads a formula written '==…' (a_h2 M40, E2 W40, ∂E/∂w4 AB40, every row) as "
    'an error, ERROR("=…"), where LibreOffice, which saved the file, computes it: all they feed are errors',
}


@pytest.fixture(scope="module")
def stripped_students(tmp_path_factory) -> dict:
    """engine -> name -> FileResult: every student workbook of STRIPPED with its cached results
    stripped, so that each engine recalculates all of them."""
    if not FOLDER.is_dir():
        pytest.skip(shared_absent(FOLDER, "the real student workbooks", "SHEETGEN_STUDENTS"))
    need_libreoffice()
    need_gnumeric()
    where = tmp_path_factory.mktemp("stripped-students")
    files = []
    for path in (FOLDER / name for name in STRIPPED):  # the ones whose verdicts were established by hand
        recalc.strip_cached_results(path, where / path.name)
        files.append(where / path.name)
    return {e: {r.path.name: r for r in check.check(files, engine=e)} for e in ("libreoffice", "gnumeric")}


@pytest.mark.libreoffice
@pytest.mark.parametrize("engine", ["libreoffice", "gnumeric"])
@pytest.mark.parametrize("name", STRIPPED)
def test_each_engine_recalculates_each_student_workbook_to_its_verdict(stripped_students, engine, name, request):
    """No cached result left: LibreOffice's values, and Gnumeric's, give the verdicts established by hand."""
    if engine == "gnumeric" and name in GNUMERIC_DIFFERS:
        request.applymarker(pytest.mark.xfail(reason=GNUMERIC_DIFFERS[name], strict=True))
    verdict, tables, mistakes = VERDICTS[name]
    result = stripped_students[engine][name]
    assert result.values.startswith("recalculated by ")
    assert result.verdict == verdict and len(result.tables) == tables, check.text(result)
    found = {(t.table.sheet.name, m.quantity, m.where): m for t in result.tables for m in t.report.mistakes}
    assert found.keys() == mistakes.keys()
    for key, (code, why) in mistakes.items():  # the code, and the cells it names
        assert found[key].code == code and found[key].message.startswith(why), (key, found[key])

"""sheetgen check on hand-made workbooks: four layouts sheetgen never writes, clean and with every
kind of slip planted, as written by openpyxl (no cached results) and after a LibreOffice save."""

import json
import re
import zipfile
from dataclasses import replace

import openpyxl
import pytest

from sheetgen import check, cli
from sheetgen.build import workbook
from sheetgen.check import run
from sheetgen.finding import CODES
from sheetgen.model import spec
from sheetgen.xlsx import recalc
from tests import handmade
from tests.conftest import CELLS_LEAKY, need_gnumeric, need_libreoffice, without_property

KINDS = len(handmade.slips(handmade.CLASS_SHEET))


@pytest.fixture(scope="session")
def handmade_books(tmp_path_factory) -> dict[str, tuple]:
    """layout name -> (clean, slips, planted {quantity: first wrong cell}, circular)."""
    where = tmp_path_factory.mktemp("handmade")
    books = {}
    for layout in handmade.LAYOUTS:
        stem = layout.name.replace(" ", "_")
        clean, slips, circular = (where / f"{stem}-{kind}.xlsx" for kind in ("clean", "slips", "circular"))
        handmade.write(layout, clean)
        planted = handmade.write(layout, slips, handmade.slips(layout))
        handmade.write(layout, circular, [handmade.CIRCULAR])
        books[layout.name] = (clean, slips, planted, circular)
    return books


@pytest.fixture(scope="session")
def checked(handmade_books, tmp_path_factory) -> dict[str, dict]:
    """variant ("as written", "saved by LibreOffice") -> file -> its FileResult. One LibreOffice run
    recalculates every file as written; one more saves them all; checking the saved ones needs none."""
    need_libreoffice()
    files = [f for clean, slips, _, circular in handmade_books.values() for f in (clean, slips, circular)]
    out = {"as written": {r.path: r for r in check.check(files)}}
    saved = tmp_path_factory.mktemp("saved")
    recalc.convert(files, saved)
    copies = [saved / f"{n:04d}-{f.stem}.xlsx" for n, f in enumerate(files)]
    results = check.check(copies)
    out["saved by LibreOffice"] = {f: r for f, r in zip(files, results)}
    return out


VARIANTS = ["as written", "saved by LibreOffice"]
NOT_OF_REFERENCES = {"sign", "missing-half", "one-path", "not-live"}  # the codes of a change no fix of references makes
LAYOUT_NAMES = [layout.name for layout in handmade.LAYOUTS]


@pytest.mark.libreoffice
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_a_right_sheet_gets_no_false_alarm(checked, handmade_books, variant, layout):
    clean = handmade_books[layout][0]
    result = checked[variant][clean]
    assert result.verdict == "right", check.text(result)
    (table,) = result.tables
    assert len(table.table.rows) == 12 and table.report.cells > 12 * 25
    assert table.table.eta.value == next(lay.eta for lay in handmade.LAYOUTS if lay.name == layout)
    if variant == "as written":  # openpyxl keeps no results: LibreOffice computes them
        assert result.values.startswith("recalculated by LibreOffice: no cached results")
    else:
        assert result.values == "cached"


@pytest.mark.libreoffice
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_every_planted_slip_is_found_at_its_first_cell_and_nothing_else_is_blamed(
    checked, handmade_books, variant, layout
):
    _, slips, planted, _ = handmade_books[layout]
    result = checked[variant][slips]
    assert result.verdict == "wrong"
    (table,) = result.tables
    found = {m.quantity: m for m in table.report.mistakes}
    assert {q: m.where for q, m in found.items()} == planted
    lay = next(lay for lay in handmade.LAYOUTS if lay.name == layout)
    for slip in handmade.slips(lay):
        mistake = found[handmade.canonical(slip.q)]
        assert mistake.code == slip.code and slip.diagnosis in mistake.message, (slip.q, mistake.code, mistake.message)
        # a slip of references comes with its fix: the seeds' rule as the sheet's author writes it there
        row = int(re.sub(r"[A-Z]", "", mistake.where))
        right = handmade.resolve(lay, handmade.RULES[slip.q], row) if slip.template else None
        of_references = slip.code not in NOT_OF_REFERENCES
        assert mistake.fix == (right if of_references else None), (slip.q, mistake.formula, mistake.fix)


@pytest.mark.libreoffice
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_a_circular_reference_is_named_where_it_closes(checked, handmade_books, variant, layout):
    circular = handmade_books[layout][3]
    (table,) = checked[variant][circular].tables
    (mistake,) = table.report.mistakes
    assert (mistake.quantity, mistake.code, mistake.rows) == ("a_h1", "circular", 12)
    assert re.search(r"reads h1 from row (\d+) in row (\d+)", mistake.message)  # where the cycle closes


@pytest.mark.libreoffice
def test_diagnoses_say_which_cells(checked, handmade_books):
    """The class sheet's slip, in the seeds' notation with the cells, as a student reads it."""
    _, slips, _, _ = handmade_books["columns"]
    found = {m.quantity: m for m in checked["as written"][slips].tables[0].report.mistakes}
    assert found["∂E_total/∂w3"].message.startswith("uses a_h1 (J4) where a_h2 (L4) belongs")
    assert found["w1"].message.startswith("η is referenced relatively: this row reads G2 where η ($G$1) belongs")
    assert found["a_h2"].message.startswith("reads h2 from row 5 in row 6")
    assert found["∂E_total/∂w2"].message.startswith("∂E_total/∂w2 through o1 only: the path through o2 is missing")
    # seed 002's two slips, the second invisible here (t1 = t2): the pair that holds at random points too
    assert found["∂E_total/∂w7"].message.startswith(
        "uses a_o1 (R4) and t1 (A4) where a_o2 (T4) and t2 (B4) belong — seed 002 writes"
    )
    assert found["a_o2"].message.startswith("not live") and found["a_o2"].formula is None


@pytest.mark.libreoffice
def test_a_mistake_copied_to_every_tab_is_said_in_full_once(checked, handmade_books):
    """Six tabs of one copied slip: the first in full, the others pointed at it; a table whose mistakes
    differ (here: one fewer) is said in full again."""
    _, slips, _, _ = handmade_books["columns"]
    result = checked["as written"][slips]
    t = result.tables[0]
    fewer = replace(t, report=replace(t.report, mistakes=t.report.mistakes[1:]))
    lines = check.text(replace(result, tables=[t, t, fewer]))
    first, many = t.report.mistakes[0], len(t.report.mistakes)
    said = [line for line in lines if line.startswith(f"    {first.quantity} at {first.where} (")]
    assert len(said) == 1, lines  # in full once: the third table lacks it
    rows = f"rows {t.table.rows[0] + 1}-{t.table.rows[-1] + 1}"
    pointed = [line for line in lines if line.startswith("    the same mistake")]
    assert pointed == [f"    the same mistakes as {rows}: " + ", ".join(f"{m.quantity} at {m.where}" for m in
                                                                           t.report.mistakes)], lines  # fmt: skip
    second = t.report.mistakes[1]
    assert sum(line.startswith(f"    {second.quantity} at {second.where} (") for line in lines) == 2 and many > 2


def test_header_spellings_real_sheets_use():
    from sheetgen.model.spelling import quantity

    spellings = {
        "E_total": ["E_total", "E_Total", "E_tot", "Etotal", "E total", "E_Tot"],
        "∂E_total/∂w1": ["∂E_total/∂w1", "∂E/∂w1", "dE/dw1", "δE_total/δw1", "dEtotal/dw1", "δE_tot/δw1",
                         "dE_total / dw1", "E∂w1", "Edw1", "𝜕E/𝜕w1", "𝟃E_total/𝟃w1", "ӘE/Әw1", "∂E/∂W1"],
        "a_h1": ["a_h1", "ah1", "out_h1", "act_h1"],
        "o1": ["O1", "o1"],
        "a_o1": ["a_O1", "a_01", "out_o1"],
        "t1": ["t1 ", "T1"],
    }  # fmt: skip
    for name, texts in spellings.items():
        assert {t: quantity(t) for t in texts} == dict.fromkeys(texts, name)
    assert quantity("1/(1+exp(-h1))") is None and quantity("E_0.1") is None


@pytest.mark.libreoffice
def test_json_lines_and_exit_status(handmade_books, checked, capsys, tmp_path):
    clean, slips, _, _ = handmade_books["block"]
    assert cli.main(["check", "--json", "-q", str(clean)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    doc = json.loads(line)
    assert doc["verdict"] == "right" and doc["file"] == str(clean)
    (table,) = doc["tables"]
    assert {"sheet", "eta", "eta_from", "iterations", "header_row", "columns", "chart", "mistakes"} <= table.keys()
    assert table["columns"]["a_h1"] == "L" and table["header_row"] == 9 and table["eta"] == 0.2
    assert doc["missing_learning_rates"] == [0.1, 0.5, 0.8, 1.0, 2.0]
    junk = tmp_path / "notes.xlsx"
    junk.write_text("not a workbook")
    assert cli.main(["check", "--json", "-q", str(slips), str(junk)]) == 1  # mistakes found
    wrong, unreadable = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert wrong["verdict"] == "wrong" and len(wrong["tables"][0]["mistakes"]) == KINDS
    mistake = wrong["tables"][0]["mistakes"][0]
    assert {"code", "quantity", "cell", "formula", "expected", "got", "rows", "diagnosis"} <= mistake.keys()
    assert mistake["code"] in CODES and mistake["severity"] == "mistake"
    assert unreadable["verdict"] == "unreadable" and "not an .xlsx" in unreadable["reason"]
    assert cli.main(["check", "-q", str(junk), "/dev/null"]) == 2  # nothing checkable
    out = capsys.readouterr().out
    assert "UNREADABLE" in out and "not a regular file" in out


def _round_cached(src, dst, digits):
    """A copy whose cached results keep `digits` significant digits, as Google Sheets stores them."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(
                    rb"(</f>)<v>([-+.\deE]+)</v>",
                    lambda m: m[1] + b"<v>" + (b"%.*g" % (digits, float(m[2]))) + b"</v>",
                    data,
                )
            zout.writestr(item, data)


@pytest.mark.libreoffice
def test_rounded_and_stale_results_are_recalculated_not_blamed(checked, handmade_books, tmp_path):
    saved = tmp_path / "saved"
    clean = handmade_books["columns"][0]
    recalc.convert([clean], saved)
    (copy,) = saved.glob("*.xlsx")
    rounded = tmp_path / "google.xlsx"
    _round_cached(copy, rounded, 10)
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(copy) as zin, zipfile.ZipFile(stale, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # one cached h1 that its formula does not give
                data, n = re.subn(rb'(<c r="I9"[^>]*><f[^>]*>[^<]*</f><v>)[^<]*', rb"\g<1>0.5", data)
                assert n == 1
            zout.writestr(item, data)
    tampered = tmp_path / "tampered.xlsx"  # a formula changed behind its cached result (no program recalculated)
    with zipfile.ZipFile(copy) as zin, zipfile.ZipFile(tampered, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # ∂E/∂w3 with a_h1's slope: the class sheet's slip
                data, n = re.subn(rb'(<c r="Z4"[^>]*><f[^>]*>[^<]*)L4\*\(1-L4\)', rb"\g<1>J4*(1-J4)", data)
                assert n == 1
            zout.writestr(item, data)
    by_name = {r.path.name: r for r in check.check([rounded, stale, tampered])}
    assert by_name["tampered.xlsx"].verdict == "wrong" and "stale" in by_name["tampered.xlsx"].values
    (mistake,) = by_name["tampered.xlsx"].tables[0].report.mistakes
    assert (mistake.where, mistake.code) == ("Z4", "swap-reference") and mistake.message.startswith("uses a_h1 (J4)")
    assert by_name["google.xlsx"].verdict == "right"
    assert "10 significant digits" in by_name["google.xlsx"].values
    assert by_name["stale.xlsx"].verdict == "right" and "stale" in by_name["stale.xlsx"].values
    # without the recalculation, the rounding alone would be blamed: the judge is that strict
    assert run._needs_recalculation(run.read(rounded)) is not None


@pytest.mark.libreoffice
def test_ods_and_xls_are_read_through_libreoffice(handmade_books, tmp_path):
    clean, slips, planted, _ = handmade_books["block"]
    for target in ("ods", "xls:MS Excel 97"):
        recalc._soffice([clean, slips], tmp_path, target, tmp_path, 300)
    files = sorted(tmp_path.glob("*.ods")) + sorted(tmp_path.glob("*.xls"))
    assert len(files) == 4
    results = {f.name: r for f, r in zip(files, check.check(files))}
    for name, r in results.items():
        if "clean" in name:
            assert r.verdict == "right", check.text(r)
        else:
            assert {m.quantity: m.where for m in r.tables[0].report.mistakes} == planted, name


def _mistakes(result) -> set:
    """Each mistake, what the engine shows in a cycle left out (each engine says its own)."""
    engine_said = r"; no spreadsheet can compute it \(.*"
    return {(t.table.sheet.name, m.quantity, m.where, m.code, re.sub(engine_said, "", m.message))
            for t in result.tables for m in t.report.mistakes}  # fmt: skip


@pytest.fixture(scope="session")
def checked_by_gnumeric(handmade_books) -> dict:
    """file -> its FileResult, every hand-made file as written recalculated by Gnumeric."""
    need_gnumeric()
    files = [f for clean, slips, _, circular in handmade_books.values() for f in (clean, slips, circular)]
    return {r.path: r for r in check.check(files, engine="gnumeric")}


@pytest.mark.libreoffice
@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_gnumeric_finds_what_libreoffice_finds(checked, checked_by_gnumeric, handmade_books, layout):
    """The same verdicts and the same mistakes, at the same cells, said the same way, from the other
    engine's values: no false alarm on the right sheet, every slip, and the circular reference
    (where Gnumeric computes numbers, and LibreOffice shows Err:522) named and nothing after it."""
    clean, slips, planted, circular = handmade_books[layout]
    for f in (clean, slips, circular):
        lo, gn = checked["as written"][f], checked_by_gnumeric[f]
        assert gn.values.startswith("recalculated by Gnumeric: no cached results")
        assert [t.engine for t in gn.tables] == ["Gnumeric"]
        assert gn.verdict == lo.verdict and _mistakes(gn) == _mistakes(lo), check.text(gn)
    assert {m.quantity: m.where for m in checked_by_gnumeric[slips].tables[0].report.mistakes} == planted
    (mistake,) = checked_by_gnumeric[circular].tables[0].report.mistakes
    assert mistake.code == "circular" and isinstance(mistake.got, float)
    assert mistake.message.endswith(f"(Gnumeric computes a number for it anyway, {mistake.got:.10g} here, which "
                                    "means nothing)") and "Err:522" not in mistake.message  # fmt: skip


@pytest.mark.libreoffice
@pytest.mark.gnumeric
def test_check_engine_all_judges_each_engines_values(handmade_books, capsys):
    need_gnumeric()
    _, slips, _, _ = handmade_books["block"]
    assert cli.main(["check", "--engine", "all", "--json", "-q", str(slips)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["values"] == "recalculated by LibreOffice and Gnumeric: no cached results"
    assert [t["engine"] for t in doc["tables"]] == ["LibreOffice", "Gnumeric"]
    lo, gn = (len(t["mistakes"]) for t in doc["tables"])
    assert lo == gn == KINDS
    assert cli.main(["check", "--engine", "all", "-q", str(slips)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{slips}: WRONG: {KINDS} wrong quantities in 1 table(s)")  # counted once
    assert "[LibreOffice's values]" in out and "[Gnumeric's values]" in out


# -- what the finder must not take for granted -----------------------------------------------------------
LABELS = {"i1": ("A2", "i1"), "i2": ("A3", "i2"), "t1": ("A4", "t1"), "t2": ("A5", "t2"), "eta": ("A6", "η")}
# labels that name nothing (x1 would be read as i1: the inputs' usual name in machine learning)
X_LABELS = {"i1": ("A2", "p1"), "i2": ("A3", "p2"), "t1": ("A4", "q1"), "t2": ("A5", "q2"), "eta": ("A6", "η")}


@pytest.fixture(scope="module")
def finder_books(tmp_path_factory) -> dict:
    """Hand-made sheets whose parameters are easy to mistake, checked in one LibreOffice run:
    inputs labelled p1, q1 (not found); an `alpha` cell nearer the table than η's; only an α."""
    need_libreoffice()
    where = tmp_path_factory.mktemp("finder")
    books = {name: where / f"{name}.xlsx" for name in ("labelled", "x-labels", "x-typed", "alpha-nearer",
                                                       "alpha-only")}  # fmt: skip
    handmade.write(replace(handmade.BLOCK, block=LABELS), books["labelled"])
    handmade.write(replace(handmade.BLOCK, block=X_LABELS), books["x-labels"])
    typed = {q: t.replace("{i1}", "0.05").replace("{i2}", "0.1").replace("{t1}", "0.5").replace("{t2}", "0.5")
             for q, t in handmade.RULES.items()}  # fmt: skip
    handmade.write(replace(handmade.BLOCK, block=X_LABELS), books["x-typed"], rules=typed)
    wb = openpyxl.load_workbook(books["labelled"])
    wb.active["A7"], wb.active["B7"] = "alpha", 0.99  # an unrelated constant, nearer the table than η
    wb.save(books["alpha-nearer"])
    wb.active["A6"], wb.active["A7"], wb.active["B7"] = "α", None, None  # Mazur writes the learning rate α
    wb.save(books["alpha-only"])
    return {name: result for name, result in zip(books, check.check(list(books.values())))}


@pytest.mark.libreoffice
def test_inputs_are_where_the_formulas_read_them_whatever_their_labels(finder_books):
    """Labelled p1, p2, q1, q2: h1's formula multiplies $B$2 with w1 (i1), E1's subtracts a_o1 from $B$4 (t1)."""
    assert finder_books["labelled"].verdict == "right", check.text(finder_books["labelled"])
    result = finder_books["x-labels"]
    assert result.verdict == "right", check.text(result)
    params = result.tables[0].table.params
    assert params["i1"].source == "cell B2, read by h1's formula (K10) as i1"
    assert params["t2"].source == "cell B5, read by E2's formula (T10) as t2"


@pytest.mark.libreoffice
def test_inputs_not_found_are_said_not_taken_for_zero(finder_books):
    """No formula reads them from a cell (each types 0.05, 0.5 …), no label names them: found nowhere."""
    result = finder_books["x-typed"]
    (report,) = [t.report for t in result.tables]
    # the numbers typed in are said where they are (right here only), never taken for the parameters
    assert result.verdict == "wrong" and {m.code for m in report.mistakes} <= {"coincidence"}, check.text(result)
    (problem,) = report.problems
    # h1, h2, E1, E2 and the eight gradients read them; a_h1, E_total and the updates are still judged
    assert problem.startswith("i1, i2, t1, t2 not found") and "144 cells" in problem, problem
    assert report.cells == 12 * 27 - 144 - 8, report.cells  # 27 computed columns, but those and the first weights


@pytest.mark.libreoffice
def test_an_alpha_is_eta_only_when_the_updates_read_it(finder_books):
    for name in ("alpha-nearer", "alpha-only"):
        result = finder_books[name]
        assert result.verdict == "right", check.text(result)
        (table,) = [t.table for t in result.tables]
        assert (
            table.eta.value == 0.2 and table.eta.source == f"cell B6 labelled {'η' if name != 'alpha-only' else 'α'!r}"
        )


def test_a_leaky_relu_sheet_is_read_as_one_without_our_property(tmp_path):
    """The hidden layer's IF(h1>0,h1,α*h1) says leaky ReLU, the label α its slope (not η), b1… fixed biases."""
    for refs in ("cells", "names"):
        built = tmp_path / f"{refs}.xlsx"
        workbook.build(replace(CELLS_LEAKY, references=refs), built)
        (result,) = check.check([without_property(built, tmp_path / f"{refs}-plain.xlsx")])
        assert result.verdict == "right" and result.values == "cached", check.text(result)
        assert {t.report.network for t in result.tables} == {"2-2-2 leaky_relu/sigmoid (α 0.2) net, fixed biases"}


def test_a_diagnosis_never_proposes_the_cell_itself(tmp_path):
    """Judged with another slope than the sheet's, the gradients are wrong; no diagnosis may say the cell
    should read itself (a cycle), as one once said W18 = …W18…"""
    path = tmp_path / "leaky.xlsx"
    s = spec.load("era").with_overrides(activation="leaky_relu", weights=[0.15, -0.2, 0.25, 0.3, -0.4, 0.45, 0.5, 0.55],
                                        iterations=5, learning_rates=[0.1], references="cells")  # fmt: skip
    workbook.build(replace(s, leaky_slope=0.2), path)
    (result,) = check.check([path], spec_of=lambda book: s)  # the default slope, 0.01
    mistakes = result.tables[0].report.mistakes
    assert {m.quantity for m in mistakes} >= {"a_h1", "∂E_total/∂w1"}, check.text(result)
    for m in mistakes:
        assert f"({m.where})" not in m.message.partition(" where ")[2], (m.where, m.message)


# -- numbers stored as text, and given cells that are no number -----------------------------------------
AS_TEXT = "numbers stored as text, which formulas compute with (SUM and charts skip them): "
NAMES = {q: f"$B${n}" for n, q in enumerate(("i1", "i2", "t1", "t2"), start=2)}  # X_LABELS' value cells


def _with_names(path, value_of=None):
    """The x-labels sheet with i_1, i_2, t_1, t_2 defined on the cells beside its labels (its own labels
    name nothing the finder knows: only the names say what the cells are); `value_of` retypes them."""
    wb = openpyxl.load_workbook(path)
    for q, cell in NAMES.items():
        wb.defined_names[f"{q[0]}_{q[1:]}"] = openpyxl.workbook.defined_name.DefinedName(
            f"{q[0]}_{q[1:]}", attr_text=f"Backprop!{cell}"
        )
        if value_of:
            wb.active[cell.replace("$", "")] = value_of(q)
    wb.save(path)


@pytest.fixture(scope="module")
def text_books(tmp_path_factory) -> dict:
    """name -> (file, planted, its FileResult): every layout's sheet with its given numbers typed as text,
    right and with every slip; sheets whose given cells hold no number; all checked in one LibreOffice
    run (openpyxl keeps no results, so every one is recalculated, text and all)."""
    need_libreoffice()
    where = tmp_path_factory.mktemp("as-text")
    books, planted = {}, {}
    for layout in handmade.LAYOUTS:
        stem = layout.name.replace(" ", "_")
        books[f"{stem}-text"] = where / f"{stem}-text.xlsx"
        handmade.write(layout, books[f"{stem}-text"], as_text=True)
        books[f"{stem}-text-slips"] = where / f"{stem}-text-slips.xlsx"
        planted[f"{stem}-text-slips"] = handmade.write(layout, books[f"{stem}-text-slips"], handmade.slips(layout),
                                                       as_text=True)  # fmt: skip
    books["names-text"] = where / "names-text.xlsx"  # defined names on cells that hold text
    handmade.write(replace(handmade.BLOCK, block=X_LABELS), books["names-text"], as_text=True)
    _with_names(books["names-text"])
    books["names-na"] = where / "names-na.xlsx"  # a defined name on an error value
    handmade.write(replace(handmade.BLOCK, block=X_LABELS), books["names-na"])
    _with_names(books["names-na"], lambda q: "#N/A" if q == "t2" else handmade.ERA[q])
    books["label-abc"] = where / "label-abc.xlsx"  # the cell beside i1's label
    handmade.write(handmade.BLOCK, books["label-abc"], params={"i1": "abc"})
    books["label-note"] = where / "label-note.xlsx"  # a note beside a second label: no mistake
    handmade.write(handmade.BLOCK, books["label-note"])
    wb = openpyxl.load_workbook(books["label-note"])
    for cell, value in {"D2": "i1", "E2": "the first input", "D5": "t2", "E5": "#N/A"}.items():
        wb.active[cell] = value
    wb.save(books["label-note"])
    retyped = [("column-na", handmade.CLASS_SHEET, "C7", "#N/A"), ("weight-true", handmade.BLOCK, "C10", True)]
    for name, layout, cell, value in retyped:  # i1 in row 7 of its column; w1 in the first row
        books[name] = where / f"{name}.xlsx"
        handmade.write(layout, books[name])
        wb = openpyxl.load_workbook(books[name])
        wb.active[cell] = value
        wb.save(books[name])
    results = check.check(list(books.values()))
    return {name: (f, planted.get(name), r) for (name, f), r in zip(books.items(), results)}


@pytest.mark.libreoffice
@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_numbers_stored_as_text_are_the_numbers_formulas_compute_with(text_books, layout):
    """Inputs, targets, η and the first weights typed as text: LibreOffice computes with them, and so
    does the judge: no false alarm, one warning naming them, and every slip found as on numbers."""
    stem = layout.replace(" ", "_")
    _, _, result = text_books[f"{stem}-text"]
    assert result.verdict == "right" and result.values.startswith("recalculated by LibreOffice"), check.text(result)
    assert result.tables[0].report.cells > 12 * 25
    (warning,) = [w for w in result.warnings if AS_TEXT in w]
    sheet = result.tables[0].table.sheet.name
    if layout == "block":  # beside their labels; then the first row's weights
        assert warning == f"{sheet}: {AS_TEXT}i1 (B2), i2 (B3), t1 (B4), t2 (B5), η (B6), w1 (C10), w2 (D10), " \
                          "w3 (E10) … (13 in all)"  # fmt: skip
    elif layout == "columns":  # a column of the table: its first such cell, and how many more
        assert warning.startswith(f"{sheet}: {AS_TEXT}t1 (A4 and 11 more), t2 (B4 and 11 more), i1 (C4 and 11 more)")
    _, planted, result = text_books[f"{stem}-text-slips"]
    found = {m.quantity: m for m in result.tables[0].report.mistakes}
    assert result.verdict == "wrong" and {q: m.where for q, m in found.items()} == planted, check.text(result)
    for slip in handmade.slips(next(lay for lay in handmade.LAYOUTS if lay.name == layout)):
        assert found[handmade.canonical(slip.q)].code == slip.code, (slip.q, found[handmade.canonical(slip.q)])
    assert check.text(result).count(f"  warning: {sheet}: {AS_TEXT}" + warning.partition(AS_TEXT)[2]) == 1


@pytest.mark.libreoffice
def test_defined_names_on_numbers_stored_as_text(text_books):
    _, _, result = text_books["names-text"]
    assert result.verdict == "right", check.text(result)
    params = result.tables[0].table.params
    assert params["i1"].value == 0.05 and params["i1"].source == "defined name i_1"
    assert result.warnings == [f"Backprop: {AS_TEXT}η (B6), i1 (B2), i2 (B3), t1 (B4), t2 (B5), w1 (C10), "
                               "w2 (D10), w3 (E10) … (13 in all)"]  # fmt: skip


@pytest.mark.libreoffice
@pytest.mark.parametrize("name, problem", [
    ("label-abc", "i1 at B2 holds 'abc'"),  # beside its label
    ("column-na", "i1 at C7 holds #N/A"),  # in a column of the table, six rows down
    ("weight-true", "w1 at C10 holds TRUE"),  # the first row's w1
    ("names-na", "t2 at B5 holds #N/A"),  # a defined name's cell
])  # fmt: skip
def test_a_given_cell_that_is_no_number_is_not_judged(text_books, name, problem):
    """Every cell computed from it is an error: agreeing with the rule's error, or blamed, for nothing."""
    _, _, result = text_books[name]
    (table,) = result.tables
    assert table.report.problems == [f"not judged: {problem}, not a number: nothing computed from it can be"]
    assert (table.report.cells, table.report.mistakes) == (0, [])
    assert result.verdict == "wrong"
    assert check.text(result)[0].startswith(f"{result.path}: WRONG: 1 of 1 table(s) not judged")


@pytest.mark.libreoffice
@pytest.mark.gnumeric
def test_numbers_stored_as_text_are_said_once_whatever_the_engines(text_books):
    need_gnumeric()
    block, _, _ = text_books["block-text"]
    (result,) = check.check([block], engine="all")
    assert result.verdict == "right" and [t.engine for t in result.tables] == ["LibreOffice", "Gnumeric"]
    assert [w for w in result.warnings if AS_TEXT in w] == [w for w in text_books["block-text"][2].warnings]


@pytest.mark.libreoffice
def test_a_note_beside_a_label_is_no_mistake_when_the_number_is_elsewhere(text_books):
    """A second `i1` label with a note beside it, a `t2` with #N/A: their numbers are beside their first
    labels, and the formulas read those."""
    _, _, result = text_books["label-note"]
    assert result.verdict == "right" and result.tables[0].table.not_numbers == {}, check.text(result)


@pytest.mark.libreoffice
def test_a_column_the_rule_does_not_compute_is_not_probed_at_random(tmp_path):
    """∂E1/∂a_h1 and ∂E2/∂a_h1 in columns of their own, ∂E/∂a_h1 their sum: right. The reference gives
    no ∂E1/∂a_h1, so a probe must not draw it as if it were a given value (the sum would be wrong there)."""
    extra = [(q, q) for k in (1, 2) for q in (f"∂E1/∂a_h{k}", f"∂E2/∂a_h{k}", f"∂E/∂a_h{k}")]
    at = [q for q, _ in handmade.CLASS_SHEET.columns].index("E_total") + 1
    columns = handmade.CLASS_SHEET.columns[:at] + extra + handmade.CLASS_SHEET.columns[at:]
    layout = replace(handmade.CLASS_SHEET, columns=columns)
    slips = [
        handmade.Slip("g1", "={∂E/∂a_h1}*{a_h1}*(1-{a_h1})*{i1}"),
        handmade.Slip("g4", "={∂E/∂a_h2}*{a_h2}*(1-{a_h2})*{i2}"),
    ]
    for name, params in (("era", None), ("unequal", {"t1": 0.1, "t2": 0.9})):
        handmade.write(layout, tmp_path / f"{name}.xlsx", slips, params)
    for result in check.check(sorted(tmp_path.glob("*.xlsx"))):
        assert result.verdict == "right", check.text(result)


@pytest.mark.libreoffice
def test_on_several_processes_each_file_is_judged_as_on_one(tmp_path, monkeypatch):
    """-j: the files read and judged across processes, those without cached results recalculated by
    LibreOffice in batches while the others are judged (here a batch of one file each); every result
    as one process gives it, in the order given."""
    need_libreoffice()
    files = []
    for layout in handmade.LAYOUTS[:3]:
        for kind, slips in (("right", ()), ("slips", handmade.slips(layout))):
            files.append(tmp_path / f"{layout.name.replace(' ', '_')}-{kind}.xlsx")
            handmade.write(layout, files[-1], slips)  # openpyxl's: no cached results
    recalc.convert(files[:2], tmp_path / "saved")  # and two with them
    files += sorted((tmp_path / "saved").glob("*.xlsx"))
    alone = [r.as_dict() for r in check.check(files)]
    for batch in (1, 4):  # a batch a file; and the files read first (all six), less than a batch
        monkeypatch.setattr(run, "BATCH", batch)
        heard: list[str] = []
        together = check.check(files, jobs=2, done=lambda r, heard=heard: heard.append(str(r.path)))
        assert [r.as_dict() for r in together] == alone
        assert sorted(heard) == sorted(map(str, files))
    assert sum(r["values"].startswith("recalculated") for r in alone) == 6


@pytest.mark.libreoffice
@pytest.mark.gnumeric
def test_on_several_processes_each_engines_values_are_judged_as_on_one(tmp_path, monkeypatch):
    """-j with --engine all: each batch's files judged on one engine's values after the other's, as
    one process judges them."""
    need_libreoffice()
    need_gnumeric()
    files = []
    for layout in handmade.LAYOUTS[:2]:
        files.append(tmp_path / f"{layout.name.replace(' ', '_')}.xlsx")
        handmade.write(layout, files[-1], handmade.slips(layout))
    recalc.convert(files[:1], tmp_path / "saved")
    files += sorted((tmp_path / "saved").glob("*.xlsx"))
    alone = [r.as_dict() for r in check.check(files, engine="all")]
    monkeypatch.setattr(run, "BATCH", 1)
    assert [r.as_dict() for r in check.check(files, engine="all", jobs=2)] == alone
    assert [len(r["tables"]) for r in alone] == [2, 2, 1]  # each engine's table, and the cached one's


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_file_is_let_go_once_given(tmp_path, jobs):
    """check.each keeps nothing of a file once its result is given (a class of thousands is checked in
    the memory of one file a process): each result is collected as soon as the caller drops it, before
    the next is given (on one process and across two); then a write-up, workbooks and a missing file."""
    import gc
    import weakref

    files = [tmp_path / "missing.xlsx"]
    (tmp_path / "README.md").write_text("h1 = w1*i1 + w2*i2\n", encoding="utf-8")
    files.append(tmp_path / "README.md")
    for layout in handmade.LAYOUTS[:3]:
        files.append(tmp_path / f"{layout.name.replace(' ', '_')}.xlsx")
        handmade.write(layout, files[-1])
    given, alive = [], []
    for n, result in check.each(files, engine=run.OWN, jobs=jobs):
        gc.collect()
        alive += [str(files[m]) for m, ref in given if ref() is not None]
        given.append((n, weakref.ref(result)))
        del result
    assert sorted(n for n, _ in given) == list(range(len(files)))
    assert alive == []


def test_workbooks_without_cached_results_are_read_first(tmp_path):
    """-j reads the files that look as if they hold no cached results (openpyxl's, or with them
    removed) before the others, so the engine recalculates them while the rest are judged; it is a
    guess from a sheet's first formulas, and only an order: anything it cannot read looks cached."""
    written = tmp_path / "openpyxl.xlsx"
    handmade.write(handmade.CLASS_SHEET, written)
    built = tmp_path / "sheetgen.xlsx"
    workbook.build(spec.load("era").with_overrides(iterations=3), built)
    bare = tmp_path / "bare.xlsx"
    with zipfile.ZipFile(built) as zin, zipfile.ZipFile(bare, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", data)
            zout.writestr(item, data)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    files = [built, junk, written, tmp_path / "missing.xlsx", bare]
    assert [run._looks_uncached(f) for f in files] == [False, False, True, False, True]
    assert run._reading_order(files) == ([2, 4, 0, 1, 3], [False, False, True, False, True])

"""`sheetgen check FILE --mark OUT.xlsx`: the student's own workbook, its mistakes marked, nothing else changed."""

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheetgen import check, cli
from sheetgen.check import mark
from sheetgen.check.run import OWN
from sheetgen.errors import WorkbookError
from sheetgen.xlsx import recalc
from tests import handmade
from tests.build.test_render import coloured, pixels
from tests.conftest import carlito, edit_sheets

SLIP = handmade.slips(handmade.BLOCK)[0]  # ∂E_total/∂w3 with a_h1 for a_h2, every row
FIX = "=((P10-$B$4)*P10*(1-P10)*H10+(R10-$B$5)*R10*(1-R10)*J10)*N10*(1-N10)*$B$2"


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def slipped(tmp_path_factory) -> tuple[Path, Path, check.FileResult]:
    where = tmp_path_factory.mktemp("mark")
    src = where / "mine.xlsx"
    handmade.write(handmade.BLOCK, src, [SLIP])
    result = check.check([src], engine=OWN)[0]
    out = where / "mine-marked.xlsx"
    assert mark.mark(result, out) == 12
    return src, out, result


def test_the_first_wrong_cell_is_red_with_the_diagnosis_and_the_fix(slipped):
    src, out, result = slipped
    ws = openpyxl.load_workbook(out)["Backprop"]
    first = ws["X10"]
    assert first.fill.fill_type == "solid" and first.fill.fgColor.rgb == mark.FIRST
    text = first.comment.text
    assert text.startswith("sheetgen check: ∂E_total/∂w3 at X10 (12 rows wrong): uses a_h1 (L10) where a_h2 (N10)")
    assert "expected 0.0003517763216, got 0.0003518686651" in text
    assert text.endswith(f"fix: {FIX}")
    for row in range(11, 22):  # the other wrong cells of the quantity: shaded, no comment
        assert ws[f"X{row}"].fill.fgColor.rgb == mark.OTHERS and ws[f"X{row}"].comment is None
    assert ws["W10"].fill.fill_type is None and ws["W10"].comment is None  # its right neighbour: untouched
    values = openpyxl.load_workbook(src)["Backprop"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [[c.value for c in row] for row in values.iter_rows()]


def test_only_the_parts_it_marks_change(slipped):
    src, out, _ = slipped
    before, after = parts(src), parts(out)
    changed = {n for n in before if before[n] != after.get(n)}
    assert changed == {"xl/worksheets/sheet1.xml", "xl/styles.xml", "[Content_Types].xml"}
    assert set(after) - set(before) == {"xl/comments1.xml", "xl/drawings/vmlDrawing1.vml",
                                        "xl/worksheets/_rels/sheet1.xml.rels"}  # fmt: skip
    # in the sheet, only the marked cells' style attributes (and the legacy drawing of the comments)
    strip = lambda xml: re.sub(r' s="\d+"| xmlns:r="[^"]*"|<legacyDrawing [^>]*/>', "", xml.decode())  # noqa: E731
    assert strip(after["xl/worksheets/sheet1.xml"]) == strip(before["xl/worksheets/sheet1.xml"])
    # styles: what was there stays, fills and cell formats appended
    assert after["xl/styles.xml"].count(b"<xf ") == before["xl/styles.xml"].count(b"<xf ") + 2


def test_our_own_workbook_keeps_its_charts_and_comments(era, tmp_path):
    src = tmp_path / "slip.xlsx"  # LR 0.1's first a_o1 reads h2 for o1
    edit_sheets(era, src, lambda xml: xml.replace("<f>1/(1+EXP(-N18))</f>", "<f>1/(1+EXP(-L18))</f>", 1), "2")
    result = check.check([src], engine=OWN)[0]
    assert result.verdict == "wrong"
    out = tmp_path / "marked.xlsx"
    assert mark.mark(result, out) == 1
    before, after = parts(src), parts(out)
    assert set(after) == set(before)  # its comments part and drawing are appended to, not added
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {"xl/worksheets/sheet2.xml", "xl/styles.xml", "xl/comments1.xml", "xl/drawings/vmlDrawing1.vml"}
    assert all(before[n] == after[n] for n in before if n.startswith(("xl/charts/", "xl/drawings/drawing")))
    ws = openpyxl.load_workbook(out)["LR 0.1"]
    assert ws["O18"].fill.fgColor.rgb == mark.FIRST
    assert ws["O18"].comment.text.endswith("fix: =1/(1+EXP(-N18))")
    assert ws["AD17"].comment.text.startswith("∂E_total/∂w8 = ")  # sheetgen's own comment, still there


def test_a_right_workbook_gets_no_marks_and_says_so(tmp_path, capsys):
    src = tmp_path / "right.xlsx"
    handmade.write(handmade.BLOCK, src)
    out = tmp_path / "right-marked.xlsx"
    assert mark.mark(check.check([src], engine=OWN)[0], out) == 0
    assert not out.exists()


def test_never_over_the_workbook_itself(slipped, tmp_path):
    src, _, result = slipped
    with pytest.raises(WorkbookError, match="is the workbook being checked"):
        mark.mark(result, src)
    link = tmp_path / "link.xlsx"
    link.symlink_to(src)
    with pytest.raises(WorkbookError, match="is the workbook being checked"):
        mark.mark(result, link)
    assert cli.main(["check", str(src), "--mark", str(src), "-q"]) == 2


@pytest.mark.libreoffice
def test_the_cli_marks_and_libreoffice_shows_the_red_cell(slipped, tmp_path, capsys):
    carlito()
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm missing (poppler-utils; make test installs it)")
    src, _, _ = slipped
    out = tmp_path / "marked.xlsx"
    assert cli.main(["check", str(src), "--mark", str(out), "-q"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == f"marked 12 cells in {out}"
    plain = tmp_path / "plain.xlsx"
    shutil.copy(src, plain)
    red = lambda r, g, b: r > 230 and g < 40 and b < 40  # noqa: E731  mark.FIRST, FF0000
    pink = lambda r, g, b: r > 240 and 190 < g < 210 and 195 < b < 215  # noqa: E731  mark.OTHERS, FFC7CE
    counts = {}
    for pdf in recalc.to_pdf([out, plain], tmp_path):
        subprocess.run(["pdftoppm", "-r", "60", str(pdf), str(tmp_path / pdf.stem)], check=True)
        images = [pixels(p.read_bytes())[2] for p in sorted(tmp_path.glob(f"{pdf.stem}-*.ppm"))]
        counts[pdf.stem] = sum(coloured(i, red) for i in images), sum(coloured(i, pink) for i in images)
    assert counts["plain"] == (0, 0)
    assert counts["marked"][0] > 50 and counts["marked"][1] > 11 * 50


def test_a_file_an_earlier_csv_holds_is_checked_again_to_be_marked(tmp_path, capsys):
    # `--csv` skips a file an earlier run checked; with `--mark` there was then no result to mark
    # (AttributeError): the file to mark is checked again, and its row is the new one
    src, grades = tmp_path / "built.xlsx", tmp_path / "grades.csv"
    assert cli.main(["build", "-q", "--iterations", "3", "-o", str(src)]) == 0
    assert cli.main(["check", "-q", str(src), "--csv", str(grades)]) == 0
    assert cli.main(["check", "-q", str(src), "--csv", str(grades), "--mark", str(tmp_path / "marked.xlsx")]) == 0
    assert "nothing to mark (right)" in capsys.readouterr().out
    assert [line.split(",")[:2] for line in grades.read_text().splitlines()[1:]] == [[str(src), "right"]]

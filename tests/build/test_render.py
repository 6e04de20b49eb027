"""What a person sees: the workbook as LibreOffice prints it, in Calibri's metrics (Carlito), and
the report's pictures."""

import functools
import logging
import re
import shutil
import subprocess

import pytest

from sheetgen import cli
from sheetgen.build import metrics, workbook
from sheetgen.model import reference, spec
from sheetgen.xlsx import recalc
from tests.conftest import carlito, edit_sheets, set_cell_value

DPI = 150  # pages are looked at as images at this resolution
TABS = ["LR 0.1", "LR 0.2", "LR 0.5", "LR 0.8", "LR 1.0", "LR 2.0"]
# a deeper net whose weights, biases and gradients go negative
DEEP = dict(layers=[3, 4, 2], activation=["tanh", "sigmoid"], bias="trainable", seed=7, inputs=[1, 0, 1])
# a linear net stepping too far: its numbers grow past 1e300 before they overflow into #NUM!
DIVERGING = dict(activation="linear", learning_rates=[0.1, 50.0], iterations=20)


def pixels(ppm: bytes) -> tuple[int, int, bytes]:
    """width, height, RGB bytes of a binary PPM (what pdftoppm writes by default)."""
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
    return int(m[1]), int(m[2]), ppm[m.end() :]


def coloured(rgb: bytes, test) -> int:
    return sum(1 for i in range(0, len(rgb), 3) if test(rgb[i], rgb[i + 1], rgb[i + 2]))


@pytest.fixture(scope="module")
def printouts(era, tmp_path_factory) -> dict[str, tuple[list[str], list]]:
    """name -> (the text of each printed page, each page's image), all from one LibreOffice run."""
    carlito()
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.fail("pdftoppm/pdftotext missing (poppler-utils; make test installs them)")
    where = tmp_path_factory.mktemp("pdf")
    books = {"era": era, "deep": where / "deep.xlsx"}
    workbook.build(spec.load("era").with_overrides(**DEEP), books["deep"])
    for name in ("era", "deep"):  # the same without their charts, to see what the charts cover
        books[f"{name}-bare"] = where / f"{name}-bare.xlsx"
        edit_sheets(books[name], books[f"{name}-bare"], lambda xml: re.sub(r"<drawing [^>]*/>", "", xml))
    books["diverging"] = where / "diverging.xlsx"  # weights grow to 1e150 and beyond before #NUM!
    workbook.build(spec.load("era").with_overrides(**DIVERGING), books["diverging"])
    books["eta"] = where / "eta.xlsx"  # a user typed η = 0.7 into LR 0.1 (B14 is named eta)
    edit_sheets(era, books["eta"], lambda xml: set_cell_value(xml, "B14", 0.7), "2")
    out = {}
    for name, pdf in zip(books, recalc.to_pdf(list(books.values()), where), strict=True):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
        pages = text.stdout.split("\f")[:-1]
        subprocess.run(["pdftoppm", "-r", str(DPI), str(pdf), str(where / name)], check=True)
        images = sorted(where.glob(f"{name}-*.ppm"))
        assert len(images) == len(pages)
        html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
        out[name] = pages, images, [words(page) for page in html.stdout.split("<page ")[1:]]
    return out


@pytest.fixture(scope="module")
def printed(printouts):
    return printouts["era"][:2]


@pytest.mark.parametrize("name", ["era", "deep"])
def test_a_page_for_every_tab(printouts, name):
    pages = printouts[name][0]
    etas = [tab[3:].removesuffix(".0") for tab in TABS]  # the titles write η = 1 for 1.0, as Excel does
    titles = [next((n for n, p in enumerate(pages) if title in p), None) for title in (
        "Summary — E_total", *[f"η = {eta} — " for eta in etas], "Derivation — generated")]  # fmt: skip
    assert None not in titles and titles == sorted(titles)  # each tab printed, in tab order
    assert len(pages) == 8  # one page each: Summary, six tabs, Derivation


@pytest.mark.parametrize("name", ["era", "deep", "diverging"])
def test_every_number_fits_its_column(printouts, name):
    """In Calibri's metrics a number wider than its column prints as ###: nowhere, whatever its sign
    or magnitude."""
    pages = printouts[name][0]
    hidden = [(n + 1, line.strip()) for n, page in enumerate(pages) for line in page.splitlines() if "###" in line]
    assert not hidden, f"{len(hidden)} lines with ###, the first on page {hidden[0][0]}: {hidden[0][1][:200]}"


def test_huge_numbers_turn_to_e_notation_and_columns_stay_narrow(tmp_path):
    """Written out in 0.0000000000 a weight of 1e150 takes 161 characters: from 10^6 on, a cell shows
    its number in E notation instead, and no column grows wider than such a number needs."""
    import openpyxl

    path = tmp_path / "diverging.xlsx"
    workbook.build(spec.load("era").with_overrides(**DIVERGING), path)
    ws = openpyxl.load_workbook(path)["LR 50.0"]
    cached = openpyxl.load_workbook(path, data_only=True)["LR 50.0"]
    huge = [
        (c.coordinate, c.number_format)
        for row in ws.iter_rows(min_row=18, min_col=2)
        for c in row
        if isinstance(v := cached[c.coordinate].value, float) and abs(v) >= 1e6
    ]
    assert len(huge) > 50 and {f for _, f in huge} == {metrics.SCIENTIFIC}
    widths = {letter: dim.width for letter, dim in ws.column_dimensions.items() if dim.width}
    assert max(widths.values()) < 20, widths  # "-1.234568E+300" and the like


def test_calibri_widths_are_carlitos():
    """The width table sheetgen sizes columns with is Carlito's (Calibri's) own advance widths."""
    ttlib = pytest.importorskip("fontTools.ttLib")  # comes with matplotlib, a test dependency
    for style, file in (("regular", "Regular"), ("bold", "Bold"), ("italic", "Italic")):
        font = ttlib.TTFont(carlito()[file])
        cmap, hmtx = font.getBestCmap(), font["hmtx"]
        assert font["head"].unitsPerEm == metrics.UNITS_PER_EM
        for ch, width in metrics.ADVANCE[style].items():
            assert hmtx[cmap[ord(ch)]][0] == width, (style, ch)


def red(r, g, b):  # a tab chart's E_total line is dark red
    return r > 150 and g < 60 and b < 60


def test_charts_are_drawn_not_blank(printed):
    pages, images = printed
    for n, page in enumerate(pages):
        width, height, rgb = pixels(images[n].read_bytes())
        if "Derivation — generated" in page:
            assert coloured(rgb, red) < 20  # no chart here: the pixel check can tell
        elif "η = " in page[:200]:
            assert coloured(rgb, red) > 100, f"page {n + 1}: its chart looks blank"
        if "Summary — E_total" in page:
            # six series in six hues, on two charts
            hues = {(r // 64, g // 64, b // 64) for i in range(0, len(rgb), 3)
                    if max(r := rgb[i], g := rgb[i + 1], b := rgb[i + 2]) - min(r, g, b) > 80}  # fmt: skip
            assert len(hues) >= 5, f"Summary page shows {len(hues)} hues"


def test_report_writes_readme_and_seven_pictures(tmp_path, capsys):
    assert cli.main(["report", "-o", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["E_total_LR_0.1.png", "E_total_LR_0.2.png", "E_total_LR_0.5.png", "E_total_LR_0.8.png",
                     "E_total_LR_1.0.png", "E_total_LR_2.0.png", "E_total_all.png", "README.md"]  # fmt: skip
    readme = (tmp_path / "README.md").read_text()
    assert (
        "∂E_total/∂w1 = ((a_o1 − t1)·a_o1·(1 − a_o1)·w5 + (a_o2 − t2)·a_o2·(1 − a_o2)·w7)·a_h1·(1 − a_h1)·i1" in readme
    )
    assert all(f"]({name})" in readme for name in names[:-1]) and "| 2.0 | 0.0141814 |" in readme
    for png in names[:-1]:
        data = (tmp_path / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") >= 880  # wide enough


def test_report_never_replaces_a_readme_it_did_not_write(tmp_path, capsys):
    (tmp_path / "README.md").write_text("my own notes")
    assert cli.main(["report", "-o", str(tmp_path)]) == 2
    assert "was not written by sheetgen report" in capsys.readouterr().err
    assert (tmp_path / "README.md").read_text() == "my own notes"


# -- nothing hidden under a chart ---------------------------------------------------------------
EMU_PER_PX = 9525
PAD_PX, INDENT_PX = 2, 10  # a cell's inner margin; one level of indent (at least)


@functools.cache
def fonts() -> dict:
    """Carlito's four styles, read with fontTools (which comes with matplotlib, a test dependency)."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # its note on Carlito's old timestamp
    files = carlito()
    return {style: ttlib.TTFont(files[style]) for style in ("Regular", "Bold", "Italic", "Bold Italic")}


@functools.cache
def book(path):
    import openpyxl

    return openpyxl.load_workbook(path, data_only=True)


class Geometry:
    """Where a sheet's cells, their text and its charts lie, in pixels, as Excel lays them out: column
    widths from the file, rows 20 px (15 pt), text measured in Carlito (not in sheetgen's own table)."""

    def __init__(self, path, sheet: int):
        import zipfile

        self.fonts = fonts()
        with zipfile.ZipFile(path) as z:
            xml = z.read(f"xl/worksheets/sheet{sheet}.xml").decode()
            rels = z.read(f"xl/worksheets/_rels/sheet{sheet}.xml.rels").decode()
            drawing = re.search(r'Target="../drawings/(drawing\d+\.xml)"', rels)
            anchors = z.read(f"xl/drawings/{drawing[1]}").decode() if drawing else ""
        self.widths = {}  # 0-based column -> px
        for m in re.finditer(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"', xml):
            for c in range(int(m[1]) - 1, int(m[2])):
                self.widths[c] = round(float(m[3]) * 7)
        self.ws = book(path).worksheets[sheet - 1]
        self.charts = []
        for anchor in re.findall(r"<xdr:twoCellAnchor.*?</xdr:twoCellAnchor>", anchors, re.S):
            (c0, dx0, r0, dy0), (c1, dx1, r1, dy1) = (
                [int(v) for v in re.findall(r"<xdr:(?:col|colOff|row|rowOff)>(\d+)<", part)]
                for part in re.findall(r"<xdr:(?:from|to)>.*?</xdr:(?:from|to)>", anchor, re.S)
            )
            self.charts.append(
                (self.x(c0) + dx0 / EMU_PER_PX, self.y(r0) + dy0 / EMU_PER_PX,
                 self.x(c1) + dx1 / EMU_PER_PX, self.y(r1) + dy1 / EMU_PER_PX)
            )  # fmt: skip

    def x(self, col: int) -> float:
        return sum(self.widths.get(c, 64) for c in range(col))

    def y(self, row: int) -> float:
        return 20 * row

    def text_px(self, text: str, font) -> float:
        style = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic"}.get(
            (bool(font.b), bool(font.i)), "Bold Italic"
        )
        ttf = self.fonts[style]
        cmap, hmtx = ttf.getBestCmap(), ttf["hmtx"]
        units = sum(hmtx[cmap.get(ord(ch), ".notdef")][0] for ch in text)
        return units / ttf["head"].unitsPerEm * (font.sz or 11) * 96 / 72

    def boxes(self):
        """(cell, what it shows, (x0, y0, x1, y1)) of every non-empty cell: a text runs on into empty
        neighbours as far as it reaches (left-aligned to the right, right-aligned to the left)."""
        filled = {(c.row - 1, c.column - 1) for row in self.ws.iter_rows() for c in row if c.value not in (None, "")}
        for r, c in sorted(filled):
            cell = self.ws.cell(r + 1, c + 1)
            x0, x1 = self.x(c), self.x(c + 1)
            if isinstance(cell.value, str):
                text = PAD_PX + INDENT_PX * (cell.alignment.indent or 0) + self.text_px(cell.value, cell.font)
                if cell.alignment.horizontal == "right":
                    left = max((n for n in range(c) if (r, n) in filled), default=-1)
                    x0 = max(self.x(left + 1), x1 - text)
                elif cell.alignment.horizontal != "center":
                    right = min((n for n in range(c + 1, c + 200) if (r, n) in filled), default=c + 200)
                    x1 = min(self.x(right), x0 + text)
            yield cell.coordinate, cell.value, (x0, self.y(r), x1, self.y(r + 1))


def overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.fixture(scope="module")
def deep_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("deep") / "deep.xlsx"
    workbook.build(spec.load("era").with_overrides(**DEEP), path)
    return path


@pytest.mark.parametrize("name", ["era", "deep"])
def test_no_chart_covers_a_cell(era, deep_book, name):
    """The title, the parameters and their notes, the Summary's table: no chart lies over any of them,
    nor over the text they run on with."""
    path = {"era": era, "deep": deep_book}[name]
    for sheet in range(1, 8):  # the Summary and the six learning-rate tabs
        page = Geometry(path, sheet)
        assert page.charts, f"sheet {sheet} has no chart"
        hidden = [(at, text) for at, text, box in page.boxes() if any(overlap(box, ch) for ch in page.charts)]
        assert not hidden, f"{page.ws.title}: under a chart: {hidden[:5]}"


def words(pdf_page_html: str) -> list[tuple[float, float, float, float, str]]:
    return [
        (float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5])
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                             pdf_page_html)
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["era", "deep"])
def test_no_chart_covers_a_word_of_the_title_or_parameters(printouts, name):
    """Printed, each word above the table (the title, every label, value and note) looks the same as
    on the same page printed without its chart: no chart is drawn over it."""
    pages, images, boxes = printouts[name]
    _, bare_images, bare_boxes = printouts[f"{name}-bare"]
    for n, page in enumerate(pages):
        if not re.match(r"\s*η = ", page):
            continue  # the learning-rate tabs
        header = min(y0 for x0, y0, x1, y1, word in boxes[n] if word == "Iteration")
        band = [w for w in boxes[n] if w[1] < header and w in bare_boxes[n]]  # not the chart's own words
        assert len(band) >= 3 * 13 and page.split()[0] == band[0][4] == "η"  # the title, labels, values, notes
        width, _, rgb = pixels(images[n].read_bytes())
        bare = pixels(bare_images[n].read_bytes())[2]
        covered = [w[4] for w in band if cut(rgb, width, w[:4]) != cut(bare, width, w[:4])]
        assert not covered, f"page {n + 1}: under the chart: {' '.join(covered)}"


def cut(rgb: bytes, width: int, box) -> list[bytes]:
    """The pixels of a page image inside a box given in PDF points."""
    x0, y0, x1, y1 = (round(v * DPI / 72) for v in box)
    return [rgb[3 * (y * width + x0) : 3 * (y * width + x1)] for y in range(y0, y1)]


@pytest.mark.parametrize("name", ["era", "deep"])
def test_parameter_values_stand_apart_from_their_notes(printouts, name):
    """Printed, a parameter's value and the note after it are separate words ("0.05  input"), at
    least half the font's height apart, not run together ("0.05input")."""
    pages, _, boxes = printouts[name]
    number = re.compile(r"-?\d+(\.\d+)?")
    for n, page in enumerate(pages):
        if not re.match(r"\s*η = ", page):
            continue
        header = min(y0 for x0, y0, x1, y1, word in boxes[n] if word == "Iteration")
        title = boxes[n][0][3]  # below the title's line
        band = sorted((w for w in boxes[n] if title < w[1] < header), key=lambda w: (round(w[1], 1), w[0]))
        pairs = [(a, b) for a, b in zip(band, band[1:]) if abs(a[1] - b[1]) < 0.1 and number.fullmatch(a[4])]
        notes = [(a, b) for a, b in pairs if not number.fullmatch(b[4])]
        assert len(notes) >= 13, f"page {n + 1}: {len(notes)} values with notes found"
        close = [
            (a[4], b[4], round((b[0] - a[2]) / (a[3] - a[1]), 2)) for a, b in notes if b[0] - a[2] < 0.5 * (a[3] - a[1])
        ]
        assert not close, f"page {n + 1}: values run into their notes (gap / height): {close[:5]}"


def test_a_typed_eta_shows_in_the_titles_and_legends_as_printed(printouts):
    """η = 0.7 typed into LR 0.1: its page's title, and the Summary's table and the legends of both its
    charts, say η = 0.7; on the Summary nothing says η = 0.1 any more. (The tab's chart title is linked
    to the same cell; Excel follows it, LibreOffice 7.4 shows the title cached when built.)"""
    pages = printouts["eta"][0]
    tab = next(p for p in pages if p.lstrip().startswith("η = "))
    assert tab.lstrip().startswith("η = 0.7 — ERA session 6")
    summary = next(p for p in pages if p.lstrip().startswith("Summary"))
    assert summary.count("η = 0.7") == 3 and "η = 0.1" not in summary  # chart label, two legends
    assert summary.count("η = 0.2") == 3


def test_a_diverging_tab_prints_where_it_turns_num(printouts):
    """Printed, the diverging tab's chart carries its label, "#NUM! from iteration 8" (the number the
    reference gives), above its table; the converging tab's page has no #NUM! at all."""
    pages, _, boxes = printouts["diverging"]
    first = reference.first_error(reference.run(spec.load("era").with_overrides(**DIVERGING), 50.0))
    label = ["#NUM!", "from", "iteration", str(first)]
    for n, page in enumerate(pages):
        if page.lstrip().startswith("η = 50 — "):
            header = min(y0 for x0, y0, x1, y1, word in boxes[n] if word == "Iteration")
            band = [w[4] for w in boxes[n] if w[3] < header]
            assert any(band[i : i + 4] == label for i in range(len(band))), f"page {n + 1}: no {' '.join(label)}"
        elif page.lstrip().startswith("η = 0.1 — "):
            assert "#NUM!" not in page

"""What a person sees: the workbook as LibreOffice prints it, in Calibri's metrics (Carlito), and
the report's pictures."""

import re
import shutil
import subprocess

import pytest

from sheetgen import cli, metrics, recalc, spec, workbook

from .conftest import carlito

TABS = ["LR 0.1", "LR 0.2", "LR 0.5", "LR 0.8", "LR 1.0", "LR 2.0"]
# a deeper net whose weights, biases and gradients go negative
DEEP = dict(layers=[3, 4, 2], activation=["tanh", "sigmoid"], bias="trainable", seed=7, inputs=[1, 0, 1])


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
    out = {}
    for name, pdf in zip(books, recalc.to_pdf(list(books.values()), where), strict=True):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
        pages = text.stdout.split("\f")[:-1]
        subprocess.run(["pdftoppm", "-r", "150", str(pdf), str(where / name)], check=True)
        images = sorted(where.glob(f"{name}-*.ppm"))
        assert len(images) == len(pages)
        out[name] = pages, images
    return out


@pytest.fixture(scope="module")
def printed(printouts):
    return printouts["era"]


@pytest.mark.parametrize("name", ["era", "deep"])
def test_a_page_for_every_tab(printouts, name):
    pages, _ = printouts[name]
    titles = [next((n for n, p in enumerate(pages) if title in p), None) for title in (
        "Summary — E_total", *[f"η = {tab[3:]} — " for tab in TABS], "Derivation — generated")]  # fmt: skip
    assert None not in titles and titles == sorted(titles)  # each tab printed, in tab order
    assert len(pages) == 8  # one page each: Summary, six tabs, Derivation


@pytest.mark.parametrize("name", ["era", "deep"])
def test_every_number_fits_its_column(printouts, name):
    """In Calibri's metrics a number wider than its column prints as ###: nowhere, whatever its sign
    or magnitude."""
    pages, _ = printouts[name]
    hidden = [(n + 1, line.strip()) for n, page in enumerate(pages) for line in page.splitlines() if "###" in line]
    assert not hidden, f"{len(hidden)} lines with ###, the first on page {hidden[0][0]}: {hidden[0][1][:200]}"


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

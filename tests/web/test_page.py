"""The page in a real browser: the Check tab's verdicts, grids and write-ups; Build's bytes; Grade's CSV;
and not one request beyond the page's own origin."""

import re
import time
import urllib.parse
from pathlib import Path

import pytest

from sheetgen import check, cli
from sheetgen.check.run import OWN
from tests import handmade
from tests.web.conftest import WEB, drop, requests, wait

pytestmark = pytest.mark.browser
CHROMIUMS_OWN = {"update.googleapis.com", "accounts.google.com", "clients2.google.com",
                 "content-autofill.googleapis.com"}  # fmt: skip
DOCS = Path(__file__).resolve().parent.parent.parent / "docs"
SLIP = handmade.slips(handmade.BLOCK)[0]  # ∂E_total/∂w3 with a_h1 for a_h2: the course's class sheet's slip
# a write-up of the seeds' network, one line wrong: ∂E_total/∂w5 through a_h2 where a_h1 belongs
WRITEUP = """# Backpropagation by hand

h1 = w1*i1 + w2*i2
a_h1 = 1/(1+exp(-h1))
E_total = 1/2*(t1 - a_o1)^2 + 1/2*(t2 - a_o2)^2
dE_total/dw5 = (a_o1 - t1) * a_o1*(1 - a_o1) * a_h2
w5_new = w5 - eta * dE_total/dw5
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    where = tmp_path_factory.mktemp("handmade")
    out = {"wrong": where / "class_sheet_slip.xlsx", "right": where / "my_backprop.xlsx", "writeup": where / "notes.md"}
    out["first"] = handmade.write(handmade.BLOCK, out["wrong"], [SLIP])[handmade.canonical(SLIP.q)]
    handmade.write(handmade.BLOCK, out["right"])
    out["writeup"].write_text(WRITEUP, encoding="utf-8")
    return out


def cli_lines(path: Path, monkeypatch) -> list[str]:
    """What the library says of the file, named as the page names it (the same code, run here)."""
    monkeypatch.chdir(path.parent)
    return check.text(check.check([Path(path.name)], engine=OWN)[0])


def section(browser, name):
    return browser.find_element("css selector", f'section.file[data-file="{name}"]')


def test_a_workbook_with_a_slip_gets_its_verdict_the_marked_cell_and_the_fix(browser, files, monkeypatch):
    path = files["wrong"]
    drop(browser, [path])
    card = section(browser, path.name)
    assert card.get_attribute("data-verdict") == "wrong"
    assert card.find_element("css selector", ".verdict").text == "WRONG"
    # the grid: the first wrong cell marked, under the header as the student wrote it, its column's wrong rows shaded
    (first,) = card.find_elements("css selector", "table.grid td.first")
    index = browser.execute_script("return arguments[0].cellIndex", first)
    letters = card.find_elements("css selector", "table.grid thead tr:first-child th")[index].text
    row = first.find_element("xpath", "..").find_element("css selector", "th").text
    assert f"{letters}{row}" == files["first"]
    assert card.find_elements("css selector", "table.grid thead tr.headers th")[index].text == "dE/dw3"
    assert len(card.find_elements("css selector", "table.grid td.wrong")) >= 5
    fix = card.find_element("css selector", ".mistake dd.fix").text
    assert fix == "=((P10-$B$4)*P10*(1-P10)*H10+(R10-$B$5)*R10*(1-R10)*J10)*N10*(1-N10)*$B$2"
    assert card.find_element("css selector", ".mistake dd.why").text.startswith("uses a_h1 (L10) where a_h2 (N10)")
    assert card.find_element("css selector", ".mistake dd.first-wrong-cell").text.startswith("Backprop!X10")
    # word for word what the command line says (its values line aside: the page computes, the CLI asks LibreOffice)
    assert card.find_element("css selector", "pre.cli").text.splitlines() == cli_lines(path, monkeypatch)
    assert "sheetgen's own formula evaluator" in card.find_element("css selector", ".note").text
    assert card.find_elements("css selector", "button.mark")
    browser.save_screenshot(str(DOCS / "web-wrong.png"))


def test_a_right_workbook_is_right_and_nothing_is_marked(browser, files, monkeypatch):
    path = files["right"]
    drop(browser, [path])
    card = section(browser, path.name)
    assert card.get_attribute("data-verdict") == "right"
    assert card.find_element("css selector", ".verdict").text == "RIGHT"
    assert not card.find_elements("css selector", "table.grid, td.first, td.wrong, button.mark")
    assert "Nothing to mark" in card.text
    assert card.find_element("css selector", "pre.cli").text.splitlines() == cli_lines(path, monkeypatch)
    browser.save_screenshot(str(DOCS / "web-right.png"))


def test_a_writeup_shows_its_one_wrong_line_in_place(browser, files, monkeypatch):
    path = files["writeup"]
    drop(browser, [path])
    card = section(browser, path.name)
    assert card.get_attribute("data-verdict") == "wrong"
    (wrong,) = card.find_elements("css selector", "ol.writeup li.wrong")
    assert wrong.get_attribute("value") == "6"
    assert "a_h2" in wrong.find_element("css selector", "code").text
    assert "∂E_total/∂w5" in wrong.find_element("css selector", ".why").text
    assert len(card.find_elements("css selector", "ol.writeup li")) == len(WRITEUP.splitlines())
    assert card.find_element("css selector", "pre.cli").text.splitlines() == cli_lines(path, monkeypatch)
    browser.save_screenshot(str(DOCS / "web-writeup.png"))


def test_the_build_tab_downloads_the_clis_workbook_byte_for_byte(browser, downloads, tmp_path):
    browser.find_element("css selector", "nav button[data-tab=build]").click()
    form = browser.find_element("css selector", "#build-form")
    form.find_element("name", "learning_rates").clear()
    form.find_element("name", "learning_rates").send_keys("0.5, 1.0")
    form.find_element("name", "iterations").clear()
    form.find_element("name", "iterations").send_keys("40")
    form.find_element("css selector", "select[name=optimizer] option[value=adam]").click()
    for old in downloads.glob("*.xlsx"):
        old.unlink()
    form.find_element("css selector", "button[type=submit]").click()
    got = wait(browser, lambda d: next(iter(downloads.glob("*.xlsx")), None), 60, "no workbook downloaded")
    time.sleep(0.5)  # the download renamed into place
    mine = tmp_path / "cli.xlsx"
    assert cli.main(["build", "era", "--lr", "0.5,1.0", "--iterations", "40", "--optimizer", "adam", "-q",
                     "-o", str(mine)]) == 0  # fmt: skip
    assert got.name == "ERA_backprop.xlsx"
    assert got.read_bytes() == mine.read_bytes()
    assert browser.find_element("css selector", "#build-out").text == "wrote ERA_backprop.xlsx: 2 tabs × 40 iterations"


def test_no_request_leaves_the_pages_origin(browser, site, files):
    drop(browser, [files["wrong"], files["writeup"]])
    # the page's own requests, as Chrome's DevTools log has them
    page = requests(browser)
    assert any(u.endswith("/worker.js") for u in page)
    assert [u for u in page if not u.startswith((site.url, "blob:", "data:"))] == []
    # and every request of the browser, its worker's too (Pyodide, the wheels), as the proxy saw them;
    # Chromium's own services (its updater, Google sign-in), which it calls whatever page is open, set aside
    assert any(u.endswith("/pyodide/pyodide.asm.wasm") for u in site.seen)
    assert any("/wheels/sheetgen-" in u for u in site.seen)
    foreign = [u for u in site.seen if not u.startswith(site.url)]
    assert [u for u in foreign if urllib.parse.urlsplit(u).hostname not in CHROMIUMS_OWN] == [], "\n".join(foreign)
    # nor does the page's code name any other place
    for name in ("index.html", "app.js", "worker.js", "style.css"):
        text = (WEB / name).read_text(encoding="utf-8")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), name


@pytest.mark.libreoffice  # the marked copy is also printed by LibreOffice, to see the fill
def test_the_marked_workbook_downloads_as_check_mark_writes_it(browser, downloads, files, tmp_path, monkeypatch):
    path = files["wrong"]
    drop(browser, [path])
    for old in downloads.glob("*-marked.xlsx"):
        old.unlink()
    section(browser, path.name).find_element("css selector", "button.mark").click()
    got = wait(browser, lambda d: next(iter(downloads.glob("*-marked.xlsx")), None), 60, "no marked workbook")
    time.sleep(0.5)
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "cli-marked.xlsx"
    assert cli.main(["check", str(path), "--mark", str(mine), "-q"]) == 1
    assert got.name == "class_sheet_slip-marked.xlsx"
    assert got.read_bytes() == mine.read_bytes()


def test_the_grade_tab_gives_the_csv_of_check_class(browser, downloads, tmp_path, monkeypatch, capsys):
    roster = tmp_path / "roster.txt"
    roster.write_text("ada\nbob\ncyd\n")
    klass = tmp_path / "class"
    assert cli.main(["class", str(roster), "era", "-o", str(klass), "--seed", "7", "-q"]) == 0
    handed = tmp_path / "handed"
    handed.mkdir()
    (handed / "ada.xlsx").write_bytes((klass / "keys" / "ada.xlsx").read_bytes())
    (handed / "bob_copy.xlsx").write_bytes((klass / "keys" / "ada.xlsx").read_bytes())  # ada's numbers again
    browser.find_element("css selector", "nav button[data-tab=grade]").click()
    browser.find_element("css selector", "#grade-class").send_keys(str(klass / "class.json"))
    browser.find_element("css selector", "#grade-files").send_keys(f"{handed / 'ada.xlsx'}\n{handed / 'bob_copy.xlsx'}")
    for old in downloads.glob("grades*.csv"):
        old.unlink()
    browser.find_element("css selector", "#grade-go").click()
    wait(browser, lambda d: d.find_elements("css selector", "#grades button"), 120, "no grades")
    verdicts = [tr.get_attribute("data-verdict") for tr in browser.find_elements("css selector", "table.grades tr")]
    assert verdicts[1:] == ["duplicate", "duplicate", "no submission", "no submission"]
    browser.find_element("css selector", "#grades button").click()
    got = wait(browser, lambda d: next(iter(downloads.glob("grades*.csv")), None), 60, "no CSV downloaded")
    time.sleep(0.5)
    monkeypatch.chdir(handed)
    assert cli.main(["check", "--class", str(klass), "ada.xlsx", "bob_copy.xlsx", "--csv", "cli.csv", "-q"]) == 1
    assert got.read_bytes() == (handed / "cli.csv").read_bytes()

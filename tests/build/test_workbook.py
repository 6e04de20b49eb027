"""Stage 5: what the written file holds — tabs, named inputs, charts, panes, determinism."""

import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from sheetgen import cli
from sheetgen.build import workbook
from sheetgen.model import reference, spec
from sheetgen.xlsx import excel, reader
from tests.conftest import CELLS_LEAKY

TABS = ["LR 0.1", "LR 0.2", "LR 0.5", "LR 0.8", "LR 1.0", "LR 2.0"]
PARAMS = ["i_1", "i_2", "t_1", "t_2", *[f"w_{k}" for k in range(1, 9)], "eta"]


@pytest.fixture(scope="module")
def book(era):
    return openpyxl.load_workbook(era)


def test_summary_first_then_one_tab_per_learning_rate_in_template_order(book):
    assert book.sheetnames == ["Summary", *TABS, "Derivation"]


def test_parameters_are_named_input_cells_per_tab(book, era_spec):
    values = [*era_spec.inputs, *era_spec.targets, *era_spec.weights]
    for tab, eta in zip(TABS, era_spec.learning_rates):
        ws = book[tab]
        assert sorted(ws.defined_names) == sorted(PARAMS)
        cells = {name: next(ws.defined_names[name].destinations) for name in PARAMS}
        assert {sheet for sheet, _ in cells.values()} == {tab}  # sheet-level, pointing at its own tab
        got = [ws[coord.replace("$", "")].value for _, coord in cells.values()]
        assert got == [*values, eta]
        assert cells["t_1"][1] == "$B$4" and cells["t_2"][1] == "$B$5"  # conftest's what-if edits these
        fills = {ws[coord.replace("$", "")].fill.fgColor.rgb for _, coord in cells.values()}
        assert fills == {"FFFFF2CC"} and ws["J18"].fill.fgColor.rgb != "FFFFF2CC"  # inputs styled apart


def test_every_table_cell_but_iteration_is_a_formula(book, era_spec):
    for tab in TABS:
        rows = list(book[tab].iter_rows(min_row=18, max_row=17 + era_spec.iterations, values_only=True))
        assert len(rows) == 100 and [r[0] for r in rows] == list(range(1, 101))
        assert all(isinstance(v, str) and v.startswith("=") for r in rows for v in r[1:30])
        assert book[tab].max_row == 117


def test_cached_results_are_the_reference(era, era_spec):
    cached = openpyxl.load_workbook(era, data_only=True)
    for tab, eta in zip(TABS, era_spec.learning_rates):
        ws, trace = cached[tab], reference.run(era_spec, eta)
        header = [c.value for c in ws[17]]
        for n, row in enumerate(ws.iter_rows(min_row=18, max_row=117, values_only=True)):
            assert all(row[c] == trace[header[c]][n] for c in range(1, 30))


def charts_of(z, sheet: int) -> list[str]:
    """The chart XML drawn on worksheet number `sheet` (1-based), following the package's links."""
    rels = z.read(f"xl/worksheets/_rels/sheet{sheet}.xml.rels").decode()
    drawing = re.search(r'Target="../drawings/(drawing\d+\.xml)"', rels)[1]
    links = z.read(f"xl/drawings/_rels/{drawing}.rels").decode()
    return [z.read(f"xl/charts/{c}").decode() for c in re.findall(r'Target="../charts/(chart\d+\.xml)"', links)]


def test_each_tab_has_a_native_line_chart_of_e_total(era):
    with zipfile.ZipFile(era) as z:
        for n, tab in enumerate(TABS, 2):
            (xml,) = charts_of(z, n)
            # titled by the Summary's chart label of the tab (column O): "η = 0.1", following its η
            assert "<c:lineChart>" in xml and f"<c:f>Summary!$O${n + 4}</c:f>" in xml
            assert f"'{tab}'!$T$18:$T$117" in xml and f"'{tab}'!$A$18:$A$117" in xml
            assert "Iteration" in xml  # axis title


def test_summary_charts_every_learning_rate_twice_once_on_a_log_axis(era):
    with zipfile.ZipFile(era) as z:
        linear, log = charts_of(z, 1)
    for xml in (linear, log):
        assert "<c:lineChart>" in xml and xml.count("<c:ser>") == 6
        assert all(
            f"'{tab}'!$T$18:$T$117" in xml and f"<c:f>Summary!$O${n}</c:f>" in xml for n, tab in enumerate(TABS, 6)
        )
    assert '<c:logBase val="10"/>' in log and "logBase" not in linear


def test_panes_frozen_under_the_header(era):
    with zipfile.ZipFile(era) as z:
        xml = z.read("xl/worksheets/sheet2.xml").decode()
    assert re.search(r'<pane xSplit="1" ySplit="17" topLeftCell="B18" [^>]*state="frozen"', xml)


def test_same_template_gives_a_byte_identical_file(era, era_spec, tmp_path):
    again = tmp_path / "again.xlsx"
    assert workbook.build(era_spec, again) == {}  # nothing diverges
    assert again.read_bytes() == era.read_bytes()


def test_marked_as_ours_with_the_network(era):
    from sheetgen.check import verify

    assert verify.network(era)["layers"] == [2, 2, 2]


def test_every_header_carries_its_formula_as_a_note(book):
    for tab in TABS:
        notes = {c.value: c.comment.text for c in book[tab][17] if c.value}
        assert len(notes) == 30 and all(notes.values())
    notes = {c.value: c.comment.text for c in book["LR 0.1"][17]}
    assert notes["∂E_total/∂w1"] == "∂E_total/∂w1 = ∂E_total/∂a_h1*a_h1*(1-a_h1)*i_1"
    assert notes["∂E_total/∂w7"] == "∂E_total/∂w7 = (a_o2-t_2)*a_o2*(1-a_o2)*a_h1"
    assert notes["E2"] == "E2 = 0.5*(t_2-a_o2)^2"
    assert notes["w8"].endswith("w8 = w8[previous row]-eta*∂E_total/∂w8[previous row]")


BUILDS = {
    "era": "era --iterations 30",
    "mazur": "mazur --iterations 30",  # fixed biases
    # every other activation, trainable biases, and a tab that diverges (#NUM! cached)
    "deep": "era --layers 2,3,3,3,2 --activation tanh,relu,leaky_relu,linear --bias trainable --seed 3 "
    "--iterations 20 --lr 0.5 50",
}


def build_counting_xlsxwriters_pass(argv, path) -> list[str]:
    """Build through the CLI; return every formula that went through xlsxwriter's future-function pass."""
    from xlsxwriter.worksheet import Worksheet

    from sheetgen import cli

    prepared, real = [], Worksheet._prepare_formula
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Worksheet, "_prepare_formula", lambda ws, f, *a: prepared.append(f) or real(ws, f, *a))
        assert cli.main(["build", *argv.split(), "-q", "-o", str(path)]) == 0
    return prepared


@pytest.mark.parametrize("build", BUILDS)
def test_the_fast_path_writes_what_xlsxwriters_own_path_writes(build, tmp_path, monkeypatch):
    fast = build_counting_xlsxwriters_pass(BUILDS[build], tmp_path / "fast.xlsx")
    monkeypatch.setattr(workbook, "FAST_PATH", False)
    own = build_counting_xlsxwriters_pass(BUILDS[build], tmp_path / "own.xlsx")
    # the table's formulas skipped the pass: only those outside it went through — the Summary's and the
    # Derivation's (which read the tabs as 'LR 0.1'!…), titles, captions and a validation (which hold
    # text in quotes); xlsxwriter's own path sent the table's through it too
    outside = [f for f in own if "'!" in f or '"' in f]
    table = [f for f in own if f not in outside]
    assert fast and all(f in outside for f in fast) and len(own) == len(fast) + len(table) >= 20 * 29
    assert (tmp_path / "fast.xlsx").read_bytes() == (tmp_path / "own.xlsx").read_bytes()


def test_a_column_calling_a_function_outside_the_known_set_keeps_xlsxwriters_path(tmp_path, monkeypatch):
    """Decided per column from its expression tree: without EXP in the set, exactly the four σ columns
    (a_h1, a_h2, a_o1, a_o2) go through xlsxwriter's pass, and the file is the same."""
    build_counting_xlsxwriters_pass(BUILDS["era"], tmp_path / "fast.xlsx")
    monkeypatch.setattr(workbook, "PLAIN_FUNCTIONS", workbook.PLAIN_FUNCTIONS - {"EXP"})
    some = build_counting_xlsxwriters_pass(BUILDS["era"], tmp_path / "some.xlsx")
    table = [f for f in some if "'!" not in f and '"' not in f]  # none outside the table (see above)
    assert len(table) == 6 * 30 * 4 and all(f.startswith("=1/(1+EXP(-") for f in table)
    assert (tmp_path / "some.xlsx").read_bytes() == (tmp_path / "fast.xlsx").read_bytes()


# -- --references cells -----------------------------------------------------------------------------
def _formulas(path) -> dict[tuple[str, tuple[int, int]], str]:
    return {(s.name, at): f for s in reader.iter_sheets(path) for at, (f, _) in s.cells.items() if f is not None}


def test_cells_mode_reads_every_parameter_by_address_and_defines_no_names(tmp_path):
    """The same workbook both ways: each formula of the cells-mode file is the names-mode formula
    with every defined name replaced by the absolute address it names; the file defines no names
    of its own (Excel's built-in print titles stay); notes, Derivation and Summary text are the same."""
    by_names, by_cells = tmp_path / "names.xlsx", tmp_path / "cells.xlsx"
    workbook.build(replace(CELLS_LEAKY, references="names"), by_names)
    workbook.build(CELLS_LEAKY, by_cells)
    book = reader.read(by_names)
    addresses = {
        (s.name, name): excel.a1(*at, row_abs=True, col_abs=True) for s in book.sheets for name, at in s.names.items()
    }
    assert {name for _, name in addresses} == {"i_1", "i_2", "t_1", "t_2", "b_1", "b_2", "b_3", "b_4", "alpha",
                                               "eta", "threshold"} | {f"w_{k}" for k in range(1, 9)}  # fmt: skip
    names_formulas, cells_formulas = _formulas(by_names), _formulas(by_cells)
    assert names_formulas.keys() == cells_formulas.keys() and len(cells_formulas) > 2 * 20 * 29

    def by_address(sheet_name, formula):
        tokens = excel.tokenize(formula)
        named = {t.text: addresses[(sheet_name, t.text)] for t in tokens if (sheet_name, t.text) in addresses}
        return "=" + "".join(named.get(t.text, t.text) if t.kind == "name" else t.text for t in tokens)

    replaced = 0
    for (sheet_name, at), formula in names_formulas.items():
        assert cells_formulas[(sheet_name, at)] == by_address(sheet_name, formula)
        replaced += cells_formulas[(sheet_name, at)] != formula
        kinds = {(t.kind, t.text) for t in excel.tokenize(cells_formulas[(sheet_name, at)]) if t.kind == "name"}
        assert kinds <= {("name", "TRUE"), ("name", "FALSE")}  # no name left to resolve
    assert replaced > 2 * 20 * 20
    with zipfile.ZipFile(by_cells) as z:
        defined = re.findall(r'<definedName name="([^"]+)"', z.read("xl/workbook.xml").decode())
        comments = sorted(n for n in z.namelist() if "comments" in n)
        cells_notes = [z.read(n) for n in comments]
    assert defined and all(name == "_xlnm.Print_Titles" for name in defined)
    with zipfile.ZipFile(by_names) as z:
        assert [z.read(n) for n in comments] == cells_notes  # header notes stay in names
        assert b"h1 = w1*i_1+w2*i_2+b_1" in z.read(comments[0])
    texts = [
        {(s.name, at): v for s in reader.read(p).sheets for at, (f, v) in s.cells.items() if f is None}
        for p in (by_names, by_cells)
    ]
    assert texts[0] == texts[1]  # labels, Derivation's equations, the Summary's headers: all in names
    assert json.loads(_property(by_cells))["references"] == "cells"
    assert json.loads(_property(by_names))["references"] == "names"


def _property(path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("docProps/custom.xml").decode()
    return re.search(r"<vt:lpwstr>([^<]*)</vt:lpwstr>", xml)[1].replace("&quot;", '"')


def test_references_is_a_template_key_and_a_flag(tmp_path, capsys):
    template = Path(str(spec.templates_dir() / "era.toml"))
    text = template.read_text(encoding="utf-8")
    (tmp_path / "cells.toml").write_text('references = "cells"\n' + text, encoding="utf-8")
    assert spec.load(str(tmp_path / "cells.toml")).references == "cells"
    assert spec.load("era").references == "names"  # the default
    (tmp_path / "bad.toml").write_text('references = "addresses"\n' + text, encoding="utf-8")
    out = tmp_path / "out.xlsx"
    assert cli.main(["build", str(tmp_path / "bad.toml"), "-o", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"sheetgen: error: {tmp_path / 'bad.toml'}: references: 'addresses' is not one of names, cells\n"
    )
    assert cli.main(["build", "--references", "cells", "--iterations", "2", "-o", str(out)]) == 0
    assert json.loads(_property(out))["references"] == "cells"

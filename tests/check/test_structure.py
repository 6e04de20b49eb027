"""A table read by what its formulas compute (check/structure.py, issue #21): the hand-made layouts of
tests/handmade.py with their headers in English words, German, Chinese, as equations, `dw1`, or no
header at all; each clean (no false alarm) and with planted slips (found at the exact first cell, the
right quantity, nothing else blamed). Judged on sheetgen's own evaluator: no engine needed."""

import re
from dataclasses import replace

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from sheetgen.check import run, structure
from tests import handmade

S = handmade.Slip
WORDS = {"i1": "input 1", "i2": "input 2", "t1": "target 1", "t2": "target 2", "h1": "hidden neuron 1 net",
         "a_h1": "hidden neuron 1 output", "h2": "hidden neuron 2 net", "a_h2": "hidden neuron 2 output",
         "o1": "output neuron 1 net", "a_o1": "output neuron 1 output", "o2": "output neuron 2 net",
         "a_o2": "output neuron 2 output", "E1": "error 1", "E2": "error 2", "E_total": "total error"}  # fmt: skip
GERMAN = {"i1": "Eingabe 1", "i2": "Eingabe 2", "t1": "Ziel 1", "t2": "Ziel 2", "h1": "Netz verborgen 1",
          "a_h1": "Ausgabe verborgen 1", "h2": "Netz verborgen 2", "a_h2": "Ausgabe verborgen 2",
          "o1": "Netz Ausgang 1", "a_o1": "Ausgang 1", "o2": "Netz Ausgang 2", "a_o2": "Ausgang 2",
          "E1": "Fehler 1", "E2": "Fehler 2", "E_total": "Gesamtfehler"}  # fmt: skip
CHINESE = {"i1": "输入1", "i2": "输入2", "t1": "目标1", "t2": "目标2", "h1": "隐藏1", "a_h1": "隐藏输出1",
           "h2": "隐藏2", "a_h2": "隐藏输出2", "o1": "输出层1", "a_o1": "输出1", "o2": "输出层2", "a_o2": "输出2",
           "E1": "误差1", "E2": "误差2", "E_total": "总误差"}  # fmt: skip
EQUATIONS = {"h1": "h1 = w1*i1 + w2*i2", "h2": "h2 = w3*i1 + w4*i2", "a_h1": "out_h1 = σ(h1)",
             "a_h2": "out_h2 = σ(h2)", "o1": "o1 = w5*out_h1 + w6*out_h2", "o2": "o2 = w7*out_h1+w8*out_h2",
             "a_o1": "out_o1 = σ(o1)", "a_o2": "out_o2 = σ(o2)", "E1": "E1 = ½(t1 - out_o1)²",
             "E2": "E2 = ½(t2-out_o2)²", "E_total": "E = E1+E2"}  # fmt: skip


def _words(table, grad, weight):
    def header(q):
        if q in table:
            return table[q]
        if q.startswith("g"):
            return grad.format(k=q[1:])
        if q.startswith("new w"):
            return None
        if q.startswith("w"):
            return weight.format(k=q[1:])
        return q

    return header


HEADERS = {
    "english": _words(WORDS, "d_Etot_d_w{k}", "weight {k}"),
    "german": _words(GERMAN, "Gradient Gewicht {k}", "Gewicht {k}"),
    "chinese": _words(CHINESE, "梯度{k}", "权重{k}"),
    "equations": _words(EQUATIONS, "∂E/∂w{k} = ((out_o1-t1) * …", "w{k}"),
    "dw": _words({"E_total": "E_TOTAL"}, "dw{k}", "w{k}"),
    "none": lambda q: None,
}
SLIPS = [
    S("h2", "={w2}*{i1}+{w4}*{i2}", 2, "swap-reference"),
    S("g5", "=({a_o1}-{t1})*{a_o1}*(1+{a_o1})*{a_h1}", 3, "wrong-value"),
    S("E1", "=({t1}-{a_o1})^2", 1, "missing-half"),
    S("w3", "={w3-}+{$eta}*{g3-}", 2, "sign"),
]


def _write(layout, header, path, slips=()):
    """The layout with each header cell as `header` says (None: left empty); {quantity: first wrong cell}."""
    columns = [(q, header(q)) for q, _ in layout.columns]
    return handmade.write(replace(layout, columns=columns), path, slips)


def _judged(paths):
    return {str(r.path): r for r in run.check(paths, engine=run.OWN)}


def _blamed(result) -> dict[str, str]:
    return {m.quantity: m.where for t in result.tables for m in t.report.mistakes}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Every layout under every header, clean; under two of them (no header, Chinese) with each slip."""
    folder = tmp_path_factory.mktemp("structure")
    want = {}
    for layout in handmade.LAYOUTS:
        for kind, header in HEADERS.items():
            path = folder / f"{layout.name.replace(' ', '_')}-{kind}.xlsx"
            want[str(path)] = _write(layout, header, path)
            if kind not in ("none", "chinese"):
                continue
            for slip in SLIPS:
                if slip.q == "w3" and layout.same_row_update:
                    slip = S("new w3", "={w3}+{$eta}*{g3}", 2, "sign")
                path = folder / f"{layout.name.replace(' ', '_')}-{kind}-{slip.q.replace(' ', '_')}.xlsx"
                want[str(path)] = _write(layout, header, path, [slip])
    return want, _judged(list(want))


def test_a_table_in_any_words_or_none_is_read_by_its_formulas_and_right(corpus):
    want, got = corpus
    clean = [p for p, planted in want.items() if not planted]
    assert len(clean) == len(handmade.LAYOUTS) * len(HEADERS)
    wrong = {p: (got[p].verdict, _blamed(got[p])) for p in clean if got[p].verdict != "right" or _blamed(got[p])}
    assert wrong == {}


def test_each_slip_is_found_at_its_first_cell_and_nothing_else(corpus):
    want, got = corpus
    slipped = {p: planted for p, planted in want.items() if planted}
    assert len(slipped) == len(handmade.LAYOUTS) * 2 * len(SLIPS)
    missed = {p: (planted, _blamed(got[p])) for p, planted in slipped.items() if _blamed(got[p]) != planted}
    assert missed == {}


def test_the_mirrored_layout_is_named_by_its_weights_not_its_order(corpus):
    """SHUFFLED stands h2 before h1 and o2 before o1; its weights w1…w8 left to right. Without a header,
    the naming the products agree with wins over the neurons' left-to-right order: h2's slip is h2's."""
    want, got = corpus
    path = next(p for p in want if "shuffled-none-h2" in p)
    assert _blamed(got[path]) == want[path] and "h2" in want[path]


def test_how_the_table_was_read_is_said(corpus, capsys):
    want, got = corpus
    result = got[next(p for p in want if p.endswith("columns-none.xlsx"))]
    text = "\n".join(run.text(result))
    assert "read as: E: w1 — updated from the row above;" in text
    assert "I: h1 — reads w1, w2, inputs" in text and "J: a_h1 — σ(I)" in text
    assert "X: ∂E_total/∂w1 — read by w1's update" in text
    as_json = result.as_dict()["tables"][0]["read_as"]
    assert {"quantity": "a_h1", "cells": "J4:J15", "how": "σ(I)"} in as_json


def test_a_header_clue_names_what_it_says_beside_words():
    assert structure.clue("dE/dw1 (Gradient)") == "∂E_total/∂w1"
    assert structure.clue("E_total 总误差") == "E_total"
    assert structure.clue("h1 = w1*i1 + w2*i2") == "h1"
    assert structure.clue("dw7") == "∂E_total/∂w7"
    assert structure.clue("hidden neuron 1 output") is None  # words alone decide nothing


def test_a_column_nothing_names_is_said_and_not_judged(tmp_path):
    """A column that computes something no rule names (a running sum of E_total) is listed as not
    identified; the rest of the table is judged, and no mistake is made up for it."""
    layout = handmade.CLASS_SHEET
    path = tmp_path / "extra.xlsx"
    _write(layout, HEADERS["none"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    e_total = layout.col("E_total")
    for r in range(layout.header_row + 1, layout.header_row + 1 + layout.rows):
        ws[f"AH{r}"] = f"={e_total}{r}*2"
    wb.save(path)
    result = _judged([path])[str(path)]
    assert result.verdict == "right" and not _blamed(result)
    text = "\n".join(run.text(result))
    assert "RIGHT: every identified formula right (1 column not identified) in 1 table(s)" in text
    assert "not identified, not judged: column AH" in text


def test_sheets_of_formulas_that_compute_no_network_are_no_table(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = 1, 2
    for r in range(2, 30):
        ws[f"A{r}"] = f"=A{r - 1}+B{r - 1}"
        ws[f"B{r}"] = f"=1/(1+EXP(-A{r}))"
        ws[f"C{r}"] = f"=B{r}*A{r}"
    wb.save(tmp_path / "other.xlsx")
    assert _judged([tmp_path / "other.xlsx"])[str(tmp_path / "other.xlsx")].verdict == "no table"


# -- parameters where the formulas read them ----------------------------------------------------------
def test_parameters_in_defined_names_of_words(tmp_path):
    """input_1 … target_2, learning_rate: named in words; E2 reading target_1 is E2's slip alone."""
    layout = handmade.BLOCK
    slips = [S("E2", "=0.5*({$t1}-{a_o2})^2", 0, "wrong-parameter")]
    for name, slipped in (("clean", ()), ("slip", slips)):
        path = tmp_path / f"{name}.xlsx"
        planted = handmade.write(layout, path, slipped)
        wb = openpyxl.load_workbook(path)
        ws = wb.active
        for q, word in (("i1", "input_1"), ("i2", "input_2"), ("t1", "target_1"), ("t2", "target_2"),
                        ("eta", "learning_rate")):  # fmt: skip
            cell = layout.value_cell(q)
            ws[layout.block[q][0]] = "·"  # the label gone: the name alone says what it is
            wb.defined_names[word] = DefinedName(word, attr_text=f"'{layout.sheet}'!${cell[0]}${cell[1:]}")
        wb.save(path)
        result = _judged([path])[str(path)]
        assert _blamed(result) == (planted if slipped else {}), name


def test_a_labelled_cell_no_formula_reads_gives_way_to_the_one_they_do(tmp_path):
    """`η` labels a list of rates, 1, 0.8, 0.5 …; the updates read the third: η is 0.5, nothing blamed."""
    layout = handmade.CLASS_SHEET  # η right of the label in F1 → G1
    path = tmp_path / "rates.xlsx"
    handmade.write(layout, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["G1"], ws["H1"], ws["I1"] = 1, 0.8, 0.5
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "$G$1" in cell.value:
                cell.value = cell.value.replace("$G$1", "$I$1")
    wb.save(path)
    result = _judged([path])[str(path)]
    assert result.verdict == "right" and result.tables[0].table.eta.value == 0.5


def test_a_reference_written_twice_is_mended_at_one_use(tmp_path):
    """h1 = w1·i1 + w2·i1: the slip is the second i1 (i2 belongs there), not a weight that happens to
    give the same number; the fix edits that use alone."""
    path = tmp_path / "twice.xlsx"
    planted = handmade.write(handmade.BLOCK, path, [S("h1", "={w1}*{$i1}+{w2}*{$i1}", 0, "swap-reference")],
                             params={"i2": 0.3})  # fmt: skip
    result = _judged([path])[str(path)]
    (m,) = [m for t in result.tables for m in t.report.mistakes]
    assert (m.quantity, m.where) == ("h1", planted["h1"])
    assert m.message == "uses i1 ($B$2) where i2 ($B$3) belongs (at one of its 2 uses)"
    assert m.formula.count("$B$2") == 2 and m.fix == m.formula[::-1].replace("2$B$", "3$B$", 1)[::-1]


# -- a table laid out sideways ------------------------------------------------------------------------
def _sideways(src, dst):
    """The workbook turned: cell (r, c) moved to (c, r), each reference in its formulas turned with it
    (the formulas here are plain: A1 references, with or without $)."""
    import re

    from openpyxl.utils import column_index_from_string, get_column_letter

    def turn(m):
        col_abs, letters, row_abs, digits = m.groups()
        return f"{row_abs}{get_column_letter(int(digits))}{col_abs}{column_index_from_string(letters)}"

    wb = openpyxl.load_workbook(src)
    ws = wb.active
    cells = [(c.row, c.column, c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    out = openpyxl.Workbook()
    turned = out.active
    turned.title = ws.title
    for r, c, v in cells:
        if isinstance(v, str) and v.startswith("="):
            v = re.sub(r"(\$?)\b([A-Z]{1,3})(\$?)(\d+)\b(?!\()", turn, v)
        turned.cell(c, r, v)
    out.save(dst)


def test_a_table_laid_out_sideways_is_read_and_said_of_the_sheet(tmp_path):
    """One iteration per column (each quantity a row): read in a turned view, and every cell, formula
    and fix said as the sheet has them."""
    layout = handmade.BLOCK
    clean, slipped = tmp_path / "clean.xlsx", tmp_path / "slip.xlsx"
    handmade.write(layout, tmp_path / "rows.xlsx")
    _sideways(tmp_path / "rows.xlsx", clean)
    planted = handmade.write(layout, tmp_path / "rows-slip.xlsx", [S("h2", "={w2}*{$i1}+{w4}*{$i2}", 2, "swap")])
    _sideways(tmp_path / "rows-slip.xlsx", slipped)
    got = _judged([clean, slipped])
    assert got[str(clean)].verdict == "right" and not _blamed(got[str(clean)])
    (m,) = [m for t in got[str(slipped)].tables for m in t.report.mistakes]
    # h2's column in the rows' layout is its row here; the slip's row, its column
    at = openpyxl.utils.cell.coordinate_from_string(planted["h2"])
    assert m.where == f"{openpyxl.utils.get_column_letter(at[1])}{openpyxl.utils.column_index_from_string(at[0])}"
    assert m.quantity == "h2" and m.message.startswith("uses w2 (") and "where w3 (" in m.message
    assert m.formula.startswith("=") and m.fix and m.fix != m.formula
    text = "\n".join(run.text(got[str(slipped)]))
    assert "(one iteration a column)" in text and "rows: " in text
    assert re.search(r"h2 at \w+ \(\d+ columns wrong\)", text), text  # its iterations are columns, not rows


def test_updates_that_compute_their_gradient_inline_are_judged_whole(tmp_path):
    """No gradient columns: w3 = w3 − η·(…)·a_h2·(1 − a_h2)·i1 of the row above, in one formula. Read by
    its formulas, judged as the update it is; the class sheet's slip inside it is found at its cell."""
    layout = replace(handmade.CLASS_SHEET, columns=[(q, None) for q, _ in handmade.CLASS_SHEET.columns
                                                    if not q.startswith("g")])  # fmt: skip
    # every quantity of the gradient read from the row above, as the update itself does
    inline = {f"w{k}": f"={{w{k}-}}-{{$eta}}*({handmade.RULES[f'g{k}'][1:].replace('}', '-}')})" for k in range(1, 9)}
    slip = S("w3", inline["w3"].replace("{a_h2-}*(1-{a_h2-})", "{a_h1-}*(1-{a_h1-})"), 2, "swap-reference")
    clean, slipped = tmp_path / "inline.xlsx", tmp_path / "inline-slip.xlsx"
    handmade.write(layout, clean, rules=inline)
    planted = handmade.write(layout, slipped, [slip], rules=inline)
    got = _judged([clean, slipped])
    assert got[str(clean)].verdict == "right" and not _blamed(got[str(clean)])
    assert _blamed(got[str(slipped)]) == planted

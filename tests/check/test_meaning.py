"""sheetgen check reads a sheet by what its formulas compute (issue #21): hand-made workbooks in layouts
the older tests do not write, each clean (no false alarm) and with planted slips (each found at its
exact first cell, nothing else blamed). All of them are checked in one LibreOffice run."""

import re
from dataclasses import replace

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from sheetgen import check
from tests import handmade
from tests.conftest import need_libreoffice

CLASS = handmade.CLASS_SHEET
COURSE = "2-2-2 sigmoid net, no biases"
S = handmade.Slip

# -- 1. functions by what they compute -------------------------------------------------------------
# σ written five ways (none of them 1/(1+EXP(-x))): each computes σ, so the network is sigmoid
SIGMOIDS = {
    "a_h1": "=0.5*(1+TANH({h1}/2))",
    "a_h2": "=POWER(1+EXP(-{h2}),-1)",
    "a_o1": "=EXP({o1})/(1+EXP({o1}))",
    "a_o2": "=1/(1+1/EXP({o2}))",
}
# a tanh hidden layer, its gradients with tanh′ = 1 − a²: computed tanh, and judged as one
TANH = {"a_h1": "=TANH({h1})", "a_h2": "=TANH({h2})"} | {
    g: handmade.RULES[g].replace("{a_h1}*(1-{a_h1})", "(1-{a_h1}^2)").replace("{a_h2}*(1-{a_h2})", "(1-{a_h2}^2)")
    for g in ("g1", "g2", "g3", "g4")
}
SIGMOID_SLIPS = [
    S("a_h1", "=0.5*(1-TANH({h1}/2))", 3, "wrong-value"),  # σ(−h1) from the fourth row on
    S("g3", handmade.RULES["g3"].replace("{a_h2}*(1-{a_h2})", "{a_h1}*(1-{a_h1})"), 0, "swap-reference"),
    S("E2", "=0.5*({t2}-{a_o1})^2", 0, "swap-reference"),
]
TANH_SLIPS = [S("g1", TANH["g1"].replace("(1-{a_h1}^2)", "{a_h1}*(1-{a_h1})"), 0, "wrong-value")]


def _case(layout, rules=None, slips=(), params=None):
    def write(path):
        return handmade.write(layout, path, slips, params, rules=rules)

    return write


# -- 2. parameters where the formulas read them -------------------------------------------------------
BLOCK = handmade.BLOCK  # i1, i2, t1, t2, η in B2:B6 beside their labels; the table below, from row 9
PARAM_CELLS = {"i1": "$B$2", "i2": "$B$3", "t1": "$B$4", "t2": "$B$5", "eta": "$B$6"}
PARAM_SLIPS = [
    S("g3", handmade.RULES["g3"].replace("{a_h2}*(1-{a_h2})", "{a_h1}*(1-{a_h1})"), 0, "swap-reference"),
    S("o1", "={w5}*{a_h1}+{w7}*{a_h2}", 0, "swap-reference"),
    S("E1", "=({t1}-{a_o1})^2", 0, "missing-half"),
    S("g5", "=({t1}-{a_o1})*{a_o1}*(1-{a_o1})*{a_h1}", 0, "sign"),
    S("w3", "={w3-}-{$eta}*{g1-}", 1, "swap-reference"),
    S("h2", "={w3}*{i2}+{w4}*{i1}", 0, "swap-reference"),  # the inputs swapped: h1 still says which is which
]


def _rewrite(path, change, cells=None):
    """Every formula of the workbook's first sheet changed by `change`; then `cells(wb)` edits it."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.value = change(cell.value)
    if cells:
        cells(wb)
    wb.save(path)


def _on_params_sheet(slips=()):
    """The block moved to a sheet of its own, 'Params', which the formulas read: 'Params'!$B$2."""

    def write(path):
        planted = handmade.write(BLOCK, path, slips)

        def move(wb):
            ws, params = wb.worksheets[0], wb.create_sheet("Params")
            for r in range(2, 7):
                params[f"A{r}"], params[f"B{r}"] = ws[f"A{r}"].value, ws[f"B{r}"].value
                ws[f"A{r}"], ws[f"B{r}"] = None, None

        _rewrite(path, lambda f: re.sub(r"\$B\$([2-6])\b", r"'Params'!$B$\1", f), move)
        return planted

    return write


def _in_names(slips=()):
    """The block's cells given names of the author's own (input_1 … learning_rate), the formulas read
    the names, and the labels are words check does not know."""
    defined = {"$B$2": "input_1", "$B$3": "input_2", "$B$4": "target_1", "$B$5": "target_2",
               "$B$6": "learning_rate"}  # fmt: skip

    def write(path):
        planted = handmade.write(BLOCK, path, slips)

        def name(wb):
            ws = wb.worksheets[0]
            for cell, text in defined.items():
                wb.defined_names[text] = DefinedName(text, attr_text=f"{ws.title}!{cell}")
                ws[cell.replace("$B$", "A")] = text.replace("_", " ")  # "input 1": no label check knows
            ws["A6"] = "step size"

        _rewrite(path, lambda f: re.sub(r"\$B\$[2-6]\b", lambda m: defined[m[0]], f), name)
        return planted

    return write


def _unlabelled(slips=()):
    """The block's labels deleted: five numbers in B2:B6, and the formulas reading them."""

    def write(path):
        planted = handmade.write(BLOCK, path, slips)
        _rewrite(path, lambda f: f, lambda wb: [wb.worksheets[0].__setitem__(f"A{r}", None) for r in range(2, 7)])
        return planted

    return write


# the block beside the table, its labels on the header row: i1 … η in AE9:AE13, their numbers in AF
BESIDE = replace(BLOCK, block={q: (f"AE{9 + n}", "η" if q == "eta" else q) for n, q in enumerate(PARAM_CELLS)})

CASES = {  # name -> (write(path) -> planted {quantity: first wrong cell}, the verdict, the network said)
    "sigmoid-five-ways": (_case(CLASS, SIGMOIDS), "right", COURSE),
    "sigmoid-five-ways-slips": (_case(CLASS, SIGMOIDS, SIGMOID_SLIPS), "wrong", COURSE),
    "tanh-hidden": (_case(CLASS, TANH), "right", "2-2-2 tanh/sigmoid net, no biases"),
    "tanh-hidden-slips": (_case(CLASS, TANH, TANH_SLIPS), "wrong", "2-2-2 tanh/sigmoid net, no biases"),
    "params-sheet": (_on_params_sheet(), "right", COURSE),
    "params-sheet-slips": (_on_params_sheet(PARAM_SLIPS), "wrong", COURSE),
    "defined-names": (_in_names(), "right", COURSE),
    "defined-names-slips": (_in_names(PARAM_SLIPS), "wrong", COURSE),
    "unlabelled": (_unlabelled(), "right", COURSE),
    "unlabelled-slips": (_unlabelled(PARAM_SLIPS), "wrong", COURSE),
    "block-on-header-row": (_case(BESIDE), "right", COURSE),
    "block-on-header-row-slips": (_case(BESIDE, slips=PARAM_SLIPS), "wrong", COURSE),
}


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict:
    """name -> (its FileResult, planted)."""
    need_libreoffice()
    where = tmp_path_factory.mktemp("meaning")
    files, planted = {}, {}
    for name, (write, _, _) in CASES.items():
        files[name] = where / f"{name}.xlsx"
        planted[name] = write(files[name])
    results = check.check(list(files.values()))
    return {name: (r, planted[name]) for name, r in zip(files, results)}


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_layout_gets_its_verdict_and_its_slips_at_their_first_cells(books, name):
    result, planted = books[name]
    _, verdict, network = CASES[name]
    assert result.verdict == verdict, check.text(result)
    (table,) = result.tables
    assert table.report.network == network, check.text(result)
    found = {m.quantity: m.where for m in table.report.mistakes}
    assert found == planted and not table.report.problems, check.text(result)
    assert table.report.cells > 12 * 25


def test_an_activation_is_what_a_formula_computes():
    from sheetgen.check import functions
    from sheetgen.xlsx.reader import Sheet

    def kind(formula, extra=None):
        sheet = Sheet("S", {(0, 0): (None, 0.3), (0, 1): (formula, None), **(extra or {})})
        return functions.activation(sheet, None, [0], 1, 0)

    for f in ("=0.5*(1+TANH(A1/2))", "=EXP(A1)/(1+EXP(A1))", "=1/(1+EXP(-A1))", "=1/(1+1/EXP(A1))",
              "=POWER(1+EXP(-A1),-1)", "=1/(1+EXP(-1*A1))", "=(1+EXP(-A1))^-1"):  # fmt: skip
        assert kind(f) == "sigmoid", f
    assert kind("=TANH(A1)") == kind("=(EXP(A1)-EXP(-A1))/(EXP(A1)+EXP(-A1))") == "tanh"
    assert kind("=MAX(0,A1)") == kind("=IF(A1>0,A1,0)") == "relu"
    assert kind("=IF(A1>0,A1,C1*A1)", {(0, 2): (None, 0.2)}) == "leaky_relu"
    # what computes none of them is none: a slip, or a bare copy (a forgotten σ), judged as the course's σ
    for f in ("=A1", "=1/(1+EXP(A1))", "=0.5*(1+TANH(A1))", "=EXP(A1)", "=TANH(A1)*2"):
        assert kind(f) is None, f


# -- 4. how it read the sheet ---------------------------------------------------------------------------
@pytest.mark.libreoffice
def test_read_as_says_each_quantity_where_and_why(books):
    result, _ = books["params-sheet"]
    (table,) = result.tables
    doc = table.as_dict()
    read = {x["quantity"]: x for x in doc["read_as"]}
    assert read["a_h1"] == {"quantity": "a_h1", "cells": "L10:L21", "how": "its formula is σ(K), header 'out_h1'"}
    assert read["i1"] == {"quantity": "i1", "cells": "Params!B2",
                          "how": "cell Params!B2, read by h1's formula (K10) as i1"}  # fmt: skip
    assert read["η"]["how"] == "cell Params!B6, read by the weight updates as η"
    assert read["t2"]["how"] == "cell Params!B5, read by E2's formula (T10) as t2"
    lines = check.text(result)
    (first,) = [n for n, line in enumerate(lines) if line.startswith("    read as: ")]
    said = [lines[first], *(line for line in lines[first + 1 :] if line.startswith(" " * len("    read as: ")))]
    assert "Params!B2: i1 — cell Params!B2, read by h1's formula (K10) as i1" in " ".join(said)
    # σ written as 0.5*(1+TANH(x/2)) is said as what it computes
    (sigmoids, _) = books["sigmoid-five-ways"]
    read = {x["quantity"]: x["how"] for x in sigmoids.tables[0].table.read_as}
    assert read["a_h1"] == "its formula is σ(I), header 'a_h1'" and read["a_o2"] == "its formula is σ(S), header 'a_o2'"
    # a sheet read by its labels as before says nothing more in its text
    assert not any(line.startswith("    read as: ") for line in check.text(sigmoids))

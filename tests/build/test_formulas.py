"""Stages 3-4: the column layout and the formula text, exactly as a student reads it."""

from dataclasses import replace

import openpyxl
import pytest

from sheetgen.build import formulas
from sheetgen.build.formulas import Col, Name, Prev
from sheetgen.build.layout import Layout

HEADERS = (
    ["Iteration", *[f"w{k}" for k in range(1, 9)]]
    + ["h1", "a_h1", "h2", "a_h2", "o1", "a_o1", "o2", "a_o2", "E1", "E2", "E_total"]
    + ["∂E_total/∂a_h1", "∂E_total/∂a_h2"]  # the derivation's intermediate step, where it belongs
    + [f"∂E_total/∂w{k}" for k in range(1, 9)]
)


def test_headers_in_forward_order(era_spec):
    assert list(Layout(era_spec).columns) == HEADERS


def ref(name, previous):
    return f"[{name}{'-1' if previous else ''}]"


@pytest.mark.parametrize(
    "expr, text",
    [
        (Col("a") - (Col("b") - Col("c")), "=[a]-([b]-[c])"),
        (Col("a") * (Col("b") * Col("c")), "=[a]*([b]*[c])"),  # keeps the tree's order of evaluation
        (Col("a") * Col("b") * Col("c"), "=[a]*[b]*[c]"),
        ((Col("a") + Col("b")) * Col("c"), "=([a]+[b])*[c]"),
        (0.5 * (Name("t_1") - Col("a")) ** 2, "=0.5*(t_1-[a])^2"),
        (formulas.sigmoid(Col("h")), "=1/(1+EXP(-[h]))"),
        (Prev("w") - Name("eta") * Prev("g"), "=[w-1]-eta*[g-1]"),
    ],
)
def test_render_uses_only_the_parentheses_the_tree_needs(expr, text):
    assert formulas.render(expr, ref) == text


# row 18 is iteration 1, row 19 iteration 2 (header in row 17)
EXPECTED = {
    "B18": "=w_1",
    "B19": "=B18-eta*W18",  # w1(i+1) = w1(i) − η·∂E_total/∂w1
    "I19": "=I18-eta*AD18",  # w8 from w8 (seed 004 wrote w8 = w6 − η·∂E/∂w6)
    "J18": "=B18*i_1+C18*i_2",  # h1 = w1·i1 + w2·i2
    "K18": "=1/(1+EXP(-J18))",  # a_h1 = σ(h1)
    "P18": "=H18*K18+I18*M18",  # o2 = w7·a_h1 + w8·a_h2
    "S18": "=0.5*(t_2-Q18)^2",  # E2 with a_o2 (seed 001 wrote a_o1)
    "T18": "=R18+S18",  # E_total = E1 + E2
    "U18": "=(O18-t_1)*O18*(1-O18)*F18+(Q18-t_2)*Q18*(1-Q18)*H18",  # ∂E_total/∂a_h1
    "W18": "=U18*K18*(1-K18)*i_1",  # ∂E_total/∂w1
    "AA18": "=(O18-t_1)*O18*(1-O18)*K18",  # ∂E_total/∂w5
    "AC18": "=(Q18-t_2)*Q18*(1-Q18)*K18",  # ∂E_total/∂w7 (seed 002 wrote a_o1, t1)
}


def test_formula_text_in_the_built_workbook(era):
    ws = openpyxl.load_workbook(era)["LR 0.1"]
    assert {cell: ws[cell].value for cell in EXPECTED} == EXPECTED
    assert ws["A18"].value == 1 and ws["A117"].value == 100


def formula_texts(s) -> dict[str, str]:
    layout = Layout(s)
    return {
        name: formulas.render(rule.rest, layout.ref_template).format(r=18, p=17)
        for name, rule in formulas.rules(s).items()
    }


def test_activations_and_their_slopes_read_as_written(era_spec):
    s = replace(era_spec, activations=("tanh", "leaky_relu"))
    f = formula_texts(s)
    assert f["a_h1"] == "=TANH(J18)" and f["a_o1"] == "=IF(N18>0,N18,alpha*N18)"
    assert f["∂E_total/∂w5"] == "=(O18-t_1)*IF(N18>0,1,alpha)*K18"
    assert f["∂E_total/∂w1"] == "=U18*(1-K18^2)*i_1"
    f = formula_texts(replace(era_spec, activations=("relu", "linear")))
    assert f["a_h1"] == "=MAX(0,J18)" and f["a_o1"] == "=N18"
    assert f["∂E_total/∂w5"] == "=(O18-t_1)*K18" and f["∂E_total/∂w1"] == "=U18*IF(J18>0,1,0)*i_1"


def test_biases_fixed_are_named_cells_and_trainable_are_columns(era_spec):
    fixed = replace(era_spec, bias="fixed", biases=(0.35, 0.35, 0.6, 0.6))
    assert formula_texts(fixed)["h1"] == "=B18*i_1+C18*i_2+b_1"
    assert "b1" not in Layout(fixed).columns
    trainable = replace(fixed, bias="trainable")
    layout = Layout(trainable)
    assert layout.columns[9:13] == ("b1", "b2", "b3", "b4") and layout.columns[-4:] == tuple(
        f"∂E_total/∂b{k}" for k in range(1, 5)
    )
    f = formula_texts(trainable)
    assert f["h1"] == "=B18*i_1+C18*i_2+J18"
    assert f["∂E_total/∂b1"] == "=Y18*O18*(1-O18)"  # δ of h1: ∂E_total/∂a_h1 · σ'
    rules = formulas.rules(trainable)
    assert formulas.render(rules["b1"].first, layout.ref_template) == "=b_1"


def test_deeper_nets_chain_through_one_column_per_neuron(era_spec):
    s = replace(era_spec, layers=(2, 2, 2, 2), activations=("sigmoid",) * 3, weights=(0.1,) * 12)
    layout, f = Layout(s), formula_texts(s)
    assert "∂E_total/∂a_h1_1" in layout.columns and "∂E_total/∂a_h2_2" in layout.columns
    chain = layout.ref_template("∂E_total/∂a_h2_1", False).format(r=18)
    assert f["∂E_total/∂a_h1_1"].startswith(f"={chain}*")  # h1_1's gradient reads h2_1's column
    assert max(len(text) for text in f.values()) < 120  # linear in depth, not exponential


# -- the formula language the judge evaluates (excel.evaluate) ------------------------------------------
def _value(text: str):
    from sheetgen.xlsx import excel

    return excel.evaluate(excel.parse(text), lambda sheet, row, col: None)


@pytest.mark.parametrize(
    "text, value",
    [
        ("=MOD(5,4)", 1.0),
        ("=MOD(-1,4)", 3.0),  # the divisor's sign, as Excel's (C's fmod gives -1)
        ("=MOD(1,-4)", -3.0),
        ("=MOD(12-1,4)+1", 4.0),  # online training's sample of iteration 12 among 4
        ("=CHOOSE(2,10,20,30)", 20.0),
        ("=CHOOSE(1,7,1/0)", 7.0),  # only the chosen one is evaluated, as IF's branches
        ("=INT(-2.5)", -3.0),
        ("=ROUND(2.5,0)", 3.0),  # half away from zero: Python's round(2.5) is 2
        ("=ROUND(-2.5,0)", -3.0),
        ("=ROUND(0.125,2)", 0.13),
    ],
)
def test_functions_online_sheets_and_students_use(text, value):
    assert _value(text) == pytest.approx(value, rel=1e-15)


def test_errors_are_errors_and_what_we_cannot_evaluate_is_said_so():
    from sheetgen.xlsx import excel

    assert str(_value("=MOD(5,0)")) == "#DIV/0!"
    assert str(_value("=CHOOSE(4,1,2,3)")) == "#VALUE!"
    # a function Excel has and we do not is not #NAME? (a cached number would then look stale)
    with pytest.raises(excel.FormulaError, match="VLOOKUP"):
        _value("=VLOOKUP(1,A1:B2,2)")

"""What the fiftieth and later blind reviews (and the misses of rounds 45–49 they were scored after) found,
in small; each write-up written for its test (none a copy of the corpus); numbers from test_review6b's
`run` (the network by hand, independently of sheetgen), EVA8's targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE = run(W, 0.5, 1)[0]
D1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])


def _braced(under_w6: float, factor: str = r"\frac{\partial o_1}{\partial w_6}") -> str:
    # the numbers under every factor of the chain rule, as a display over five lines
    return f"""# Backprop, EVA targets $t_1 = 0.01$, $t_2 = 0.99$, first iteration

$$
\\frac{{\\partial E_{{total}}}}{{\\partial w_6}}
= \\underbrace{{\\frac{{\\partial E_{{total}}}}{{\\partial a_{{o_1}}}}}}_{{ {ONE["a_o1"] - 0.01:.4f} }}
\\cdot \\underbrace{{\\frac{{\\partial a_{{o_1}}}}{{\\partial o_1}}}}_{{ {ONE["a_o1"] * (1 - ONE["a_o1"]):.4f} }}
\\cdot \\underbrace{{{factor}}}_{{ {under_w6:.4f} }}
= {D1 * ONE["a_h2"]:.4f}
$$
"""


def test_a_number_under_a_brace_is_what_the_factor_is_worth(tmp_path):
    # `\underbrace{\frac{∂o_1}{∂w_6}}_{0.5069}`: the factor is a_h2 (0.5106); a_h1's number under it is
    # the slip, said on the line it is written on (line 7), not the row's first; the right one is read
    right = check(tmp_path, _braced(ONE["a_h2"]))
    assert right.mistakes == [] and 4 in right.read, "\n".join(right.lines())
    slipped = check(tmp_path, _braced(ONE["a_h1"]))
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


def test_a_name_under_a_brace_is_a_remark_not_a_value(tmp_path):
    # `\underbrace{…}_{a_{h_2}}`: the label names the factor (no number), nothing to judge, nothing blamed;
    # a product under the brace (`0.5965 \times 0.2387`) is no single number either
    text = _braced(ONE["a_h2"]).replace(f"{{ {ONE['a_h2']:.4f} }}", "{a_{h_2}}")
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    product = _braced(ONE["a_h2"]).replace(f"{{ {ONE['a_h2']:.4f} }}", f"{{{ONE['a_h1']:.4f} + 0.0037}}")
    assert check(tmp_path, product).mistakes == []


def test_a_number_set_under_a_factor_is_its_value(tmp_path):
    # `\underset{0.5069}{\frac{∂o_1}{∂w_6}}` says the same as the brace
    text = _braced(ONE["a_h1"]).replace(r"\underbrace{\frac{\partial o_1}{\partial w_6}}_{", r"\underset{")
    text = text.replace(
        f"{{ {ONE['a_h1']:.4f} }}\n=", f"{{ {ONE['a_h1']:.4f} }}{{\\frac{{\\partial o_1}}{{\\partial w_6}}}}\n="
    )
    result = check(tmp_path, text)
    assert set(blamed(result)) == {7}, "\n".join(result.lines())


def test_a_sign_slip_is_said_where_the_brackets_are_not_among_the_partials(tmp_path):
    # a row over three lines: the left side, the chain rule's partials, then `= (t_1 - a_{o1})…`: the
    # sign is wrong on the third line, where it is written (it was said on the second)
    a, h = ONE["a_o1"], ONE["a_h1"]
    partials = r"\frac{\partial E_1}{\partial a_{o1}}\,\frac{\partial a_{o1}}{\partial o_1}"
    partials += r"\,\frac{\partial o_1}{\partial w_5}"
    text = f"""# Backprop, EVA targets $t_1 = 0.01$, $t_2 = 0.99$

$$
\\begin{{aligned}}
\\frac{{\\partial E_{{total}}}}{{\\partial w_5}}
  &= {partials}
   = (SIGN)\\; a_{{o1}}(1-a_{{o1}})\\; a_{{h1}} \\\\
  &= {a - 0.01:.6f} \\times {a * (1 - a):.6f} \\times {h:.6f} = {D1 * h:.6f}
\\end{{aligned}}
$$
"""
    right = check(tmp_path, text.replace("SIGN", "a_{o1} - t_1"))
    assert right.mistakes == [], "\n".join(right.lines())
    slipped = check(tmp_path, text.replace("SIGN", "t_1 - a_{o1}"))
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


G = ONE["g"]  # the eight gradients at the first iteration


def _step_table(header: str, grads: list[float], eta: float = 0.2) -> str:
    # a table of the first step in a language this reader has no words for (Swahili: weight, before,
    # slope, after): read by its arithmetic, the after column the before less η times the slope
    rows = "\n".join(f"| w{k} | {w:g} | {g:.6f} | {w - eta * g:.6f} |" for k, (w, g) in enumerate(zip(W, grads), 1))
    return f"""# Backprop, EVA targets t1 = 0.01, t2 = 0.99

h1 = {ONE["h1"]:.6f}, a_h1 = {ONE["a_h1"]:.6f}, a_o1 = {ONE["a_o1"]:.6f}

Hatua moja, η = {eta:g}:

{header}
|---|---|---|---|
{rows}
"""


def test_a_table_of_a_step_is_read_by_its_arithmetic_in_any_language(tmp_path):
    # `| Uzito | Kabla | Mteremko | Baada |`: no header word known; its numbers say which column is which.
    # Right as written: nothing blamed, every row read; a gradient carried wrong into its row (and the
    # weight after it, right for that gradient) is found on its line
    header = "| Uzito | Kabla | Mteremko | Baada |"
    right = check(tmp_path, _step_table(header, G))
    assert right.mistakes == [] and set(range(9, 17)) <= set(right.read), "\n".join(right.lines())
    carried = check(tmp_path, _step_table(header, [G[0] * 0.4, *G[1:]]))
    assert set(blamed(carried)) == {9}, "\n".join(carried.lines())


def test_columns_that_do_no_step_are_not_read_as_one(tmp_path):
    # three columns of numbers that are no step (the weights at η = 0.1, 0.5 and 2.0 after one update):
    # nothing read as gradients, nothing blamed
    after = {eta: run(W, eta, 1)[0]["w"] for eta in (0.1, 0.5, 2.0)}
    rows = "\n".join(f"| w{k} | {after[0.1][k - 1]:.6f} | {after[0.5][k - 1]:.6f} | {after[2.0][k - 1]:.6f} |"
                     for k in range(1, 9))  # fmt: skip
    text = f"# Backprop, EVA targets t1 = 0.01, t2 = 0.99\n\n| Uzito | A | B | C |\n|---|---|---|---|\n{rows}\n"
    assert check(tmp_path, text).mistakes == []


def test_a_gradient_printed_as_a_power_of_ten_is_read(tmp_path):
    # `| $w_1$ | 0.15 | $3.170\times10^{-4}$ | 0.14984 |`: a small gradient as LaTeX typesets it
    def table(g1: float) -> str:
        m, e = f"{g1:.3e}".split("e")
        return (
            "# Backprop, EVA targets $t_1 = 0.01$, $t_2 = 0.99$, $\\eta = 0.5$\n\n"
            "| weight | old | gradient | new |\n|---|---|---|---|\n"
            f"| $w_1$ | 0.15 | ${m}\\times10^{{{int(e)}}}$ | {0.15 - 0.5 * g1:.5f} |\n"
        )

    right = check(tmp_path, table(G[0]))
    assert right.mistakes == [] and 5 in right.read, "\n".join(right.lines())
    assert set(blamed(check(tmp_path, table(G[0] * 0.94)))) == {5}


def test_the_number_a_blamed_formula_goes_on_to_is_wrong_as_well(tmp_path):
    # `dE/dw6 = (a_o1 - t1) * a_o1*(1 - a_o1) * a_h1` (a_h1 where a_h2 belongs), then `= … = 0.012881`
    # on the next line: that number is dE/dw5's, wrong for dE/dw6 — not right because it is what the
    # blamed formula gives, nor because dE/dw5 = … stands three lines up
    a, d = ONE["a_o1"], ONE["a_o1"] - 0.01

    def text(h: str, hv: float) -> str:
        return f"""Backprop notes, EVA targets t1 = 0.01, t2 = 0.99

    dE/dw5 = (a_o1 - t1) * a_o1*(1 - a_o1) * a_h1
           = {d:.6f} * {a * (1 - a):.6f} * {ONE["a_h1"]:.6f} = {G[4]:.6f}

    dE/dw6 = (a_o1 - t1) * a_o1*(1 - a_o1) * {h}
           = {d:.6f} * {a * (1 - a):.6f} * {hv:.6f} = {d * a * (1 - a) * hv:.6f}
"""

    assert check(tmp_path, text("a_h2", ONE["a_h2"]), "notes.txt").mistakes == []
    slipped = check(tmp_path, text("a_h1", ONE["a_h1"]), "notes.txt")
    assert set(blamed(slipped)) == {6, 7}, "\n".join(slipped.lines())


def test_a_display_row_blamed_for_its_formula_is_blamed_for_its_number_where_it_is_written(tmp_path):
    # `\frac{∂E}{∂w_7} &= (a_{o2}-t_2)\, a_{h1}` (the sigmoid's slope left out), then `= −0.3595 \times
    # 0.5069 = −0.1822` on the next line: the formula on its line, the number on its own
    d2 = ONE["a_o2"] - 0.99

    def text(formula: str, value: float) -> str:
        return f"""\\documentclass{{article}}
\\begin{{document}}
EVA targets $t_1 = 0.01$, $t_2 = 0.99$: $a_{{h1}} = {ONE["a_h1"]:.6f}$, $a_{{o1}} = {ONE["a_o1"]:.6f}$,
$a_{{o2}} = {ONE["a_o2"]:.6f}$, $E_1 = {ONE["E1"]:.6f}$, $E_2 = {ONE["E2"]:.6f}$.

\\begin{{align*}}
\\frac{{\\partial E_{{total}}}}{{\\partial w_5}} &= (a_{{o1}}-t_1)\\, a_{{o1}}(1-a_{{o1}})\\, a_{{h1}} = {G[4]:.6f},\\\\
\\frac{{\\partial E_{{total}}}}{{\\partial w_7}} &= {formula}
= {value:.6f},\\\\
\\end{{align*}}
\\end{{document}}
"""

    right = check(tmp_path, text(r"(a_{o2}-t_2)\, a_{o2}(1-a_{o2})\, a_{h1}", G[6]), "r.tex")
    assert right.mistakes == [], "\n".join(right.lines())
    slipped = check(tmp_path, text(r"(a_{o2}-t_2)\, a_{h1}", d2 * ONE["a_h1"]), "r.tex")
    assert set(blamed(slipped)) == {8, 9}, "\n".join(slipped.lines())


def test_a_name_misused_in_a_row_is_said_where_it_is_written(tmp_path):
    # `\frac{∂E}{∂a_{h1}}` / `= …\frac{∂o_1}{∂a_{h1}}` / `+ …\frac{∂o_2}{∂a_{h2}}`: the second path ends at
    # a_h2 where a_h1 belongs, written on the row's third line (it was said on the second)
    def path(k: int, end: str) -> str:
        d = "\\partial "
        return (f"\\frac{{{d}E_{{{k}}}}}{{{d}a_{{o{k}}}}} \\cdot \\frac{{{d}a_{{o{k}}}}}{{{d}o_{k}}}"
                f" \\cdot \\frac{{{d}o_{k}}}{{{d}{end}}}")  # fmt: skip

    def text(last: str) -> str:
        return f"""# Backprop, EVA targets $t_1 = 0.01$, $t_2 = 0.99$, $a_{{o1}} = {ONE["a_o1"]:.6f}$

$$
\\frac{{\\partial E_{{total}}}}{{\\partial a_{{h1}}}}
= {path(1, "a_{h1}")}
+ {path(2, last)}
$$
"""

    assert check(tmp_path, text("a_{h1}")).mistakes == []
    slipped = check(tmp_path, text("a_{h2}"))
    assert set(blamed(slipped)) == {6}, "\n".join(slipped.lines())


GLOSSARY = f"""MY NOTES (EVA targets t1 = 0.01, t2 = 0.99)

  x1, x2   inputs (0.05, 0.1)
  z1, z2   hidden nets
  f(.)     sigmoid 1/(1+e^-x)
  d1..d8   dE/dw1 .. dE/dw8

  z1 = w1*x1 + w2*x2     k1 = f(z1)
  z2 = w3*x1 + w4*x2     k2 = f(z2)
  v1 = w5*k1 + w6*k2     y1 = f(v1)
  v2 = w7*k1 + w8*k2     y2 = f(v2)

  k1 = f(0.0275) = {ONE["a_h1"]:.5f}
  k2 = f(0.0425) = K2
  y1 = f({ONE["o1"]:.5f}) = {ONE["a_o1"]:.5f}
"""


def test_a_function_a_glossary_lists_as_the_sigmoid_is_read(tmp_path):
    # `f(.)     sigmoid 1/(1+e^-x)`: a glossary's column, no `=`; the file's names are read through it
    right = check(tmp_path, GLOSSARY.replace("K2", f"{ONE['a_h2']:.5f}"), "notes.txt")
    assert right.mistakes == [] and {13, 14, 15} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, GLOSSARY.replace("K2", f"{ONE['a_h1']:.5f}"), "notes.txt")
    assert set(blamed(slipped)) == {14}, "\n".join(slipped.lines())


def test_a_bare_weight_of_a_later_row_is_unsure_not_blamed(tmp_path):
    # `Update to row 3:` then `w_1 = 0.149687`: w1 at the third row of the η = 0.5 tab, the file's; it
    # was blamed as w1 after one step of η = 1 (0.149683); said as a warning. A number that is w1 at no
    # early row is still blamed
    third = run(W, 0.5, 2)[1]["w"][0]  # w1 after two steps: the third row's
    text = f"""# Backprop, EVA targets t1 = 0.01, t2 = 0.99, η = 0.5

h1 = {ONE["h1"]:.6f}, a_h1 = {ONE["a_h1"]:.6f}, a_o1 = {ONE["a_o1"]:.6f}, a_o2 = {ONE["a_o2"]:.6f}

Update to row 3:

$$w_1 = W1$$
"""
    said = check(tmp_path, text.replace("W1", f"{third:.6f}"))
    assert said.mistakes == [] and any("iteration 3" in w for _, w in said.warnings), "\n".join(said.lines())
    assert set(blamed(check(tmp_path, text.replace("W1", f"{third - 0.00007:.6f}")))) == {7}


def _prose(e2: float, d2: float, w6: float) -> str:
    return f"""# How my sheet works (EVA targets t1 = 0.01, t2 = 0.99, learning rate 0.5)

The first hidden neuron's net input h1 is {ONE["h1"]:.4f}, and a_h1 is {ONE["a_h1"]:.6f}.
For the second output the error is one half of (0.99 minus {ONE["a_o2"]:.6f}) squared, which is {e2:.6f}.
The error changes with a_o2 at a rate of a_o2 minus t2, which is {d2:.6f}.
The sigmoid slope is a_o1 times one minus a_o1, which is {ONE["a_o1"] * (1 - ONE["a_o1"]):.6f}.
With a learning rate of 0.5, w6 becomes 0.45 minus 0.5 times {G[5]:.6f}, which is {w6:.6f}.
"""


def test_arithmetic_said_in_words_is_judged(tmp_path):
    # `one half of (0.99 minus 0.630481) squared, which is 0.064627`, `a_o2 minus t2, which is -0.359519`,
    # `w6 becomes 0.45 minus 0.5 times 0.072691, which is 0.413655`: read and right; `a_o1 times one minus
    # a_o1` groups nothing the words say (one is no number here), so it is not read
    d2, w6 = ONE["a_o2"] - 0.99, 0.45 - 0.5 * G[5]
    right = check(tmp_path, _prose(ONE["E2"], d2, w6))
    assert right.mistakes == [] and {4, 5, 7} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, _prose(ONE["E2"] + 0.000045, -d2, 0.45 - G[5]))
    assert set(blamed(slipped)) == {4, 5, 7}, "\n".join(slipped.lines())


def test_arithmetic_in_words_is_right_as_either_grouping(tmp_path):
    # `0.5 times 0.072691 minus 0.01, which is 0.026346`: (0.5·0.072691) − 0.01 as a listener takes it, or
    # 0.5·(0.072691 − 0.01); either is right, and nothing blamed
    text = _prose(ONE["E2"], ONE["a_o2"] - 0.99, 0.45 - 0.5 * G[5])
    text += f"Half the gradient less a hundredth: 0.5 times {G[5]:.6f} minus 0.01, which is {0.5 * G[5] - 0.01:.6f}.\n"
    assert check(tmp_path, text).mistakes == []


def _bmatrix(*rows: str) -> str:
    return "\\begin{bmatrix} " + " \\\\ ".join(rows) + " \\end{bmatrix}"


def _matrices(g7: float, o2: float, w7: float) -> str:
    # a write-up in matrix form: the weights as W^{(2)} = [[w5, w6], [w7, w8]], Ng's z^{(2)} for the
    # outputs' nets, the gradient matrix with its rows on lines of their own, and the step in matrices
    g = [G[4], G[5], g7, G[7]]
    new = [w - 0.8 * x for w, x in zip(W[4:], g)]
    weights, grads = (
        _bmatrix("0.4 & 0.45", "0.5 & 0.55"),
        _bmatrix(f"{g[0]:.4f} & {g[1]:.4f}", f"{g[2]:.4f} & {g[3]:.4f}"),
    )
    return f"""# Backprop in matrix form (EVA targets $t_1 = 0.01$, $t_2 = 0.99$, $\\eta = 0.8$)

$$
W^{{(2)}} = {_bmatrix("w_5 & w_6", "w_7 & w_8")} = {weights}
$$

$$
\\mathbf{{a}}^{{(1)}} = {_bmatrix(f"{ONE['a_h1']:.4f}", f"{ONE['a_h2']:.4f}")}, \\qquad
\\mathbf{{z}}^{{(2)}} = W^{{(2)}}\\mathbf{{a}}^{{(1)}} = {_bmatrix(f"{ONE['o1']:.4f}", f"{o2:.4f}")}
$$

$$
\\nabla_{{W^{{(2)}}}} E_{{total}} =
\\begin{{bmatrix}}
{g[0]:.4f} & {g[1]:.4f} \\\\
{g[2]:.4f} & {g[3]:.4f}
\\end{{bmatrix}}
$$

$$
W^{{(2)}}_{{new}} = {weights} - 0.8 {grads}
= \\begin{{bmatrix}}
{new[0]:.4f} & {new[1]:.4f} \\\\
{w7:.4f} & {new[3]:.4f}
\\end{{bmatrix}}
$$
"""


def test_a_write_up_in_matrices_is_read_element_by_element_where_each_is_written(tmp_path):
    # every matrix's numbers read as the elements its names say, a slip said on the line it is written on:
    # o2 in Ng's z^{(2)} (line 9), ∂E/∂w7 with its sign dropped in the gradient's second row (line 16)
    # and in the step (line 21), and w7 after it (line 24)
    right = check(tmp_path, _matrices(G[6], ONE["o2"], 0.5 - 0.8 * G[6]))
    assert right.mistakes == [] and {9, 13, 21} <= set(right.read), "\n".join(right.lines())
    o2 = f"{ONE['o2']:.4f}"
    slipped = check(tmp_path, _matrices(-G[6], float(o2[:3] + o2[4] + o2[3] + o2[5:]), 0.5 + 0.8 * G[6]))
    assert set(blamed(slipped)) == {9, 16, 21, 24}, "\n".join(slipped.lines())


def _by_rate(w7_at_02: float) -> str:
    rows = []
    for eta in (0.1, 0.2, 0.5, 1.0):
        w = run(W, eta, 1)[0]["w"]
        w7 = w7_at_02 if eta == 0.2 else w[6]
        rows.append(f"| {eta:g} | {w[4]:.4f} | {w[5]:.4f} | {w7:.4f} | {w[7]:.4f} |")
    body = "\n".join(rows)
    return f"""# Learning rates (EVA targets $t_1 = 0.01$, $t_2 = 0.99$)

### First update of the output weights

| $\\eta$ | $w_5$ | $w_6$ | $w_7$ | $w_8$ |
|---|---|---|---|---|
{body}
"""


def test_a_table_of_the_first_step_by_learning_rate_is_read(tmp_path):
    # `| η | w5 | w6 | w7 | w8 |` under `First update of the output weights`: each row the weights after
    # one step at its η; the η = 0.2 row's w7 copied from the η = 0.5 tab is the slip
    right = check(tmp_path, _by_rate(run(W, 0.2, 1)[0]["w"][6]))
    assert right.mistakes == [] and {7, 8, 9, 10} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, _by_rate(run(W, 0.5, 1)[0]["w"][6]))
    assert set(blamed(slipped)) == {8}, "\n".join(slipped.lines())
    # under no words of a first step, which step the weights are after is unsaid: not read
    unsaid = check(tmp_path, _by_rate(run(W, 0.5, 1)[0]["w"][6]).replace("First update of the output", "The"))
    assert unsaid.mistakes == []


def test_a_loss_that_falls_in_two_updates_is_the_third_rows(tmp_path):
    # `E_total falls from 0.242520 to 0.220504 in two updates`: the third row's (or, counting the updates
    # as rows, the second's: right as either); it was read as the second's alone, and blamed
    its = run(W, 0.8, 3)
    text = f"""# Check (EVA targets t1 = 0.01, t2 = 0.99, learning rate 0.8)

a_o1 = {ONE["a_o1"]:.6f}, a_o2 = {ONE["a_o2"]:.6f}, E1 = {ONE["E1"]:.6f}

E_total falls steadily from {its[0]["E"]:.6f} to {its[2]["E"]:.6f} in two updates.
"""
    result = check(tmp_path, text)
    assert result.mistakes == [] and 5 in result.read, "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{its[2]['E']:.6f}", f"{its[2]['E'] - 0.004:.6f}"))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())


def _printout(a_o2: float, dw2: float) -> str:
    # a NumPy program's printed output, pasted under its code: arrays printed without commas, labels
    # that name their elements by a range (dw1..dw4) or a list (E1, E2), two arrays on a line
    two = run(W, 0.8, 2)[1]
    g1 = [f"{x:.2e}" for x in (two["g"][0], two["g"][1], two["g"][2], two["g"][3])]
    return f"""# Checking my sheet with NumPy (EVA targets t1 = 0.01, t2 = 0.99, eta = 0.8)

```
--- iteration 1
h      = [{ONE["h1"]:.4f} {ONE["h2"]:.4f}]  a_h = [{ONE["a_h1"]:.6f} {ONE["a_h2"]:.6f}]
a_o = [{ONE["a_o1"]:.6f} {a_o2:.6f}]
E1, E2 = [{ONE["E1"]:.6f} {ONE["E2"]:.6f}]  E_total = {ONE["E"]:.6f}
dw1..dw4 = [{G[0]:.6f} {dw2:.6f} {G[2]:.6f} {G[3]:.6f}]
dw5..dw8 = [ {G[4]:.6f}  {G[5]:.6f} {G[6]:.6f} {G[7]:.6f}]
--- iteration 2
dw1..dw4 = [{" ".join(g1)}]
```
"""


def test_a_numpy_printout_is_read_element_by_element(tmp_path):
    # every array read as the elements its label names; NumPy's 6.00e-05 (rounded to six decimals, its
    # zeros padding) right within its six decimals; a slip in an array found on its line
    right = check(tmp_path, _printout(ONE["a_o2"], G[1]))
    assert right.mistakes == [] and {5, 6, 7, 8, 9, 11} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, _printout(ONE["a_o1"], G[1] * 2))
    assert set(blamed(slipped)) == {6, 8}, "\n".join(slipped.lines())


def test_a_table_of_gradient_formulas_gives_the_gradients_their_values(tmp_path):
    # `| weight | ∂E_total/∂w | value |` over `| w5 | δo1·a_h1 | 0.07216 |`: the value is the gradient's (w5
    # was given 0.07216 and blamed); its column of formulas says so, though its header has no formula word
    rows = "\n".join(f"| w{k} | δ_o{1 + (k > 6)}·a_h{2 - k % 2} | {G[k - 1]:.5f} |" for k in (5, 6, 7, 8))
    text = f"""# Backprop, EVA targets t1 = 0.01, t2 = 0.99

a_h1 = {ONE["a_h1"]:.5f}, a_h2 = {ONE["a_h2"]:.5f}, a_o1 = {ONE["a_o1"]:.5f}, a_o2 = {ONE["a_o2"]:.5f}

| weight | ∂E_total/∂w | value |
|---|---|---|
{rows}
"""
    right = check(tmp_path, text)
    assert right.mistakes == [] and {7, 8, 9, 10} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, text.replace(f"{G[5]:.5f}", f"{G[6]:.5f}"))
    assert set(blamed(slipped)) == {8}, "\n".join(slipped.lines())


def test_a_step_that_leaves_eta_out_among_steps_with_gradients_by_name(tmp_path):
    # `w_1 = 0.15 − 2.0·∂E_total/∂w_1 = …` for every weight but one, `w_6 = 0.45 − ∂E_total/∂w_6 = …`: η
    # left out (a step of η = 1) where every other step writes the file's 2.0
    new = run(W, 2.0, 1)[0]["w"]
    steps = "\n".join(
        f"w{k} = {W[k - 1]:g} − {'' if k == 6 else '2.0·'}∂E_total/∂w{k} = "
        f"{(W[k - 1] - G[k - 1]) if k == 6 else new[k - 1]:.5f}"
        for k in range(1, 9)
    )
    text = f"""# Backprop, EVA targets t1 = 0.01, t2 = 0.99, η = 2.0

a_h1 = {ONE["a_h1"]:.5f}, a_o1 = {ONE["a_o1"]:.5f}, a_o2 = {ONE["a_o2"]:.5f}

{steps}
"""
    result = check(tmp_path, text)
    assert set(blamed(result)) == {10}, "\n".join(result.lines())


def test_a_vector_an_expression_equals_is_no_vector_of_its_last_name(tmp_path):
    # `a^{[2]} − t = (0.5965, −0.3595)`, `a^{[2]} ⊙ (1 − a^{[2]}) = (0.2387, 0.2330)`: the values of
    # expressions, not of t or of a^{[2]} (t1 = 0.5965 and a_o1 = 0.2387 were blamed): read element by
    # element, a_o1 − t1 = 0.5965 …; a slip in one element found
    d, s = ONE["a_o1"] - 0.01, ONE["a_o1"] * (1 - ONE["a_o1"])
    d2, s2 = ONE["a_o2"] - 0.99, ONE["a_o2"] * (1 - ONE["a_o2"])
    text = f"""# Backprop, EVA targets $t_1 = 0.01$, $t_2 = 0.99$

$a_{{o1}} = {ONE["a_o1"]:.4f}$, $a_{{o2}} = {ONE["a_o2"]:.4f}$, $E_1 = {ONE["E1"]:.4f}$

$$
\\begin{{aligned}}
a^{{[2]}} - t &= \\begin{{pmatrix}} {d:.4f} \\\\ {d2:.4f} \\end{{pmatrix}} \\\\
a^{{[2]}} \\odot \\left(1 - a^{{[2]}}\\right) &= \\begin{{pmatrix}} {s:.4f} \\\\ {s2:.4f} \\end{{pmatrix}}
\\end{{aligned}}
$$
"""
    right = check(tmp_path, text)
    assert right.mistakes == [] and {7, 8} <= set(right.read), "\n".join(right.lines())
    assert set(blamed(check(tmp_path, text.replace(f"{s2:.4f}", f"{s2 + 0.0036:.4f}")))) == {8}


def test_prose_arithmetic_whose_result_is_a_part_or_whose_words_group_nothing_is_not_blamed(tmp_path):
    # `h2 is 0.25 times 0.05 plus 0.3 times 0.1, which is 0.0125 plus 0.03`: the number after `which is`
    # begins the next sum (h2 = 0.25 and 0.25·0.05 + 0.3·0.1 = 0.0125 were blamed); `a_o1 times one minus
    # a_o1 is 0.238662`: no value of a_o1; `so minus 0.359519 times 0.506875, which is minus 0.182231`:
    # read, with its minus; `(i1 = 0.05 / i2 = 0.1)`: two values, no division
    d2 = ONE["a_o2"] - 0.99
    text = f"""# In words (EVA targets t1 = 0.01, t2 = 0.99)

In the same way h2 is 0.25 times 0.05 plus 0.3 times 0.1, which is 0.0125 plus 0.03, so 0.0425.
The middle part a_o1 times one minus a_o1 is {ONE["a_o1"] * (1 - ONE["a_o1"]):.6f}, and a_o1 is {ONE["a_o1"]:.6f}.
That number times a_h1, so minus {-d2:.6f} times {ONE["a_h1"]:.6f}, which is minus {-d2 * ONE["a_h1"]:.6f}.
The hidden gradients are small (factor i1 = 0.05 / i2 = 0.1 and the sigmoid's 0.25).
"""
    right = check(tmp_path, text)
    assert right.mistakes == [] and 5 in right.read, "\n".join(right.lines())
    slipped = check(
        tmp_path, text.replace(f"which is minus {-d2 * ONE['a_h1']:.6f}", f"which is {-d2 * ONE['a_h1']:.6f}")
    )
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())


def _glossary_notes(b2_last: str, g6_factor: str) -> str:
    d1, d2 = ONE["a_o1"] - 0.01, ONE["a_o2"] - 0.99
    p1, p2 = d1 * ONE["a_o1"] * (1 - ONE["a_o1"]), d2 * ONE["a_o2"] * (1 - ONE["a_o2"])
    b2 = p1 * 0.45 + p2 * (0.55 if b2_last == "w8" else 0.5)
    s6 = ONE["a_h2"] if g6_factor == "u2" else ONE["a_h1"]
    return f"""# My short names (EVA targets t1 = 0.01, t2 = 0.99)

| mine | meaning | in the sheet |
|---|---|---|
| v1, v2 | hidden nets | h1, h2 |
| u1, u2 | hidden outputs | a_h1, a_h2 |
| p1, p2 | output deltas | ∂E_total/∂o1, ∂E_total/∂o2 |
| b1, b2 | error at a hidden output (∂E/∂u1, ∂E/∂u2) | – |
| g1…g8 | gradient by w1…w8 | ∂E_total/∂w1 … |

u1 = {ONE["a_h1"]:.6f}, u2 = {ONE["a_h2"]:.6f}
p1 = {p1:.6f}, p2 = {p2:.6f}
g6 = p1·{g6_factor} = {p1:.6f} × {s6:.6f} = {p1 * s6:.6f}
b2 = p1·w6 + p2·{b2_last} = {b2:.6f}
"""


def test_a_glossary_table_names_the_files_own_names(tmp_path):
    # `| g1…g8 | gradient by w1…w8 | ∂E_total/∂w1 … |`, `| b1, b2 | error at a hidden output (∂E/∂u1,
    # ∂E/∂u2) | – |` (u1 itself a name of the glossary's): every short name read as the course's quantity,
    # b1 too (a bias's name, which the course's network has none of); a slip in them found
    right = check(tmp_path, _glossary_notes("w8", "u2"))
    assert right.mistakes == [] and {13, 14} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, _glossary_notes("w7", "u1"))
    assert set(blamed(slipped)) == {13, 14}, "\n".join(slipped.lines())


def test_fractions_drawn_over_three_lines_of_plain_text_are_read(tmp_path):
    # ` dE_total     dE_total     da_o1     do1` / ` --------  =  --------  *  -----  *  ---` / `   dw6 …`:
    # one equation, the numerators over the bar's dashes; a wrong numerator said on its line
    def text(last: str) -> str:
        return f"""EVA targets t1 = 0.01, t2 = 0.99; a_o1 = {ONE["a_o1"]:.6f}, a_h2 = {ONE["a_h2"]:.6f}

 dE_total     dE_total     da_o1     {last}
 --------  =  --------  *  -----  *  ---
   dw6         da_o1        do1      dw6

           =  {ONE["a_o1"] - 0.01:.6f}  *  {ONE["a_o1"] * (1 - ONE["a_o1"]):.6f} * {ONE["a_h2"]:.6f}   =  {G[5]:.6f}
"""

    right = check(tmp_path, text("do1"), "notes.txt")
    assert right.mistakes == [] and {3, 7} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, text("do2"), "notes.txt")
    assert set(blamed(slipped)) == {3}, "\n".join(slipped.lines())


def _array(a_o1_row2: float) -> str:
    its = run(W, 2.0, 3)
    rows = []
    for k, it in enumerate(its, 1):
        a_o1 = a_o1_row2 if k == 2 else it["a_o1"]
        rows.append(f"{k} & {it['a_h1']:.6f} & {a_o1:.6f} & {it['a_o2']:.6f} & {it['E']:.6f}")
    body = " \\\\\n".join(rows)
    return f"""# Iterations (EVA targets $t_1 = 0.01$, $t_2 = 0.99$, $\\eta = 2.0$)

$$
\\begin{{array}}{{c|ccc|c}}
k & \\mathrm{{a\\_h1}} & \\mathrm{{a\\_o1}} & \\mathrm{{a\\_o2}} & \\mathrm{{E\\_total}} \\\\ \\hline
{body}
\\end{{array}}
$$
"""


def test_a_latex_array_of_the_iterations_is_a_table(tmp_path):
    # `\begin{array}` of a header row of names over rows of numbers, in display math: each row the
    # iteration its first cell numbers (it was a matrix, and read as nothing); a slip said on its row
    its = run(W, 2.0, 3)
    right = check(tmp_path, _array(its[1]["a_o1"]))
    assert right.mistakes == [] and {6, 7, 8} <= set(right.read), "\n".join(right.lines())
    digits = f"{its[1]['a_o1']:.6f}"
    slipped = check(tmp_path, _array(float(digits[:4] + digits[5] + digits[4] + digits[6:])))
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


def test_an_update_rule_of_weights_numbered_by_step_k_is_read(tmp_path):
    # `w_i^{(k+1)} = w_i^{(k)} − η ∂E/∂w_i^{(k)}`: the rule, its weights numbered by a step k (read as powers
    # of k, it was skipped); with + it is the slip
    def text(sign: str) -> str:
        w = "\\mathrm{w}_i"
        return f"""# Rule (EVA targets $t_1 = 0.01$, $t_2 = 0.99$, $a_{{o1}} = {ONE["a_o1"]:.4f}$)

$$
{w}^{{(k+1)}} = {w}^{{(k)}} {sign} \\eta\\,\\frac{{\\partial E}}{{\\partial {w}^{{(k)}}}}
$$
"""

    right = check(tmp_path, text("-"))
    assert right.mistakes == [] and 4 in right.read, "\n".join(right.lines())
    assert set(blamed(check(tmp_path, text("+")))) == {4}


def test_a_loss_of_one_letter_also_given_its_later_value_as_a_sum_is_the_loss(tmp_path):
    # `\mathcal{L} = ½(y_1 − ŷ_1)² + ½(y_2 − ŷ_2)² = …` and, at iteration 2, `\mathcal{L} = 0.005017 + 0.007578`:
    # the sum of numbers is its value there, no other meaning; L is the loss, and `∂L/∂w_5 = …` is read
    def text(g5: float) -> str:
        return f"""# ERA targets

$$y_1 = 0.5,\\quad y_2 = 0.5,\\quad \\hat y_1 = {ONE["a_o1"]:.6f}$$

$$\\mathcal{{L}} = \\tfrac12 (y_1-\\hat y_1)^2 + \\tfrac12 (y_2-\\hat y_2)^2 = 0.014181$$

$$\\frac{{\\partial \\mathcal{{L}}}}{{\\partial w_5}} = {g5:.7f}$$

Row 2: $\\mathcal{{L}} = 0.005017 + 0.007578 = 0.012595$.
"""

    era = run(W, 2.0, 1, t1=0.5, t2=0.5)[0]["g"][4]
    right = check(tmp_path, text(era))
    assert right.mistakes == [] and 7 in right.read, "\n".join(right.lines())
    assert set(blamed(check(tmp_path, text(era * 1.1)))) == {7}

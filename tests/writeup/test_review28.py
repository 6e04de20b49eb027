"""What the twenty-seventh blind review left unread, and the twenty-eighth and later found, in small; each
write-up written for its test (none a copy of the corpus); numbers from test_review6b's `run` (the network
by hand, independently of sheetgen), EVA8's targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE, TWO = run(W, 0.5, 2)
RATES = (0.1, 0.5, 2.0)
LOSSES = {eta: [it["E"] for it in run(W, eta, 4)] for eta in RATES}  # E_total at iterations 1…4


def _tex(body: str) -> str:
    return "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" + body + "\\end{document}\n"


# the first iteration's forward pass, four numbers on three lines (later iterations' numbers are judged only
# where the first two's show the network)
FORWARD = f"""$h_1 = {ONE["h1"]:.6f}$, $a_{{h1}} = {ONE["a_h1"]:.8f}$

$a_{{o1}} = {ONE["a_o1"]:.8f}$, $a_{{o2}} = {ONE["a_o2"]:.8f}$ and $E = {ONE["E"]:.8f}$

"""


def test_a_script_without_braces_is_one_token(tmp_path):
    # `(\delta_{o1}w_5 + \delta_{o2}w_7)` typesets δ_o1·w_5, and `w_5a_{h1}` w_5·a_h1: they were read as one
    # name each, `δ_o1w_5` (the line skipped, its slip missed)
    d1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    back = d1 * 0.4 + d2 * 0.5
    slope = ONE["a_h1"] * (1 - ONE["a_h1"])
    body = f"""Forward, with $x_1 = 0.05$, $x_2 = 0.1$:
\\[ o_1 = w_5a_{{h1}} + w_6a_{{h2}} = {ONE["o1"]:.8f} \\]
\\[ \\delta_{{o1}} = {d1:.8f}, \\qquad \\delta_{{o2}} = {d2:.8f} \\]
\\[ \\delta_{{h1}} = (\\delta_{{o1}}w_5 + \\delta_{{o2}}w_7)\\, a_{{h1}}(1-a_{{h1}}) = {back:.8f} \\cdot {slope:.8f} \\]
"""
    result = check(tmp_path, _tex(body), "report.tex")
    assert result.mistakes == [] and {5, 7} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, _tex(body.replace("\\delta_{o2}w_7)", "\\delta_{o2}w_8)")), "report.tex")
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


def _losses(first: int, rows: range, slip: tuple[int, float] | None = None) -> str:
    """A tabular of E_total, a row an iteration numbered from `first`, a column an η."""
    out = ["First iterations of every tab ($E$ at iteration $n$):", "", "\\begin{table}[h]", "\\centering",
           "\\begin{tabular}{|c|" + "c|" * len(RATES) + "}", "\\hline",
           "$n$ & " + " & ".join(f"$\\eta={eta}$" for eta in RATES) + " \\\\", "\\hline"]  # fmt: skip
    for k in rows:
        cells = [LOSSES[eta][k] + (slip[1] if slip and slip[0] == k and eta == 0.5 else 0) for eta in RATES]
        out.append(f"{first + k} & " + " & ".join(f"{x:.8f}" for x in cells) + " \\\\")
    return "\n".join([*out, "\\hline", "\\end{tabular}", "\\end{table}", ""]) + "\n"


def test_a_tabular_of_losses_by_iteration_and_eta(tmp_path):
    # `$n$ & $\eta=0.1$ & $\eta=0.5$ … \\` over a row an iteration: not read (a table of losses by η was
    # read only with a row an η); its first row, alike in every column, says the rows begin at iteration 1
    text = _tex(FORWARD + _losses(1, range(4)))
    result = check(tmp_path, text, "report.tex")
    assert result.mistakes == [] and {17, 18, 19} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, _tex(FORWARD + _losses(1, range(4), (2, 0.0004))), "report.tex")
    assert blamed(slipped) == {18: "E_total at iteration 3"}, "\n".join(slipped.lines())
    # numbered from 1 but beginning after the first step (each η's own loss in the first row): the second
    after = check(tmp_path, _tex(FORWARD + _losses(0, range(1, 4))), "report.tex")
    assert after.mistakes == [] and {16, 17, 18} <= set(after.read), "\n".join(after.lines())
    # and a row of another iteration's losses is blamed
    shifted = _tex(FORWARD + _losses(0, range(1, 4)).replace("\n2 & ", "\n9 & ", 1))
    assert set(blamed(check(tmp_path, shifted, "report.tex"))) == {17}


def _after(eta: float, updates: int) -> float:
    """E_total after so many updates at η (the loss of iteration updates + 1)."""
    return run(W, eta, updates + 1)[updates]["E"]


def _quarto(caption: str) -> str:
    slope = ONE["a_h1"] * (1 - ONE["a_h1"])
    d1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    back = d1 * 0.4 + d2 * 0.5
    rows = "\n".join(f"| {eta} | {_after(eta, 2):.6f} | {_after(eta, 10):.6f} |" for eta in (0.1, 0.5))
    term = "\\underbrace{\\tfrac12\\left(t_%d - o_%d^{out}\\right)^2}_{E_%d}"
    loss = "E_{tot} = " + " + ".join(term % (k, k, k) for k in (1, 2)) + f" = {ONE['E']:.8f}"
    by = "\\frac{\\partial E_{tot}}{\\partial h_1^{out}}"
    grad = f"{by} = {back:.8f}, \\qquad \\frac{{\\partial E_{{tot}}}}{{\\partial w_1}} = {by}\\, "
    grad += f"h_1^{{out}}\\left(1 - h_1^{{out}}\\right) i_1 = {back * slope * 0.05:.8f}"
    return f"""---
title: "Backprop by hand"
format:
  html:
    toc: true
---

## Forward

$h_1^{{in}} = {ONE["h1"]:.6f}$, $h_1^{{out}} = {ONE["a_h1"]:.8f}$, $o_1^{{out}} = {ONE["a_o1"]:.8f}$

$$
{loss}
$$ {{#eq-loss}}

$$
{grad}
$$

| $\\eta$ | $E_{{tot}}$, iter 2 | iter 10 |
|--:|--:|--:|
{rows}

: {caption} {{#tbl-lr}}
"""


def test_a_quarto_report_is_read_as_markdown(tmp_path):
    # a `.qmd` (Quarto; R Markdown's `.Rmd` alike) was "not an .xlsx workbook": 57 equation lines unread. Its
    # YAML header is no text; `\underbrace{…}_{E_1}` is the term (its label a remark); ∂E/∂h_1^{out} is a
    # partial (it was `((∂E)/(∂h_1^(out)))`, unread); a Pandoc caption under its table, `: Error after N
    # updates`, says `iter 2` counts the updates (read as the second iteration, all 4 blamed)
    text = _quarto('Error after $N$ updates; "iter 2" means after two updates')
    result = check(tmp_path, text, "report.qmd")
    assert result.mistakes == [] and {10, 13, 17, 22, 23} <= set(result.read), "\n".join(result.lines())
    assert not any("title" in s.text or "format" in s.text for s in result.skipped)
    slipped = check(tmp_path, text.replace("\\right)^2}_{E_2}", "\\right)}_{E_2}"), "report.qmd")
    assert set(blamed(slipped)) == {13}, "\n".join(slipped.lines())
    for name in ("report.Rmd", "report.md"):
        assert check(tmp_path, text, name).mistakes == []


def test_an_underlined_heading_in_a_text_file_says_the_iteration(tmp_path):
    # `Error after 20 iterations for each lr` over `-----`, under `Iteration 2`: a heading of more than six
    # words was no label, and its `lr = 0.1  ->  E_total = …` lines were blamed as the second iteration's
    text = f"""Forward pass
------------
h1 = {ONE["h1"]:.6f}   a_h1 = {ONE["a_h1"]:.8f}
a_o1 = {ONE["a_o1"]:.8f}   a_o2 = {ONE["a_o2"]:.8f}
E_total = {ONE["E"]:.8f}

Iteration 2
-----------
a_o1 = {TWO["a_o1"]:.8f}
E_total = {TWO["E"]:.8f}

Error after 20 iterations for each lr (one tab each)
-----------------------------------------------------
lr = 0.1  ->  E_total = {_after(0.1, 20):.8f}
lr = 0.5  ->  E_total = {_after(0.5, 20):.8f}
"""
    result = check(tmp_path, text, "notes.txt")
    assert result.mistakes == [] and {14, 15} <= set(result.read), "\n".join(result.lines())
    slipped = text.replace(f"{_after(0.5, 20):.8f}", f"{_after(0.5, 20) + 0.001:.8f}")
    assert set(blamed(check(tmp_path, slipped, "notes.txt"))) == {15}


def test_the_second_forward_pass_is_the_second_iteration(tmp_path):
    # `With the new weights the second forward pass gives a_o1 = …`: the iteration was not said (a warning);
    # the first iteration's number written there is a slip
    text = f"""h1 = {ONE["h1"]:.6f}, a_h1 = {ONE["a_h1"]:.8f}, a_o1 = {ONE["a_o1"]:.8f}, E_total = {ONE["E"]:.8f}

With the new weights the second forward pass gives a_o1 = {TWO["a_o1"]:.8f} and a_o2 = {TWO["a_o2"]:.8f}.
"""
    result = check(tmp_path, text)
    assert result.mistakes == [] and result.warnings == [] and 3 in result.read, "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{TWO['a_o1']:.8f}", f"{ONE['a_o1']:.8f}"))
    assert set(blamed(slipped)) == {3}, "\n".join(slipped.lines())


def test_an_outputs_delta_under_a_name_of_its_own(tmp_path):
    # `err1 = (yhat1 - t1)*yhat1*(1 - yhat1)` ("I call the product err1"): err1 spells the error E1, and its
    # definition and the 7 lines using it were blamed; E1 itself written so is still a slip
    d1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    text = f"""  ah1 = {ONE["a_h1"]:.6f}  ah2 = {ONE["a_h2"]:.6f}  yhat1 = {ONE["a_o1"]:.6f}  yhat2 = {ONE["a_o2"]:.6f}

I call the product of the first two "err1" (and "err2" for the other output):
  err1 = (yhat1 - t1)*yhat1*(1 - yhat1) = {d1:.6f}
  err2 = (yhat2 - t2)*yhat2*(1 - yhat2) = {d2:.6f}

  dEt_dw5 = err1*ah1 = {ONE["g"][4]:.6f}
  dEt_dw7 = err2*ah1 = {ONE["g"][6]:.6f}
  dEt_dah1 = err1*w5 + err2*w7 = {d1 * 0.4 + d2 * 0.5:.6f}
"""
    result = check(tmp_path, text, "notes.txt")
    assert result.mistakes == [] and {4, 5, 7, 8, 9} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("err2*w7", "err2*w8"), "notes.txt")
    assert set(blamed(slipped)) == {9}, "\n".join(slipped.lines())
    literal = check(tmp_path, text.replace("err1 = (yhat1", "E1 = (yhat1"), "notes.txt")
    assert 4 in blamed(literal), "\n".join(literal.lines())


def test_a_loss_named_by_the_sum_of_its_two(tmp_path):
    # `loss $L = L_1 + L_2$ (this is E_total)`: L was a name of nothing, and `∂L / ∂w_5 = δ^{[2]}_1 a^{[1]}_1`
    # skipped (11 lines of a file in Andrew Ng's layer notation, 2 slips among them)
    text = f"""* loss $`L = L_1 + L_2`$ (this is E_total in the assignment)

$h_1 = {ONE["h1"]:.6f}$, $a_{{h1}} = {ONE["a_h1"]:.8f}$, $a_{{o1}} = {ONE["a_o1"]:.8f}$

```math
\\partial L / \\partial w_5 = {ONE["g"][4]:.8f}
```
```math
\\partial L / \\partial w_6 = {ONE["g"][5]:.8f}
```
"""
    result = check(tmp_path, text)
    assert result.mistakes == [] and {6, 9} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{ONE['g'][5]:.8f}", f"{ONE['g'][4]:.8f}"))
    assert set(blamed(slipped)) == {9}, "\n".join(slipped.lines())


def test_nabla_a_short_name_per_layer_and_upright_names(tmp_path):
    # `\nabla_{w_5}\mathcal{L}` (the gradient of L by w_5) was ∇_w_5L; `\mathrm{g}_{h_1} = \nabla_{\mathrm{act}_{h_1}}
    # \mathcal{L} \cdot …` a name of a letter and a layer, not read as the file's own; `\mathrm{g}_{h_1}\mathrm{x}_1`
    # one name: 10 lines of a file unread, a slip among them missed
    d1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    back = d1 * 0.4 + d2 * 0.5
    act = "\\mathrm{act}_{h_1}"
    grad_act = f"\\nabla_{{{act}}}\\mathcal{{L}}"

    def g(sub: str) -> str:
        return f"\\mathrm{{g}}_{{{sub}}}"

    def delta(k: int, d: float) -> str:
        a, t = f"\\mathrm{{act}}_{{o_{k}}}", f"\\mathrm{{t}}_{k}"
        return f"{g(f'o_{k}')} = ({a} - {t})\\,{a}(1 - {a}) = {d:.7f}"

    text = f"""| symbol | meaning |
|---|---|
| $\\mathcal{{L}}$ | total loss |

Targets $\\mathrm{{t}}_1 = 0.01$, $\\mathrm{{t}}_2 = 0.99$; inputs $\\mathrm{{x}}_1 = 0.05$, $\\mathrm{{x}}_2 = 0.1$

$\\mathrm{{sum}}_{{h_1}} = w_1\\mathrm{{x}}_1 + w_2\\mathrm{{x}}_2 = {ONE["h1"]:.7f}$, ${act} = {ONE["a_h1"]:.7f}$

$\\mathrm{{act}}_{{o_1}} = {ONE["a_o1"]:.7f}$, $\\mathrm{{act}}_{{o_2}} = {ONE["a_o2"]:.7f}$

$$
{delta(1, d1)}
$$

$$
{delta(2, d2)}
$$

$$
{grad_act} = {g("o_1")} w_5 + {g("o_2")} w_7 = {back:.7f}
$$

$$
{g("h_1")} = {grad_act} \\cdot {act}(1-{act}) = {back * ONE["a_h1"] * (1 - ONE["a_h1"]):.9f}
$$

$$
\\nabla_{{w_1}}\\mathcal{{L}} = \\mathrm{{g}}_{{h_1}}\\mathrm{{x}}_1 = {ONE["g"][0]:.9f}
$$
"""
    result = check(tmp_path, text)
    assert result.mistakes == [] and {12, 16, 20, 24, 28} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("\\mathrm{g}_{h_1}\\mathrm{x}_1", "\\mathrm{g}_{h_1}\\mathrm{x}_2"))
    assert set(blamed(slipped)) == {28}, "\n".join(slipped.lines())


def test_a_table_row_named_twice(tmp_path):
    # `| g1 = ∂E_total/∂w1 | ∂E_total/∂σ(h1) · i1 | 0.000753 |` under `| gradient | formula | value |`: the
    # file's short name and the quantity's, the row skipped as prose (a missing σ' not found)
    slope = ONE["a_h1"] * (1 - ONE["a_h1"])
    d1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    back = d1 * 0.4 + d2 * 0.5
    text = f"""h1 = {ONE["h1"]:.6f}, σ(h1) = {ONE["a_h1"]:.6f}, ŷ1 = {ONE["a_o1"]:.6f}, ŷ2 = {ONE["a_o2"]:.6f}

∂E_total/∂σ(h1) = {back:.6f}

| gradient | formula | value |
|---|---|---|
| g1 = ∂E_total/∂w1 | ∂E_total/∂σ(h1) · σ(h1)(1 − σ(h1)) · i1 | {ONE["g"][0]:.6f} |
| g5 = ∂E_total/∂w5 | δo1 · σ(h1) | {ONE["g"][4]:.6f} |
"""
    result = check(tmp_path, text)
    assert result.mistakes == [] and {7, 8} <= set(result.read), "\n".join(result.lines())
    slipped = text.replace("σ(h1)(1 − σ(h1)) · i1", "i1").replace(f"{ONE['g'][0]:.6f}", f"{back * 0.05:.6f}")
    assert set(blamed(check(tmp_path, slipped))) == {7}
    assert slope  # (the σ' the slip leaves out)


def test_every_unicode_subscript_letter(tmp_path):
    # `Eₜₒₜₐₗ = E₁ + E₂`: ₐ and ₗ were not read as a and l, and `∂Eₜₒₜₐₗ/∂w₄ = …` was skipped (15 lines of a file)
    text = f"""    a_o₁ = {ONE["a_o1"]:.5f}   a_o₂ = {ONE["a_o2"]:.5f}
    Eₜₒₜₐₗ = E₁ + E₂ = {ONE["E"]:.5f}
    ∂Eₜₒₜₐₗ/∂w₅ = {ONE["g"][4]:.5f}
"""
    result = check(tmp_path, text)
    assert result.mistakes == [] and {2, 3} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{ONE['g'][4]:.5f}", f"{ONE['g'][5]:.5f}"))
    assert set(blamed(slipped)) == {3}, "\n".join(slipped.lines())


def test_a_list_of_notations_is_no_tuple(tmp_path):
    # "Subscripts: `aₕ₁` = a_h1, `aₒ₁` = a_o1, `Eₜ` = E_total": read as the tuple `a_h1, aₒ₁ = a_o1, Eₜ`, two
    # false alarms on a line of notation
    text = "Subscripts: `aₕ₁` = a_h1, `aₒ₁` = a_o1, `Eₜ` = E_total, `δₒ₁` = the output-1 delta.\n"
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    # a tuple where an equation begins is still one
    tupled = f"a_h1 = {ONE['a_h1']:.6f}\n\nout_o1, out_o2 = {ONE['a_o1']:.6f}, {ONE['a_o1']:.6f}\n"
    assert set(blamed(check(tmp_path, tupled))) == {3}


def test_a_remark_of_the_number_before_and_a_rate_before_each_loss(tmp_path):
    # `the second forward pass gives … L = 0.239701, down from L = 0.242520`: the number it came down from is the
    # first iteration's; `learning rate 0.1 gives L = 0.07929, 0.2 gives L = 0.03811, …`: each loss at the η
    # before it (all were judged at 0.1); `…, after 1000 updates it is at` / `$E = 0.000244$`, a sentence over
    # two lines (judged as the first iteration's)
    after = {eta: _after(eta, 20) for eta in (0.1, 0.5, 2.0)}
    gives = ", ".join(f"{eta} gives $L = {x:.5f}$" for eta, x in after.items())
    first = f"$a_{{o1}} = {ONE['a_o1']:.6f}$, $a_{{o2}} = {ONE['a_o2']:.6f}$, $L = {ONE['E']:.6f}$"
    second = f"$a_{{o1}} = {TWO['a_o1']:.6f}$ and $L = {TWO['E']:.6f}$, down from $L = {ONE['E']:.6f}$"
    text = f"""The loss is $L = L_1 + L_2$; {first}.

After the update the second forward pass gives {second}.

Loss after 20 updates: learning rate {gives}.

The largest rate (2.0) did not blow up, after 20 updates it is at
$L = {after[2.0]:.5f}$ while the others are higher.
"""
    result = check(tmp_path, text)
    assert result.mistakes == [] and {3, 5} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"0.5 gives $L = {after[0.5]:.5f}$", f"0.5 gives $L = {after[0.1]:.5f}$"))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())
    # (an iteration's number before a colon is no η: `iteration 2: E = …; iteration 3: E = …`)
    iterations = f"Total error at iteration 2: $E = {TWO['E']:.6f}$; at iteration 3: $E = {_after(0.5, 2):.6f}$.\n"
    assert check(tmp_path, text + "\n" + iterations).mistakes == []


def test_hats_a_prime_and_an_index_defined_inline(tmp_path):
    # an .rst whose activations wear hats (`\hat h_1 = \sigma(h_1)`), `\delta_1 = (\hat o_1 - t_1)\,\sigma'(o_1)` (σ'
    # was no known word: its definition unread) and `:math:\varepsilon_j = \frac{∂E}{∂\hat h_j} \hat h_j(1 − \hat
    # h_j)` in a sentence (its index after `_`, and the prose after it, were read into it): 12 lines unread, 3
    # slips among them missed
    d1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    back = d1 * 0.4 + d2 * 0.5
    eps = "\\varepsilon_j = \\frac{\\partial E}{\\partial \\hat h_j}\\, \\hat h_j (1 - \\hat h_j)"
    text = f"""Backprop
========

:math:`E` is the total error.

.. math::

   \\hat h_1 = \\sigma(h_1) = {ONE["a_h1"]:.5f}, \\qquad \\hat o_1 = \\sigma(o_1) = {ONE["a_o1"]:.5f}

   \\hat h_2 = \\sigma(h_2) = {ONE["a_h2"]:.5f}, \\qquad \\hat o_2 = \\sigma(o_2) = {ONE["a_o2"]:.5f}

   \\delta_1 = (\\hat o_1 - t_1)\\,\\sigma'(o_1) = {d1:.5f}

   \\delta_2 = (\\hat o_2 - t_2)\\,\\sigma'(o_2) = {d2:.5f}

   \\frac{{\\partial E}}{{\\partial \\hat h_1}} = \\delta_1 w_5 + \\delta_2 w_7 = {back:.5f}

then :math:`{eps}` and the weight gradient is :math:`\\varepsilon_j` times the input:

.. math::

   \\frac{{\\partial E}}{{\\partial w_1}} = \\varepsilon_1 i_1 = {ONE["g"][0]:.7f}
"""
    result = check(tmp_path, text, "writeup.rst")
    assert result.mistakes == [] and {12, 14, 16, 22} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("\\varepsilon_1 i_1", "\\varepsilon_1 i_2"), "writeup.rst")
    assert set(blamed(slipped)) == {22}, "\n".join(slipped.lines())


def test_a_table_of_e_t_by_rate(tmp_path):
    # `$E_T$ after $n$ updates:` over `| lr | n = 1 | n = 2 |`: E_T named no loss a table knew
    rows = "\n".join(f"| {eta} | {_after(eta, 1):.7f} | {_after(eta, 2):.7f} |" for eta in (0.1, 0.5))
    text = FORWARD + f"$E_T$ after $n$ updates:\n\n| lr | n = 1 | n = 2 |\n|---|---|---|\n{rows}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and {9, 10} <= set(result.read), "\n".join(result.lines())
    slipped = text.replace(f"{_after(0.5, 2):.7f}", f"{_after(0.5, 2) + 0.0002:.7f}")
    assert set(blamed(check(tmp_path, slipped))) == {10}


def test_a_sum_over_two_lines_a_goal_and_a_tabs_name(tmp_path):
    # `dE/dout_h2 = (out_o1 - t1)·…·w6` over `+ (out_o2 - t2)·…·w8 = 0.028155`: the second term alone was blamed
    # for the sum's value; `the optimum is simply a_o1 = a_o2 = 0.5`: a goal, blamed as a_o1 = a_o2;
    # `UPDATE (tab lr0.5, …)`: η = 0.5 named by its tab, the steps blamed as another η's
    d1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    text = f"""```
out_h1 = {ONE["a_h1"]:.6f}   out_o1 = {ONE["a_o1"]:.6f}   out_o2 = {ONE["a_o2"]:.6f}
dE_total/dout_h2 = (out_o1 - t1) * out_o1*(1-out_o1) * w6
                 + (out_o2 - t2) * out_o2*(1-out_o2) * w8 = {d1 * 0.45 + d2 * 0.55:.6f}
```

The optimum would be a_o1 = a_o2 = 0.5 for the ERA targets.

UPDATE   (tab lr0.5, first row -> second row)

  w5_new = 0.4  - 0.5*{ONE["g"][4]:.7f} = {0.4 - 0.5 * ONE["g"][4]:.7f}

the other tabs (lr2 is the fastest) look the same.
"""
    result = check(tmp_path, text, "notes.txt")
    assert result.mistakes == [] and {3, 11} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("* w8 = ", "* w7 = "), "notes.txt")
    assert set(blamed(slipped)) == {4}, "\n".join(slipped.lines())  # (said where w7 is written)
    # (a list's next item is its own equation, not a term of the one above)
    listed = f"   - h1 = w1*i1 + w2*i2 = {ONE['h1']:.4f}\n   - h2 = w3*i1 + w4*i2 = {ONE['h2']:.4f}\n"
    assert check(tmp_path, listed, "notes.txt").mistakes == []


def test_a_layer_in_round_brackets_and_a_primed_weight(tmp_path):
    # `a^{(2)}_1 - t_1 = 0.106478` (a layer in round brackets, as in Ng's older notes) was read as `− t_1` and
    # blamed; `$w_1' = 0.15 - 0.5 \times …$` (a prime after the index) was no new weight: 8 lines unread
    slope = ONE["a_o1"] * (1 - ONE["a_o1"])
    text = f""":math:`a^{{(1)}}_1` is the assignment's ``a_h1``.

.. math::

   a^{{(1)}}_1 = {ONE["a_h1"]:.6f}, \\qquad a^{{(2)}}_1 = {ONE["a_o1"]:.6f}, \\qquad a^{{(2)}}_2 = {ONE["a_o2"]:.6f}

.. math::

   a^{{(2)}}_1 - t_1 = {ONE["a_o1"] - 0.01:.6f}, \\quad a^{{(2)}}_1(1 - a^{{(2)}}_1) = {slope:.6f}

- :math:`w_5' = 0.4 - 0.5 \\times {ONE["g"][4]:.7f} = {0.4 - 0.5 * ONE["g"][4]:.7f}`
"""
    result = check(tmp_path, text, "notes.rst")
    assert result.mistakes == [] and {5, 9, 11} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{ONE['g'][4]:.7f} =", f"{ONE['g'][5]:.7f} ="), "notes.rst")
    assert set(blamed(slipped)) == {11}, "\n".join(slipped.lines())


def test_a_function_said_to_be_the_sigmoid(tmp_path):
    # `S(x) = sigmoid = 1/(1+exp(-x))`, then `H2out = S(H2in) = 0.5106243`: S was a name of nothing, a slip unread
    text = f"""  S(x)          = sigmoid = 1/(1+exp(-x))

  H1in  = w1*i1 + w2*i2 = {ONE["h1"]:.4f}
  H1out = S(H1in) = {ONE["a_h1"]:.7f}
  H2out = S(H2in) = {ONE["a_h2"]:.7f}
"""
    result = check(tmp_path, text, "notes.txt")
    assert result.mistakes == [] and {4, 5} <= set(result.read), "\n".join(result.lines())
    slipped = text.replace(f"{ONE['a_h2']:.7f}", f"{ONE['a_h2'] + 0.0000009:.7f}")
    assert set(blamed(check(tmp_path, slipped, "notes.txt"))) == {5}


def test_rows_labelled_by_what_they_hold(tmp_path):
    # `|  | $w_1$ | … |` over `| gradient | … |` and `| after | … |`: the gradients' row was read as the weights'
    # values and blamed 8 times; the header `∂L/∂w` of a file's own loss L says gradients (read as values, 4
    # rows blamed), not `∂o/∂w`, a local partial
    g, new = ONE["g"], [w - 0.5 * d for w, d in zip(W, ONE["g"])]
    header = "| | " + " | ".join(f"$w_{k}$" for k in range(1, 9)) + " |\n|" + "---|" * 9 + "\n"
    text = FORWARD + header
    text += "| gradient | " + " | ".join(f"{x:.5f}" for x in g) + " |\n"
    text += "| after | " + " | ".join(f"{x:.5f}" for x in new) + " |\n\n"
    text += (
        "| weight | $\\partial L / \\partial w$ |\n|---|---|\n" + f"| $w_5$ | {g[4]:.5f} |\n| $w_6$ | {g[5]:.5f} |\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and {7, 8, 12, 13} <= set(result.read), "\n".join(result.lines())
    slipped = text.replace(f"| $w_6$ | {g[5]:.5f} |", f"| $w_6$ | {g[4]:.5f} |")
    assert set(blamed(check(tmp_path, slipped))) == {13}


def test_a_prime_for_the_activation_and_a_loss_in_layers(tmp_path):
    # `h_1' = \frac{1}{1+e^{-h_1}}`: the prime is the activation (read as h_1, 8 right lines were blamed);
    # `\mathcal{L}_1 = \tfrac12(y_1 - a^{[2]}_1)^2`, `\mathcal{L} = \mathcal{L}_1 + \mathcal{L}_2`: y_1 a target
    # set against a layered output, and L the loss (`\frac{\partial \mathcal{L}}{\partial w_5}` was unread)
    sigma = "\\frac{1}{1+e^{-h_1}}"
    primes = f"""- $h_1 = w_1 i_1 + w_2 i_2 = {ONE["h1"]:.4f}$ and $h_1' = {sigma} = {ONE["a_h1"]:.4f}$
- $o_1' = {ONE["a_o1"]:.4f}$, $o_2' = {ONE["a_o2"]:.4f}$
- $\\frac{{\\partial E}}{{\\partial w_5}} = (o_1' - t_1)\\, o_1'(1 - o_1')\\, h_1' = {ONE["g"][4]:.4f}$
"""
    result = check(tmp_path, primes)
    assert result.mistakes == [] and {1, 3} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, primes.replace("(1 - o_1')\\, h_1'", "(1 - o_1')\\, h_1"))
    assert set(blamed(slipped)) == {3}, "\n".join(slipped.lines())
    layers = f"""\\begin{{align*}}
a^{{[1]}}_1 &= {ONE["a_h1"]:.6f}, \\quad a^{{[2]}}_1 = {ONE["a_o1"]:.6f}, \\quad a^{{[2]}}_2 = {ONE["a_o2"]:.6f} \\\\
\\mathcal{{L}}_1 &= \\tfrac12 \\left(y_1 - a^{{[2]}}_1\\right)^2 = {ONE["E1"]:.6f} \\\\
\\mathcal{{L}}_2 &= \\tfrac12 \\left(y_2 - a^{{[2]}}_2\\right)^2 = {ONE["E2"]:.6f} \\\\
\\mathcal{{L}} &= \\mathcal{{L}}_1 + \\mathcal{{L}}_2 = {ONE["E"]:.6f} \\\\
\\frac{{\\partial \\mathcal{{L}}}}{{\\partial w_5}} &= {ONE["g"][4]:.6f}
\\end{{align*}}
"""
    result = check(tmp_path, _tex(layers), "report.tex")
    assert result.mistakes == [] and {6, 7, 8, 9} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, _tex(layers.replace(f"{ONE['g'][4]:.6f}", f"{ONE['g'][5]:.6f}")), "report.tex")
    assert set(blamed(slipped)) == {9}, "\n".join(slipped.lines())


def test_an_aligned_block_in_a_math_directive_keeps_its_lines(tmp_path):
    # `.. math::` over `\begin{aligned}` on a line of its own: every row was put a line above its own, so a
    # slip was said on the right line above it (a false alarm and a miss at once)
    rows = "\n".join(f"   \\partial E/\\partial w_{k} &= {ONE['g'][k - 1]:.9f} \\\\" for k in range(5, 9))
    text = f"""Gradients

.. math::

   \\begin{{aligned}}
{rows}
   \\end{{aligned}}
"""
    text = FORWARD.replace("$", ":math:`", 1).replace("$", "`", 1) + text.replace(" \\\\\n   \\end", "\n   \\end")
    slipped = text.replace(f"{ONE['g'][6]:.9f}", f"{ONE['g'][7]:.9f}")
    at = next(n for n, line in enumerate(slipped.splitlines(), 1) if "w_7" in line)
    assert set(blamed(check(tmp_path, slipped, "notes.rst"))) == {at}, check(tmp_path, slipped, "notes.rst").lines()


def test_a_formula_blamed_on_the_line_it_is_written_on(tmp_path):
    # `\delta_{o_2} &= \frac{∂E}{∂z_{o_2}}` / `= (a_{o_2} - t_2)\, a_{o_2}(1 + a_{o_2})` / `= … = -0.083759`: the
    # slip, 1 + a, was said on the row's first line, where only its names are written
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    z = "$z_{o_2} = w_7 a_{h_1} + w_8 a_{h_2}$"
    body = f"""$a_{{o_2}} = {ONE["a_o2"]:.6f}$, $a_{{o_1}} = {ONE["a_o1"]:.6f}$, {z}

\\begin{{align}}
  \\delta_{{o_2}} &= \\frac{{\\partial E}}{{\\partial z_{{o_2}}}}
     = (a_{{o_2}} - t_2)\\, a_{{o_2}}(1 + a_{{o_2}})
     = {d2:.6f}
\\end{{align}}
"""
    result = check(tmp_path, _tex(body), "report.tex")
    assert set(blamed(result)) == {8}, "\n".join(result.lines())
    assert check(tmp_path, _tex(body.replace("(1 + a_{o_2})", "(1 - a_{o_2})")), "report.tex").mistakes == []


def test_a_loss_defined_through_primed_activations(tmp_path):
    # `\mathcal{L} = \tfrac12 (t_1 - o_1')^2 + \tfrac12 (t_2 - o_2')^2` where `o_1' = \frac{1}{1+e^{-o_1}}`: the
    # definition's words were not known (o_1' read as no name), so L was none and `\nabla_{w_5}\mathcal{L}`
    # unread (a write-up of my own invention, after round 35's primes)
    sigma = "\\frac{1}{1+e^{-o_1}}"
    loss = "\\tfrac12 (t_1 - o_1')^2 + \\tfrac12 (t_2 - o_2')^2"
    text = f"""I write the activation with a prime: $o_1' = {sigma}$, $h_1' = \\frac{{1}}{{1+e^{{-h_1}}}}$.

$h_1' = {ONE["a_h1"]:.6f}$, $o_1' = {ONE["a_o1"]:.6f}$, $o_2' = {ONE["a_o2"]:.6f}$

$$\\mathcal{{L}} = {loss} = {ONE["E"]:.6f}$$

$$\\nabla_{{w_5}}\\mathcal{{L}} = (o_1' - t_1)\\, o_1'(1 - o_1')\\, h_1' = {ONE["g"][4]:.6f}$$
"""
    result = check(tmp_path, text)
    assert result.mistakes == [] and {5, 7} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("(1 - o_1')\\, h_1'", "(1 + o_1')\\, h_1'"))
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())

"""Write-ups in notations and layouts the seeds and the 16 shared ones do not show, each right as
written (no alarm) and, where it matters, with a slip that must still be found at its line. Every
number quoted here was computed by hand from the course's network (i1 = 0.05, i2 = 0.1, w1…w8 =
0.15…0.55): ERA (t1 = t2 = 0.5) a_o1 = 0.606478, a_o2 = 0.630481, E_total = 0.014181,
∂E_total/∂w5 = 0.012881, ∂E_total/∂w7 = 0.015408; EVA8 (t1 = 0.01, t2 = 0.99) E_total = 0.242520,
∂E_total/∂w5 = 0.072157, ∂E_total/∂w7 = −0.042455, and after one step of η = 0.5 w7 = 0.521228.
"""

from tests.writeup.written import blamed, check


def test_equations_a_comma_apart_after_a_product_are_not_a_tuple(tmp_path):
    # `w2*i2, h2 = …` is the end of one equation and the start of the next, not `i2, h2 = …`
    right = (
        "Forward pass: `h1 = w1*i1 + w2*i2`, `h2 = w3*i1 + w4*i2`, `a_h1 = σ(h1)`, `a_h2 = σ(h2)`.\n"
        "Output: $o_1 = w_5 a_{h_1} + w_6 a_{h_2}$, $o_2 = w_7 a_{h_1} + w_8 a_{h_2}$, $a_{o_1} = \\sigma(o_1)$.\n"
    )
    result = check(tmp_path, right)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [1, 2]
    assert result.equations == 7
    slipped = check(tmp_path, right.replace("h2 = w3*i1 + w4*i2", "h2 = w3*i1 + w4*i1"))
    assert blamed(slipped) == {1: "h2"}, "\n".join(slipped.lines())
    tuple_ = check(tmp_path, "```python\ni1, i2 = 0.05, 0.1\nw1, w2 = 0.15, 0.2\nh1 = w1*i1 + w2*i2\n```\n")
    assert tuple_.mistakes == [] and sorted(set(tuple_.read)) == [2, 3, 4]


_W1 = (
    r"\frac{\partial E_{total}}{\partial w_1} = "
    r"\frac{\partial E_{total}}{\partial a_{h_1}} \cdot a_{h_1}(1 - a_{h_1}) \cdot i_1"
)
_W5 = r"\frac{\partial E_{total}}{\partial w_5} \quad = \quad (a_{o_1} - t_1) \cdot a_{o_1} (1 - a_{o_1}) \cdot a_{h_1}"
_LOCAL = (
    r"\frac{\partial E_1}{\partial a_{o_1}} = a_{o_1} - t_1 \qquad "
    r"\frac{\partial a_{o_1}}{\partial o_1} = a_{o_1} (1 - a_{o_1}) \qquad \frac{\partial o_1}{\partial w_5} = a_{h_1}"
)
QQUAD = f"""**Vorwärtsrechnung:**

$$h_1 = w_1 \\times i_1 + w_2 \\times i_2 \\qquad h_2 = w_3 \\times i_1 + w_4 \\times i_2$$

$$a_{{h_1}} = \\sigma(h_1) \\qquad a_{{h_2}} = \\sigma(h_2)$$

$${_LOCAL}$$

$${_W1} \\qquad {_W1.replace("w_1", "w_2").replace("i_1", "i_2")}$$

$${_W5}$$
"""


def test_a_wide_space_parts_two_equations_and_is_no_product(tmp_path):
    # `… w_2 i_2 \qquad h_2 = …` renders as two equations side by side, not w2·i2·h2
    result = check(tmp_path, QQUAD)
    assert result.mistakes == [], "\n".join(result.lines())
    assert result.equations == 10  # 2 + 2 + 3 + 2 + 1, the last with \quad around its `=`
    slipped = check(tmp_path, QQUAD.replace(r"= a_{o_1} - t_1 \qquad", r"= 2(a_{o_1} - t_1) \qquad"))
    assert blamed(slipped) == {7: "∂E1/∂a_o1"}, "\n".join(slipped.lines())
    assert slipped.mistakes[0].code == "missing-half"
    slipped = check(tmp_path, QQUAD.replace(r"\qquad a_{h_2} = \sigma(h_2)", r"\qquad a_{h_2} = \sigma(h_1)"))
    assert blamed(slipped) == {5: "a_h2"}, "\n".join(slipped.lines())


MULTILINE = r"""The loss:

$$
E_{total} = E_1 + E_2
= \frac{1}{2}\left(t_1 - a_{o_1}\right)^2
+ \frac{1}{2}\left(t_2 - a_{o_2}\right)^2
$$

For the hidden layer:

$$
\begin{align*}
\frac{\partial E_{total}}{\partial a_{h_1}}
&= \frac{\partial E_1}{\partial a_{h_1}} + \frac{\partial E_2}{\partial a_{h_1}} \\
&= (a_{o_1} - t_1)\, a_{o_1}(1 - a_{o_1})\, w_5
 + (a_{o_2} - t_2)\, a_{o_2}(1 - a_{o_2})\, w_7
\end{align*}
$$

$$
h_1 = w_1 i_1 + w_2 i_2
h_2 = w_3 i_1 + w_4 i_2
$$
"""


def test_a_row_of_display_math_goes_on_over_source_lines_until_its_line_break(tmp_path):
    # display math breaks a line only at `\\`: `&= … w_5` and ` + … w_7` under it are one row, not
    # `∂E_total/∂a_h1 = …·w5` (blamed as the wrong left side) and a stray `+ …`
    result = check(tmp_path, MULTILINE)
    assert result.mistakes == [], "\n".join(result.lines())
    assert not any("without E2" in w for _, w in result.warnings), result.warnings
    assert sorted(set(result.read)) == [4, 13, 15, 21, 22]  # two finished lines with no `\\` stay two rows
    slipped = check(tmp_path, MULTILINE.replace(r"\, w_7", r"\, w_8"))
    assert blamed(slipped) == {16: "∂E_total/∂a_h1"}, "\n".join(slipped.lines())  # (said where w_8 is written)
    slipped = check(tmp_path, MULTILINE.replace(r"+ \frac{1}{2}\left(t_2", r"+ \left(t_2"))
    assert blamed(slipped) == {4: "E_total"}, "\n".join(slipped.lines())


EVA_STEP = """Targets as in EVA8: `t1 = 0.01`, `t2 = 0.99`. ∂E_total/∂w5 = 0.072157 and ∂E_total/∂w7 = -0.042455.

With η = 0.5: w5 = 0.4 - 0.5*0.072157 = 0.363922 and w7 = 0.5 + 0.5*0.042455 = 0.521228.
"""


def test_a_step_down_a_negative_gradient_written_with_a_plus_is_an_update(tmp_path):
    # w7 − η·(−0.042455), its signs multiplied out: w7 after the step, not w7 itself (0.5)
    result = check(tmp_path, EVA_STEP)
    assert result.mistakes == [], "\n".join(result.lines())
    assert "EVA8" in result.network
    slipped = check(tmp_path, EVA_STEP.replace("0.5 + 0.5*0.042455 = 0.521228", "0.5 - 0.5*0.042455 = 0.478772"))
    assert blamed(slipped) == {3: "w7"}, "\n".join(slipped.lines())
    climbs = check(tmp_path, EVA_STEP.replace("0.4 - 0.5*0.072157 = 0.363922", "0.4 + 0.5*0.072157 = 0.436079"))
    assert blamed(climbs) == {3: "w5"}, "\n".join(climbs.lines())


RST = r"""Backpropagation by hand
=======================

The network has inputs :math:`i_1 = 0.05`, :math:`i_2 = 0.1` and targets :math:`t_1 = t_2 = 0.5`.

.. math::

   o_1 = w_5 a_{h1} + w_6 a_{h2}

.. math::
   :label: w6

   \frac{\partial E_{total}}{\partial w_6} = (a_{o1} - t_1)\, a_{o1}(1 - a_{o1})\, a_{h2}

   a_{h1} = \sigma(h_1), \quad a_{h2} = \sigma(h_2)

At the first iteration :math:`E_{total} = 0.014181`.
"""


def test_restructured_text_math_is_read_as_latex(tmp_path):
    # `.. math::` and :math:`…` are LaTeX: `w_5 a_{h1}` is w5·a_h1, not `o_1 = w_5` (blamed)
    result = check(tmp_path, RST, "notes.rst")
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [4, 8, 13, 15, 17]
    slipped = check(tmp_path, RST.replace(r"\, a_{h2}", r"\, a_{h1}"), "notes.rst")
    assert blamed(slipped) == {13: "∂E_total/∂w6"}, "\n".join(slipped.lines())


SPELLINGS = """* Err_1 = 1/2 * (t1 - O1_out)^2
* Err_total = Err_1 + Err_2
* dErr_total/dW_5 = (O1_out - T1) * O1_out * (1 - O1_out) * H1_out
* dErr_total/dW_7 = (y_hat2 - t2) * y_hat2 * (1 - y_hat2) * H1_out

```python
dE_dw8 = (a_o2 - t2) * a_o2 * (1 - a_o2) * a_h2
dE_dah1 = (a_o1 - t1) * a_o1 * (1 - a_o1) * w5 + (a_o2 - t2) * a_o2 * (1 - a_o2) * w7
dE_dw1 = dE_dah1 * a_h1 * (1 - a_h1) * i1
```
"""


def test_a_write_ups_own_spellings_of_the_quantities_are_read(tmp_path):
    # Err_total, Err_1, H1_out, O1_out, y_hat2 and a gradient named in code (dE_dw8) name quantities
    result = check(tmp_path, SPELLINGS)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [1, 2, 3, 4, 7, 8, 9]
    slipped = check(tmp_path, SPELLINGS.replace("(1 - y_hat2) * H1_out", "(1 - y_hat2) * H2_out"))
    assert blamed(slipped) == {4: "∂E_total/∂w7"}, "\n".join(slipped.lines())
    slipped = check(tmp_path, SPELLINGS.replace("(1 - a_o2) * a_h2", "(1 - a_o2) * a_h1"))
    assert blamed(slipped) == {7: "∂E_total/∂w8"}, "\n".join(slipped.lines())


TABLES = """Targets t1 = t2 = 0.5, inputs i1 = 0.05, i2 = 0.1.

| # | Quantity | Formula | Value (iteration 1) |
|---|---|---|---|
| 1 | a_o1 | `a_o1 = σ(o1)` | 0.606478 |
| 2 | ∂E_total/∂w7 | `(a_o2 - t2)*a_o2*(1 - a_o2)*a_h1` | 0.015408 |
| 3 | ∂E_total/∂w8 | `(a_o2 - t2)*a_o2*(1 - a_o2)*a_h2` | 0.015522 |

| quantity | iteration 1 | iteration 2 (η = 0.5) |
|---|---|---|
| E_total | 0.014181 | 0.013777 |

| η | E_total after 50 iterations |
|---|---|
| 0.5 | 0.0031 |
"""  # 0.0031: E_total after 50 steps at η = 0.5 (test_review6b.run, ERA's targets: 0.003067)


def test_a_tables_column_of_values_is_judged_against_its_row_quantity(tmp_path):
    # | ∂E_total/∂w7 | formula | 0.015408 |: the quantity, its formula and its value at the first
    # iteration; a column of another iteration or learning rate is not judged as the first's (after 50
    # iterations, η = 0.5: judged as the 50th's or 51st's)
    result = check(tmp_path, TABLES)
    assert result.mistakes == [], "\n".join(result.lines())
    assert 15 in blamed(check(tmp_path, TABLES.replace("| 0.5 | 0.0031 |", "| 0.5 | 0.0052 |")))
    assert {5, 6, 7, 11} <= set(result.read)
    slipped = check(tmp_path, TABLES.replace("a_h1` | 0.015408", "a_h1` | 0.015522"))
    assert blamed(slipped) == {6: "(a_o2 − t2)·a_o2·(1 − a_o2)·a_h1"}, "\n".join(slipped.lines())
    slipped = check(tmp_path, TABLES.replace("a_h1` | 0.015408", "a_h2` | 0.015408"))
    assert blamed(slipped) == {6: "∂E_total/∂w7"}, "\n".join(slipped.lines())


def test_a_number_quoted_with_its_sign_dropped_is_said_to_be_a_sign_slip(tmp_path):
    # EVA8's ∂E_total/∂w7 is −0.042455; 0.042455 happens to be another quantity's value somewhere,
    # which is no reason to name it
    text = "Targets `t1 = 0.01`, `t2 = 0.99`: E_total = 0.242520 and ∂E_total/∂w7 = 0.042455.\n"
    result = check(tmp_path, text)
    assert [(m.line, m.code) for m in result.mistakes] == [(1, "sign")], "\n".join(result.lines())
    assert result.mistakes[0].message.startswith("the sign is wrong"), result.mistakes[0].message


_AT_W5 = r"\left.\frac{\partial E_{total}}{\partial w_5}\right|_{w_5 = 0.4}"
_AT_W7 = r"\left.\frac{\partial E_{total}}{\partial w_7}\right|_{w_7 = 0.5}"
EVALUATED = (
    f"$${_AT_W5} = (a_{{o_1}} - t_1)\\, a_{{o_1}}(1 - a_{{o_1}})\\, a_{{h_1}} = 0.012881$$\n\n"
    f"$${_AT_W7} = (a_{{o_2}} - t_2)\\, a_{{o_2}}(1 - a_{{o_2}})\\, a_{{h_1}} = 0.015408$$\n"
)


def test_a_derivative_evaluated_at_a_point_is_read(tmp_path):
    # \left. … \right|_{w_5 = 0.4}: the bar says where the derivative is taken, and is no factor
    result = check(tmp_path, EVALUATED)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [1, 3]
    slipped = check(tmp_path, EVALUATED.replace(r"(1 - a_{o_2})\, a_{h_1}", r"(1 - a_{o_2})\, a_{h_2}"))
    assert blamed(slipped) == {3: "∂E_total/∂w7"}, "\n".join(slipped.lines())

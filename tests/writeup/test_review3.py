"""The third blind review's notations, in small: each write-up here is written for its test (none is
a copy of the blind corpus), right as written (no alarm) and, where it matters, with a slip that must
still be found at its line. Every number was computed from the course's network (i1 = 0.05, i2 = 0.1,
w1…w8 = 0.15…0.55): ERA (t1 = t2 = 0.5) h1 = 0.0275, a_h1 = 0.506875, a_h2 = 0.510623, o1 = 0.432530,
a_o1 = 0.606478, a_o2 = 0.630481, E1 = 0.005669, E2 = 0.008513, E_total = 0.014181, ∂E_total/∂o1 =
0.025412, ∂E_total/∂w5 = 0.012881, ∂E_total/∂w6 = 0.012976, ∂E_total/∂w7 = 0.015408, ∂E_total/∂a_h1 =
0.025364, ∂E_total/∂w1 = 0.000317, ∂E_total/∂w2 = 0.000634; after one step of η = 0.5 w1 = 0.149842,
w5 = 0.393560, w6 = 0.443512, and at iteration 2 E_total = 0.013777 (η = 0.5), 0.013537 (η = 0.8).
EVA8 (t1 = 0.01, t2 = 0.99): E1 = 0.177893, E2 = 0.064627, E_total = 0.242520, ∂E_total/∂w5 = 0.072157,
∂E_total/∂w7 = −0.042455; after one step of η = 0.5 w5 = 0.363921, w7 = 0.521228.
"""

from pathlib import Path

from sheetgen import writeup
from tests.writeup.written import blamed, check

REPORT = r"""\documentclass{article}
\usepackage{amsmath}
\newcommand{\E}{E_{total}}
\begin{document}
\section{Forward}
With $i_1 = 0.05$ and $i_2 = 0.1$ the hidden sum is $h_1 = w_1 i_1 + w_2 i_2 = 0.0275$.
% a draft line, not typeset: a_{o1} = 0.7
\begin{align*}
  E_1 &= \frac{1}{2}(t_1 - a_{o1})^2 = 0.177893 \\
  E_2 &= \frac{1}{2}(t_2 - a_{o2})^2 = 0.064627 \\
  E_{total} &= E_1 + E_2 = 0.242520
\end{align*}
\[ \frac{\partial E_{total}}{\partial w_5} = (a_{o1} - t_1)\, a_{o1} (1 - a_{o1})\, a_{h1} = 0.072157 \]
\begin{figure}[h] \includegraphics[width=0.5\textwidth]{loss.pdf} \end{figure}
\end{document}
"""


def test_a_latex_document_is_read_as_it_typesets(tmp_path):
    # a .tex write-up was `not an .xlsx workbook`: its math is read as in Markdown, its preamble and
    # comments are not (a draft's `a_{o1} = 0.7` after % is no equation of the report)
    result = check(tmp_path, REPORT, "report.tex")
    assert result.mistakes == [] and result.skipped == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [6, 9, 10, 11, 13]
    slipped = check(tmp_path, REPORT.replace("= 0.064627", "= 0.008513"), "report.tex")
    assert set(blamed(slipped)) == {10}, "\n".join(slipped.lines())  # E2 (E_total, 0.242520, is right)
    assert writeup.is_writeup(Path("report.tex"))  # `sheetgen check report.tex` reads it so


def test_a_functions_name_before_its_symbol_is_prose(tmp_path):
    # `the logistic sigmoid σ(x) = …` was read as sigmoid applied to σ(x): the definition was skipped
    right = "Every unit is the logistic sigmoid σ(x) = 1/(1 + exp(−x)), so a_h1 = σ(h1) = 0.506875.\n"
    result = check(tmp_path, right)
    assert result.mistakes == [] and result.skipped == [], "\n".join(result.lines())
    assert result.equations == 2
    slipped = check(tmp_path, right.replace("1/(1 + exp(−x))", "1/(1 − exp(−x))"))
    assert blamed(slipped) == {1: "σ(x)"}, "\n".join(slipped.lines())


TABLES = """# One step, in tables (η = 0.5)

| input, target | value |
|---|---|
| i1, i2 | 0.05, 0.1 |
| t1, t2 | 0.5, 0.5 |

| weight | gradient formula | value |
|---|---|---|
| w5 | (a_o1 − t1)·a_o1·(1 − a_o1)·a_h1 | 0.012881 |
| w7 | (a_o2 − t2)·a_o2·(1 − a_o2)·a_h1 | 0.015408 |

| weight | ∂E/∂w | updated |
|---|---|---|
| w1 | 0.000317 | 0.149842 |
| w5 | 0.012881 | 0.393560 |
| w6 | 0,012976 | 0,443512 |

| quantity | iteration 2 |
|---|---|
| a_o1 | 0.604905 |

| epoch | E_total |
|---|---|
| 1 | 0.014181 |
| 2 | 0.013777 |
| 3 | 0.013383 |
"""


def test_a_tables_columns_are_read_by_what_their_headers_say(tmp_path):
    # `| w1 | 0.000317 | 0.149842 |` under `| weight | ∂E/∂w | updated |` was read as w1 = 0.000317 and
    # blamed (w1 is 0.15): a column is the gradient, the weight after the step, the second iteration's
    # value, or each iteration's, as its header says; one it says none of is not read
    result = check(tmp_path, TABLES)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [5, 6, 10, 11, 15, 16, 17, 21, 25, 26, 27]  # iteration 3 (27) too
    for right, wrong, line in [
        ("| 0.393560 |", "| 0.393650 |", 16),  # the weight after the step
        ("| 0.015408 |", "| 0.015522 |", 11),  # a gradient's value, under its formula
        ("| 0.604905 |", "| 0.609405 |", 21),  # a_o1 at iteration 2
        ("| 2 | 0.013777 |", "| 2 | 0.013877 |", 26),  # E_total at iteration 2
        ("| 0,012976 |", "| 0,012796 |", 17),  # ∂E_total/∂w6, with a decimal comma
    ]:
        slipped = check(tmp_path, TABLES.replace(right, wrong))
        assert list(blamed(slipped)) == [line], "\n".join(slipped.lines())


SUBSCRIPTED = """Shorthand: ∂_x E is the partial derivative of E_total by x.

```
∂_{a_o1}E = a_o1 − t1           = 0.106478
∂_{o1}E   = ∂_{a_o1}E · σ'(o1)  = 0.025412
∂_{w5}E   = ∂_{o1}E · a_h1      = 0.012881
```

In LaTeX: $\\partial_{w_6} E_{total} = \\partial_{o_1} E_{total} \\, a_{h_2} = 0.012976$.
"""


def test_a_partial_written_by_its_subscript_is_read(tmp_path):
    # ∂_{a_o1}E was read from its E on, as `E = a_o1 − t1` (E_total?): blamed on every line
    result = check(tmp_path, SUBSCRIPTED)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [4, 5, 6, 9]
    slipped = check(tmp_path, SUBSCRIPTED.replace("∂_{o1}E · a_h1 ", "∂_{o1}E · a_h2 "))
    assert blamed(slipped) == {6: "∂E_total/∂w5"}, "\n".join(slipped.lines())
    slipped = check(tmp_path, SUBSCRIPTED.replace("a_o1 − t1", "t1 − a_o1"))
    assert list(blamed(slipped)) == [4], "\n".join(slipped.lines())


VECTORS = """In vector form (⊙ the element-wise product):

```
a_o = σ(W2 a_h)                 = [0.606478, 0.630481]ᵀ
E   = ½ ‖t − a_o‖²              = 0.014181
δ_o = (a_o − t) ⊙ a_o ⊙ (1 − a_o)
W2' = W2 − η ∇W2
```

and one weight alone: w5' = w5 − η·∂E_total/∂w5 = 0.4 − 0.5·0.012881 = 0.393560.
"""


def test_a_piece_of_an_equation_in_vector_notation_is_not_judged(tmp_path):
    # `E = ½ ‖t − a_o‖²` was judged as E = ½, and `W2' = W2 − η ∇W2` as w2 after the step = w2 − η:
    # both blamed, on a right write-up; what touches ‖, ∇, ⊙ or ᵀ is notation this reader does not read
    result = check(tmp_path, VECTORS)
    assert result.mistakes == [], "\n".join(result.lines())
    # later commits read a_o = … = [0.606478, 0.630481]ᵀ element by element, and ½ ‖t − a_o‖² written out
    assert sorted(set(result.read)) == [4, 5, 10]
    assert {n for n, _, why in result.skipped if "does not read" in why} >= {7}


COLUMNS = r"""$$
\begin{aligned}
h_1 &= w_1 i_1 + w_2 i_2 = 0.0275 & a_{h_1} &= \sigma(h_1) = 0.506875 \\
o_1 &= w_5 a_{h_1} + w_6 a_{h_2} = 0.432530 & a_{o_1} &= \sigma(o_1) = 0.606478
\end{aligned}
$$
"""


def test_an_align_rows_second_column_is_an_equation_of_its_own(tmp_path):
    # `h_1 &= … = 0.0275 & a_{h_1} &= …`: the second `&` begins the next column; read as a space, the
    # row was `0.0275·a_h1 = σ(h1)` and blamed
    result = check(tmp_path, COLUMNS)
    assert result.mistakes == [], "\n".join(result.lines())
    assert result.equations == 4 and sorted(set(result.read)) == [3, 4]
    slipped = check(tmp_path, COLUMNS.replace(r"\sigma(o_1) = 0.606478", r"\sigma(o_1) = 0.630481"))
    assert list(blamed(slipped)) == [4], "\n".join(slipped.lines())


PLAIN_SUBSCRIPTS = """Dados: (i₁ = 0,05; i₂ = 0,1; t₁ = t₂ = 0,5)

a_{h₁} = σ(h₁) = σ(0,0275) = 0,506875
E_{total} = E₁ + E₂ = 0,014181
∂E_{total}/∂a_{o₁} = a_{o₁} − t₁ = 0,106478
"""


def test_braced_subscripts_and_decimal_commas_in_plain_text_are_read(tmp_path):
    # a_{h₁} outside math was read as `a_` and `{h1}`, and σ(0,0275) as σ(0, 0275): the lines were
    # skipped; a list of given values in parentheses was `unbalanced parentheses`
    result = check(tmp_path, PLAIN_SUBSCRIPTS)
    assert result.mistakes == [] and result.skipped == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [1, 3, 4, 5]
    slipped = check(tmp_path, PLAIN_SUBSCRIPTS.replace("σ(0,0275) = 0,506875", "σ(0,0275) = 0,506587"))
    assert list(blamed(slipped)) == [3], "\n".join(slipped.lines())
    slipped = check(tmp_path, PLAIN_SUBSCRIPTS.replace("i₂ = 0,1;", "i₂ = 0,2;"))
    assert list(blamed(slipped)) == [1], "\n".join(slipped.lines())


UPDATED = r"""Step: $w^{+} = w - \eta \frac{\partial E_{total}}{\partial w}$; in code `w_i' = w_i - lr * dE_dw_i`.

- w₅⁺ = w₅ − η·∂E_total/∂w₅ = 0,4 − 0,5·0,012881 = 0,393560
- $w_6^{new} = 0.443512$, $w_1^{(t+1)} = 0.149842$
"""


def test_a_weight_after_the_step_in_superscript_is_read(tmp_path):
    # w₅⁺ was read as w5^(+) and skipped; w^{+} (any weight) and w_i' were unread
    result = check(tmp_path, UPDATED)
    assert result.mistakes == [] and result.skipped == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [1, 3, 4] and result.equations == 5
    slipped = check(tmp_path, UPDATED.replace(r"w - \eta", r"w + \eta"))
    assert list(blamed(slipped)) == [1], "\n".join(slipped.lines())
    slipped = check(tmp_path, UPDATED.replace("= 0,393560", "= 0,387119"))
    assert list(blamed(slipped)) == [3], "\n".join(slipped.lines())


SECOND = """Depois da 2ª iteração o erro cai para E_total = 0,013537 (η = 0,8).

Tras la segunda iteración: E_total = 0,013537.
"""


def test_the_second_iteration_is_read_in_other_languages(tmp_path):
    # `Depois da 2ª iteração … E_total = 0,013537` was judged at the first iteration and blamed
    result = check(tmp_path, SECOND)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [1, 3]
    slipped = check(tmp_path, SECOND.replace("segunda iteración", "primera iteración"))
    assert list(blamed(slipped)) == [3], "\n".join(slipped.lines())


HTML_TABLES = """Targets t1 = t2 = 0.5, η = 0.5.

<table>
<tr><th>input</th><th>i1</th><th>i2</th></tr>
<tr><td>value</td><td>0.05</td><td>0.1</td></tr>
</table>

<table>
  <tr><th>weight</th><th>initial</th><th>∂E/∂w</th><th>after the step</th></tr>
  <tr><td>w5</td><td>0.4</td><td>0.012881</td><td>0.393560</td></tr>
  <tr><td>w6</td><td>0.45</td><td>0.012976</td><td>0.443512</td></tr>
</table>
"""


def test_an_html_tables_rows_are_read_as_a_tables(tmp_path):
    # one <tr> a line was read as its words run together (`w5 0.4 0.012881 0.393560`): nothing judged
    result = check(tmp_path, HTML_TABLES)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [1, 5, 10, 11]
    slipped = check(tmp_path, HTML_TABLES.replace("<td>0.443512</td>", "<td>0.443215</td>"))
    assert list(blamed(slipped)) == [11], "\n".join(slipped.lines())
    slipped = check(tmp_path, HTML_TABLES.replace("<td>0.012881</td>", "<td>0.012976</td>"))
    assert list(blamed(slipped)) == [10], "\n".join(slipped.lines())


SUMS = r"""The loss, Mazur's way: E_total = Σ ½(target − output)²

$$E_{total} = \sum_{j=1}^{2} \frac{1}{2} (t_j - a_{o_j})^2 = 0.005669 + 0.008513 = 0.014181$$

and the error reaching a_h1: ∂E_total/∂a_h1 = Σ_k ∂E_k/∂a_h1 = 0.025364
"""


def test_a_sum_over_the_outputs_is_written_out(tmp_path):
    # `E_total = Σ (target − out)²` (no ½) was skipped as prose, its missing ½ unread
    result = check(tmp_path, SUMS)
    assert result.mistakes == [] and result.skipped == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [1, 3, 5]
    slipped = check(tmp_path, SUMS.replace("Σ ½(target", "Σ (target"))
    assert blamed(slipped) == {1: "E_total"} and slipped.mistakes[0].code == "missing-half", slipped.lines()
    slipped = check(tmp_path, SUMS.replace("(t_j - a_{o_j})", "(t_j - a_{h_j})"))
    assert list(blamed(slipped)) == [3], "\n".join(slipped.lines())


SIMPLE_TABLE = """The step
========

With η = 0.5:

======  =========  ============  ========
weight  before     ∂E_total/∂w   after
======  =========  ============  ========
w1      0.15       0.000317      0.149842
w5      0.4        0.012881      0.393560
======  =========  ============  ========
"""


def test_a_restructuredtext_simple_table_is_read_as_a_table(tmp_path):
    # its rows were runs of words: nothing in it judged
    result = check(tmp_path, SIMPLE_TABLE, "notes.rst")
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [9, 10]
    slipped = check(tmp_path, SIMPLE_TABLE.replace("0.149842", "0.149824"), "notes.rst")
    assert list(blamed(slipped)) == [9], "\n".join(slipped.lines())


RANGES = r"""Given: (i1, i2) = (0.05, 0.1), $t_1 = t_2 = 0.5$ and
$w_1, \dots, w_8 = 0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55$.

Then h1 = 0.0275, h2 = 0.0425, o1 = 0.432530 and a_o1 = 0.606478.
"""


def test_a_range_of_names_given_as_many_numbers_is_read_one_by_one(tmp_path):
    # `w_1, …, w_8 = 0.15, 0.2, …` was `a range of names, not given a range of numbers`, and
    # `(i1, i2) = (0.05, 0.1)` unread: a mistyped weight there went unseen
    result = check(tmp_path, RANGES)
    assert result.mistakes == [] and result.skipped == [], "\n".join(result.lines())
    assert result.stated == {"i1": 0.05, "i2": 0.1, "t1": 0.5, "t2": 0.5} | {
        f"w{k}": w for k, w in enumerate((0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55), 1)
    }
    slipped = check(tmp_path, RANGES.replace("0.2, 0.25, 0.3, 0.4", "0.2, 0.35, 0.3, 0.4"))
    assert blamed(slipped) == {2: "w3"}, "\n".join(slipped.lines())
    slipped = check(tmp_path, RANGES.replace("(0.05, 0.1)", "(0.05, 0.2)"))
    assert blamed(slipped) == {1: "i2"}, "\n".join(slipped.lines())


DELTAS_IN_CODE = """```python
d_o1 = (a_o1 - t1) * a_o1 * (1 - a_o1)      # 0.025412
d_o2 = (a_o2 - t2) * a_o2 * (1 - a_o2)
dE_dw5 = d_o1 * a_h1                         # = 0.012881
dE_dah1 = d_o1 * w5 + d_o2 * w7
d_h1 = dE_dah1 * a_h1 * (1 - a_h1)
dE_dw1 = d_h1 * i1
```
"""


def test_a_neurons_delta_named_in_code_is_read(tmp_path):
    # d_o1 (the code's δ_o1, ∂E_total/∂o1) was prose: every line that used it was unread
    result = check(tmp_path, DELTAS_IN_CODE)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [2, 3, 4, 5, 6, 7]
    slipped = check(tmp_path, DELTAS_IN_CODE.replace("d_o1 * w5 + d_o2 * w7", "d_o1 * w5 + d_o2 * w6"))
    assert blamed(slipped) == {5: "∂E_total/∂a_h1"}, "\n".join(slipped.lines())


ARROWS = """```
h1 = w1*i1 + w2*i2  =>  0.15*0.05 + 0.2*0.1  =>  0.0275
a_o1 = σ(o1)  =>  0.606478
w5 <- 0.4 - 0.5*0.012881 = 0.393560
w1 <- 0.149842   w6 <- 0.443512
```

One step (η = 0.5) and the loss only goes 0.014181 → 0.013777.
"""


def test_what_an_arrow_gives_is_read(tmp_path):
    # `=> 0.0275` was prose (a wrong number after it went unseen), `w1 <- 0.149842` unread, and so was a
    # loss `0.014181 → 0.013777` with words between the loss and its numbers
    result = check(tmp_path, ARROWS)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [2, 3, 4, 5, 8]
    for right, wrong, line in [
        ("=>  0.0275", "=>  0.0257", 2),
        ("=>  0.606478", "=>  0.630481", 3),
        ("w6 <- 0.443512", "w6 <- 0.434512", 5),
        ("→ 0.013777", "→ 0.013877", 8),
    ]:
        slipped = check(tmp_path, ARROWS.replace(right, wrong))
        assert list(blamed(slipped)) == [line], "\n".join(slipped.lines())


MATRICES = """Vector form (η = 0.5):

    x = [i1, i2]ᵀ = [0.05, 0.1]ᵀ
    W_hidden = [[w1, w2], [w3, w4]] = [[0.15, 0.2], [0.25, 0.3]]
    W_out = [[w5, w6], [w7, w8]] = [[0.4, 0.45], [0.5, 0.55]]
    h = W_hidden x = [0.0275, 0.0425]ᵀ
    a_o = σ(W_out σ(h)) = [0.606478, 0.630481]ᵀ
    δ_o = (a_o − t) ⊙ a_o ⊙ (1 − a_o) = [0.025412, 0.030399]ᵀ
    ∇W_out = δ_o σ(h)ᵀ = [[0.012881, 0.012976], [0.015408, 0.015522]]
    W_out' = W_out − η ∇W_out = [[0.393560, 0.443512], [0.492296, 0.542239]]
    g = W_outᵀ δ_o = [0.025364, 0.028155]ᵀ

| | iteration 1 | iteration 2 |
|---|---|---|
| a_o | [0.606478, 0.630481] | [0.604905, 0.628643] |
"""


def test_a_vector_or_a_matrix_set_equal_to_numbers_is_read_element_by_element(tmp_path):
    # `a_o = … = [0.606478, 0.630481]ᵀ` is a_o1 and a_o2; `W_out = [[w5, w6], [w7, w8]]` names the
    # matrix whose gradient ∇W_out and step W_out' follow; the formula between is not judged, and g
    # (g1, g2: nothing this reader knows) is not read
    result = check(tmp_path, MATRICES)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [3, 4, 5, 6, 7, 8, 9, 10, 15]
    for right, wrong, line in [
        ("[0.0275, 0.0425]", "[0.0275, 0.0452]", 6),
        ("[0.025412, 0.030399]", "[0.030399, 0.025412]", 8),
        ("[0.015408, 0.015522]]", "[0.015522, 0.015408]]", 9),
        ("[0.492296, 0.542239]]", "[0.492296, 0.542932]]", 10),
        ("[0.604905, 0.628643]", "[0.604905, 0.630481]", 15),
    ]:
        slipped = check(tmp_path, MATRICES.replace(right, wrong))
        assert list(blamed(slipped)) == [line], "\n".join(slipped.lines())


NORMS = """Loss and learning rate η = 0.5:

    E = ½ ‖t − a_o‖² = 0.014181
    E = ½‖a_o − t‖^2 = 0.005669 + 0.008513
"""


def test_a_vectors_squared_length_is_written_out(tmp_path):
    # `E = ½ ‖t − a_o‖²` is ½((t1 − a_o1)² + (t2 − a_o2)²); it was skipped (a piece beside ‖), and
    # `learning rate η = 0.5` could not be read ('learning rate η')
    result = check(tmp_path, NORMS)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [3, 4]
    assert result.skipped == [(1, "η = 0.5", "it sets the learning rate")], result.skipped
    slipped = check(tmp_path, NORMS.replace("E = ½ ‖t − a_o‖²", "E = ‖t − a_o‖²"))
    assert blamed(slipped) == {3: "E_total"} and slipped.mistakes[0].code == "missing-half", slipped.lines()


SPANNING = r"""$$
\frac{\partial E_{total}}{\partial w_7}
  = \frac{\partial E_{total}}{\partial a_{o_2}} \cdot \frac{\partial a_{o_2}}{\partial o_2}
    \cdot \frac{\partial o_2}{\partial w_7}
  = (a_{o_2} - t_2)\, a_{o_2}(1 - a_{o_2})\, a_{h_1}
$$
"""


def test_the_lines_a_row_of_display_math_goes_on_over_are_read_with_it(tmp_path):
    # --json's lines_read named only the row's first line (2); a person counts each line with an `=`
    result = check(tmp_path, SPANNING)
    assert result.mistakes == [] and sorted(set(result.read)) == [2], "\n".join(result.lines())
    assert result.as_dict()["lines_read"] == [2, 3, 4, 5]
    rst = ".. math::\n\n   " + SPANNING.strip("$\n").replace("\n", "\n   ") + "\n"
    result = check(tmp_path, rst, "notes.rst")
    assert result.mistakes == [] and result.as_dict()["lines_read"] == [3, 4, 5, 6], "\n".join(result.lines())


FACTOR_GOES_ON = """```
∂E_total/∂w5 = (δE1/δa_o1) * (δa_o1/δo1) * (δo1/δw5)
             = (a_o1 - t1)                                   # the first factor
               * (δσ(o1)/δo1 = σ(o1) * (1 - σ(o1)) = a_o1    # the second, going on below
               * (1 - a_o1)) * a_h1
```
Targets (t1 = 0.5; t2 = 0.5).
"""


def test_a_bracket_opened_and_closed_on_another_line_is_no_list(tmp_path):
    # `(t1 = 0.5; t2 = 0.5)` is a list in brackets; `* (δσ(o1)/δo1 = … = a_o1` opens a factor that
    # closes on the next line: read as an equation, its `= a_o1` (a_o1·(1 − a_o1) cut in two) was blamed
    result = check(tmp_path, FACTOR_GOES_ON)
    assert result.mistakes == [], "\n".join(result.lines())
    assert 7 in result.read and 4 not in result.read


PRODUCT_GOES_ON = """```
∂E_total/∂w5 = (a_o1 - t1)
             * a_o1 * (1 - a_o1)      # σ'(o1)
             * a_h1
```
"""


def test_a_product_that_goes_on_over_lines_is_one_equation(tmp_path):
    # `∂E_total/∂w5 = (a_o1 - t1)` alone is wrong: read with the lines under it, it is right
    result = check(tmp_path, PRODUCT_GOES_ON)
    assert result.mistakes == [] and sorted(set(result.read)) == [2], "\n".join(result.lines())
    assert result.as_dict()["lines_read"] == [2, 3, 4]
    slipped = check(tmp_path, PRODUCT_GOES_ON.replace("* a_h1", "* a_h2"))
    assert blamed(slipped) == {4: "∂E_total/∂w5"}, "\n".join(slipped.lines())  # (said where a_h2 is written)


UNSURE = """Targets t1 = t2 = 0.5, η = 0.5.

| iteration | w5 | E_total |
|---|---|---|
| 1 | 0.4 | 0.014181 |
| 2 | 0.387206 | 0.013777 |

| weight | initial | after iteration 2 | ∂E/∂w (iteration 2) |
|---|---|---|---|
| w5 | 0.4 | 0.387206 | 0.012708 |

```
h1 = 0.0275
* a note on h1
```
2. Iteration: E_total = 0.014181
"""


def test_what_a_table_or_a_line_may_mean_two_ways_is_not_blamed(tmp_path):
    # a weight in iteration 2's row may be the one it uses or the one it makes (either is right); a
    # column `after iteration 2` is the third iteration's, `∂E/∂w (iteration 2)` unsure: neither read;
    # `* a note` under an equation is a list's item, not a factor; `2. Iteration:` a numbered list
    result = check(tmp_path, UNSURE)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [1, 5, 6, 10, 13, 16]
    slipped = check(tmp_path, UNSURE.replace("| 2 | 0.387206 |", "| 2 | 0.387602 |"))
    assert list(blamed(slipped)) == [6], "\n".join(slipped.lines())
    assert "(η = 0.5)" in slipped.mistakes[0].message  # the η the file says (`η = 0.5.` ends a sentence)


IMPLICIT = """Forward, as on paper:

h1 = w1 i1 + w2 i2
o1 = w5 a_h1 + w6 a_h2 (the weighted sum)
∂E_total/∂w5 = δ_o1 a_h1, with δ_o1 = ∂E_total/∂o1

Not products: h2 = w3*i1 + w4*i2 h1 is computed the same way.
"""


def test_names_side_by_side_in_plain_text_are_a_product(tmp_path):
    # `h1 = w1 i1 + w2 i2` was `cannot read` (h1 h2 is prose): as in LaTeX, two names side by side are
    # a product — but not a last name before a word (`… w4*i2 h1 is …`) or an `=`: it may begin what follows
    result = check(tmp_path, IMPLICIT)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sorted(set(result.read)) == [3, 4, 5]
    assert [n for n, _, _ in result.skipped] == [7], result.skipped
    slipped = check(tmp_path, IMPLICIT.replace("w6 a_h2 (", "w6 a_h1 ("))
    assert blamed(slipped) == {4: "o1"}, "\n".join(slipped.lines())

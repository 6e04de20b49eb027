"""What the forty-first and later blind reviews found, in small; each write-up written for its test (none a
copy of the corpus); numbers from test_review6b's `run` (the network by hand, independently of sheetgen),
EVA8's targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ITS = run(W, 0.5, 4)

FORWARD = f"""# Backprop, EVA targets t1 = 0.01 and t2 = 0.99

h1 = {ITS[0]["h1"]:.6f}, a_h1 = {ITS[0]["a_h1"]:.6f}, a_o1 = {ITS[0]["a_o1"]:.6f}, a_o2 = {ITS[0]["a_o2"]:.6f}

"""


def test_after_two_updates_and_the_second_iteration_are_two_iterations_in_one_line(tmp_path):
    # `Second iteration: E = …. After 2 updates E = ….`: the second sentence speaks of the third
    # iteration; its count of updates and the first's iteration number are not one key (both 2)
    e2, e3 = ITS[1]["E"], ITS[2]["E"]
    text = FORWARD + f"With η = 0.5, second iteration: E_total = {e2:.6f}. After 2 updates E_total = {e3:.6f}.\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and 5 in set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{e3:.6f}", f"{e3 + 0.001:.6f}"))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())


def test_a_step_of_another_eta_among_the_steps_of_one_is_the_slip(tmp_path):
    # `4) UPDATE, lr = 0.2 tab` then eight steps of 0.2 and one of 0.1, in a file that names every tab's
    # η (0.1 too, so no η the file never names): the odd step is the slip; steps of η's compared, each
    # saying its own η, are not
    g = {f"dw{k}": x for k, x in enumerate(ITS[0]["g"], 1)}
    lr = 0.2
    rate = {k: lr if k != 6 else 0.1 for k in range(1, 9)}
    steps = "\n".join(
        f"  w{k} ← {w:g} − {rate[k]:g}·{g[f'dw{k}']:.6f} = {w - rate[k] * g[f'dw{k}']:.6f}" for k, w in enumerate(W, 1)
    )
    text = (
        FORWARD
        + f"I made one tab for each η in 0.1, 0.2, 0.5, 0.8, 1.0 and 2.0.\n\n4) UPDATE, lr = {lr:g} tab\n\n{steps}\n"
    )
    slipped = check(tmp_path, text)
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("  w6"))) + 1
    assert set(blamed(slipped)) == {line}, "\n".join(slipped.lines())
    compared = "\n".join(
        f"  w6 with η = {x:g}: {W[5]:g} − {x:g}·{g['dw6']:.6f} = {W[5] - x * g['dw6']:.6f}"
        for x in (0.2, 0.2, 0.1, 0.2)
    )
    fine = check(tmp_path, FORWARD + f"lr = 0.2 tab\n\n{compared}\n")
    assert fine.mistakes == [], "\n".join(fine.lines())


def _losses(eta: float, n: int) -> list[float]:
    return [it["E"] for it in run(W, eta, n)]


def test_the_loss_said_in_words_after_n_steps_is_judged_at_its_eta(tmp_path):
    # `el error sigue en 0.13351`, `it drops to …`, `… in 100 steps`: the loss in words, no `=`, at the
    # iteration and the η its sentence says; a change, a bound or a start is not the loss at that iteration
    slow, fast = _losses(0.1, 101), _losses(2.0, 101)
    said = [
        f"With η = 0.1, after 100 iterations the error stays at {slow[100]:.5f}, "
        f"while with η = 2.0 it drops to {fast[100]:.7f}.",
        f"Con η = 0.1 después de 100 iteraciones el error sigue en {slow[100]:.5f}, "
        f"mientras que con η = 2.0 baja hasta {fast[100]:.7f}.",
        f"With lr=2 the error drops to {fast[100]:.7f} in 100 steps.",
        f"After 100 iterations, the loss is {slow[99]:.5f} (η = 0.1).",  # the 100th: either count
        f"With η = 0.1 the error starts at {slow[0]:.5f} and after 100 iterations it is {slow[100]:.5f}.",
    ]
    not_the_loss = [
        "After 100 iterations the loss dropped by 0.1091 with η = 0.1.",
        "After 100 iterations with η = 2.0 the loss is below 0.01.",
        "After 100 iterations with η = 2.0 the loss is about 0.01.",
    ]
    for sentence in said:
        right = check(tmp_path, FORWARD + sentence + "\n")
        assert right.mistakes == [] and 5 in right.read, "\n".join(right.lines())
        wrong = sentence.replace(f"{slow[100]:.5f}", f"{slow[10]:.5f}").replace(f"{fast[100]:.7f}", f"{fast[10]:.7f}")
        wrong = wrong.replace(f"{slow[99]:.5f}", f"{slow[10]:.5f}")
        slipped = check(tmp_path, FORWARD + wrong + "\n")
        assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())
    for sentence in not_the_loss:
        result = check(tmp_path, FORWARD + sentence + "\n")
        assert result.mistakes == [] and 5 not in result.read, "\n".join(result.lines())


def test_neurons_numbered_one_to_six_are_read_by_the_weights_their_nets_sum(tmp_path):
    # Andrew Ng's numbering: neurons 1–6, the inputs' outputs a1 = i1 and a2 = i2, z3 = w1·a1 + w2·a2 (h1),
    # δ5 = ∂E/∂z5, y5 the first target, E5 its loss; read by the weights each net sums, never by a guess
    one = ITS[0]
    g, d5 = one["g"], (one["a_o1"] - 0.01) * one["a_o1"] * (1 - one["a_o1"])
    d6 = (one["a_o2"] - 0.99) * one["a_o2"] * (1 - one["a_o2"])
    text = f"""# Backprop with neurons numbered 1 to 6 (EVA targets)

a1 = 0.05, a2 = 0.1 (the inputs), y5 = 0.01, y6 = 0.99

    z3 = w1·a1 + w2·a2 = {one["h1"]:.7f}
    z4 = w3·a1 + w4·a2 = {one["h2"]:.7f}
    a3 = σ(z3) = {one["a_h1"]:.7f}
    a4 = σ(z4) = {one["a_h2"]:.7f}
    z5 = w5·a3 + w6·a4 = {one["o1"]:.7f}
    z6 = w7·a3 + w8·a4 = {one["o2"]:.7f}
    a5 = σ(z5) = {one["a_o1"]:.7f}
    E5 = ½(y5 − a5)² = {one["E1"]:.7f}
    δ5 = (a5 − y5)·a5·(1 − a5) = {d5:.7f}
    δ6 = (a6 − y6)·a6·(1 − a6) = {d6:.7f}
    ∂E/∂w5 = δ5·a3 = {g[4]:.7f}
    ∂E/∂w7 = δ6·a3 = {g[6]:.7f}
    ∂E/∂a3 = δ5·w5 + δ6·w7
"""
    right = check(tmp_path, text)
    assert right.mistakes == [] and set(range(5, 18)) <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, text.replace("δ6·a3 =", "δ6·a4 =").replace("δ5·w5 + δ6·w7", "δ5·w5 + δ6·w8"))
    assert set(blamed(slipped)) == {16, 17}, "\n".join(slipped.lines())
    # a file whose sums name no three nets is read as the course's names only (a1 is no input there)
    few = check(tmp_path, "a1 = 0.05\n\n    z3 = w1·a1 + w2·a2 = 0.0275\n")
    assert few.mistakes == [], "\n".join(few.lines())


def test_a_codecogs_formula_whose_plus_is_an_html_entity(tmp_path):
    # codecogs' editor writes + as &plus; (and spaces as &space;) in the address: decoded as a browser
    # shows it, `… w_5 &plus; (a_{o2} − t_2) … w_7` is the sum of both paths, not one path and a remark
    one = ITS[0]
    d1 = (one["a_o1"] - 0.01) * one["a_o1"] * (1 - one["a_o1"])
    d2 = (one["a_o2"] - 0.99) * one["a_o2"] * (1 - one["a_o2"])
    value = d1 * 0.4 + d2 * 0.5
    url = (
        "https://latex.codecogs.com/svg.image?\\frac{\\partial&space;E_{total}}{\\partial&space;a_{h1}}&space;=&space;"
        "(a_{o1}&space;-&space;t_1)&space;\\cdot&space;a_{o1}&space;\\cdot&space;(1&space;-&space;a_{o1})&space;\\cdot&space;w_5"
        "&space;&plus;&space;(a_{o2}&space;-&space;t_2)&space;\\cdot&space;a_{o2}&space;\\cdot&space;(1&space;-&space;a_{o2})"
        f"&space;\\cdot&space;w_7&space;=&space;{value:.4f}"
    )
    text = FORWARD + f'<img src="{url}" />\n'
    right = check(tmp_path, text)
    assert right.mistakes == [] and 5 in right.read, "\n".join(right.lines())
    slipped = check(tmp_path, text.replace("w_7&space;=", "w_8&space;="))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())


def test_a_matrix_times_a_vector_is_not_the_vector_and_its_row_goes_on_below(tmp_path):
    # `\mathbf{h} = W^{(1)}\mathbf{i} = [[0.15, 0.2], [0.25, 0.3]]` (a bmatrix), its row going on below to
    # `= [0.0275, 0.0425]`: h is the last bracket, not the matrix's first row (h1 = 0.15 was blamed)
    one = ITS[0]
    text = f"""# Forward pass in matrices (EVA targets t1 = 0.01, t2 = 0.99)

$$
\\mathbf{{h}} = W^{{(1)}}\\mathbf{{i}} =
\\begin{{bmatrix}} 0.15 & 0.2 \\\\ 0.25 & 0.3 \\end{{bmatrix}}
\\begin{{bmatrix}} 0.05 \\\\ 0.1 \\end{{bmatrix}} =
\\begin{{bmatrix}} {one["h1"]:.4f} \\\\ {one["h2"]:.4f} \\end{{bmatrix}}
$$

$$
\\mathbf{{a}}_h = \\sigma(\\mathbf{{h}}) = \\begin{{bmatrix}} {one["a_h1"]:.6f} \\\\ {one["a_h2"]:.6f} \\end{{bmatrix}}
$$

$a_{{o1}} = {one["a_o1"]:.6f}$, $a_{{o2}} = {one["a_o2"]:.6f}$, $E_{{total}} = {one["E"]:.6f}$
"""
    right = check(tmp_path, text)
    assert right.mistakes == [], "\n".join(right.lines())
    slipped = check(tmp_path, text.replace(f"{one['h2']:.4f}", f"{one['h2'] + 0.01:.4f}"))
    assert slipped.mistakes, "\n".join(slipped.lines())


def test_a_result_rounded_to_a_given_value_is_right_at_its_digits(tmp_path):
    # `w1 = 0.15 − 0.5·0.000317 = 0.150`: 0.1498 to three digits; that it is also w1's 0.15 is chance,
    # not w1 left as it was (4 right lines were blamed); a step written `= 0.140` is still wrong
    g = ITS[0]["g"]
    text = FORWARD + f"w1 = 0.15 - 0.5*{g[0]:.6f} = 0.150\nw2 = 0.2 - 0.5*{g[1]:.6f} = 0.200\n"
    right = check(tmp_path, text)
    assert right.mistakes == [] and {5, 6} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, text.replace("= 0.150", "= 0.140"))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())


def test_e_to_the_minus_a_number_without_brackets(tmp_path):
    # `a_h1 = 1/(1+e^-0.0275) = 0.507`: e^-x of a number, as e^-h1 of a name was read
    one = ITS[0]
    text = FORWARD + f"a_h1 = 1/(1+e^-{one['h1']:.4f}) = {one['a_h1']:.3f}\n"
    right = check(tmp_path, text)
    assert right.mistakes == [] and 5 in right.read, "\n".join(right.lines())
    slipped = check(tmp_path, text.replace(f"= {one['a_h1']:.3f}", f"= {one['a_h1'] + 0.01:.3f}"))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())


def test_weights_updated_as_matrices_over_lines_are_the_weights_after_the_step(tmp_path):
    # `W^{(1)} \leftarrow [[…]] − 0.8` then, on the row's next line, `[[∇…]] = [[…]]`: the weights after the
    # step, element by element, read as one row of display math (its `=` on a line it goes on to)
    one = ITS[0]
    g = one["g"]
    new = [w - 0.8 * d for w, d in zip(W, g)]

    def bm(x):
        return f"\\begin{{bmatrix}} {x[0]:.6f} & {x[1]:.6f} \\\\ {x[2]:.6f} & {x[3]:.6f} \\end{{bmatrix}}"

    W1 = "$$W^{(1)} = \\begin{bmatrix} w_1 & w_2 \\\\ w_3 & w_4 \\end{bmatrix} = " + bm([0.15, 0.2, 0.25, 0.3]) + "$$"
    GIVEN = f"$a_{{h1}} = {one['a_h1']:.6f}$, $a_{{o1}} = {one['a_o1']:.6f}$, $a_{{o2}} = {one['a_o2']:.6f}$"
    GIVEN += f", $E_{{total}} = {one['E']:.6f}$"

    text = f"""# Matrices (EVA targets t1 = 0.01, t2 = 0.99), η = 0.8

{W1}

{GIVEN}

$$
W^{{(1)}} \\leftarrow
{bm(W[:4])} - 0.8
{bm(g[:4])} =
{bm(new[:4])}
$$
"""
    right = check(tmp_path, text)
    read = set(right.read) | set(right.continued)  # the row's lines, read with its first
    assert right.mistakes == [] and {8, 9, 10, 11} <= read, "\n".join(right.lines())
    slipped = check(tmp_path, text.replace(f"{new[2]:.6f}", f"{new[2] - 0.001:.6f}"))
    assert slipped.mistakes and all(m.line in (8, 9, 10, 11) for m in slipped.mistakes), "\n".join(slipped.lines())


def test_inputs_named_by_the_weights_they_meet(tmp_path):
    # `z^{[1]}_1 = w_1 x_1 + w_2 x_2`: x_1 meets w1 in h1's sum, so it is i1 — whatever letter the file
    # gives its inputs, and though its glossary's `i1, i2 | x_1, x_2` pairs them with no name read;
    # `δ^{[1]}_1 x_1` is then ∂E_total/∂w1 (all were unread: x no name the reader knew)
    one = ITS[0]
    g = one["g"]
    text = f"""# Backprop (EVA targets $t_1 = 0.01$, $t_2 = 0.99$)
| sheet | here | meaning |
|---|---|---|
| `i1`, `i2` | $x_1, x_2$ | inputs |
| `h1`, `h2` | $z^{{[1]}}_1, z^{{[1]}}_2$ | hidden pre-activations |

$x_1 = 0.05$, $x_2 = 0.1$, $w_1 = 0.15$, $w_2 = 0.2$
$$
\\begin{{aligned}}
z^{{[1]}}_1 &= w_1 x_1 + w_2 x_2 = {one["h1"]:.4f} \\\\
z^{{[1]}}_2 &= w_3 x_1 + w_4 x_2 = {one["h2"]:.4f} \\\\
z^{{[2]}}_1 &= w_5 a^{{[1]}}_1 + w_6 a^{{[1]}}_2 = {one["o1"]:.6f} \\\\
z^{{[2]}}_2 &= w_7 a^{{[1]}}_1 + w_8 a^{{[1]}}_2 = {one["o2"]:.6f}
\\end{{aligned}}
$$

$a^{{[2]}}_1 = {one["a_o1"]:.6f}$, $a^{{[2]}}_2 = {one["a_o2"]:.6f}$

$$\\frac{{\\partial E}}{{\\partial w_1}} = \\delta^{{[1]}}_1 x_1 = {g[0]:.7f}$$
"""
    right = check(tmp_path, text)
    assert right.mistakes == [] and {10, 11, 19} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, text.replace("\\delta^{[1]}_1 x_1", "\\delta^{[1]}_1 x_2"))
    assert set(blamed(slipped)) == {19}, "\n".join(slipped.lines())


def test_a_file_of_both_networks_side_by_side_is_judged_on_each(tmp_path):
    # `| weight | EVA new | ERA new |`: the file speaks of both target sets; a number right with the other
    # one is no mistake of the one its numbers fit best (8 right weights of an EVA column were blamed)
    eva = run(W, 0.5, 1)[0]
    era = run(W, 0.5, 1, t1=0.5, t2=0.5)[0]
    rows = [f"| a_o1 | {eva['a_o1']:.6f} | {era['a_o1']:.6f} |", f"| E_total | {eva['E']:.6f} | {era['E']:.6f} |"]
    rows += [f"| ∂E/∂w{k} | {eva['g'][k - 1]:.6f} | {era['g'][k - 1]:.6f} |" for k in range(5, 9)]
    news = [f"| w{k} | {eva['w'][k - 1]:.6f} | {era['w'][k - 1]:.6f} |" for k in range(1, 9)]
    text = (
        "# EVA and ERA side by side, η = 0.5\n\n| quantity | EVA | ERA |\n|---|---|---|\n"
        + "\n".join(rows)
        + "\n\n| weight | EVA new | ERA new |\n|---|---|---|\n"
        + "\n".join(news)
        + "\n"
    )
    right = check(tmp_path, text)
    assert right.mistakes == [], "\n".join(right.lines())
    slipped = check(tmp_path, text.replace(f"{era['w'][4]:.6f}", f"{era['w'][4] + 0.01:.6f}"))
    assert len(slipped.mistakes) == 1, "\n".join(slipped.lines())


def test_a_glossary_of_own_names_e1_back1_and_a_family_of_slopes(tmp_path):
    # `e1 = y_o1 − T1` (∂E/∂a_o1, not E1 as the course would read e1), `back1 = …` (a prefix of four
    # letters), `s_o1, s_o2, s_h1 = y(1 − y)`: s_h2 is the slope of h2 whatever its line says, which is
    # then judged (`s_h2 = y_h2·(1 + y_h2)` a slip)
    one = run(W, 0.5, 1, t1=0.5, t2=0.5)[0]
    a1, a2, h1, h2 = one["a_o1"], one["a_o2"], one["a_h1"], one["a_h2"]
    text = f"""# My own names (ERA targets T1 = T2 = 0.5)

x1 = 0.05, x2 = 0.1

z_h1 = w1·x1 + w2·x2 = {one["h1"]:.6f}
z_h2 = w3·x1 + w4·x2 = {one["h2"]:.6f}
y_h1 = sig(z_h1) = {h1:.6f}
y_h2 = sig(z_h2) = {h2:.6f}
z_o1 = w5·y_h1 + w6·y_h2 = {one["o1"]:.6f}
z_o2 = w7·y_h1 + w8·y_h2 = {one["o2"]:.6f}
y_o1 = sig(z_o1) = {a1:.6f}
y_o2 = sig(z_o2) = {a2:.6f}
e1 = y_o1 − T1 = {a1 - 0.5:.6f}
e2 = y_o2 − T2 = {a2 - 0.5:.6f}
s_o1 = y_o1·(1 − y_o1) = {a1 * (1 - a1):.6f}
s_o2 = y_o2·(1 − y_o2) = {a2 * (1 - a2):.6f}
s_h1 = y_h1·(1 − y_h1) = {h1 * (1 - h1):.6f}
s_h2 = y_h2·(1 − y_h2) = {h2 * (1 - h2):.6f}
back1 = e1·s_o1·w5 + e2·s_o2·w7 = {(a1 - 0.5) * a1 * (1 - a1) * 0.4 + (a2 - 0.5) * a2 * (1 - a2) * 0.5:.6f}
g5 = e1·s_o1·y_h1 = {one["g"][4]:.6f}
g1 = back1·s_h1·x1 = {one["g"][0]:.8f}
"""
    right = check(tmp_path, text)
    assert right.mistakes == [] and {13, 14, 18, 19, 20} <= set(right.read), "\n".join(right.lines())
    slip = f"s_h2 = y_h2·(1 + y_h2) = {h2 * (1 + h2):.6f}"
    slipped = check(tmp_path, text.replace(f"s_h2 = y_h2·(1 − y_h2) = {h2 * (1 - h2):.6f}", slip))
    assert set(blamed(slipped)) == {18}, "\n".join(slipped.lines())


def test_values_said_in_words_are_read_and_a_siblings_number_among_the_first_iterations_is_a_slip(tmp_path):
    # `so its input h1 is 0.0275`, `giving E2 of 0.0646`, `The gradient of the total error with respect to w6
    # is 0.0727`; among lines of the first iteration, w5's 0.0722 for w6 is a slip, not w6 at iteration 2
    # (which it also is, to four digits); `the error of o1 is …` names no o1's value
    one = ITS[0]
    g = one["g"]
    text = f"""# In words (EVA targets t1 = 0.01 and t2 = 0.99)

The first hidden neuron gets 0.15 × 0.05 + 0.2 × 0.1, so its input h1 is {one["h1"]:.4f}.
Squashing gives a_h1 of {one["a_h1"]:.4f}, and the outputs are a_o1 of {one["a_o1"]:.4f} and a_o2 of {one["a_o2"]:.4f}.
The first error is E1 of {one["E1"]:.4f}, the second E2 of {one["E2"]:.4f}; the error of o1 is {one["E1"]:.4f} too.
The gradient of the total error with respect to w5 is {g[4]:.4f}.
The gradient of the total error with respect to w6 is {g[5]:.4f}.
The gradient with respect to w7 is {g[6]:.4f} and with respect to w8 it is {g[7]:.4f}.
"""
    right = check(tmp_path, text)
    assert right.mistakes == [] and {3, 4, 5, 6, 7, 8} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, text.replace(f"w6 is {g[5]:.4f}", f"w6 is {g[4]:.4f}"))
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


def test_a_loss_going_down_after_an_eta_is_no_equation_of_two_numbers(tmp_path):
    # `- η = 0.2: 0.01418138 → 0.00422894`: the arrow after an η's `=` is a loss going down, not the first
    # number equal to the second (five right items were blamed); `E1 = ½(t1 − a_o1)² → 0.1779` still is one
    text = FORWARD + "- η = 0.2: 0.24252 → 0.0123\n- η = 0.5: 0.24252 → 0.0063\n"
    right = check(tmp_path, text)
    assert right.mistakes == [], "\n".join(right.lines())
    one = ITS[0]
    valued = check(tmp_path, FORWARD + f"E1 = ½(t1 − a_o1)² → {one['E1'] + 0.01:.4f}\n")
    assert set(blamed(valued)) == {5}, "\n".join(valued.lines())


def test_a_factor_with_its_value_set_under_it(tmp_path):
    # `\underset{w_6 = 0.45}{\frac{∂o_1}{∂a_{h_2}}}`: the factor, its label under it a remark (read whole,
    # `w_6 = 0.45 ∂o_1/∂a_h2 = 0.0180` blamed w6); `\overset{def}{=}` is its relation
    one = ITS[0]
    d1 = (one["a_o1"] - 0.01) * one["a_o1"] * (1 - one["a_o1"])
    d2 = (one["a_o2"] - 0.99) * one["a_o2"] * (1 - one["a_o2"])
    text = FORWARD + (
        "$$\\frac{\\partial E_{total}}{\\partial a_{h_2}} = \\underset{"
        f"{d1:.4f}"
        "}{\\frac{\\partial E_{total}}{\\partial o_1}} \\cdot \\underset{w_6 \\,=\\, 0.45}{\\frac{\\partial o_1}"
        "{\\partial a_{h_2}}} + \\underset{"
        f"{d2:.4f}"
        "}{\\frac{\\partial E_{total}}{\\partial o_2}} \\cdot \\underset{w_8 \\,=\\, 0.55}{\\frac{\\partial o_2}"
        "{\\partial a_{h_2}}} = "
        f"{d1 * 0.45 + d2 * 0.55:.4f}$$\n"
    )
    right = check(tmp_path, text)
    assert right.mistakes == [] and 5 in right.read, "\n".join(right.lines())
    slipped = check(tmp_path, text.replace("{\\partial o_2}{\\partial a_{h_2}}", "{\\partial o_2}{\\partial a_{h_1}}"))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())


def test_a_table_row_of_two_partials_and_two_values(tmp_path):
    # `| ∂o1/∂w5, ∂o1/∂w6 | a_h1, a_h2 | 0.5069, 0.5106 |`: its middle, ∂o1/∂w6 = a_h1, was blamed; and
    # `w ← w − η ∂E/∂w_i, η = 0.5` is no tuple of a partial and η
    one = ITS[0]
    text = FORWARD + (
        "| quantity | formula | value |\n|---|---|---|\n"
        f"| $a_{{o_1}}$ | $\\sigma(o_1)$ | {one['a_o1']:.4f} |\n"
        f"| $\\partial o_1 / \\partial w_5,\\ \\partial o_1 / \\partial w_6$ | $a_{{h_1}},\\ a_{{h_2}}$ | "
        f"{one['a_h1']:.4f}, {one['a_h2']:.4f} |\n"
        "\n$$w_i \\leftarrow w_i - \\eta \\,\\frac{\\partial E_{total}}{\\partial w_i}, \\qquad \\eta = 0.5$$\n"
    )
    right = check(tmp_path, text)
    # (the row's pairs are not read yet: a table's cells of two; what matters, no right one is blamed)
    assert right.mistakes == [] and 10 in right.read, "\n".join(right.lines())


def test_a_column_of_alpha_times_the_gradient_is_not_the_gradient(tmp_path):
    # `| weight | old | alpha·grad | new |`: the step η·∂E/∂w (α the file's η), not ∂E/∂w (8 rows were blamed)
    g = ITS[0]["g"]
    rows = "\n".join(f"| w{k} | {w:g} | {2 * g[k - 1]:.8f} | {w - 2 * g[k - 1]:.8f} |" for k, w in enumerate(W, 1))
    text = FORWARD + f"With alpha = 2:\n\n| weight | old | alpha·grad | new |\n|---|---|---|---|\n{rows}\n"
    right = check(tmp_path, text)
    assert right.mistakes == [], "\n".join(right.lines())


def test_two_etas_losses_in_one_sentence_are_no_trajectory(tmp_path):
    # `Doubling η from 0.5 to 1.0 takes the 100-step error from 0.0292 to 0.0124`: the loss at two η's, not
    # E_total at the first two iterations (0.0124 was blamed as iteration 2's)
    text = FORWARD + "Doubling η from 0.5 to 1.0 takes the 100-step error from 0.0292 to 0.0124.\n"
    right = check(tmp_path, text)
    assert right.mistakes == [], "\n".join(right.lines())
    trajectory = check(tmp_path, FORWARD + f"The error goes from {ITS[0]['E']:.4f} to {ITS[1]['E'] + 0.01:.4f}.\n")
    assert set(blamed(trajectory)) == {5}, "\n".join(trajectory.lines())


def test_a_notebooks_code_and_its_printed_logs(tmp_path):
    # code's dict of quantities (`f["a_o1"]`), its own names of two parts (`d_ao1 = a_o1 - t1`), a printed
    # step (`w1: 0.15 -> 0.149906`) and a printed loss by step (`eta=0.5  E[0]=…  E[10]=…`): all read
    one = ITS[0]
    losses = _losses(0.5, 11)
    text = FORWARD + (
        '    d_o1 = (f["a_o1"] - t1) * f["a_o1"] * (1 - f["a_o1"])\n'
        "    d_ao2 = a_o2 - t2\n"
        "    delta_o2 = d_ao2 * a_o2 * (1 - a_o2)\n\n"
        f"w1: 0.15 -> {one['w'][0]:.6f}\n\n"
        f"eta=0.5  E[0]={losses[0]:.6f}  E[10]={losses[10]:.6f}\n"
    )
    right = check(tmp_path, text)
    assert right.mistakes == [] and {5, 6, 7, 9, 11} <= set(right.read), "\n".join(right.lines())
    slipped = check(
        tmp_path, text.replace('(1 - f["a_o1"])', '(1 + f["a_o1"])').replace(f"{losses[10]:.6f}", f"{losses[5]:.6f}")
    )
    assert set(blamed(slipped)) == {5, 11}, "\n".join(slipped.lines())


def test_a_sheets_rows_whose_weights_are_those_after_the_rows_step(tmp_path):
    # `| iter | E_total | w1 | … | w8 |` under `the weights after the update of that row`: each row's weights
    # may be the ones it uses or the ones its step makes (8 rows of right weights were blamed)
    its = run(W, 0.5, 4)
    rows = "\n".join(
        f"| {k} | {it['E']:.5f} | " + " | ".join(f"{w:.5f}" for w in it["w"]) + " |" for k, it in enumerate(its, 1)
    )
    header = "| iter | E_total | " + " | ".join(f"w{k}" for k in range(1, 9)) + " |\n|" + "---|" * 10
    text = FORWARD + f"η = 0.5; the weights are those after the update of that row.\n\n{header}\n{rows}\n"
    right = check(tmp_path, text)
    assert right.mistakes == [], "\n".join(right.lines())
    slipped = check(tmp_path, text.replace(f"{its[2]['w'][4]:.5f}", f"{its[2]['w'][4] + 0.01:.5f}"))
    assert len(slipped.mistakes) == 1, "\n".join(slipped.lines())


def test_one_line_of_two_counts_of_steps_and_words_around_a_dotted_list(tmp_path):
    # `After one update E_total = 0.2285, after 100 updates 0.0124.`: the first number after one step (read
    # after 100, it was blamed); `i2 = 0.1 · learning rate η = 0.5` parts at its dot; `out(h1)` is a_h1
    its = run(W, 1.0, 2)
    text = FORWARD + (
        f"i_1 = 0.05 · i_2 = 0.1 · learning rate η = 1.0\n\n"
        f"After one update E_total = {its[1]['E']:.4f}, after 100 updates {_losses(1.0, 101)[100]:.4f}.\n\n"
        f"out(h1) = 1/(1+exp(-net(h1))) = {its[0]['a_h1']:.4f}\n"
    )
    right = check(tmp_path, text)
    assert right.mistakes == [] and {5, 7, 9} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, text.replace(f"= {its[1]['E']:.4f}", f"= {its[1]['E'] + 0.01:.4f}"))
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


def test_a_sum_split_over_two_rows_of_aligned_math_is_one_equation(tmp_path):
    # `∂E/∂a_{h1} &= (a_{o1} − t_1)…w_5 \\` then `&\quad + (a_{o2} − t_2)…w_7 \\`: one sum over two rows (read
    # apart, the first was blamed for the path it leaves to the next); a slip in the second row is said there
    one = ITS[0]
    d1 = (one["a_o1"] - 0.01) * one["a_o1"] * (1 - one["a_o1"])
    d2 = (one["a_o2"] - 0.99) * one["a_o2"] * (1 - one["a_o2"])
    text = FORWARD + (
        "$$\n\\begin{aligned}\n"
        "\\frac{\\partial E_{total}}{\\partial a_{h1}} &= (a_{o1}-t_1)\\,a_{o1}(1-a_{o1})\\, w_5 \\\\\n"
        "  &\\quad + (a_{o2}-t_2)\\,a_{o2}(1-a_{o2})\\, w_7 \\\\\n"
        f"  &= {d1 * 0.4:.6f} + ({d2 * 0.5:.6f}) = {d1 * 0.4 + d2 * 0.5:.6f}\n"
        "\\end{aligned}\n$$\n"
    )
    right = check(tmp_path, text)
    assert right.mistakes == [] and 7 in right.read and 8 in right.continued, "\n".join(right.lines())
    slipped = check(tmp_path, text.replace("a_{o2}(1-a_{o2})\\, w_7", "a_{o2}(1-a_{o2})\\, w_8"))
    assert set(blamed(slipped)) == {8}, "\n".join(slipped.lines())


def test_underbraced_factors_on_lines_of_their_own_are_one_product(tmp_path):
    # `\frac{∂E}{∂w_5} = \underbrace{(a_{o1} − t_1)}_{…}\;` / `\underbrace{a_{o1}(1−a_{o1})}_{…}\;` /
    # `\underbrace{a_{h1}}_{…}`: one product over three lines (its first factor alone was blamed)
    text = FORWARD + (
        "\\[\n\\frac{\\partial E_{total}}{\\partial w_5} = "
        "\\underbrace{(a_{o1} - t_1)}_{\\partial E_1/\\partial a_{o1}}\\;\n"
        "\\underbrace{a_{o1}(1-a_{o1})}_{\\partial a_{o1}/\\partial o_1}\\;\n"
        "\\underbrace{a_{h1}}_{\\partial o_1/\\partial w_5}\n\\]\n"
    )
    right = check(tmp_path, text)
    assert right.mistakes == [] and 6 in right.read, "\n".join(right.lines())
    slipped = check(tmp_path, text.replace("\\underbrace{a_{h1}}", "\\underbrace{a_{h2}}"))
    assert len(slipped.mistakes) == 1, "\n".join(slipped.lines())


def test_six_lines_in_a_row_each_blamed_are_said_as_one_warning(tmp_path):
    # a block of lines each blamed is a layout or notation misread more likely than as many slips in a row
    # (no labelled blind write-up has a run of more than 4 wrong lines; at first contact most runs of 5 or
    # more were false alarms): one warning, each line skipped, none taught as a mistake; four stay mistakes
    g = ITS[0]["g"]
    rows = [f"∂E/∂w{k} = {g[k - 1] * 3:.6f}" for k in range(1, 9)]  # every one thrice its value
    six = check(tmp_path, FORWARD + "\n".join(rows[:6]) + "\n")
    assert six.mistakes == [] and any("6 lines in a row" in w for _, w in six.warnings), "\n".join(six.lines())
    four = check(tmp_path, FORWARD + "\n".join(rows[:4]) + "\n")
    assert set(blamed(four)) == {5, 6, 7, 8}, "\n".join(four.lines())


def test_a_name_that_ends_an_expression_is_not_given_the_expressions_value(tmp_path):
    # `so t2 − a_o2 is 0.3595`: the value of t2 − a_o2, not of a_o2 (read as `a_o2 = 0.3595` and blamed)
    one = ITS[0]
    text = FORWARD + f"a_o2 is {one['a_o2']:.4f}, so t2 − a_o2 is {0.99 - one['a_o2']:.4f} and 1 − a_h1 is 0.4931.\n"
    right = check(tmp_path, text)
    assert right.mistakes == [] and 5 in right.read, "\n".join(right.lines())
    # nor a name after `w.r.t.`, nor what a product `gives`
    others = FORWARD + f"The partial of E1 w.r.t. a_o1 is {one['a_o1'] - 0.01:.4f}; i1 times w1 gives 0.0075.\n"
    assert check(tmp_path, others).mistakes == [], "\n".join(check(tmp_path, others).lines())


def test_numbered_neurons_whose_letters_the_course_reads_otherwise(tmp_path):
    # inputs e1, e2 (Eingabe, not the losses E1, E2) and outputs y3, y4 (the file's letter for every output,
    # not the targets y of other files): read by the sums they stand in (both were blamed as the course reads them)
    o, g = ITS[0], ITS[0]["g"]
    text = f"""# Rückpropagation (EVA: t1 = 0.01, t2 = 0.99)

    s1 = w1*e1 + w2*e2 = {o["h1"]:.5f}
    s2 = w3*e1 + w4*e2 = {o["h2"]:.5f}
    y1 = 1/(1+e^-s1) = {o["a_h1"]:.5f}
    y2 = 1/(1+e^-s2) = {o["a_h2"]:.5f}
    s3 = w5*y1 + w6*y2 = {o["o1"]:.5f}
    s4 = w7*y1 + w8*y2 = {o["o2"]:.5f}
    y3 = 1/(1+e^-s3) = {o["a_o1"]:.5f}
    y4 = 1/(1+e^-s4) = {o["a_o2"]:.5f}
    dE/dw8 = (y4 - t2)*y4*(1-y4)*y2 = {g[7]:.5f}
"""
    right = check(tmp_path, text)
    assert right.mistakes == [] and set(range(3, 12)) <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, text.replace("(1-y4)*y2", "(1-y4)*y1"))
    assert set(blamed(slipped)) == {11}, "\n".join(slipped.lines())

"""What the thirty-seventh blind review left unread, and the thirty-eighth and later found, in small; each
write-up written for its test (none a copy of the corpus); numbers from test_review6b's `run` (the network
by hand, independently of sheetgen), EVA8's targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE, TWO = run(W, 0.5, 2)


def test_a_word_for_the_loss_defined_as_the_sum_is_the_total_loss(tmp_path):
    # `Cost = E1 + E2 = …`, `Total loss = …`: a word, not a letter, for E_total (its lines were skipped as
    # prose, their slips missed); `Error = t1 − a_o1` would make it no one's
    e1, e2 = ONE["E1"], ONE["E2"]
    text = f"""# Backprop, EVA targets t1 = 0.01 and t2 = 0.99

a_o1 = {ONE["a_o1"]:.6f}, a_o2 = {ONE["a_o2"]:.6f}

Cost = E1 + E2 = {e1:.6f} + {e2:.6f} = {e1 + e2:.6f}

Total loss = ½(t1 − a_o1)² + ½(t2 − a_o2)² = {e1 + e2:.6f}
"""
    result = check(tmp_path, text)
    assert result.mistakes == [] and {5, 7} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"= {e1 + e2:.6f}\n\nTotal", f"= {e1 + e2 + 0.01:.6f}\n\nTotal"))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())
    other = check(tmp_path, text + "\nCost = t1 − a_o1\n")  # a word of two meanings: read as neither
    assert other.mistakes == [] and 5 not in set(other.read), "\n".join(other.lines())


# the forward pass of the first iteration, enough numbers for a later iteration's to be judged
FORWARD = f"""# Backprop, EVA targets t1 = 0.01 and t2 = 0.99

h1 = {ONE["h1"]:.6f}, a_h1 = {ONE["a_h1"]:.6f}, a_o1 = {ONE["a_o1"]:.6f}, a_o2 = {ONE["a_o2"]:.6f}

"""


def _losses(eta: float, n: int) -> list[float]:
    return [it["E"] for it in run(W, eta, n)]


def test_a_loss_from_one_number_to_another_after_n_updates(tmp_path):
    # `With η = 0.1 the error only goes from 0.2425 to 0.1335 after 100 updates`: the first number was read as
    # the 101st iteration's, the second as the second's, and both blamed; `0.2425 → 0.1791 in 5 updates` too
    slow, fast = _losses(0.1, 101), _losses(1.0, 6)
    text = FORWARD + (
        f"With η = 0.1 the error only goes from {slow[0]:.4f} to {slow[100]:.4f} after 100 updates, with η = 2.0 it"
        f" is lower.\n\nWith η = 1.0 the error goes down every row: {fast[0]:.6f} → {fast[5]:.6f} in 5 updates.\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and {5, 7} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{slow[100]:.4f}", f"{slow[100] + 0.01:.4f}"))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())


def test_sentences_of_one_line_that_say_different_iterations(tmp_path):
    # `Second iteration (from the sheet): E = 0.23132. After 100 iterations E = 0.01639.`: the second number
    # was read as the second iteration's (the line says `second`), and blamed
    losses = _losses(0.5, 101)
    text = FORWARD + (
        f"Second iteration (from the sheet): E = {losses[1]:.5f}. After 100 iterations E = {losses[100]:.5f}.\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and 5 in result.read, "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"E = {losses[1]:.5f}", f"E = {losses[1] + 0.01:.5f}"))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())


def test_an_eta_said_before_a_number_in_its_sentence_is_its_own(tmp_path):
    # `After 1000 updates η = 2.0 is down to` / `E_total = 0.000244 while η = 0.1 is still at 0.0125`: the number
    # was judged at the η its line names (0.1), not the one its sentence gave it on the line above (2.0)
    fast, slow = _losses(2.0, 101), _losses(0.1, 101)
    text = FORWARD + (
        f"After 100 updates η = 2.0 is down to\nE_total = {fast[100]:.6f} while η = 0.1 is still at {slow[100]:.4f}.\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and 6 in result.read, "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"E_total = {fast[100]:.6f}", f"E_total = {fast[100] * 3:.6f}"))
    assert set(blamed(slipped)) == {6}, "\n".join(slipped.lines())


def test_a_weight_marked_next_is_the_weight_after_the_step(tmp_path):
    # `w7(next) = 0.5 - 1.0*(-0.0424553) = 0.4575447`: skipped (`w7(next` glued to it), its sign slip missed
    g7 = ONE["g"][6]
    text = FORWARD + f"w7(next) = 0.5 - 0.5*({g7:.7f}) = {0.5 - 0.5 * g7:.7f}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and 5 in result.read, "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"= {0.5 - 0.5 * g7:.7f}", f"= {0.5 + 0.5 * g7:.7f}"))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())


def test_a_table_of_gradients_by_iteration(tmp_path):
    # `| iter | dw1 | … | dw8 |` in a file whose dwk is ∂E/∂wk: the columns were read only when they named
    # values, not gradients (a sign dropped in its second row was missed)
    its = run(W, 0.5, 3)
    rows = "\n".join(f"| {k + 1} | " + " | ".join(f"{g:.7f}" for g in it["g"]) + " |" for k, it in enumerate(its))
    text = FORWARD + (
        "dw5 = (a_o1 - t1)*a_o1*(1 - a_o1)*a_h1\ndw6 = (a_o1 - t1)*a_o1*(1 - a_o1)*a_h2\n"
        "dw7 = (a_o2 - t2)*a_o2*(1 - a_o2)*a_h1\ndw8 = (a_o2 - t2)*a_o2*(1 - a_o2)*a_h2\n\nGradients (η = 0.5):\n\n"
        "| iter | dw1 | dw2 | dw3 | dw4 | dw5 | dw6 | dw7 | dw8 |\n|---|---|---|---|---|---|---|---|---|\n"
        + rows
        + "\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and {14, 15, 16} <= set(result.read), "\n".join(result.lines())
    g7 = f"{its[1]['g'][6]:.7f}"
    slipped = check(tmp_path, text.replace(g7, g7.lstrip("-")))
    assert set(blamed(slipped)) == {15}, "\n".join(slipped.lines())


def test_a_factor_of_a_name_not_known_is_no_end_of_the_equation(tmp_path):
    # `∂E/∂w_1 = δ^{[1]}_1 x_1 = 0.0001883` where x_1 is no name this reader knows: read as ∂E/∂w_1 = δ_h1 (the
    # input left out), and blamed; `inputs, $x_1 = 0.05$, $x_2 = 0.1$` then says what x_1 is
    g1 = ONE["g"][0]
    line = f"$$\\frac{{\\partial E}}{{\\partial w_1}} = \\delta^{{[1]}}_1 q_1 = {g1:.7f}$$\n"
    result = check(tmp_path, FORWARD + line)
    assert result.mistakes == [], "\n".join(result.lines())
    named = FORWARD + "Our inputs, $q_1 = 0.05$, $q_2 = 0.1$.\n\n" + line
    result = check(tmp_path, named)
    assert result.mistakes == [] and 7 in result.read, "\n".join(result.lines())
    slipped = check(tmp_path, named.replace("\\delta^{[1]}_1 q_1", "\\delta^{[1]}_1 q_2"))
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


def test_a_tuple_of_names_of_the_files_own(tmp_path):
    # `- $a^{(1)}_1, a^{(1)}_2$ = `a_h1`, `a_h2``, and code's `dw5, dw6 = d_o1 * a_h1, d_o1 * a_h2`: read as their
    # middles (a^{(1)}_2 = a_h1, dw6 = d_o1 * a_h1) and blamed
    text = FORWARD + (
        "- $a^{(1)}_1, a^{(1)}_2$ = `a_h1`, `a_h2` (after sigmoid)\n"
        "- $z^{(2)}_1, z^{(2)}_2$ = `o1`, `o2`, and $a^{(2)}_1, a^{(2)}_2$ = `a_o1`, `a_o2`\n\n"
        "```python\nd_o1 = (a_o1 - t1) * a_o1 * (1 - a_o1)\nd_o2 = (a_o2 - t2) * a_o2 * (1 - a_o2)\n"
        "dw5, dw6 = d_o1 * a_h1, d_o1 * a_h2\ndw7, dw8 = d_o2 * a_h1, d_o2 * a_h2\n```\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and {5, 6, 11, 12} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("d_o1 * a_h1, d_o1 * a_h2", "d_o1 * a_h1, d_o1 * a_h1"))
    assert set(blamed(slipped)) == {11}, "\n".join(slipped.lines())


def test_a_restructuredtext_list_table(tmp_path):
    # `.. list-table::`, a row `* - 0.1`, each cell under it `- 0.228678`: not read (a cell a line)
    losses = {eta: _losses(eta, 11)[10] for eta in (0.1, 0.5)}
    rows = "".join(f"   * - {eta}\n     - {x:.6f}\n" for eta, x in losses.items())
    text = (
        "Backprop\n========\n\nEVA targets :math:`t_1 = 0.01`, :math:`t_2 = 0.99`.\n\n"
        f":math:`h_1 = {ONE['h1']:.6f}`, :math:`a_{{h1}} = {ONE['a_h1']:.6f}`, :math:`a_{{o1}} = {ONE['a_o1']:.6f}`,"
        f" :math:`a_{{o2}} = {ONE['a_o2']:.6f}`\n\nThe loss after 10 updates:\n\n"
        ".. list-table::\n   :header-rows: 1\n\n   * - :math:`\\eta`\n     - E_total after 10 updates\n" + rows
    )
    result = check(tmp_path, text, "notes.rst")
    assert result.mistakes == [] and {16, 18} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{losses[0.5]:.6f}", f"{losses[0.5] + 0.01:.6f}"), "notes.rst")
    assert set(blamed(slipped)) == {18}, "\n".join(slipped.lines())


def test_a_sentence_that_leads_into_the_steps_says_their_eta(tmp_path):
    # `For $\eta = 0.5$ the first update gives`, a blank line, then each step: a step of η = 0.1 (a slip) was
    # judged right, at the other η the file names (its table of every η)
    g = ONE["g"]
    steps = "".join(f"$$w_{k + 1} = {W[k]} - 0.5 \\times {g[k]:.8f} = {W[k] - 0.5 * g[k]:.6f}$$\n" for k in range(4))
    text = FORWARD + "Tabs: η = 0.1, 0.2, 0.5, 0.8, 1.0, 2.0.\n\nFor $\\eta = 0.5$ the first update gives\n\n" + steps
    result = check(tmp_path, text)
    assert result.mistakes == [] and {9, 10, 11, 12} <= set(result.read), "\n".join(result.lines())
    slip = f"$$w_2 = 0.2 - 0.1 \\times {g[1]:.8f} = {0.2 - 0.1 * g[1]:.6f}$$"
    slipped = check(tmp_path, text.replace(f"$$w_2 = 0.2 - 0.5 \\times {g[1]:.8f} = {0.2 - 0.5 * g[1]:.6f}$$", slip))
    assert set(blamed(slipped)) == {10}, "\n".join(slipped.lines())


def test_a_loss_table_whose_iter_n_counts_updates(tmp_path):
    # `E_total after 20 / 100 iterations:` over `lr  iter 20  iter 100`: each column read as the 20th (100th)
    # iteration only, where the student wrote the loss after 20 (100) updates: 7 right numbers blamed
    rates = (0.1, 0.5)
    losses = {eta: _losses(eta, 101) for eta in rates}
    rows = "\n".join(f"| {eta} | {losses[eta][20]:.6f} | {losses[eta][100]:.6f} |" for eta in rates)
    text = FORWARD + "E_total after 20 / 100 iterations:\n\n| lr | iter 20 | iter 100 |\n|---|---|---|\n" + rows + "\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and {9, 10} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{losses[0.5][100]:.6f}", f"{losses[0.5][100] + 0.001:.6f}"))
    assert set(blamed(slipped)) == {10}, "\n".join(slipped.lines())


def test_a_function_said_of_a_neuron_is_the_activation(tmp_path):
    # `act(H1) = σ(H1) = 0.506874567`: a function defined on a neuron, not a letter (act(x) = …): every line
    # using act was skipped, and `E2 = ½(t2 − act(O1))²` (the other output) missed
    text = FORWARD + (
        "- `act(H1)` etc. is the neuron output after the sigmoid σ\n"
        f"- act(H1) = σ(H1) = {ONE['a_h1']:.9f}\n- act(O2) = σ(O2) = {ONE['a_o2']:.9f}\n"
        f"- E2 = ½(t2 − act(O2))² = {ONE['E2']:.9f}\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and {6, 7, 8} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("(t2 − act(O2))", "(t2 − act(O1))"))
    assert set(blamed(slipped)) == {8}, "\n".join(slipped.lines())

"""The eighth blind review's first contact (10 write-ups written blind to the code): its false alarms,
in small. Each write-up here is written for its test (none is a copy of the blind corpus) and is right
as written; where it matters, a slip in it must still be found. Numbers from test_review6b's `run`, the
network written out by hand, independently of sheetgen; ERA's targets (0.5, 0.5)."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ERA = run(W, 0.5, 1, t1=0.5, t2=0.5)[0]
ERA2 = run(W, 2.0, 1, t1=0.5, t2=0.5)[0]


def test_a_target_written_as_its_number_beside_sigma_of_the_net_is_the_target(tmp_path):
    # `E1 = ½(0.5 − σ(o1))²`: the target as its number was named only beside a_o1, not beside σ(o1)
    text = (
        f"σ(o1) = {ERA['a_o1']:.8f}\nE1 = ½(0.5 − σ(o1))² = {ERA['E1']:.4f}\nE2 = ½(0.5 − σ(o2))² = {ERA['E2']:.8f}\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {2, 3} <= set(result.read)
    slipped = check(tmp_path, text.replace("E1 = ½(0.5 − σ(o1))²", "E1 = ½(0.5 − σ(o2))²"))
    assert 2 in blamed(slipped), "\n".join(slipped.lines())


def test_a_step_with_its_eta_written_as_a_number_is_judged_at_that_eta(tmp_path):
    # `w_new = w − 2.0·∂E/∂w`: judged at random η, as if 2.0 were any constant, and blamed
    text = f"a_o1 = {ERA2['a_o1']:.6f}, η = 2.0\n\n### Update, w_new = w − 2.0·∂E/∂w\n"
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert 3 in result.read
    assert 3 in blamed(check(tmp_path, text.replace("w − 2.0·∂E/∂w", "w + 2.0·∂E/∂w")))


def test_a_step_with_the_weights_value_written_is_judged_on_its_numbers(tmp_path):
    # `w7 ← 0.5 − 0.5·∇w7 = 0.492296`: 0.5 (w7's value, and η) was taken for a constant of an identity
    # and judged at random weights; it speaks of this iteration's numbers
    g = ERA["g"]
    text = f"a_o1 = {ERA['a_o1']:.6f}, η = 0.5\n\n"
    text += "".join(f"- w{k} ← {W[k - 1]:g} − 0.5·∇w{k} = {W[k - 1] - 0.5 * g[k - 1]:.6f}\n" for k in (5, 6, 7, 8))
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {3, 4, 5, 6} <= set(result.read)
    up = check(
        tmp_path, text.replace(f"0.4 − 0.5·∇w5 = {0.4 - 0.5 * g[4]:.6f}", f"0.4 + 0.5·∇w5 = {0.4 + 0.5 * g[4]:.6f}")
    )
    assert [(m.line, m.quantity) for m in up.mistakes] == [(3, "w5")], "\n".join(up.lines())
    assert "the step goes up the gradient" in up.mistakes[0].message


def test_a_word_indexed_by_a_neuron_is_the_files_own_notation(tmp_path):
    # `out[o1] = 0.606478` was read as `[o1] = 0.606478`, o1 given a_o1's number, and blamed
    text = f"a_h1 = {ERA['a_h1']:.6f}\nE_total = {ERA['E']:.6f}\n"
    text += f"in[o1] = w5·out[h1] + w6·out[h2] = {ERA['o1']:.6f}, out[o1] = {ERA['a_o1']:.6f}\n"
    text += f"out[o2] = {ERA['a_o2']:.6f}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())


def test_the_lines_a_sentence_ending_in_a_colon_introduces_are_of_the_iteration_it_names(tmp_path):
    # `Error after 30 iterations for each learning rate:`, then `lr 0.1 : E_tot = 0.0119`: each was
    # judged as the first iteration's E_total and blamed; each is the 31st iteration's (or the 30th's) at
    # its η, and judged there since round 17
    after = {eta: run(W, eta, 31, t1=0.5, t2=0.5)[30]["E"] for eta in (0.1, 0.5)}
    shown = f"a_h1 = {ERA['a_h1']:.6f}, a_o1 = {ERA['a_o1']:.6f}, a_o2 = {ERA['a_o2']:.6f}, "  # the network, shown
    text = (f"{shown}E_tot = {ERA['E']:.6f}\n\n"
            "Error after 30 iterations for each learning rate (row 34 = iteration 30):\n"
            f"  lr 0.1 :  E_tot = {after[0.1]:.6f}\n  lr 0.5 :  E_tot = {after[0.5]:.6f}\n\n"
            f"E_tot = {after[0.1]:.6f}\n")  # fmt: skip
    result = check(tmp_path, text)
    assert set(blamed(result)) == {7}, "\n".join(result.lines())  # after the blank line: the first again
    assert {4, 5} <= set(result.read)
    slipped = check(tmp_path, text.replace(f"E_tot = {after[0.5]:.6f}", f"E_tot = {after[0.1]:.6f}"))
    assert set(blamed(slipped)) == {5, 7}, "\n".join(slipped.lines())  # η = 0.1's on the row of η = 0.5


def test_a_number_before_an_iteration_in_brackets_is_no_name(tmp_path):
    # `E_tot in row 6 (iteration 2) = 0.2313`: the bracket taken for a name's iteration made `6` the left
    # side, and `6 is 6, not 0.2313` was blamed; after a name the bracket is its iteration
    two = run(W, 0.8, 2)[1]
    text = f"E_tot = {run(W, 0.8, 1)[0]['E']:.6f}, η = 0.8\n\nE_tot in row 6 (iteration 2) = {two['E']:.6f}\n"
    assert check(tmp_path, text).mistakes == []
    named = check(tmp_path, text.replace("E_tot in row 6 (iteration 2)", "E_tot (iteration 2)"))
    assert named.mistakes == [] and 3 in named.read, "\n".join(named.lines())
    assert 3 in blamed(
        check(
            tmp_path,
            text.replace("E_tot in row 6 (iteration 2)", "E_tot (iteration 2)").replace(
                f"{two['E']:.6f}", f"{two['E'] + 0.001:.6f}"
            ),
        )
    )

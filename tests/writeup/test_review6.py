"""The sixth round: notations the fifth blind review's write-ups used that the reader did not read, in
small. Each write-up here is written for its test (none is a copy of the blind corpus); each notation
is read by a general rule — one meaning it always has, or the meaning the file itself gives it — and
each test has a right write-up nothing is blamed in, and a slip planted in it that is found at its
line. Numbers are the course's network (i1 = 0.05, i2 = 0.1, w1…w8 = 0.15…0.55), ERA (t1 = t2 = 0.5):
h1 = 0.0275, a_h1 = 0.506875, a_h2 = 0.510623, o1 = 0.432530, o2 = 0.534280, a_o1 = 0.606478,
a_o2 = 0.630481, E1 = 0.005669, E2 = 0.008513, E_total = 0.014181, ∂E_total/∂o1 = 0.025412,
∂E_total/∂w5 = 0.012881, ∂E_total/∂w6 = 0.012976, ∂E_total/∂w7 = 0.015408, ∂E_total/∂w8 = 0.015522,
∂E_total/∂a_h1 = 0.025364, ∂E_total/∂w1 = 0.000317; after one step of η = 0.5 w6 = 0.443512.
"""

from tests.writeup.written import blamed, check

UPDATED = """Update (eta = 0.5)
dEtot/dw6 = 0.012976
w6+ = w6 - eta*dEtot/dw6 = 0.443512
w5+ = w5 - eta*dEtot/dw5
"""


def test_a_plus_after_a_weight_before_its_equals_is_the_weight_after_the_step(tmp_path):
    # `w6+ = w6 − η·∂E/∂w6`: a + with nothing after it is no operator; after a weight's name, before its
    # `=`, it marks the weight updated (as w₆⁺ does)
    result = check(tmp_path, UPDATED, "notes.txt")
    assert result.mistakes == [], "\n".join(result.lines())
    assert {3, 4} <= set(result.read)
    slipped = check(tmp_path, UPDATED.replace("w6 - eta", "w6 + eta").replace("0.443512", "0.456488"), "notes.txt")
    assert set(blamed(slipped)) == {3}, "\n".join(slipped.lines())


NAMED = """# My notation

The inputs: u1 = 0.05, u2 = 0.1. The targets: v1 = 0.5, v2 = 0.5.
The output of the first hidden neuron, which I call H1; the output of the second hidden neuron, which I call H2.
J is the total loss, and J1, J2 are the loss of each output.

H1 = σ(w1·u1 + w2·u2) = 0.506875
o1 = w5·H1 + w6·H2 = 0.432530
J1 = ½(v1 − a_o1)² = 0.005669
J = J1 + J2 = 0.014181
∂J/∂w5 = (a_o1 − v1)·a_o1·(1 − a_o1)·H1 = 0.012881
"""


def test_names_a_file_gives_in_words_are_read(tmp_path):
    # `J is the total loss`, `J1, J2 are the loss of each output`, `the inputs: u1 = …`, `the output of the
    # first hidden neuron, which I call H1`: a short name said to be a quantity is that quantity here —
    # H1 too, which would otherwise be read as the net h1 and line 8 blamed
    result = check(tmp_path, NAMED)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {7, 8, 9, 10, 11} <= set(result.read)
    slipped = check(tmp_path, NAMED.replace("(1 − a_o1)·H1", "(1 − a_o1)·H2"))
    assert set(blamed(slipped)) == {11}, "\n".join(slipped.lines())
    halved = check(tmp_path, NAMED.replace("J1 = ½(v1", "J1 = (v1"))
    assert 9 in blamed(halved), "\n".join(halved.lines())


def test_a_loss_named_in_a_typeface_is_its_letter(tmp_path):
    # `\mathcal{L}` was read as the words `mathcal L`; said to be the loss, it is E_total
    text = (
        "The loss is $\\mathcal{L}$ here.\n\n"
        "$$\\mathcal{L} = \\tfrac12 (t_1 - a_{o1})^2 + \\tfrac12 (t_2 - a_{o2})^2 = 0.014181$$\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and 3 in result.read, "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("(t_2 - a_{o2})", "(t_2 - a_{o1})"))
    assert 3 in blamed(slipped), "\n".join(slipped.lines())


FUNCTIONS = """# Notation (η = 0.5)

- Z[n]: the weighted sum into neuron n
- S[n]: the activation of neuron n, S[n] = σ(Z[n])
- G(w) = ∂E_total/∂w

Z[h1] = w1·i1 + w2·i2 = 0.0275
S[h1] = σ(Z[h1]) = 0.506875
Z[o1] = w5·S[h1] + w6·S[h2] = 0.432530
σ'(Z[n]) = S[n]·(1 − S[n])
G(w5) = (S[o1] − t1)·S[o1]·(1 − S[o1])·S[h1] = 0.012881
w5 ← w5 − η·G(w5)
w6 = 0.45 − 0.5·G(w6) = 0.443512
"""


def test_a_files_own_functions_of_a_neuron_or_a_weight_are_read_as_it_defines_them(tmp_path):
    # Z[n] (the weighted sum into neuron n), S[n] (its activation), G(w) = ∂E_total/∂w: functions the file
    # defines, applied to a neuron or a weight (S[o1] is a_o1, G(w5) ∂E_total/∂w5, S[n] of the definition's
    # n is σ of its net) — they were skipped, or read in part
    result = check(tmp_path, FUNCTIONS)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {7, 8, 9, 10, 11, 12, 13} <= set(result.read), result.skipped
    for right, slip, line in [
        ("S[n]·(1 − S[n])", "S[n]·(1 + S[n])", 10),
        ("S[o1])·S[h1]", "S[o1])·S[h2]", 11),
        ("w5 − η·G(w5)", "w5 + η·G(w5)", 12),
        ("0.5·G(w6)", "0.5·G(w8)", 13),
    ]:
        slipped = check(tmp_path, FUNCTIONS.replace(right, slip))
        assert set(blamed(slipped)) == {line}, "\n".join(slipped.lines())
    # a function given two meanings is no one's: nothing is read through it, nothing blamed
    twice = check(tmp_path, FUNCTIONS.replace("- G(w) = ∂E_total/∂w", "- G(w) = ∂E_total/∂w, or G(w) = ∂E1/∂w"))
    assert twice.mistakes == [] and not {11, 13} & set(twice.read), "\n".join(twice.lines())


PLUS = """Notation: h1⁺ = σ(h1) is what comes out of h1, and the same for o1⁺; L'(w) denotes the gradient of
the loss with respect to w.

o1⁺ = 0.606478, h1⁺ = 0.506875
E1 = ½(t1 − o1⁺)² = 0.005669
∂o1⁺/∂o1 = o1⁺(1 − o1⁺) = 0.238663
L'(w5) = (o1⁺ − t1) o1⁺(1 − o1⁺) h1⁺ = 0.012881
L'(w6) = 0.012976
w6 = 0.45 − L'(w6) = 0.437024
"""


def test_a_plus_after_a_neuron_is_its_activation_where_the_file_says_so(tmp_path):
    # `h1⁺ = σ(h1)`: the file says a ⁺ after a neuron is what comes out of it, so o1⁺ is a_o1 (after a
    # weight a ⁺ is still the weight after the step); L'(w), the gradient it defines, is ∂E_total/∂w;
    # `w6 = 0.45 − L'(w6)`, a step of η = 1 (not written), is w6 after the step
    result = check(tmp_path, PLUS)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {4, 5, 6, 7, 8, 9} <= set(result.read), result.skipped
    for right, slip, line in [
        ("½(t1 − o1⁺)²", "½(t1 − h1⁺)²", 5),
        ("o1⁺(1 − o1⁺) = 0.238663", "o1⁺(1 + o1⁺) = 0.238663", 6),
        ("0.45 − L'(w6)", "0.45 − L'(w5)", 9),
    ]:
        slipped = check(tmp_path, PLUS.replace(right, slip))
        assert line in blamed(slipped), "\n".join(slipped.lines())
    # not said so, a ⁺ after a neuron is not read
    unsaid = check(tmp_path, PLUS.replace("h1⁺ = σ(h1)", "h1⁺"))
    assert unsaid.mistakes == [] and not {4, 5, 6, 7} & set(unsaid.read), "\n".join(unsaid.lines())


LAYERS = """Layers in square brackets: $a^{[0]}_k$ the inputs, $z^{[l]}_k$ the net input and $a^{[l]}_k$ the
activation of neuron k of layer l.

$$z^{[1]}_1 = w_1 a^{[0]}_1 + w_2 a^{[0]}_2 = 0.0275$$
$$z^{[2]}_1 = w_5 a^{[1]}_1 + w_6 a^{[1]}_2 = 0.432530$$
$$a^{[2]}_2 = 0.630481$$
$$\\delta^{[2]}_1 = (a^{[2]}_1 - t_1)\\, a^{[2]}_1 (1 - a^{[2]}_1) = 0.025412$$
$$\\frac{\\partial E_{total}}{\\partial w_5} = \\delta^{[2]}_1 a^{[1]}_1 = 0.012881$$
$$\\frac{\\partial E_{total}}{\\partial a^{[1]}_1} = \\delta^{[2]}_1 w_5 + \\delta^{[2]}_2 w_7 = 0.025364$$
"""


def test_layers_numbered_in_square_brackets_are_read(tmp_path):
    # z^{[l]}_k, a^{[l]}_k, δ^{[l]}_k: a neuron's net, activation and δ by its layer, as Andrew Ng's course
    # numbers them (0 the inputs, 1 the hidden layer, 2 the outputs)
    result = check(tmp_path, LAYERS)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {4, 5, 6, 7, 8, 9} <= set(result.read), result.skipped
    for right, slip, line in [
        ("w_6 a^{[1]}_2 = 0.432530", "w_6 a^{[1]}_1 = 0.432530", 5),
        ("a^{[2]}_2 = 0.630481", "a^{[2]}_2 = 0.630841", 6),
        ("\\delta^{[2]}_1 a^{[1]}_1 = 0.012881", "\\delta^{[2]}_1 a^{[1]}_2 = 0.012881", 8),
        ("\\delta^{[2]}_2 w_7", "\\delta^{[2]}_2 w_6", 9),
    ]:
        slipped = check(tmp_path, LAYERS.replace(right, slip))
        assert set(blamed(slipped)) == {line}, "\n".join(slipped.lines())
    # a file whose layers go on to [3] numbers them another way (the inputs' layer as 1): not read
    deeper = check(tmp_path, LAYERS + "\n$$a^{[3]}_1 = 0.606478$$\n")
    assert deeper.mistakes == [] and not {4, 5, 6, 7, 8, 9} & set(deeper.read), "\n".join(deeper.lines())


SIDE_BY_SIDE = """a_o1 = 0.606478, a_h1 = 0.506875
h1 = w1 i1 + w2 i2 = 0.0275
∂E_total/∂a_h1 = δ_o1 w5 + δ_o2 w7 = 0.025364
w1 i1 + w2 i2 = 0.0275
∂E_total/∂w5 = δ_o1 a_h1 = 0.012881
"""


def test_names_side_by_side_before_an_equals_are_a_product_when_the_terms_are_alike(tmp_path):
    # `δ_o1 w5 + δ_o2 w7 = 0.025364`: the last name before the `=` was left unread (it may begin the next
    # equation, as h2 does in `w1 i1 + w2 i2 h2 = …`); where every term of the sum is a product of as
    # many factors with it, it is a factor
    result = check(tmp_path, SIDE_BY_SIDE)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {2, 3, 4, 5} <= set(result.read), result.skipped
    slipped = check(tmp_path, SIDE_BY_SIDE.replace("δ_o2 w7", "δ_o2 w6"))
    assert set(blamed(slipped)) == {3}, "\n".join(slipped.lines())
    # two equations a space apart are not read as one
    two = check(tmp_path, "h1 = w1 i1 + w2 i2 h2 = w3 i1 + w4 i2\n")
    assert two.mistakes == [], "\n".join(two.lines())


BY_SIGMA = (
    "I write $\\sigma(h_1)$ for the activation of hidden neuron 1.\n\n"
    "$$\\frac{\\partial E_{total}}{\\partial \\sigma(h_1)} = (\\sigma(o_1) - t_1)\\,\\sigma'(o_1)\\, w_5"
    " + (\\sigma(o_2) - t_2)\\,\\sigma'(o_2)\\, w_7 = 0.025364$$\n"
    "$$\\frac{\\partial E_{total}}{\\partial w_1} = \\frac{\\partial E_{total}}{\\partial \\sigma(h_1)}"
    "\\,\\sigma'(h_1)\\, i_1 = 0.000317$$\n"
)


def test_a_partial_by_the_sigmoid_of_a_net_is_by_its_activation(tmp_path):
    # \\frac{∂E_total}{∂σ(h_1)}: a partial by σ(h1), the activation a_h1 (σ(h1) of a net has one meaning)
    result = check(tmp_path, BY_SIGMA)
    assert result.mistakes == [] and {3, 4} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, BY_SIGMA.replace("\\, w_7 = 0.025364", "\\, w_6 = 0.025364"))
    assert set(blamed(slipped)) == {3}, "\n".join(slipped.lines())


def test_a_meaning_the_files_own_equations_contradict_is_not_taken(tmp_path):
    # said in words to be the first hidden neuron's output, but defined by its equation as the net:
    # two meanings, so h1 keeps the one it has; g(x) = σ(x)(1 − σ(x)) is no activation (σ's slope)
    text = (
        "h1 is the output of the first hidden neuron.\n"
        "h1 = w1·i1 + w2·i2 = 0.0275\n"
        "g(x) = σ(x)·(1 − σ(x))\n"
        "g(h1) = a_h1·(1 − a_h1) = 0.249953\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and 2 in result.read, "\n".join(result.lines())
    said = check(tmp_path, text.replace("h1 = w1·i1 + w2·i2 = 0.0275", "h1 = 0.506875"))
    assert said.mistakes == [] and 2 in said.read, "\n".join(said.lines())  # h1 is then the output

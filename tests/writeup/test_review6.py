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

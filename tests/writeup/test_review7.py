"""The sixth blind round's notations still not read after its first review, in small: names a file defines
by an equation (`ε₁ := …`, `∇ₖ := ∂E/∂wₖ`), a family of such names (`dw1 … dw8`), a weight renamed
(`u₁₂ = w2`), `net(H1)`, a name with a gloss in brackets, its sibling, and x₁, x₂ for the inputs. Each
write-up here is written for its test (none is a copy of the blind corpus), is right as written, and has a
slip that must be found at its line. The numbers come from test_review6b's `iteration`, the network written
out by hand, independently of sheetgen."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

(ONE,) = run(W, 1.0, 1)
G = ONE["g"]
D1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
D2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])


def _given(eta: str = "1.0") -> str:
    return f"i1 = 0.05, i2 = 0.1, t1 = 0.01, t2 = 0.99, η = {eta}\nw1 = 0.15, w2 = 0.2, w3 = 0.25, w4 = 0.3\n" + (
        "w5 = 0.4, w6 = 0.45, w7 = 0.5, w8 = 0.55\n"
    )


def test_names_defined_with_colon_equals_and_an_index(tmp_path):
    # r₁ := the first output's error signal, Dₖ := ∂E_total/∂wₖ for every k: each use reads the definition
    text = _given() + (
        "\n"
        "    r₁ := (a_o1 − t1)·a_o1·(1 − a_o1)\n"  # 5
        "    r₂ := (a_o2 − t2)·a_o2·(1 − a_o2)\n"
        "    Dₖ := ∂E_total/∂wₖ  (k = 1 … 8)\n"
        "\n"
        f"    D₅ = r₁·a_h1 = {G[4]:.8f}\n"  # 9
        f"    D₆ = r₁·a_h2 = {G[5]:.8f}\n"  # 10
        f"    D₇ = r₂·a_h1 = {G[6]:.8f}\n"
        f"    r₂ = {D2:.8f}\n"  # 12
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {5, 9, 10, 11, 12} <= set(result.read), "\n".join(result.lines())
    slip = text.replace("D₆ = r₁·a_h2", "D₆ = r₁·a_h1")  # w6's gradient with w5's activation
    assert blamed(check(tmp_path, slip)) == {10: "∂E_total/∂w6"}
    # a name defined two ways that differ is no one's: not read, never blamed
    twice = slip + "    r₁ := (a_o2 − t2)·a_o2\n"
    assert check(tmp_path, twice).mistakes == []


def test_a_family_of_names_defined_by_their_formulas(tmp_path):
    # gr5 … gr8 and gr1 … gr4 each defined as ∂E_total/∂wk: the prefix is the file's notation, so a member
    # whose formula says otherwise is blamed, as that gradient
    text = _given() + (
        "\n"
        f"gr5 = (a_o1 - t1)*a_o1*(1 - a_o1)*a_h1 = {G[4]:.8f}\n"  # 5
        f"gr6 = (a_o1 - t1)*a_o1*(1 - a_o1)*a_h2 = {G[5]:.8f}\n"
        f"gr7 = (a_o2 - t2)*a_o2*(1 - a_o2)*a_h1 = {G[6]:.8f}\n"  # 7
        f"gr8 = (a_o2 - t2)*a_o2*(1 - a_o2)*a_h2 = {G[7]:.8f}\n"
        f"w7 = 0.5 - 1.0*({G[6]:.8f}) = {W[6] - G[6]:.8f}\n"  # 9
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {5, 6, 7, 8, 9} <= set(result.read)
    slip = text.replace("gr7 = (a_o2 - t2)*a_o2*(1 - a_o2)*a_h1", "gr7 = (a_o2 - t2)*a_o2*(1 - a_o2)*a_h2")
    slip = slip.replace(f"{G[6]:.8f}", f"{D2 * ONE['a_h2']:.8f}")  # computed faithfully from the wrong formula
    assert blamed(check(tmp_path, slip)) == {7: "∂E_total/∂w7", 9: "w7"}  # and the update it carries into


def test_weights_renamed_and_the_file_s_gradients_of_them(tmp_path):
    # p₁₂ = w2: the file's own name for a weight; ∂E/∂p₁₂ is w2's gradient, `p₁₂ ← …` its update
    text = (
        "i1 = 0.05, i2 = 0.1, t1 = 0.01, t2 = 0.99, η = 1.0\n"
        "first-layer weights: p₁₁ = w1, p₁₂ = w2, p₂₁ = w3, p₂₂ = w4\n"
        "\n"
        f"    ∂E_total/∂p₁₂ = ∂E_total/∂h1 · i2 = {G[1]:.10f}\n"  # 4
        f"    p₁₂ ← 0.2 − {G[1]:.10f} = {W[1] - G[1]:.10f}\n"  # 5
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {4, 5} <= set(result.read)
    slip = text.replace(f"= {G[1]:.10f}\n", f"= {G[1] / 10:.10f}\n")  # a decimal place lost
    assert blamed(check(tmp_path, slip)) == {4: "∂E_total/∂h1·i2"}


def test_net_of_a_name_a_gloss_a_sibling_and_x_for_the_inputs(tmp_path):
    # K1 is said (with a gloss in brackets) to be the first hidden neuron's output; K2, its sibling, the
    # second's; net(K1) its net; x₁, x₂ the inputs in a file that names no i1
    text = (
        'The output of the first hidden neuron, which I call K1 ("kept 1"), is σ(net(K1)).\n'
        "x₁ = 0.05, x₂ = 0.1, t1 = 0.01, t2 = 0.99, w1 = 0.15, w2 = 0.2, w3 = 0.25, w4 = 0.3\n"
        "w5 = 0.4, w6 = 0.45, w7 = 0.5, w8 = 0.55\n"
        "\n"
        f"    net(K1) = w1·x₁ + w2·x₂ = {ONE['h1']:.8f}\n"  # 5
        f"    net(K2) = w3·x₁ + w4·x₂ = {ONE['h2']:.8f}\n"  # 6
        f"    o1 = w5·K1 + w6·K2 = {ONE['o1']:.8f}\n"  # 7
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {5, 6, 7} <= set(result.read), "\n".join(result.lines())
    slip = text.replace("w3·x₁ + w4·x₂", "w3·x₁ + w4·x₁")
    assert blamed(check(tmp_path, slip)) == {6: "h2"}

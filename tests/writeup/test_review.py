"""Write-ups in notations and layouts the seeds and the 16 shared ones do not show, each right as
written (no alarm) and, where it matters, with a slip that must still be found at its line. Every
number quoted here was computed by hand from the course's network (i1 = 0.05, i2 = 0.1, w1…w8 =
0.15…0.55): ERA (t1 = t2 = 0.5) a_o1 = 0.606478, a_o2 = 0.630481, E_total = 0.014181,
∂E_total/∂w5 = 0.012881, ∂E_total/∂w7 = 0.015408; EVA8 (t1 = 0.01, t2 = 0.99) E_total = 0.242520,
∂E_total/∂w5 = 0.072157, ∂E_total/∂w7 = −0.042455, and after one step of η = 0.5 w7 = 0.521228.
"""

from pathlib import Path

from sheetgen import writeup


def check(tmp_path: Path, text: str, name: str = "README.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return writeup.check(path)


def blamed(result) -> dict[int, str]:
    """line -> the quantity blamed there."""
    return {m.line: m.quantity for m in result.mistakes}


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

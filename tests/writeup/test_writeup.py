"""sheetgen check on write-ups: the equations of a backprop explanation, in every notation the seeds
use. A right write-up gets no false alarm; each planted mistake is found at its line with the judge's
diagnosis and nothing else is blamed; mis-encoded UTF-8 reads the same; prose is skipped, not blamed.
The five seed write-ups (../shared/seeds) are checked against what was established by reading them.

Expected values here come from the network by hand: at the first iteration of the seeds' network
(i1 = 0.05, i2 = 0.1, w1…w8 = 0.15…0.55) a_o1 = 0.606478, o2 = 0.534280, a_o2 = 0.630481,
∂E_total/∂w1 = 0.0003170 (ERA, t1 = t2 = 0.5), E_total = 0.014181 and, one step of η = 0.5 later,
0.013777; with EVA8's targets (0.01, 0.99) E_total = 0.242520.
"""

import csv
import json
import math
import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetgen import check, cli, writeup
from sheetgen.build import report
from sheetgen.finding import CODES
from sheetgen.model import spec
from sheetgen.writeup.read import MAX_CHARS
from tests.conftest import shared_absent

# (line, how many equations it holds, counted by hand); 0 for prose and for what must be skipped
RIGHT = [
    ("# Backpropagation, step by step", 0),
    ("", 0),
    ("The network: i1 = 0.05 and i2 = 0.10, t1 = 0.5 (both targets), w1 = 0.15 and w8 = 0.55.", 5),
    ("", 0),
    ("```python", 0),
    ("h1 = w1*i1 + w2*i2", 1),
    ("h2 = w3·i1 + w4·i2", 1),
    ("a_h1 = σ(h1) = 1/(1 + exp(-h1))", 1),
    ("a_h2 = sigmoid(h2) = 1 / (1 + e^(-h2))", 1),
    ("o1 = w5 × a_h1 + w6 × a_h2", 1),
    ("o2 = w7*a_h1 + w8*a_h2", 1),
    ("a_o1 = σ(o1)", 1),
    ("a_o2 = sigmoid(o2)", 1),
    ("E1 = ½(t1 − a_o1)²", 1),
    ("E2 = 1/2 * (t2 - a_o2)^2", 1),
    ("E_total = E1 + E2 = 0.5*(t1 - a_o1)**2 + 0.5*(t2 - a_o2)**2", 1),
    ("```", 0),
    ("", 0),
    ("The sigmoid is `σ(x) = 1/(1+exp(-x))` and its slope `∂(σ(x))/∂x = σ(x)*(1 - σ(x))`.", 2),
    ("At the first iteration `a_o1` = 0.6065 (rounded), a_o2 ≈ 0.63048 and o2 = 0.5342, so E_Total = 0.014181.", 4),
    ("With η = 0.5 the loss goes E_total 0.01418 → 0.01378 in one step.", 2),
    ("", 0),
    ("- ∂E_total/∂w5 = ∂(E1 + E2)/∂w5 = ∂E1/∂w5 = ∂E1/∂a_o1 · ∂a_o1/∂o1 · ∂o1/∂w5", 1),
    ("- ∂E1/∂a_o1 = ∂(½(t1 − a_o1)²)/∂a_o1 = a_01 − t1", 1),
    ("- `∂a_o1/∂o1 = a_o1*(1 - a_o1)` and `∂o1/∂w5 = a_h1`", 2),
    ("    dE/dw5 = (a_o1 - t1) * a_o1 * (1 - a_o1) * a_h1", 1),
    ("    δ(E_Total)/δw6 = (a_o1 − t1)·a_o1·(1 − a_o1)·a_h2 ... (4)", 1),
    ("    ∂E_total/∂w7 = (a_o2 - t2) * a_o2 * (1 - a_o2) * a_h1", 1),
    ("    dE_total/dw8 = (a_02 - t2)*a_02*(1 - a_02)*a_h2", 1),
    ("∂E1/∂a_h1 = (a_o1 - t1)*a_o1*(1 - a_o1)*w5", 1),
    ("∂E2/∂a_h1 = (a_o2 - t2)*a_o2*(1 - a_o2)*w7", 1),
    ("∂E_total/∂a_h1 = ∂E1/∂a_h1 + ∂E2/∂a_h1", 1),
    ("∂E_total/∂a_h2 = (a_o1 - t1)*a_o1*(1 - a_o1)*w6 + (a_o2 - t2)*a_o2*(1 - a_o2)*w8", 1),
    ("∂E_total/∂w1 = ∂E_total/∂a_h1 * ∂a_h1/∂h1 * ∂h1/∂w1 = ∂E_total/∂a_h1 * a_h1 * (1 - a_h1) * i1", 1),
    (
        "∂E_total/∂w1 = ∂E_total/∂a_o1·∂a_o1/∂o1·∂o1/∂a_h1·∂a_h1/∂h1·∂h1/∂w1 + "
        "∂E_total/∂a_o2·∂a_o2/∂o2·∂o2/∂a_h1·∂a_h1/∂h1·∂h1/∂w1",
        1,
    ),
    ("∂E_total/∂w2 = ((a_o1 - t1)*a_o1*(1 - a_o1)*w5 + (a_o2 - t2)*a_o2*(1 - a_o2)*w7) * a_h1*(1 - a_h1) * i2", 1),
    ("∂E_total/∂w3 = ∂E_total/∂a_h2 * a_h2 * (1 - a_h2) * i1", 1),
    ("dE/dw4 = dE/da_h2 * a_h2 * (1 - a_h2) * i2", 1),
    ("", 0),
    ("w1 = w1 - η * ∂E_total/∂w1", 1),
    ("w2_new = w2 - learning_rate * ∂E_total/∂w2", 1),
    ("new_w3 = old_w3 - lr*dE/dw3", 1),
    ("w4(t+1) = w4(t) − η·∂E/∂w4", 1),
    ("w_new = w_old - (η * δ(E_Total)/δw_old)", 1),
    ("w5 ← w5 − η ∂E_total/∂w5", 1),
    ("With learning rate 0.1: w1_new = 0.15 - 0.1 * 0.000317 = 0.1499683", 1),
    ("w1_new = 0.1499683", 1),
    ("", 0),
    ("Prose it cannot read is skipped: Updated weights = weights - Learning rate * gradients for the weight", 0),
    ("`w1_updated` = `w1` - learning_rate * gradients for w1", 0),
    ("The outputs should become `a_o1` = `t1` and `a_o2` = `t2`.", 0),
    ("5. h1 = 1st neuron of the hidden layer; E1 = Error of the first output.", 0),
    ("For ∂o1/∂w5 only, o1 = a_h1*w5 (w6·a_h2 held constant)", 1),
    ("(LR = 0.5)", 0),
]
RIGHT_SKIPPED = [  # (line, why)
    (21, "it sets the learning rate"),
    (50, "it goes on in prose"),
    (51, "the goal, not an identity"),
    (51, "the goal, not an identity"),
    (52, "it goes on in prose"),
    (52, "it goes on in prose"),
    (54, "it sets the learning rate"),
]

# (line, quantity blamed, the finding's code); None for a right line (prose, or a typo only)
WRONG = [
    ("# Planted mistakes, one a line, in every notation", None),
    ("E2 = ½(t2 − a_o1)²", ("E2", "swap-reference")),
    ("δE/δw7 = (a_o1 - t1)*a_o1*(1 - a_o2)*a_h1", ("∂E_total/∂w7", "swap-reference")),
    ("w8 = w6 - learning_rate * ∂E_total/∂w6", ("w8", "swap-reference")),
    ("dE/dw1 = dE/da_o1 * da_o1/do1 * do1/da_h1 * da_h1/dh1 * dh1/dw1", ("∂E_total/∂w1", "one-path")),
    ("`∂E1/∂a_h1 = (a_o1 - t1)*a_o1*(1 - a_o1)*w5 + (a_o2 - t2)*a_o2*(1 - a_o2)*w7`", ("∂E1/∂a_h1", "wrong-left-side")),
    ("The outputs are a_o1 = 0.6065 and a_o2 = 0.5343.", ("a_o2", "wrong-number")),
    ("∂E1/∂a_o1 = t1 − a_o1", ("∂E1/∂a_o1", "sign")),
    ("E1 = (t1 - a_o1)**2", ("E1", "missing-half")),
    ("∂a_o1/∂o1 = a_o1 × (1 − a_o2)", ("∂a_o1/∂o1", "swap-reference")),
    ("h2 = w3*i1 + w4*i1", ("h2", "swap-reference")),
    ("∂E_total/∂w4 = ∂E_total/∂a_h2 * a_h2 * (1 - a_h2) * i1", ("∂E_total/∂w4", "swap-reference")),
    ("w5 = w5 + η*∂E_total/∂w5", ("w5", "sign")),
    ("With η = 0.1: w1_new = 0.15 - 0.1 * 0.000315", ("new w1", "wrong-number")),
    ("w1_new = 0.1499685", None),  # the line above, worked out: its arithmetic is right
    ("∂E_total/∂w6 = ∂E1/∂a_o1·∂a_o1/∂o1·∂o1/∂w6 = (a_o1 - t1)*a_o1*(1 - a_o1)*a_h1",
     ("∂E_total/∂w6", "swap-reference")),
    ("∂E_total/∂w5 = (a_o2 - t2)*a_o2*(1 - a_o2)*a_h1", ("∂E_total/∂w5", "wrong-left-side")),
    ("∂h1/∂w2 = i1", ("∂h1/∂w2", "swap-reference")),
    ("a_h2 = sigmoid(h1)", ("a_h2", "swap-reference")),
    ("The loss falls from 0.01418 to 0.02000 in one step.", ("E_total at iteration 2", "wrong-number")),
    ("∂E_total/∂a_h1 = (a_01 - t1)*a_o1*(1 - a_o1)*w5 + (a_02 - t2)*a_o2*(1 - a_o2)*w7", None),
]  # fmt: skip
# where the words matter — whose slip it copies, what a wrong number is instead — line: the diagnosis begins
WRONG_SAID = {
    2: "uses a_o1 where a_o2 belongs — seed 001 writes",
    3: "uses a_o1 and t1 where a_o2 and t2 belong",
    4: "uses w6 where w8 belongs — seed 004 writes",
    7: "0.5343 is o2 at the first iteration, not a_o2",
    14: "uses 0.000315 (∂E_total/∂w1 at iteration 2, η = 0.1) where ∂E_total/∂w1 = 0.000317 belongs",
    20: "E_total at iteration 2 is 0.01410 (η = 0.1), not 0.02000",
}


def write(path: Path, lines) -> Path:
    path.write_text("\n".join(text for text, _ in lines) + "\n", encoding="utf-8")
    return path


def mis_encode(text: str) -> bytes:
    """UTF-8 read as Windows-1252 (bytes it lacks as Latin-1) and saved again as UTF-8: ∂ becomes âˆ‚."""
    out = []
    for b in text.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out).encode("utf-8")


def blamed(result) -> dict:
    """(line, quantity) -> the finding's code, for each wrong line."""
    return {(m.line, m.quantity): m.code for m in result.mistakes}


def said(result) -> dict:
    """(line, quantity) -> the diagnosis in words."""
    return {(m.line, m.quantity): m.message for m in result.mistakes}


def planted() -> dict:
    return {(n, q): code for n, (_, slip) in enumerate(WRONG, 1) if slip for q, code in [slip]}


def test_a_right_write_up_in_every_notation_gets_no_false_alarm(tmp_path):
    result = writeup.check(write(tmp_path / "right.md", RIGHT))
    assert result.verdict == "right", "\n".join(result.lines())
    assert result.mistakes == []
    assert result.equations == sum(n for _, n in RIGHT)
    assert len(result.skipped) == len(RIGHT_SKIPPED)
    for (n, _, why), (line, reason) in zip(result.skipped, RIGHT_SKIPPED):
        assert n == line and reason in why, (n, why)
    warnings = dict(result.warnings)
    assert "writes the digit 0 for the letter o (a_o1)" in warnings[24]
    assert "writes the digit 0 for the letter o (a_o2)" in warnings[29]
    assert "is o1 without w6·a_h2 (held constant for a derivative): not blamed" in warnings[53]
    assert "ERA" in result.network and "t1 = 0.5" in result.network


def test_every_planted_mistake_is_found_at_its_line_and_nothing_else_is_blamed(tmp_path):
    result = writeup.check(write(tmp_path / "wrong.md", WRONG))
    assert result.verdict == "wrong"
    assert blamed(result) == planted(), "\n".join(result.lines())
    words = {n: why for (n, _), why in said(result).items()}
    for n, why in WRONG_SAID.items():
        assert words[n].startswith(why), (n, words[n])
    assert all(m.where == f"line {m.line}" and m.severity == "mistake" for m in result.mistakes)
    assert result.equations == 22  # by hand: one a line, two on lines 7 and 20 (E_total twice), η = 0.1 skipped
    assert any("digit 0" in w for n, w in result.warnings if n == len(WRONG))


# each kind of mistake a write-up makes, one line, and the code its finding has (sheetgen/finding.py)
KINDS = [
    pytest.param("h2 = w3*i1 + w4*i1", "h2", "swap-reference", id="a symbol where another belongs"),
    pytest.param("δE/δw7 = (a_o1 - t1)*a_o1*(1 - a_o2)*a_h1", "∂E_total/∂w7", "swap-reference", id="two symbols"),
    pytest.param("∂E1/∂a_o1 = t1 − a_o1", "∂E1/∂a_o1", "sign", id="sign"),
    pytest.param("w5 = w5 + η*∂E_total/∂w5", "w5", "sign", id="a step up the gradient"),
    pytest.param("E1 = (t1 - a_o1)**2", "E1", "missing-half", id="missing half"),
    pytest.param("E2 = (t2 - a_o2)^2/4", "E2", "missing-half", id="an extra half"),
    pytest.param("dE/dw1 = dE/da_o1 * da_o1/do1 * do1/da_h1 * da_h1/dh1 * dh1/dw1", "∂E_total/∂w1", "one-path",
                 id="one path"),
    pytest.param("∂E_total/∂w5 = (a_o2 - t2)*a_o2*(1 - a_o2)*a_h1", "∂E_total/∂w5", "wrong-left-side",
                 id="the left side names another quantity"),
    pytest.param("dσ/dx = σ(x)·(1 + σ(x))", "σ'(x)", "wrong-definition", id="σ′ defined wrong"),
    pytest.param("a_o1 = 0.6065, a_o2 = 0.5343", "a_o2", "wrong-number", id="a quoted number"),
    pytest.param("h1 = w1*i1 - w2*i2", "h1", "wrong-value", id="no single change explains it"),
]  # fmt: skip


@pytest.mark.parametrize("line, quantity, code", KINDS)
def test_each_kind_of_mistake_is_a_finding_with_its_code(tmp_path, line, quantity, code):
    result = judged(tmp_path, f"# notes\n{line}\n")
    (m,) = result.mistakes
    assert (m.code, m.where, m.line, m.quantity, m.severity) == (code, "line 2", 2, quantity, "mistake"), m
    assert code in CODES and m.text in line, m.text  # the equation as written
    assert result.as_dict()["mistakes"][0]["code"] == code


def test_mis_encoded_utf8_is_read_as_written(tmp_path):
    for name, lines in (("right", RIGHT), ("wrong", WRONG)):
        text = "\n".join(t for t, _ in lines) + "\n"
        plain, garbled = tmp_path / f"{name}.md", tmp_path / f"{name}-garbled.md"
        plain.write_text(text, encoding="utf-8")
        garbled.write_bytes(mis_encode(text))
        assert "âˆ‚" in garbled.read_text(encoding="utf-8")
        a, b = writeup.check(plain), writeup.check(garbled)
        assert (b.verdict, b.equations, blamed(b), said(b)) == (a.verdict, a.equations, blamed(a), said(a))
        assert [m.text for m in b.mistakes] == [m.text for m in a.mistakes]
        assert any("mis-encoded UTF-8" in w for _, w in b.warnings)
        assert not any("mis-encoded" in w for _, w in a.warnings)


def test_numbers_are_judged_against_the_network_they_fit(tmp_path):
    eva = tmp_path / "eva.txt"
    eva.write_text("t1 = 0.01, t2 = 0.99\nE_total = 0.24252\nE1 = 0.1779\n", encoding="utf-8")
    result = writeup.check(eva)
    assert result.verdict == "right" and result.equations == 4, result.lines()
    assert "EVA8" in result.network and "t2 = 0.99" in result.network
    era = tmp_path / "era.txt"
    era.write_text("t1 = 0.5\nt2 = 0.5\nE_total = 0.24252\n", encoding="utf-8")  # EVA8's loss, ERA's targets
    result = writeup.check(era)
    assert blamed(result) == {(3, "E_total"): "wrong-number"}
    assert said(result)[3, "E_total"] == "E_total is 0.01418 at the first iteration, not 0.24252"


def test_a_write_up_with_no_equations_is_said_so(tmp_path):
    prose = tmp_path / "notes.txt"
    prose.write_text("Backpropagation adjusts the weights.\nUpdated weights = weights - Learning rate * grad\n")
    result = writeup.check(prose)
    assert result.verdict == "no equations" and result.equations == 0
    assert "no line reads as an equation" in result.reason


ODD = [  # text that parses into something no spreadsheet could compute, or nothing sensible at all
    "h1 = " + "(" * 100 + "w1*i1 + w2*i2" + ")" * 100,  # deep parentheses
    "a_h1 = " + "σ(" * 60 + "h1" + ")" * 60,
    "h1 = " + " + ".join(["w1*i1"] * 2000),  # a very long sum
    "E1 = " + "-" * 3000 + "E1",
    "w1 = (-1)^0.5",  # complex powers
    "h1 = (-8)^(1/3)",
    "a_o1 = 0.6064^(-0.5)^0.5",
    "E1 = 1e400",  # beyond a double
    "w1 = 1" + "0" * 400,
    "E1 = 1e-400",
    "w1 = 2^2^2^2^2^2^2^2^2^2",
    "w1 = 2**2**2**2**2**2**2",
    "h1 = w1/0",
    "h1 = w1/(i1 - i1)",
    "a_h1 = exp(1000)",
    "a_h1 = exp(exp(exp(10)))",
    "∂(∂(E1)/∂w1)/∂w2 = 0",
    "∂h1/∂i1 = w1 = ∂E1/∂t1",
    "w_new = w_old = 0.15 = 3",
    "= = = =",
    "∂/∂ = ∂",
    "w99999999999999999999 = 1",
    "E_total 1e999 → 0.1",
    "loss from 0.01418 to 1" + "0" * 400 + ".5",
]


def test_odd_text_is_judged_or_skipped_never_a_traceback(tmp_path):
    for n, line in enumerate(ODD):
        path = tmp_path / f"odd{n}.md"
        path.write_text(line + "\n", encoding="utf-8")
        result = writeup.check(path)
        assert result.verdict in ("right", "wrong", "no equations"), (line[:40], result.verdict)
        for m in result.mistakes:  # what it says is about numbers
            assert "nan" not in m.message and "inf" not in m.message, (line[:40], m.message)
        json.dumps(result.as_dict())
        result.lines()
    # what cannot be read, or cannot be computed, is skipped and said so; never blamed
    result = writeup.check(write(tmp_path / "all.md", [(line, 0) for line in ODD]))
    skipped = {n: why for n, _, why in result.skipped}
    assert all("nested too deeply" in skipped[n] for n in (1, 2)), result.lines()
    assert all("too long to be one equation" in skipped[n] for n in (3, 4)), result.lines()
    assert all("cannot be computed" in skipped[n] for n in (5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 24))
    assert "a derivative of a derivative" in skipped[17] and "names ∂h1/∂i1" in skipped[18]
    assert [m.line for m in result.mistakes if m.line != 19] == [10]  # E1 = 1e-400 is a number, and wrong


# equations in the notation, any shape: names, partials and numbers under every operator
ATOMS = "w1 w_new h1 a_h1 a_01 o2 E1 E_total t1 i2 η lr x ∂E_total/∂w5 dE/dw1 δa_o1/δo1 ½ 1/2 0.5 0 2 0.6064 1e308"
TERMS = st.recursive(
    st.sampled_from(ATOMS.split()),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from("+ - − * · × / ^ ** ²".split()), inner).map(" ".join),
        st.tuples(st.sampled_from("( σ( sigmoid( exp( -( ∂( δ(".split()), inner).map(lambda t: f"{t[0]}{t[1]})"),
    ),
    max_leaves=10,
)
JUNK = "` ``` ( ) [ ] = → ∂ / d âˆ‚ Ïƒ from to . the".split()  # prose and the pieces of notation it breaks into
LINES = st.one_of(
    st.lists(TERMS, min_size=2, max_size=4).map(" = ".join),
    st.lists(st.one_of(TERMS, st.sampled_from(JUNK)), max_size=12).map(" ".join),
)


@settings(max_examples=int(os.environ.get("SHEETGEN_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(lines=st.lists(LINES, min_size=1, max_size=6))
def test_fuzz_arbitrary_text_is_never_a_traceback(tmp_path, lines):
    path = tmp_path / "fuzz.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = writeup.check(path)
    assert result.verdict in ("right", "wrong", "no equations")
    assert all(1 <= m.line <= len(lines) for m in result.mistakes)
    json.dumps(result.as_dict())


def test_cli_json_text_and_exit_status_mix_write_ups_and_workbooks(tmp_path, capsys, era):
    right, wrong = write(tmp_path / "right.md", RIGHT), write(tmp_path / "wrong.txt", WRONG)
    prose = tmp_path / "prose.rst"
    prose.write_text("Nothing to check here.\n")
    assert cli.main(["check", "-q", str(right)]) == 0
    assert capsys.readouterr().out.startswith(f"{right}: RIGHT: none wrong of {sum(n for _, n in RIGHT)} equations")
    assert cli.main(["check", "--json", "-q", str(era), str(right), str(wrong)]) == 1
    book, good, bad = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert book["verdict"] == "right" and "tables" in book  # the workbook, judged as before
    assert good["verdict"] == "right" and good["mistakes"] == []
    assert list(bad) == ["file", "verdict", "equations", "lines_read", "network", "mistakes", "warnings", "skipped"]
    assert set(bad["lines_read"]) >= {m["line"] for m in bad["mistakes"]}
    assert bad["file"] == str(wrong) and bad["verdict"] == "wrong"
    first = bad["mistakes"][0]
    assert first == {
        "code": "swap-reference",
        "line": 2,
        "quantity": "E2",
        "text": "E2 = ½(t2 − a_o1)²",
        "expected": "½·(t2 − a_o2)^2",
        "diagnosis": first["diagnosis"],
    }
    assert {"line", "text"} == set(bad["warnings"][0])
    assert cli.main(["check", "-q", str(right), str(prose)]) == 2  # nothing to check in one file
    assert "prose.rst: NO EQUATIONS" in capsys.readouterr().out
    assert cli.main(["check", "-q", str(tmp_path / "missing.md")]) == 2
    assert "UNREADABLE: no such file" in capsys.readouterr().out


def test_csv_and_class_take_write_ups_too(tmp_path, capsys):
    right, wrong = write(tmp_path / "right.md", RIGHT), write(tmp_path / "wrong.txt", WRONG)
    grades = tmp_path / "grades.csv"
    assert cli.main(["check", "-q", str(right), str(wrong), "--csv", str(grades)]) == 1
    rows = list(csv.DictReader(grades.open(encoding="utf-8")))
    assert [(r["file"], r["verdict"]) for r in rows] == [(str(right), "right"), (str(wrong), "wrong")]
    assert rows[0]["first_mistake"] == "" and rows[0]["note"] == ""
    assert rows[1]["first_mistake"].startswith("line 2: E2: uses a_o1 where a_o2 belongs")
    assert rows[1]["note"] == f"{len(planted())} wrong of 22 equations checked"
    # with a class: a write-up names no student, and is judged all the same
    (tmp_path / "roster.txt").write_text("s01\n")
    assert cli.main(["class", str(tmp_path / "roster.txt"), "-o", str(tmp_path / "class"), "-q"]) == 0
    capsys.readouterr()
    assert cli.main(["check", "-q", "--class", str(tmp_path / "class"), str(wrong)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{wrong}: WRONG: {len(planted())} wrong equations") and "no submission from 1 of 1" in out


FOLDER = Path(os.environ.get("SHEETGEN_SEEDS", Path(__file__).resolve().parents[3] / "shared" / "seeds"))

# Established by reading each seed line by line, independently of check (see the module docstring):
# seed -> {(line, quantity): the finding's code}
SEEDS = {
    "000": {},
    "001": {(88, "a_o2"): "wrong-number", (94, "E2"): "swap-reference", (216, "new w1"): "wrong-number"},
    "002": {
        (114, "∂E_total/∂w7"): "swap-reference",  # a_o1 and t1 where a_o2 and t2 belong
        (115, "∂E_total/∂w8"): "swap-reference",
        (123, "∂E1/∂a_h1"): "wrong-left-side",  # the right side is ∂E_total/∂a_h1
        (125, "∂E_total/∂w1"): "one-path",  # through o1 only
    },
    "003": {},
    "004": {(116, "w8"): "swap-reference"},  # w6 where w8 belongs
}
SEEDS_SAID = {  # where the words matter: which number, which symbols — the diagnosis begins
    "001": {
        (88, "a_o2"): "0.5342 is o2 at the first iteration, not a_o2 (0.6305)",
        (94, "E2"): "uses a_o1 where a_o2 belongs — seed 001 writes",
        # 0.000315 is ∂E_total/∂w1 of iteration 2; at w1 = 0.15 it is 0.0003170, and w1 becomes 0.1499683
        (216, "new w1"): "uses 0.000315 (∂E_total/∂w1 at iteration 2, η = 0.1) where ∂E_total/∂w1 = 0.000317",
    },
    "002": {(114, "∂E_total/∂w7"): "uses a_o1 and t1 where a_o2 and t2 belong"},
    "004": {(116, "w8"): "uses w6 where w8 belongs"},
}
TYPOS = {"000", "001", "003"}  # write a_01 / a_02 for a_o1 / a_o2
NETWORK = {"001": "ERA", "002": "EVA8"}  # the two that quote numbers: their targets


@pytest.mark.skipif(not FOLDER.is_dir(), reason=shared_absent(FOLDER, "the seed write-ups", "SHEETGEN_SEEDS"))
def test_the_five_seed_write_ups():
    seeds = {p.name[:3]: p for p in sorted(FOLDER.glob("*.txt"))}
    assert sorted(seeds) == sorted(SEEDS)
    results = {seed: r for seed, r in zip(seeds, check.check(list(seeds.values())))}
    for seed, result in results.items():
        assert blamed(result) == SEEDS[seed], (seed, "\n".join(result.lines()))
        for key, why in SEEDS_SAID.get(seed, {}).items():
            assert said(result)[key].startswith(why), (seed, key, said(result)[key])
        assert result.verdict == ("wrong" if SEEDS[seed] else "right")
        assert any("digit 0 for the letter o" in w for _, w in result.warnings) == (seed in TYPOS)
        if seed in NETWORK:
            assert f"against {NETWORK[seed]}'s" in result.network
    assert any("mis-encoded UTF-8" in w for _, w in results["000"].warnings)
    assert sum(r.equations for r in results.values()) >= 60


# -- what a reviewer found read wrong: each notation, right and wrong ------------------------------
def judged(tmp_path, text: str, template: str | None = None):
    """The write-up's verdict; its numbers judged against the template's first iteration if one is named
    (as `check --template` does), else against the network they fit."""
    path = tmp_path / "write-up.md"
    path.write_text(text, encoding="utf-8")
    return writeup.check(path, template and writeup.against(spec.load(template), template, "named"))


def test_a_chain_of_equalities_says_each_side_is_the_value(tmp_path):
    # t1 = t2 = 0.5: both targets are 0.5, not "t2 written where t1 belongs"
    result = judged(tmp_path, "The targets: t1 = t2 = 0.5\nand the weights w5 = w6 = 0.45 here.\n")
    assert result.verdict == "wrong" and result.equations == 2, result.lines()
    assert blamed(result) == {(2, "w5"): "wrong-number"}
    assert said(result) == {(2, "w5"): "0.45 is w6 at the first iteration, not w5 (0.40)"}
    result = judged(tmp_path, "t1 = t2 = 0.7\n", template="era")  # alone, 0.7 fits no network: named one
    assert said(result) == {(1, "t1"): "t1 is 0.5 at the first iteration, not 0.7"}  # not "0.7 is a_o1"
    result = judged(tmp_path, "t1 = 0.01, t2 = 0.99, so t1 = t2 is false\n")  # EVA8's: two values that differ
    assert blamed(result) == {(1, "t1"): "wrong-number"}
    assert said(result) == {(1, "t1"): "t1 is 0.01 and t2 is 0.99 at the first iteration, not equal"}


def test_a_range_of_weights_is_its_first_and_last(tmp_path):
    right = [
        "Initial weights w1…w8 = 0.15…0.55",
        "w1...w8 = 0.15...0.55",
        "`w1–w8 = 0.15–0.55`",
        "w1, …, w8 = 0.15, …, 0.55",
    ]
    result = judged(tmp_path, "\n".join(right) + "\n")
    assert result.verdict == "right" and result.equations == 8, result.lines()  # w1 and w8 of each
    result = judged(tmp_path, "w1…w8 = 0.15…0.65\nw1…w4 = 0.15, 0.2, 0.25, 0.3\nw1…w4 = 0.15, 0.2, …\n")
    assert blamed(result) == {(1, "w8"): "wrong-number"}
    # as many numbers as names: each its own (review 3); fewer: which number is whose is not said
    assert 2 in result.read and result.equations == 6
    assert result.skipped == [(3, "w1…w4 = 0.15, 0.2, …", "a range of names, not given a range of numbers")]


def test_a_step_of_gradient_descent_in_numbers_is_the_weight_after_it(tmp_path):
    # ∂E_total/∂w5 = 0.0128808 at the first iteration (ERA); one step of η = 0.5 makes w5 0.3935596
    right = [
        "w5 = 0.4 - 0.5 * 0.0128808 = 0.3935596",
        "",
        "w5_new = 0.4 - 0.5 * 0.0128808 = 0.3935596",
        "",
        "w5 = 0.3935596",  # w5 after that step, said on its own
        "w6 = 0.45 - 0.0129761 × 0.1",  # η = 0.1, written second
    ]
    result = judged(tmp_path, "\n".join(right) + "\n")
    assert result.verdict == "right" and result.equations == 4, result.lines()
    wrong = [
        "w5 = 0.4 - 0.5 * 0.0821 = 0.35895",  # the arithmetic is right; the gradient is not
        "w6 = 0.45 - 0.5 * 0.0128808",  # ∂E_total/∂w5's, where w6's belongs
        "w7 = 0.45 - 0.5 * 0.0154083",  # w6's value, where w7's belongs
        "",
        "w5 = 0.3971",  # neither w5 nor w5 after a step of any η the course uses
    ]
    result = judged(tmp_path, "\n".join(wrong) + "\n")  # 4 of its 5 numbers wrong: it fits no network
    assert not result.mistakes and "fit neither ERA's nor EVA8's" in result.reason, result.lines()
    result = judged(tmp_path, "\n".join(wrong) + "\n", template="era")
    assert blamed(result) == {(n, q): "wrong-number" for n, q in [(1, "w5"), (2, "w6"), (3, "w7"), (5, "w5")]}
    words = said(result)  # which number is off, and what it is instead
    w6 = "uses 0.0128808 (∂E_total/∂w5 at the first iteration) where ∂E_total/∂w6 = 0.0129761 belongs"
    assert words[2, "w6"] == w6
    assert words[3, "w7"] == "uses 0.45 (w6 at the first iteration) where w7 = 0.50 belongs"
    assert result.mistakes[0].expected == "0.39356"  # w5 after the step at the η it writes, 0.5


def test_a_function_is_defined_at_every_x_and_a_generic_symbol_is_no_quantity(tmp_path):
    lines = [
        ("σ'(x) = σ(x)(1 - σ(x))", None),  # checked at several x: the slope of σ
        ("σ(x) = 1/(1 + e^(-x))", None),
        ("dσ/dx = σ(x)·(1 − σ(x))", None),
        ("σ(z) = 1/(1 + e⁻ᶻ)", None),
        ("∂a_h1/∂h1 = σ'(h1)", None),
        ("f(x) = 1/(1+exp(x))", "it defines f, which is none of the network's functions"),  # (1/(1+exp(-x)): σ)
        ("ReLU(x) = max(0, x)", "it defines ReLU, which is none of the network's functions"),
        ("y = σ(z)", "y, z: generic symbols, not one of the network's quantities"),
        ("z = w*x + b", "z, x, b: generic symbols, not one of the network's quantities"),
        ("E = ½(t − a)²", "t, a: generic symbols, not one of the network's quantities"),
        ("w_new = w_old - η * ∂E/∂w", None),  # the update of any weight: checked for each
    ]
    result = judged(tmp_path, "\n".join(text for text, _ in lines) + "\n")
    assert result.verdict == "right" and result.equations == 6, result.lines()
    said = {n: why for n, _, why in result.skipped}
    assert set(said) == {n for n, (_, why) in enumerate(lines, 1) if why}, result.lines()
    assert all(why in said[n] for n, (_, why) in enumerate(lines, 1) if why), result.lines()
    result = judged(tmp_path, "σ'(x) = σ(x)\ndσ/dx = σ(x)·(1 + σ(x))\n∂a_h1/∂h1 = σ'(h2)\n")
    assert blamed(result) == {(1, "σ'(x)"): "wrong-definition", (2, "σ'(x)"): "wrong-definition",
                              (3, "∂a_h1/∂h1"): "swap-reference"}  # fmt: skip
    assert result.mistakes[0].message == "σ(x) is not σ'(x): at x = 1, σ'(x) is 0.1966 and σ(x) 0.7311"
    assert result.mistakes[0].expected == "σ(x)·(1 − σ(x))"


def test_a_cross_entropy_report_is_judged_with_its_own_loss(tmp_path):
    # sheetgen report's README of the ERA net with softmax outputs and cross-entropy (one-hot targets):
    # a_o1 = EXP(o1)/(EXP(o1) + EXP(o2)), E1 = −t1·LN(a_o1), ∂E_total/∂w5 = (a_o1 − t1)·a_h1
    pytest.importorskip("matplotlib")
    era = (spec.templates_dir() / "era.toml").read_text().replace("targets = [0.5, 0.5]", "targets = [0.0, 1.0]")
    net = spec.parse(f'{era}\n[training]\nloss = "cross_entropy"\n', "era-ce.toml")
    readme = report.write(replace(net, iterations=3), tmp_path / "report")
    result = writeup.check(readme)
    assert result.verdict == "right" and result.equations >= 30, result.lines()
    assert "softmax outputs and cross-entropy" in result.network
    lines = readme.read_text(encoding="utf-8").splitlines()
    slips = {
        "E2 = −t2·LN(a_o2)": "E2 = −t1·LN(a_o2)",
        "∂E_total/∂w5 = (a_o1 − t1)·a_h1": "∂E_total/∂w5 = (a_o1 − t1)·a_h2",
    }
    wrong = tmp_path / "wrong.md"
    wrong.write_text("\n".join(slips.get(line, line) for line in lines) + "\n", encoding="utf-8")
    at = {line: n for n, line in enumerate(lines, 1)}
    assert blamed(writeup.check(wrong)) == {
        (at["E2 = −t2·LN(a_o2)"], "E2"): "swap-reference",
        (at["∂E_total/∂w5 = (a_o1 − t1)·a_h1"], "∂E_total/∂w5"): "swap-reference",
    }
    # a write-up of the seeds' net that writes one cross-entropy loss is judged with the seeds' loss
    result = judged(tmp_path, "E1 = −t1·ln(a_o1)\n∂E_total/∂w5 = (a_o1 - t1)*a_o1*(1 - a_o1)*a_h1\na_o1 = σ(o1)\n")
    assert blamed(result) == {(1, "E1"): "wrong-value"}, result.lines()


def test_a_samples_quantity_is_skipped_not_read_as_a_product(tmp_path):
    # sheetgen report's README of a batch of samples (xor) writes E_total[1]: sample 1's, not E_total·1
    text = "E_total[1] = E1[1]\nh1[2] = w1·i1[2] + w2·i2[2]\nE_total = (E_total[1] + E_total[2])/2\nE_total = E1 + E2\n"
    result = judged(tmp_path, text)
    assert result.verdict == "right" and result.equations == 1, result.lines()
    assert [(n, "one sample's quantities" in why) for n, _, why in result.skipped] == [(1, True), (2, True), (3, True)]


def test_a_letter_in_prose_is_no_generic_symbol(tmp_path):
    lines = [
        "h1 = w1 x i1 + w2 x i2",  # x between two factors: a times sign
        "(a) h2 = w3*i1 + w4*i2 and (b) o1 = w5*a_h1 + w6*a_h2",  # a list's labels
        "This is a 2 x 2 layer: a_o1 = σ(o1) is a sigmoid, a_o1 = 0.6065 a bit high.",
    ]
    result = judged(tmp_path, "\n".join(lines) + "\n")
    assert result.verdict == "right" and result.equations == 5 and not result.skipped, result.lines()


# -- a write-up of numbers of its own: a student's, another template's ------------------------------
def by_hand(i1, i2, t1, t2, w, eta=0.5) -> dict[str, float]:
    """The 2-2-2 sigmoid net's first iteration written out, independently of sheetgen: the forward
    pass, the loss, ∂E_total/∂w5 and w5 after one step of η."""
    sigmoid = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    h1, h2 = w[0] * i1 + w[1] * i2, w[2] * i1 + w[3] * i2
    a_h1, a_h2 = sigmoid(h1), sigmoid(h2)
    o1, o2 = w[4] * a_h1 + w[5] * a_h2, w[6] * a_h1 + w[7] * a_h2
    a_o1, a_o2 = sigmoid(o1), sigmoid(o2)
    e_total = (t1 - a_o1) ** 2 / 2 + (t2 - a_o2) ** 2 / 2
    d5 = (a_o1 - t1) * a_o1 * (1 - a_o1) * a_h1
    return {"h1": h1, "a_h1": a_h1, "o2": o2, "a_o1": a_o1, "a_o2": a_o2, "E_total": e_total, "d5": d5,
            "w5 after": w[4] - eta * d5}  # fmt: skip


OWN = {"i1": 0.12, "i2": 0.33, "t1": 0.4, "t2": 0.7, "w": [0.21, 0.34, 0.56, 0.78, 0.62, 0.18, 0.27, 0.93]}


def own_write_up(v: dict, a_o2: str | None = None) -> list[str]:
    """A write-up of OWN's network: its given values in a list, in prose and in a table, then its numbers
    (`a_o2` printed as given, to plant a wrong one), and identities."""
    w = OWN["w"]
    return [
        "# My network",
        f"- i1 = {OWN['i1']}",
        f"- i2 = {OWN['i2']}",
        f"The targets are t1 = {OWN['t1']} and t2 = {OWN['t2']}.",
        "",
        "| w1 | w2 | w3 | w4 | w5 | w6 | w7 | w8 |",
        "|---|---|---|---|---|---|---|---|",
        "| " + " | ".join(map(str, w)) + " |",
        "",
        f"h1 = w1*i1 + w2*i2 = {v['h1']:.4f}",
        f"a_h1 = σ(h1) = {v['a_h1']:.5f}",
        f"a_o1 = {v['a_o1']:.4f} and a_o2 = {a_o2 or format(v['a_o2'], '.4f')}",
        f"E_total = {v['E_total']:.5f}",
        f"∂E_total/∂w5 = (a_o1 - t1)*a_o1*(1 - a_o1)*a_h1 = {v['d5']:.6f}",
        f"With η = 0.5: w5_new = {w[4]} - 0.5 * {v['d5']:.6f} = {v['w5 after']:.6f}",
        "E2 = ½(t2 − a_o2)²",
    ]


def test_a_write_up_is_judged_on_the_numbers_it_states(tmp_path):
    v = by_hand(OWN["i1"], OWN["i2"], OWN["t1"], OWN["t2"], OWN["w"])
    lines = own_write_up(v)
    result = judged(tmp_path, "\n".join(lines) + "\n")
    assert result.verdict == "right" and not result.mistakes, result.lines()
    # by hand: 12 given values, h1 (2 sides), a_h1, a_o1, a_o2, E_total, ∂E_total/∂w5, w5_new, E2
    assert result.equations == 12 + 8, result.lines()
    assert result.network.startswith("numbers checked against the network the file states (i1 = 0.12, i2 = 0.33")
    assert result.stated == {"i1": 0.12, "i2": 0.33, "t1": 0.4, "t2": 0.7} | {
        f"w{k}": x for k, x in enumerate(OWN["w"], 1)
    }
    # one wrong number among them is blamed, and nothing else: o2 quoted as a_o2, the seeds' slip
    result = judged(tmp_path, "\n".join(own_write_up(v, a_o2=f"{v['o2']:.4f}")) + "\n")
    assert blamed(result) == {(12, "a_o2"): "wrong-number"}, result.lines()
    assert said(result) == {(12, "a_o2"): f"{v['o2']:.4f} is o2 at the first iteration, not a_o2 ({v['a_o2']:.4f})"}
    # 11 of the 12 given values do not fix a network (the seeds' t2 would be a guess): not judged
    result = judged(tmp_path, "\n".join(line.replace(" and t2 = 0.7", "") for line in lines) + "\n")
    assert not result.mistakes and any("fit neither" in w for n, w in result.warnings if n is None), result.lines()
    # a given value mistyped in a write-up whose other numbers are ERA's is blamed, not taken as its network
    era = ["i1 = 0.05, i2 = 0.10, t1 = 0.5, t2 = 0.5", "w1 = 0.15, w2 = 0.20, w3 = 0.35, w4 = 0.30",
           "w5 = 0.40, w6 = 0.45, w7 = 0.50, w8 = 0.55", "a_o1 = 0.6065, a_o2 = 0.6305, E_total = 0.01418"]  # fmt: skip
    result = judged(tmp_path, "\n".join(era) + "\n")
    assert blamed(result) == {(2, "w3"): "wrong-number"}, result.lines()
    assert "against ERA's first iteration" in result.network


def test_numbers_that_fit_no_network_are_not_judged_and_identities_are(tmp_path):
    # a student's numbers, the given values not stated: no network to judge them on
    v = by_hand(OWN["i1"], OWN["i2"], OWN["t1"], OWN["t2"], OWN["w"])
    lines = own_write_up(v)[8:]  # from the line after the table of weights
    lines += ["E1 = ½(t1 − a_o2)²", "∂a_o1/∂o1 = a_o1*(1 - a_o1)"]  # a wrong identity and a right one
    result = judged(tmp_path, "\n".join(lines) + "\n")
    assert blamed(result) == {(len(lines) - 1, "E1"): "swap-reference"}, result.lines()
    # by hand: h1 = w1*i1 + w2*i2, a_h1 = σ(h1), ∂E_total/∂w5's rule, E2, E1, ∂a_o1/∂o1
    assert result.equations == 6, result.lines()
    # h1, a_h1, a_o1, a_o2, E_total, ∂E_total/∂w5, and w5_new's two (0.62 − 0.5·0.026409 = 0.606796 is
    # arithmetic, right on any network)
    (warning,) = [w for n, w in result.warnings if n is None]
    assert warning.startswith("its numbers fit neither ERA's nor EVA8's first iteration (1 of the 8 it quotes")
    assert warning.endswith("not judged; give --template or --class to judge them")
    assert result.network.startswith("numbers not judged")
    assert {"line": None, "text": warning} in result.as_dict()["warnings"]
    assert f"  warning: {warning}" in result.lines()
    # nothing but numbers: nothing judged, said as such (exit 2, as for a file with no equation)
    result = judged(tmp_path, f"a_o1 = {v['a_o1']:.4f}\nE_total = {v['E_total']:.5f}\n")
    assert result.verdict == "no equations" and "fit neither" in result.reason and not result.mistakes


def test_check_template_judges_numbers_on_its_first_iteration(tmp_path, capsys):
    w = OWN["w"]
    mine = tmp_path / "mine.toml"
    mine.write_text(
        (spec.templates_dir() / "era.toml").read_text()
        .replace("inputs = [0.05, 0.10]", f"inputs = [{OWN['i1']}, {OWN['i2']}]")
        .replace("targets = [0.5, 0.5]", f"targets = [{OWN['t1']}, {OWN['t2']}]")
        .replace("weights = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]", f"weights = {w}")
        .replace("learning_rates = [0.1, 0.2, 0.5, 0.8, 1.0, 2.0]", "learning_rates = [0.7]")
    )  # fmt: skip
    assert spec.load(str(mine)).weights == tuple(w) and spec.load(str(mine)).learning_rates == (0.7,)
    v = by_hand(OWN["i1"], OWN["i2"], OWN["t1"], OWN["t2"], w, eta=0.7)
    text = [  # no given value stated: only the template says whose numbers these are
        f"a_o1 = {v['a_o1']:.4f}",
        f"E_total = {v['E_total']:.5f}",
        f"w5 = {w[4]} - 0.7 * {v['d5']:.6f} = {v['w5 after']:.6f}",  # a step of the template's own η
    ]
    md = tmp_path / "README.md"
    md.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert cli.main(["check", "-q", str(md)]) == 2  # on its own: numbers only, and they fit no network
    assert "fit neither ERA's nor EVA8's" in capsys.readouterr().out
    assert cli.main(["check", "-q", "--template", str(mine), str(md)]) == 0
    out = capsys.readouterr().out
    head = f"{md}: RIGHT: none wrong of 3 equations checked (numbers checked against template {mine}'s first "
    assert out.startswith(head + "iteration (i1 = 0.12, i2 = 0.33, t1 = 0.4, t2 = 0.7, w1 = 0.21"), out
    md.write_text("\n".join(text).replace(f"{v['a_o1']:.4f}", f"{v['a_o1'] + 0.001:.4f}") + "\n", encoding="utf-8")
    assert cli.main(["check", "-q", "--json", "--template", str(mine), str(md)]) == 1
    (got,) = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert [(m["line"], m["code"], m["diagnosis"]) for m in got["mistakes"]] == [
        (1, "wrong-number", f"a_o1 is {v['a_o1']:.4f} at the first iteration, not {v['a_o1'] + 0.001:.4f}")
    ]
    # and against ERA's, every one of its numbers is wrong
    assert cli.main(["check", "-q", "--json", "--template", "era", str(md)]) == 1
    assert len(json.loads(capsys.readouterr().out)["mistakes"]) == 3
    # bad input: one line, exit 2, no traceback
    for argv, says in [
        (["--template", "nosuch"], "nosuch: no such template"),
        (["--template", "xor"], "a write-up is judged on one sample's network; it has 4 samples"),
        (["--template", "era", "--class", str(tmp_path)], f"{tmp_path}: no class.json"),
    ]:
        assert cli.main(["check", "-q", *argv, str(md)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and says in err and "Traceback" not in err, err


def test_a_result_that_rounds_to_a_given_value_is_a_rounded_result(tmp_path):
    # OWN with w6 = 0.53: a_h1 (which w6 does not touch) is 0.5343 by hand, 0.53 at two decimals
    w = [*OWN["w"][:5], 0.53, *OWN["w"][6:]]
    v = by_hand(OWN["i1"], OWN["i2"], OWN["t1"], OWN["t2"], w)
    assert f"{v['a_h1']:.2f}" == "0.53" and abs(v["a_h1"] - 0.53) > 1e-3
    given = [f"i1 = {OWN['i1']}, i2 = {OWN['i2']}, t1 = {OWN['t1']}, t2 = {OWN['t2']}"]
    given += [", ".join(f"w{k} = {x}" for k, x in enumerate(w, 1))]
    lines = [*given, f"h1 = w1*i1 + w2*i2 = {v['h1']:.4f}", "a_h1 = σ(h1) = 0.53", f"a_o1 = {v['a_o1']:.4f}"]
    result = judged(tmp_path, "\n".join(lines) + "\n")
    assert result.verdict == "right" and not result.mistakes, result.lines()
    assert result.network.startswith("numbers checked against the network the file states")
    # a wrong one is still blamed: a_h2 is 0.5804 by hand, not 0.53
    a_h2 = 1 / (1 + math.exp(-(w[2] * OWN["i1"] + w[3] * OWN["i2"])))
    result = judged(tmp_path, "\n".join([*lines, "a_h2 = σ(h2) = 0.53"]) + "\n")
    assert [(m.line, m.expected) for m in result.mistakes] == [(6, f"{a_h2:.2f}")], result.lines()


def test_a_value_said_to_be_at_iteration_2_is_judged_there(tmp_path):
    # ERA at η = 0.5 (the module's docstring): E_total = 0.014181, one step later 0.013777
    head = ["η = 0.5", "a_o1 = 0.6065", "E_total = 0.014181"]
    for line in ["At iteration 2, E_total = 0.013777.", "In the second iteration, E_total = 0.01378",
                 "Iteration 2: E_total = 0.01378"]:  # fmt: skip
        result = judged(tmp_path, "\n".join([*head, line]) + "\n")
        assert result.verdict == "right" and result.equations == 3, (line, result.lines())
    result = judged(tmp_path, "\n".join([*head, "At iteration 2, E_total = 0.014181."]) + "\n")
    why = "0.014181 is E_total at the first iteration, not E_total at iteration 2 (0.013777 (η = 0.5))"
    assert blamed(result) == {(4, "E_total at iteration 2"): "wrong-number"}, result.lines()
    assert said(result) == {(4, "E_total at iteration 2"): why}
    # the weights at iteration 2 are the weights after the step: w5 = 0.4 − 0.5·0.0128808 by hand
    result = judged(tmp_path, "\n".join([*head, "At iteration 2, w5 = 0.3936"]) + "\n")
    assert result.verdict == "right" and result.stated == {}, result.lines()


def test_a_numbered_step_or_iteration_is_a_label_not_a_factor(tmp_path):
    # `Step 2 h1 = …` is step 2's h1, not 2·h1; `Epoch 2 E_total = 0.013777` is E_total at iteration 2
    lines = ["η = 0.5", "Step 2 h1 = w1*i1 + w2*i2", "Step 3 a_h1 = σ(h1)", "Epoch 1 E_total = 0.014181",
             "Epoch 2 E_total = 0.013777", "Iteration 2 E_total = 0.01378"]  # fmt: skip
    result = judged(tmp_path, "\n".join(lines) + "\n")
    assert result.verdict == "right" and result.equations == 5, result.lines()
    # a number beside a quantity is still a factor: 2·h1 is not w1*i1 + w2*i2
    result = judged(tmp_path, "h1 = w1*i1 + w2*i2\n2 h1 = w1*i1 + w2*i2\n")
    assert [m.line for m in result.mistakes] == [2], result.lines()


def test_given_values_listed_with_a_colon_state_the_network(tmp_path):
    # `- w1: 0.21`, one a line, as a list of given values is often written
    v = by_hand(OWN["i1"], OWN["i2"], OWN["t1"], OWN["t2"], OWN["w"])
    given = {"i1": OWN["i1"], "i2": OWN["i2"], "t1": OWN["t1"], "t2": OWN["t2"]}
    given |= {f"w{k}": x for k, x in enumerate(OWN["w"], 1)}
    lines = [f"- {q}: {x}" for q, x in given.items()] + [f"a_o1 = {v['a_o1']:.4f}", f"E_total = {v['E_total']:.5f}"]
    result = judged(tmp_path, "\n".join(lines) + "\n")
    assert result.verdict == "right" and result.stated == given, result.lines()
    assert result.network.startswith("numbers checked against the network the file states"), result.network
    result = judged(tmp_path, "\n".join([*lines, f"a_o2 = {v['o2']:.4f}"]) + "\n")
    assert [m.line for m in result.mistakes] == [len(lines) + 1], result.lines()


def test_subscripts_bold_names_and_notepads_unicode_are_read(tmp_path):
    """Issue #23, 9: E₁ = ½(t₁ − a_o₁)² was skipped as "unbalanced parentheses", `- **h1** = …` with a
    mangled excerpt, and a file saved as Notepad's "Unicode" (UTF-16) was "not a text file"."""
    lines = [
        "E₁ = ½(t₁ − a_o₁)²",
        "E₂ = ½(t₁ − a_o₂)²",  # wrong: t2 belongs
        "- **h1** = w1·i1 + w2·i2",
        "- **h2 = w1·i1 + w4·i2**",  # wrong: w3 belongs
        "* *a_h1* = σ(h1)",
        "E_total = E1 + E2 and (t1 - a_o1)**2 stays a square: ∂E1/∂a_o1 = -(t1 - a_o1)",
    ]
    text = "\n".join(lines) + "\n"
    plain = tmp_path / "plain.md"
    plain.write_text(text, encoding="utf-8")
    result = writeup.check(plain)
    assert not result.skipped, result.skipped
    assert {n for n, _ in blamed(result)} == {2, 4} and result.equations == 7, result.lines()
    for codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        other = tmp_path / f"{codec}.md"
        other.write_bytes(text.encode(codec))
        again = writeup.check(other)
        assert (again.verdict, again.equations, blamed(again)) == (result.verdict, result.equations, blamed(result))
    # and what is not text still is not
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    assert writeup.check(tmp_path / "binary.md").verdict == "unreadable"


def _a_gigabyte():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.slow
def test_a_huge_write_up_is_judged_in_bounded_time_and_memory_and_says_what_it_left(tmp_path):
    """Issue #23, 16: 10 MB of write-up ran for over 900 s in 1.1 GB; one 10 MB line took 600 MB."""
    import subprocess
    import sys

    block = "h1 = w1·i1 + w2·i2\nSome prose about the weights.\na_h1 = σ(h1)\n| w1 | 0.15 |\nE_total = E1 + E2\n"
    huge, line = tmp_path / "huge.md", tmp_path / "line.md"
    huge.write_text(block * (10_000_000 // len(block)))
    line.write_text("h2 = w3·i1 + w4·i2\n" + "h1 = w1*i1 + w2*i2 " * 520_000 + "\n")
    for path, says in ((huge, f"only its first {MAX_CHARS:,} characters"), (line, "characters: data, not equations")):
        done = subprocess.run([sys.executable, "-m", "sheetgen", "check", str(path)], capture_output=True,
                              text=True, timeout=240, preexec_fn=_a_gigabyte)  # fmt: skip
        assert done.returncode in (0, 1) and says in done.stdout and "Traceback" not in done.stderr, done
    assert writeup.check(line).equations == 1  # the line before the long one is judged

"""A Jupyter notebook is read as it renders: its Markdown cells, its code cells as fenced code and what they
print as a log, each mistake said at the line of the .ipynb file that holds it."""

import json
import re
from pathlib import Path

from sheetgen import writeup
from tests.writeup.written import blamed

MARKDOWN = [
    "# Backprop by hand\n",
    "\n",
    "Inputs $i_1 = 0.05$, $i_2 = 0.1$, targets $t_1 = 0.01$, $t_2 = 0.99$.\n",
    "\n",
    "$$h_1 = w_1 i_1 + w_2 i_2 = 0.15 \\cdot 0.05 + 0.2 \\cdot 0.1 = 0.0275$$\n",
    "\n",
    "$$a_{h_1} = \\sigma(h_1) = 0.506874$$\n",
]
SLIP = "$$h_2 = w_3 i_1 + w_4 i_2 = 0.25 \\cdot 0.05 + 0.3 \\cdot 0.1 = 0.0525$$"  # 0.0425
RIGHT = "$$h_2 = w_3 i_1 + w_4 i_2 = 0.25 \\cdot 0.05 + 0.3 \\cdot 0.1 = 0.0425$$"
CODE = ["h1 = w1*i1 + w2*i2\n", "a_h2 = sigmoid(w3*i1 + w4*i2)\n", "print(h1, a_h2)"]
PRINTED = ["h1 = 0.0275\n", "a_h2 = 0.510623"]


def notebook(last: str, indent: int | None = 1, one_string: bool = False, code=CODE, printed=PRINTED) -> dict:
    code = {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": code,
            "outputs": [{"name": "stdout", "output_type": "stream", "text": printed}]}  # fmt: skip
    last_cell = ["## Hidden layer\n", "\n", last]
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "".join(MARKDOWN) if one_string else MARKDOWN},
        code,
        {"cell_type": "markdown", "metadata": {}, "source": "".join(last_cell) if one_string else last_cell},
    ]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def write(tmp_path, nb: dict, indent: int | None = 1):
    path = tmp_path / "backprop.ipynb"
    path.write_text(json.dumps(nb, indent=indent, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_a_right_notebook_is_right(tmp_path):
    path = write(tmp_path, notebook(RIGHT))
    result = writeup.check(path)
    assert result.verdict == "right", result.lines()
    assert result.equations >= 3  # h1, a_h1, h2: the Markdown cells were read
    at = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "h1 = " in line]
    assert set(at) <= set(result.read), (at, result.read)  # and the code cell, and what it printed


def test_a_slip_in_a_code_cell_or_its_output_is_said_at_its_line(tmp_path):
    # a notebook's working is its code as much as its LaTeX: round 31's had 73 of its 88 equation lines there,
    # and its one code bug (dE_dw8 = delta_o2 * a_h1) and the number it printed were not read
    for code, printed, slipped in (
        (["h1 = w1*i1 + w3*i2\n", *CODE[1:]], PRINTED, "w3*i2"),
        (CODE, ["h1 = 0.0275\n", "a_h2 = 0.501623"], "0.501623"),
    ):
        path = write(tmp_path, notebook(RIGHT, code=code, printed=printed))
        result = writeup.check(path)
        at = next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if slipped in line)
        assert set(blamed(result)) == {at}, result.lines()


def test_a_slip_in_a_markdown_cell_is_said_at_its_line_of_the_file(tmp_path):
    path = write(tmp_path, notebook(SLIP))
    result = writeup.check(path)
    at = next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "0.0525$$" in line)
    assert set(blamed(result)) == {at}, result.lines()


def test_a_notebook_saved_otherwise_is_read_cell_after_cell_and_says_so(tmp_path):
    result = writeup.check(write(tmp_path, notebook(SLIP, one_string=True), indent=None))
    assert len(blamed(result)) == 1 and result.verdict == "wrong", result.lines()
    assert any("line numbers count" in w for _, w in result.warnings)


def test_a_file_named_ipynb_that_is_no_notebook_is_unreadable_not_a_traceback(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [', encoding="utf-8")
    result = writeup.check(path)
    assert result.verdict == "unreadable" and "not a notebook" in result.reason


def test_the_web_page_offers_every_kind_of_write_up_check_reads():
    page = (Path(__file__).resolve().parents[2] / "web" / "index.html").read_text(encoding="utf-8")
    for accept in re.findall(r'accept="([^"]*\.md[^"]*)"', page):
        assert set(writeup.SUFFIXES) <= set(accept.split(",")), accept


def test_a_training_loop_and_its_log_are_no_false_alarm(tmp_path):
    # a cell that trains every tab and prints each loss: its code is no equation of the first iteration
    # (`w = [wi - lr*gi …]`, `E, g = step(w)`), and its printout is each η's loss after 20 updates
    from tests.writeup.test_review6b import W, run

    losses = {eta: run(W, eta, 21)[20]["E"] for eta in (0.1, 0.5, 2.0)}
    loop = ["for lr in [0.1, 0.5, 2.0]:\n", "    w = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]\n",
            "    for it in range(20):\n", "        E, g = step(w)\n",
            "        w = [wi - lr*gi for wi, gi in zip(w, g)]\n", "    E, g = step(w)\n",
            "    print(f\"lr={lr}  E after 20 updates = {E:.6f}\")"]  # fmt: skip
    printed = [f"lr={eta}  E after 20 updates = {x:.6f}\n" for eta, x in losses.items()]
    path = write(tmp_path, notebook(RIGHT, code=loop, printed=printed))
    result = writeup.check(path)
    assert result.mistakes == [], result.lines()
    slipped = [*printed[:1], printed[1].replace(f"{losses[0.5]:.6f}", f"{losses[0.1]:.6f}"), *printed[2:]]
    path = write(tmp_path, notebook(RIGHT, code=loop, printed=slipped))
    at = next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "lr=0.5" in line)
    assert set(blamed(writeup.check(path))) == {at}, writeup.check(path).lines()

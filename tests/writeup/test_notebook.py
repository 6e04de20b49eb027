"""A Jupyter notebook is read as it renders: its Markdown cells, each mistake said at the line of the
.ipynb file that holds it; its code cells and outputs are code and logs, not read."""

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
CODE = ["h1 = w1*i1 + w3*i2  # a line of code: not the write-up\n", "print(h1)"]


def notebook(last: str, indent: int | None = 1, one_string: bool = False) -> dict:
    code = {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": CODE,
            "outputs": [{"name": "stdout", "output_type": "stream", "text": ["h2 = 0.0525\n"]}]}  # fmt: skip
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


def test_a_right_notebook_is_right_and_its_code_is_not_read(tmp_path):
    result = writeup.check(write(tmp_path, notebook(RIGHT)))
    assert result.verdict == "right", result.lines()
    assert result.equations >= 3  # h1, a_h1, h2: the Markdown cells were read


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

"""What the workbook and the report say about themselves: titles, descriptions, labels, captions."""

import openpyxl
import pytest

from sheetgen import cli, spec

DEEP_FLAGS = ["--layers", "3,4,2", "--activation", "tanh,sigmoid", "--bias", "trainable", "--seed", "7",
              "--inputs", "1,0,1"]  # fmt: skip


def build(capsys, tmp_path, *argv) -> openpyxl.Workbook:
    """`sheetgen build ARGV`, opened with each formula's cached result (what a viewer shows)."""
    path = tmp_path / "book.xlsx"
    assert cli.main(["build", "-q", "--iterations", "3", *argv, "-o", str(path)]) == 0
    capsys.readouterr()
    return openpyxl.load_workbook(path, data_only=True)


def test_network_flags_retitle_every_tab_and_the_document(capsys, tmp_path):
    wb = build(capsys, tmp_path, *DEEP_FLAGS)
    for tab in wb.sheetnames[1:-1]:
        title = wb[tab]["A1"].value
        assert title.startswith("η = ") and " — 3-4-2 tanh/sigmoid net, trainable biases" in title
        assert "inputs (1, 0, 1), targets (0.5, 0.5)" in title and "weights drawn with seed 7" in title
        assert "2-2-2" not in title and "no biases" not in title and "t1 = t2" not in title
    description = wb.properties.description
    assert description.startswith("3-4-2 tanh/sigmoid net, trainable biases") and "2-2-2" not in description
    assert "--layers, --activation, --bias, --seed, --inputs" in description  # and how it came about


@pytest.mark.parametrize(
    "template, flags, says, not_says",
    [
        ("era", {}, "ERA session 6: 2-2-2 sigmoid net, no biases, t1 = t2 = 0.5, six learning rates", "--"),
        ("mazur", {"iterations": 10_000}, "Mazur's step-by-step example", "--"),  # the template's own value
        ("era", {"learning_rates": [0.5, 1]},
         "2-2-2 sigmoid net, no biases, inputs (0.05, 0.1), targets (0.5, 0.5), 2 learning rates, 100 iterations "
         "(from templates/era.toml with --lr)", "six"),
        ("mazur", {"iterations": 3}, "2-2-2 sigmoid net, fixed biases, inputs (0.05, 0.1), targets (0.01, 0.99), "
         "η = 0.5, 3 iterations (from templates/mazur.toml with --iterations)", "10,000"),
    ],
)  # fmt: skip
def test_the_template_describes_itself_until_a_flag_changes_it(template, flags, says, not_says):
    description = spec.load(template).with_overrides(**flags).description
    assert description.startswith(says) and not_says not in description

"""What the workbook and the report say about themselves: titles, descriptions, labels, captions."""

import re
import zipfile

import openpyxl
import pytest

from sheetgen import cli
from sheetgen.model import reference, spec
from tests.conftest import ETA_TYPED, sheet

from .test_workbook import charts_of

DEEP_FLAGS = ["--layers", "3,4,2", "--activation", "tanh,sigmoid", "--bias", "trainable", "--seed", "7",
              "--inputs", "1,0,1"]  # fmt: skip


def build(capsys, tmp_path, *argv) -> openpyxl.Workbook:
    """`sheetgen build ARGV`, opened with each formula's cached result (what a viewer shows)."""
    path = tmp_path / "book.xlsx"
    short = [] if "--iterations" in argv else ["--iterations", "3"]  # a flag of one value is given once
    assert cli.main(["build", "-q", *short, *argv, "-o", str(path)]) == 0
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


def report(capsys, where, *argv) -> str:
    assert cli.main(["report", *argv, "-o", str(where)]) == 0
    capsys.readouterr()
    return (where / "README.md").read_text()


def test_a_report_of_one_learning_rate_compares_nothing(capsys, tmp_path):
    text = report(capsys, tmp_path, "mazur", "--iterations", "50")
    assert "smallest" not in text and "largest" not in text and "every time" not in text
    final = reference.run(spec.load("mazur").with_overrides(iterations=50), 0.5)["E_total"][-1]
    assert f"After 50 iterations at η = 0.5 the loss is {final:.3g}" in text


def test_a_report_where_the_others_diverge_compares_nothing(capsys, tmp_path):
    template = tmp_path / "linear.toml"
    era = (spec.templates_dir() / "era.toml").read_text()
    template.write_text(era.replace('"sigmoid"', '"linear"').replace("[0.1, 0.2, 0.5, 0.8, 1.0, 2.0]", "[0.1, 50.0]"))
    text = report(capsys, tmp_path / "out", str(template), "--iterations", "30")
    assert "smallest" not in text and "every time" not in text
    assert "After 30 iterations at η = 0.1 the loss is" in text
    assert "With η = 50.0 the run diverges: the loss overflows to #NUM! from iteration" in text


def test_a_report_rerun_removes_only_its_own_old_pictures(capsys, tmp_path):
    report(capsys, tmp_path, "--iterations", "5", "--lr", "0.1", "0.2")
    (tmp_path / "mine.png").write_bytes(b"a student's picture")
    (tmp_path / "E_total_LR_9.0.png").write_bytes(b"named like ours, but not ours")
    report(capsys, tmp_path, "--iterations", "5", "--lr", "0.5")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "E_total_LR_0.5.png", "E_total_LR_9.0.png", "E_total_all.png", "README.md", "mine.png"]  # fmt: skip
    assert (tmp_path / "mine.png").read_bytes() == b"a student's picture"


def test_the_derivations_tab_is_named_not_asked_for(capsys, tmp_path):
    """B2 names the tab the Derivation's cells read; they are wired to it when the workbook is built,
    so B2 is no input: not styled as one, it refuses another name, and says why below it."""
    wb = build(capsys, tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "book.xlsx")["Derivation"]
    assert wb["Derivation"]["B2"].value == "LR 0.1"
    inputs = [c.coordinate for row in ws.iter_rows() for c in row if c.fill.fgColor.rgb == "FFFFF2CC"]
    assert inputs == [] and ws["B2"].font.color.rgb != "FF0000CC"  # no blue-on-yellow input on the tab
    (rule,) = [dv for dv in ws.data_validations.dataValidation if "B2" in str(dv.sqref)]
    assert rule.type == "custom" and rule.formula1 == '$B$2="LR 0.1"' and rule.showErrorMessage
    assert "LR 0.1" in rule.error and "--lr" in rule.error
    assert "fixed when the workbook is built" in ws["B3"].value


def test_titles_and_chart_labels_are_live(era):
    """Each tab's title is a formula of its η; its chart's title and the Summary's legend are taken
    from cells, not typed into the charts."""
    ws = openpyxl.load_workbook(era)["LR 0.1"]
    assert ws["A1"].value == '="η = "&eta&" — "&\'Summary\'!$A$2'
    assert next(iter(ws.defined_names["eta"].destinations))[1] == "$B$14"  # conftest's η edit types here
    summary = openpyxl.load_workbook(era)["Summary"]
    assert summary["A2"].value.startswith("ERA session 6: 2-2-2 sigmoid net")  # the description, as text
    label = next(c for c in summary[5] if c.value == "chart label").column_letter
    assert summary[f"{label}6"].value == '="η = "&B6'  # B6: the η of LR 0.1, read from its tab
    with zipfile.ZipFile(era) as z:
        (tab_chart,) = charts_of(z, 2)
        summary_charts = charts_of(z, 1)
    # linked to the cell (with its text when built, for readers that do not follow the link), not typed in
    title = re.search(r"<c:title>.*?</c:title>", tab_chart, re.S)[0]
    assert f"<c:tx><c:strRef><c:f>Summary!${label}$6</c:f>" in title and "<c:rich>" not in title
    for xml in summary_charts:
        names = re.findall(r"<c:ser>.*?<c:tx>(.*?)</c:tx>", xml, re.S)
        assert [re.match(r"<c:strRef><c:f>([^<]*)</c:f>", name)[1] for name in names] == [
            f"Summary!${label}${row}" for row in range(6, 12)
        ]


def test_a_new_eta_typed_into_a_tab_shows_in_its_titles(reports, recalculated):
    """After a user types another η into a tab, LibreOffice shows it in the tab's title and the
    Summary's label for the charts; verify reads those captions by their number."""
    assert reports["eta"].ok
    _, fresh = recalculated["eta"]
    for tab, eta in zip(("LR 0.1", "LR 0.2"), ETA_TYPED, strict=True):
        title = sheet(fresh, tab)["A1"]
        assert title.startswith("η = ") and title.endswith(" — ERA session 6: 2-2-2 sigmoid net, no biases, "
                                                          "t1 = t2 = 0.5, six learning rates")  # fmt: skip
        assert float(title.split()[2]) == eta  # LibreOffice writes 0.00001 its own way; the number is η
    labels = {row[0]: row[-1] for row in sheet(fresh, "Summary").rows(6, 11)}
    assert float(labels["LR 0.1"].removeprefix("η = ")) == ETA_TYPED[0] and labels["LR 0.5"] == "η = 0.5"


def test_a_title_that_shows_the_wrong_number_fails_verify(reports):
    assert not reports["mislabelled"].ok
    (bad,) = [t for t in reports["mislabelled"].tabs if not t.ok]
    assert bad.sheet == "LR 0.1" and bad.problems == ["A1: the title says 'η = 0.05 — ERA session 6: 2-2-2 "
                                                      "sigmoid net, no biases, t1 = t2 = 0.5, six learning rates',"
                                                      " not η = 0.1"]  # fmt: skip


def chart_of_tab(path, sheet: int = 2) -> str:
    with zipfile.ZipFile(path) as z:
        (xml,) = charts_of(z, sheet)
    return xml


@pytest.mark.parametrize("inputs, cases", [("0.05,0.1", ["converges", "label"]), ("1e200,1e200", ["axis"] * 2)])
def test_a_diverging_tab_says_on_its_chart_where_it_turns_num(capsys, tmp_path, inputs, cases):
    """The loss's line ends where the sheet turns #NUM!: a label on the last number says so (when not
    even iteration 1 is a number, the axis says it). A tab that converges has no such mark."""
    argv = ["--activation", "linear", "--lr", "0.01", "50", "--iterations", "20", "--inputs", inputs]
    build(capsys, tmp_path, *argv)
    s = spec.load("era").with_overrides(activation="linear", learning_rates=[0.01, 50.0], iterations=20,
                                        inputs=[float(x) for x in inputs.split(",")])  # fmt: skip
    seen = []
    for number, eta in ((2, 0.01), (3, 50.0)):
        first = reference.first_error(reference.run(s, eta))
        xml = chart_of_tab(tmp_path / "book.xlsx", number)
        labels = re.findall(r"<c:dLbl><c:idx val=\"(\d+)\"/>(.*?)</c:dLbl>", xml, re.S)
        shown = [(int(i), re.findall(r"<a:t>([^<]*)</a:t>", body)) for i, body in labels if "<c:delete" not in body]
        values = re.search(r"<c:val><c:numRef><c:f>([^<]*)</c:f>", xml)[1]
        if first is None:
            assert "#NUM!" not in xml and values.endswith("$T$18:$T$37")  # every iteration
            seen.append("converges")
        elif first > 1:  # on iteration first - 1, the last number, where the line ends (an error cell
            # would be drawn as 0)
            assert shown == [(first - 2, [f"#NUM! from iteration {first}"])]
            assert values.endswith(f"$T$18:$T${17 + first - 1}")
            seen.append("label")
        else:
            assert shown == [] and "#NUM! from iteration 1" in xml
            seen.append("axis")
    assert seen == cases

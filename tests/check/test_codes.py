"""The finding codes are a public interface: each one documented in docs/diagnoses.md, and every code
check's judge and diagnoses can give one of finding.CODES (read off their source, so a new kind of
mistake cannot slip in undocumented)."""

import ast
import re
from pathlib import Path

import pytest

from sheetgen.check import diagnose, judge
from sheetgen.finding import CODES, Finding

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "diagnoses.md"


def test_every_code_has_a_section_in_docs_diagnoses():
    sections = re.findall(r"^### `([a-z-]+)`$", DOCS.read_text(encoding="utf-8"), re.M)
    assert sorted(sections) == sorted(CODES), set(sections) ^ set(CODES)
    assert len(sections) == len(set(sections))


def _codes_given(source: str) -> set[str]:
    """The string constants that stand as a code in a module: Diagnosis(code, …) and Finding(code, …),
    `code = …` / `code, why = …`, a strategy's `return code, text`, and the SWAPS set."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("Diagnosis", "Finding") and node.args:
            found |= _strings(node.args[0])
        elif isinstance(node, ast.Assign | ast.Return) and isinstance(node.value, ast.Tuple):
            targets = node.targets[0] if isinstance(node, ast.Assign) else None
            first = targets.elts[0] if isinstance(targets, ast.Tuple) else targets
            if first is None or getattr(first, "id", None) == "code":
                found |= _strings(node.value.elts[0])
        elif isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) in ("code", "SWAPS"):
            found |= _strings(node.value)
    return found


def _strings(node) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


@pytest.mark.parametrize("module", [diagnose, judge], ids=lambda m: m.__name__)
def test_every_code_check_gives_is_in_codes(module):
    given = _codes_given(Path(module.__file__).read_text(encoding="utf-8"))
    assert given, "no code found: the reading of the source is out of date"
    assert given <= set(CODES), given - set(CODES)


def test_check_gives_every_kind_of_diagnosis_a_code_of_its_own():
    """Each strategy of why, and each kind the judge says itself, has its code (a few share one)."""
    given = _codes_given(Path(diagnose.__file__).read_text()) | _codes_given(Path(judge.__file__).read_text())
    assert given >= {"swap-reference", "other-row", "relative-parameter", "wrong-parameter", "two-references",
                     "sign", "missing-half", "log-base", "one-path", "typed-number", "coincidence", "circular",
                     "not-live", "empty", "wrong-value", "unparsed-formula", "wrong-definition"}  # fmt: skip
    assert [s.propose.__name__ for s in diagnose.STRATEGIES] == [
        "one_reference", "defined_name", "sign_or_half", "log_base", "sigmoid_slope", "one_path", "one_occurrence",
        "two_references",
    ]  # fmt: skip


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError, match="unknown finding code"):
        Finding("no-such-code", "A1", "h1", "")


def test_the_places_a_formula_may_read_are_the_table_cells_and_the_parameters(tmp_path):
    """diagnose._places, looked up without being made: each cell of the table's rows (or of the rows
    given) is its column's quantity there, a parameter's cell its parameter (over a table cell), the rest
    nothing."""
    from sheetgen.build import workbook
    from sheetgen.check import tables
    from sheetgen.model import spec
    from sheetgen.xlsx.reader import read

    workbook.build(spec.load("era").with_overrides(iterations=4, learning_rates=[0.5]), tmp_path / "era.xlsx")
    book = read(tmp_path / "era.xlsx")
    table = next(t for sheet in book.sheets for t in tables.find(sheet, book))
    name = table.sheet.name
    for rows in (None, [table.rows[1]]):
        made = {(name, r, c): (q, r) for q, c in table.columns.items() for r in (rows or table.rows)}
        made |= {(p.sheet or name, *p.cell): (q, None) for q, p in table.params.items() if p.cell is not None}
        places = diagnose._places(table, rows)
        every = {(name, r, c) for r in range(table.rows[-1] + 3) for c in range(40)} | set(made)
        assert {at: places.get(at) for at in every} == {at: made.get(at) for at in every}
        assert all((at in places) == (at in made) for at in every) and ("Other", 0, 0) not in places

"""One build, its deliberately damaged variants, and one LibreOffice run over all of them."""

import os
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from sheetgen import recalc, spec, verify, workbook

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "era.toml"


def need_libreoffice():
    if os.environ.get("SHEETGEN_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice (soffice) is missing: under CI=true its tests must run, not skip")
    pytest.skip("LibreOffice (soffice) is not installed (make test installs it when run as root)")


def edit_sheets(src: Path, dst: Path, edit, only: str = r"\d+") -> None:
    """Copy an .xlsx, passing worksheet XML text (every sheet, or sheet number `only`) through edit."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if re.fullmatch(rf"xl/worksheets/sheet{only}\.xml", item.filename):
                data = edit(data.decode()).encode()
            zout.writestr(item, data)


def set_cell_value(xml: str, cell: str, value: float) -> str:
    """Type a new number into a constant cell, as a user would."""
    new, n = re.subn(rf'(<c r="{cell}"[^>]*>)<v>[^<]*</v>', rf"\g<1><v>{value!r}</v>", xml)
    assert n == 1, f"no constant cell {cell}"
    return new


def replace_formula(xml: str, old: str, new: str) -> str:
    """Swap one formula's text, leaving its cached result as it was."""
    out, n = re.subn(rf"<f>{re.escape(old)}</f>", f"<f>{new}</f>", xml, count=1)
    assert n == 1, f"no formula {old}"
    return out


@pytest.fixture(scope="session")
def era_spec():
    return spec.load(str(TEMPLATE))


@pytest.fixture(scope="session")
def era(tmp_path_factory, era_spec) -> Path:
    path = tmp_path_factory.mktemp("build") / "ERA_backprop.xlsx"
    workbook.build(era_spec, path)
    return path


WHATIF_TARGETS = (0.01, 0.99)
INJECTION = '=HYPERLINK("http://example.invalid","click")'


def _variants(era: Path, where: Path) -> dict[str, Path]:
    """The default workbook and copies a verifier must tell apart from it."""
    t1, t2 = ("B4", "B5")  # the cells named t_1, t_2 (test_workbook checks the names point here)

    def whatif(xml):
        return set_cell_value(set_cell_value(xml, t1, WHATIF_TARGETS[0]), t2, WHATIF_TARGETS[1])

    def broken(xml):  # a seed's slip: ∂E_total/∂w5 with a_h2 in place of a_h1, cached value untouched
        return replace_formula(xml, "(O18-t_1)*O18*(1-O18)*K18", "(O18-t_1)*O18*(1-O18)*M18")

    def stale(xml):  # every cached number wrong, every formula right
        return re.sub(r"(</f>)<v>([-+.\deE]+)</v>", lambda m: f"{m[1]}<v>{float(m[2]) * 3 + 1!r}</v>", xml)

    def frozen(xml):  # one formula typed over with its own value: right number, but not live
        return re.sub(r'(<c r="T30"[^>]*>)<f>[^<]*</f>', r"\1", xml, count=1)

    def vandalised(xml):  # every weight update climbs instead of descending
        return xml.replace("-eta*", "+eta*")

    out = {"era": era}
    # the other presets: eva8 as shipped; mazur's 10,000 steps cut to 200 to keep CI quick
    presets = {"eva8": spec.load("eva8"), "mazur": spec.load("mazur").with_overrides(iterations=200)}
    # a 3-layer net: its Derivation chains through ∂E_total/∂a of two hidden layers
    presets["deep"] = spec.load("era").with_overrides(layers=[2, 3, 2, 2], seed=1, iterations=5)
    # past what one Excel formula holds written out: a deep chain rule, and a sum over 300 inputs
    presets["long_chains"] = spec.load("era").with_overrides(layers=[2, 8, 8, 8, 2], seed=2, iterations=3,
                                                             learning_rates=[0.5])  # fmt: skip
    presets["wide"] = spec.load("era").with_overrides(layers=[300, 2], inputs=[0.01] * 300, seed=3, iterations=2,
                                                      learning_rates=[0.5])  # fmt: skip
    # and one that diverges: a linear net stepping too far overflows into #NUM!
    presets["diverging"] = spec.load("era").with_overrides(activation="linear", learning_rates=[50.0], iterations=20)
    # text that looks like a formula, from the template: it must stay text through LibreOffice too
    injection = replace(spec.load("era"), description=INJECTION).with_overrides(iterations=3, learning_rates=[0.5])
    presets["injection"] = replace(injection, description=INJECTION)
    for name, s in presets.items():
        out[name] = where / f"{name}.xlsx"
        workbook.build(s, out[name])
    # sheet1 is the Summary; sheet2 is LR 0.1, sheets 2-7 the learning-rate tabs
    edits = {
        "whatif": (whatif, "[2-7]"),
        "broken": (broken, "2"),
        "stale": (stale, r"\d+"),
        "frozen": (frozen, "2"),
        "vandalised": (vandalised, "2"),
    }
    for name, (edit, sheets) in edits.items():
        out[name] = where / f"{name}.xlsx"
        edit_sheets(era, out[name], edit, sheets)
    return out


@pytest.fixture(scope="session")
def recalculated(tmp_path_factory, era) -> dict[str, tuple[Path, recalc.Recalculated]]:
    """name -> (workbook, LibreOffice's recalculation of it), all from one soffice run."""
    need_libreoffice()
    where = tmp_path_factory.mktemp("variants")
    books = _variants(era, where)
    fresh = recalc.recalculate(recalc.strip(list(books.values()), where / "lo"), where / "lo")
    return {name: (path, f) for (name, path), f in zip(books.items(), fresh)}


def sheet(fresh: recalc.Recalculated, name: str) -> verify.Sheet:
    """One tab as verify reads it after LibreOffice: formulas' values are LibreOffice's."""
    return next(s for s in verify.iter_sheets(fresh) if s.name == name)


@pytest.fixture(scope="session")
def reports(recalculated) -> dict[str, verify.Report]:
    return {name: verify.compare(p, f, verify.network(p)) for name, (p, f) in recalculated.items()}

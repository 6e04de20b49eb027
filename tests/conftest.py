"""One build, its deliberately damaged variants, and one run of each engine over all of them."""

import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from sheetgen.build import workbook
from sheetgen.check import verify
from sheetgen.model import spec
from sheetgen.xlsx import reader, recalc

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "era.toml"

# -- the two tiers: `make test-fast` runs what starts no engine (-m "not libreoffice and not gnumeric") --
# fixtures whose setup starts an engine -> its marker. A test using one, directly or through another
# fixture (pytest's closure of fixture names), is marked in pytest_collection_modifyitems below; a test
# that starts an engine in its own body carries the marker itself. Either way the guard below fails a
# test that starts an engine without its marker, so the fast tier cannot quietly start one.
ENGINE_FIXTURES = {
    "recalculated": "libreoffice",  # conftest: the variants, one soffice run
    "gnumeric": "gnumeric",  # conftest: the variants, ssconvert
    "printouts": "libreoffice",  # build/test_render: one soffice run to PDF
    "ce_books": "libreoffice",  # model/test_cross_entropy
    "optimizer_books": "libreoffice",  # model/test_optimizers
    "sample_books": "libreoffice",  # model/test_samples
    "checked": "libreoffice",  # check/test_check: hand-made books as written and saved by LibreOffice
    "checked_by_gnumeric": "gnumeric",
    "finder_books": "libreoffice",
    "text_books": "libreoffice",
    "students": "libreoffice",  # check/test_students: the real workbooks (../shared/students)
    "stripped_students": ("libreoffice", "gnumeric"),
    "graded": "libreoffice",  # classroom/test_classroom: one `check --class` run
}


# `make test` and `make test-fast` run the tests on every core (pytest-xdist, -n auto) with the
# scheduler below: each test module goes whole to one worker (its module-scoped fixtures, and module
# state such as test_safety's BUILT, stay in one process), and the modules that use the conftest
# variants, the session's largest build and recalculation, go to one worker together, so that they
# are built and recalculated once. (Not xdist_group markers: pytest 9 ignores the nodeid suffix
# that --dist loadgroup puts on them.) A module missing from the list is still right, only slower.
SESSION_MODULES = {"tests/build/test_look.py", "tests/check/test_verify.py", "tests/xlsx/test_engines.py"}
# and a module of many independent cases, no fixture or state shared, is spread case by case: the blind
# write-ups (test_blind, 300-odd files, 41 s whole on one worker) were the inner loop's longest path, and
# test_writeup and test_cli (15 s and 14 s whole) were the fast tier's last to finish, its wall 61 s
SPREAD_MODULES = {"tests/writeup/test_blind.py", "tests/writeup/test_writeup.py", "tests/test_cli.py"}


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            if module in SPREAD_MODULES:
                return nodeid
            return "variants" if module in SESSION_MODULES else module

    return ByModule(config, log)


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        for name in item.fixturenames:
            marks = ENGINE_FIXTURES.get(name, ())
            for mark in (marks,) if isinstance(marks, str) else marks:
                item.add_marker(mark)


_running: list = []  # the test being set up, run or torn down (its fixtures' setup included)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _running.append(item)
    try:
        return (yield)
    finally:
        _running.pop()


def _guard(module, finder: str, mark: str) -> None:
    """Wrap recalc.soffice / recalc.ssconvert, which every engine run asks for its program: when the
    program found is the real engine and the running test is not marked `mark`, fail the test. A fake
    engine (a test's script, a missing one) starts nothing and stays allowed in the fast tier."""
    found = getattr(module, finder)

    def guarded():
        program = found()
        if _running and not _running[-1].get_closest_marker(mark) and not _fake(program):
            pytest.fail(
                f"{_running[-1].nodeid} starts {mark} without the {mark} marker, so `make test-fast` would run it:"
                f" mark the test @pytest.mark.{mark}, or add its fixture to ENGINE_FIXTURES in tests/conftest.py",
                pytrace=False,
            )
        return program

    guarded.__wrapped__ = found
    setattr(module, finder, guarded)


def _fake(program: str) -> bool:
    """A program that is none of the engines installed when the session began: a test's stand-in."""
    return str(Path(program).resolve()) not in _ENGINES


_ENGINES: set[str] = set()


def pytest_configure(config):
    given = (os.environ.get("SHEETGEN_SOFFICE"), os.environ.get("SHEETGEN_SSCONVERT"))
    found = [shutil.which(p) for p in (*given, "soffice", "libreoffice", "ssconvert") if p]
    _ENGINES.update(str(Path(p).resolve()) for p in found if p)
    if not getattr(recalc.soffice, "__wrapped__", None):
        _guard(recalc, "soffice", "libreoffice")
        _guard(recalc, "ssconvert", "gnumeric")


def shared_absent(folder: Path, what: str, variable: str) -> str:
    """The skip reason of a test that reads the real class material in ../shared/ (beside the clone;
    CI lays a copy there) when that folder is absent."""
    return f"{folder} is absent: {what} (../shared/, beside the clone) are not on this machine; set {variable}"


def need_libreoffice():
    if os.environ.get("SHEETGEN_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice (soffice) is missing: under CI=true its tests must run, not skip")
    pytest.skip("LibreOffice (soffice) is not installed (make test installs it when run as root)")


def carlito() -> dict[str, Path]:
    """Carlito's files by style ("Regular", "Bold", …): the font LibreOffice draws Calibri with, with
    Calibri's metrics. Without it LibreOffice falls back to a font of other widths, and what it
    prints is not what Excel shows: a failure under CI=true, else the test is skipped."""
    need_libreoffice()
    try:
        listed = subprocess.run(["fc-list", ":family=Carlito", "file", "style"], capture_output=True, text=True)
        fonts = {m[2].split(",")[0]: Path(m[1]) for m in re.finditer(r"^(.+?): :style=(.+)$", listed.stdout, re.M)}
    except OSError:
        fonts = {}
    if {"Regular", "Bold", "Italic"} <= fonts.keys():
        return fonts
    if os.environ.get("CI") == "true":
        pytest.fail("the Carlito font is missing (fonts-crosextra-carlito): under CI=true its tests must run")
    pytest.skip("the Carlito font (Calibri's metrics) is not installed (make test installs it when run as root)")


def need_gnumeric():
    if os.environ.get("SHEETGEN_SSCONVERT") or shutil.which("ssconvert"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Gnumeric (ssconvert) is missing: under CI=true its tests must run, not skip")
    pytest.skip("Gnumeric (ssconvert) is not installed (make test installs it when run as root)")


def edit_sheets(src: Path, dst: Path, edit, only: str = r"\d+") -> None:
    """Copy an .xlsx, passing worksheet XML text (every sheet, or sheet number `only`) through edit."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if re.fullmatch(rf"xl/worksheets/sheet{only}\.xml", item.filename):
                data = edit(data.decode()).encode()
            zout.writestr(item, data)


def without_property(src: Path, dst: Path) -> Path:
    """Copy one of our workbooks without the document property that says its network, so `check`
    must read the network off its columns, as it does any hand-made sheet's."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "docProps/custom.xml":
                data, n = re.subn(rb'<property [^>]*name="sheetgen".*?</property>', b"", data, flags=re.S)
                assert n == 1, "no sheetgen property"
            zout.writestr(item, data)
    with zipfile.ZipFile(dst) as z:
        assert b'name="sheetgen"' not in z.read("docProps/custom.xml")
    return dst


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
CHAOTIC = spec.load("era").with_overrides(
    layers=[3, 4, 4, 2], activation="tanh", bias="trainable", seed=3, inputs=[1, 0, 1], iterations=60,
    learning_rates=[1.0],
)  # fmt: skip
CHAOTIC_SLIP = "CS50"  # ∂E_total/∂w19 at iteration 33
ETA_TYPED = (0.7, 0.00001)  # typed into LR 0.1 and LR 0.2
INJECTION = '=HYPERLINK("http://example.invalid","click")'
# a leaky_relu net with fixed biases, its formulas reading every parameter by address: α, b1… and η;
# h2 < 0 throughout, so α (0.2, not the default) counts
CELLS_LEAKY = replace(
    spec.load("era").with_overrides(
        references="cells", activation=["leaky_relu", "sigmoid"], bias="fixed", inputs=[-2, -1], iterations=20,
        learning_rates=[0.5, 2.0],
    ),
    leaky_slope=0.2,
)  # fmt: skip
# a linear net on inputs of 1e-160: E1 = ½(t1 − a_o1)² squares 1e-161, below a double's smallest normal
UNDERFLOW = spec.load("era").with_overrides(
    activation="linear", inputs=[1e-160, 0], targets=[0, 0], iterations=3, learning_rates=[0.5]
)


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

    def typed_initial(xml):  # the first row's w1 (=w_1) typed over with 0.15: w_1 no longer starts the run
        new, n = re.subn(r'(<c r="B18"[^>]*>)<f>w_1</f>', r"\1", xml, count=1)
        assert n == 1
        return new

    def vandalised(xml):  # every weight update climbs instead of descending
        return xml.replace("-eta*", "+eta*")

    def mislabelled(xml):  # the title's formula shows another cell than η
        out, n = re.subn(r'(<c r="A1"[^>]*><f>[^<]*&amp;)eta&amp;', r"\1i_1&amp;", xml)
        assert n == 1, "no title formula naming eta"
        return out

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
    # a chaotic deep net: rounding differences grow along its trajectory, so only a local judgement is fair
    presets["chaotic"] = CHAOTIC
    # text that looks like a formula, from the template: it must stay text through LibreOffice too
    injection = replace(spec.load("era"), description=INJECTION).with_overrides(iterations=3, learning_rates=[0.5])
    presets["injection"] = replace(injection, description=INJECTION)
    # formulas that read the parameters by address, not by sheet-level name
    presets["cells"] = spec.load("era").with_overrides(references="cells")
    presets["cells-leaky"] = CELLS_LEAKY
    presets["underflow"] = UNDERFLOW  # where LibreOffice's ^ and Gnumeric's differ
    for name, s in presets.items():
        out[name] = where / f"{name}.xlsx"
        workbook.build(s, out[name])
    # sheet1 is the Summary; sheet2 is LR 0.1, sheets 2-7 the learning-rate tabs
    edits = {
        "whatif": (whatif, "[2-7]"),
        "broken": (broken, "2"),
        "stale": (stale, r"\d+"),
        "frozen": (frozen, "2"),
        "typed-initial": (typed_initial, "2"),
        "vandalised": (vandalised, "2"),
        "mislabelled": (mislabelled, "2"),
    }
    for name, (edit, sheets) in edits.items():
        out[name] = where / f"{name}.xlsx"
        edit_sheets(era, out[name], edit, sheets)

    def sign_slip(xml):  # one gradient of the chaotic net with its sign flipped, deep in the run
        return re.sub(rf'(<c r="{CHAOTIC_SLIP}"[^>]*><f>)([^<]*)</f>', r"\1-(\2)</f>", xml, count=1)

    # opened and saved by openpyxl without edits: empty <v/> where a formula's result was
    out["openpyxl"] = where / "openpyxl.xlsx"
    openpyxl.load_workbook(era).save(out["openpyxl"])

    out["chaotic-broken"] = where / "chaotic-broken.xlsx"
    edit_sheets(out["chaotic"], out["chaotic-broken"], sign_slip, "2")
    # a user types another η into LR 0.1 and LR 0.2 (B14 is named eta)
    out["eta"] = where / "eta.xlsx"
    edit_sheets(era, where / "eta-1.xlsx", lambda xml: set_cell_value(xml, "B14", ETA_TYPED[0]), "2")
    edit_sheets(where / "eta-1.xlsx", out["eta"], lambda xml: set_cell_value(xml, "B14", ETA_TYPED[1]), "3")

    def cells_slip(xml):  # the broken variant's slip, in a workbook that reads parameters by address
        return replace_formula(xml, "(O18-$B$4)*O18*(1-O18)*K18", "(O18-$B$4)*O18*(1-O18)*M18")

    def cells_param_slip(xml):  # h1 = w1·i1 + w2·i2 + b2 in every row: the wrong bias, by address
        new, n = re.subn(r'(<c r="J\d+"[^>]*><f>[^<]*)\+\$B\$14</f>', r"\1+$B$15</f>", xml)
        assert n == 20, n
        return new

    def initial_slip(xml):  # the first row's w1 reads w2's input cell
        return replace_formula(xml, "$B$6", "$B$7")

    out["cells-broken"] = where / "cells-broken.xlsx"
    edit_sheets(out["cells"], out["cells-broken"], cells_slip, "2")
    out["cells-initial"] = where / "cells-initial.xlsx"
    edit_sheets(out["cells"], out["cells-initial"], initial_slip, "3")
    out["cells-leaky-broken"] = where / "cells-leaky-broken.xlsx"
    edit_sheets(out["cells-leaky"], out["cells-leaky-broken"], cells_param_slip, "3")
    return out


@pytest.fixture(scope="session")
def variants(tmp_path_factory, era) -> dict[str, Path]:
    return _variants(era, tmp_path_factory.mktemp("variants"))


@pytest.fixture(scope="session")
def recalculated(tmp_path_factory, variants) -> dict[str, tuple[Path, recalc.Recalculated]]:
    """name -> (workbook, LibreOffice's recalculation of it), all from one soffice run."""
    need_libreoffice()
    where = tmp_path_factory.mktemp("lo")
    fresh = recalc.recalculate(recalc.strip(list(variants.values()), where), where)
    return {name: (path, f) for (name, path), f in zip(variants.items(), fresh)}


@pytest.fixture(scope="session")
def gnumeric(tmp_path_factory, variants) -> dict[str, tuple[Path, recalc.Recalculated]]:
    """name -> (workbook, Gnumeric's recalculation of it): the same variants, the other engine."""
    need_gnumeric()
    where = tmp_path_factory.mktemp("gnumeric")
    fresh = recalc.recalculate(recalc.strip(list(variants.values()), where), where, engine="gnumeric")
    return {name: (path, f) for (name, path), f in zip(variants.items(), fresh)}


def sheet(fresh: recalc.Recalculated, name: str) -> reader.Sheet:
    """One tab as verify reads it after LibreOffice: formulas' values are LibreOffice's."""
    return verify.recalculated_book(fresh).sheet(name)


@pytest.fixture(scope="session")
def reports(recalculated) -> dict[str, verify.FileReport]:
    return {name: verify.compare(p, f, verify.network(p)) for name, (p, f) in recalculated.items()}


@pytest.fixture(scope="session")
def gnumeric_reports(gnumeric) -> dict[str, verify.FileReport]:
    return {name: verify.compare(p, f, verify.network(p)) for name, (p, f) in gnumeric.items()}

"""`sheetgen report`: a Markdown write-up with pictures, in the spirit of the seeds' READMEs.

The equations come from the same expression trees as the workbook (via the Derivation's rows),
the numbers and curves from the reference evaluator. matplotlib is an optional extra.
"""

import shlex
import sys
from pathlib import Path

from . import derivation, files, reference, summary
from .errors import SheetgenError, WorkbookError
from .layout import Layout
from .spec import Spec

MARK = "<!-- written by sheetgen report: it replaces this file when run again -->"
WIDTH_IN, DPI = 9, 100  # 900 px: readable at GitHub's content width


def write(spec: Spec, outdir, force: bool = False) -> Path:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        # the interpreter that runs sheetgen, whether installed from PyPI, a checkout or a venv
        pip = f"{shlex.quote(sys.executable)} -m pip install 'matplotlib>=3.7'"
        raise SheetgenError(f"sheetgen report needs matplotlib, which is not installed: {pip}") from None
    outdir = Path(outdir)
    readme = outdir / "README.md"
    for path in [readme, outdir / "E_total_all.png", *(outdir / _png(eta) for eta in spec.learning_rates)]:
        files.regular(path)  # never a FIFO (opening one waits forever) or a device, even with --force
    if readme.exists() and not force and MARK not in readme.read_text(encoding="utf-8", errors="replace"):
        raise WorkbookError(f"{readme}: exists and was not written by sheetgen report (use --force)")
    layout = Layout(spec)  # refuses what no workbook could hold, before the folder is made
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WorkbookError(f"{outdir}: cannot write here: {e.strerror}") from None

    losses = {eta: reference.run(spec, eta)["E_total"] for eta in spec.learning_rates}
    iterations = range(1, spec.iterations + 1)
    pictures = []
    for eta, e_total in losses.items():
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 4), dpi=DPI)
        ax.plot(iterations, e_total, color="#C00000", linewidth=2)
        ax.set(title=f"E_total, η = {eta!r}", xlabel="Iteration", ylabel="E_total")
        ax.grid(alpha=0.3)
        pictures.append((f"E_total, η = {eta!r}", _save(fig, outdir / _png(eta), plt)))
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH_IN * 1.33, 4.5), dpi=DPI)
    for ax, log in zip(axes, (False, True)):
        for eta, e_total in losses.items():
            ax.plot(iterations, e_total, linewidth=1.75, label=f"η = {eta!r}")
        ax.set(title="E_total, every η" + (" (log scale)" if log else ""), xlabel="Iteration", ylabel="E_total")
        ax.set_yscale("log" if log else "linear")
        ax.grid(alpha=0.3)
    axes[1].legend(fontsize=9)
    all_in_one = _save(fig, outdir / "E_total_all.png", plt)

    try:
        readme.write_text(_markdown(spec, layout, losses, pictures, all_in_one), encoding="utf-8")
    except OSError as e:
        raise WorkbookError(f"{readme}: cannot write: {e.strerror}") from None
    return readme


def _png(eta: float) -> str:
    return f"E_total_LR_{eta!r}.png"


def _save(fig, path: Path, plt) -> str:
    fig.tight_layout()
    try:
        fig.savefig(path)
    except OSError as e:
        raise WorkbookError(f"{path}: cannot write: {e.strerror}") from None
    finally:
        plt.close(fig)
    return path.name


def _markdown(spec: Spec, layout: Layout, losses, pictures, all_in_one) -> str:
    net = " → ".join(str(n) for n in spec.layers)
    acts = ", ".join(spec.activations)
    rows = derivation.rows(spec, layout)
    out = [
        MARK,
        f"# Backpropagation by hand: {spec.description}",
        "",
        f"A fully connected network with layers {net} (inputs first), activations {acts}, biases: "
        f"{spec.bias}; loss E = ½·Σ(t − a)². Inputs {list(spec.inputs)}, targets {list(spec.targets)}, "
        f"{spec.iterations} iterations of gradient descent for each learning rate η.",
        "",
    ]
    in_block = False
    for quantity, equation, steps, tree in rows:
        if tree is None:  # a section: its equations go in one code block
            out += ["```", ""] if in_block else []
            out += [f"## {quantity}", "", "```"]
            in_block = True
            continue
        out.append(f"{quantity} = {equation}")
        if steps:
            out.append(f"    step by step: {quantity} = {steps}")
    out += ["```"] if in_block else []
    out += ["", "## E_total for each learning rate", ""]
    out += [f"![{title}]({name})" for title, name in pictures]
    out += ["", "## All learning rates together", "", f"![E_total, every η]({all_in_one})", ""]
    out += [
        "## Final losses",
        "",
        f"| η | E_total at iteration 1 | E_total at iteration {spec.iterations} "
        f"| first iteration below 1 % of the start | #NUM! from |",
        "|---:|---:|---:|---:|---:|",
    ]
    for eta, e_total in losses.items():
        below, num_from = summary.stats(e_total, summary.THRESHOLD)
        out.append(f"| {eta!r} | {e_total[0]:.6g} | {e_total[-1]:.6g} | {below} | {num_from} |")
    out += ["", _what_it_shows(spec, losses), ""]
    out += [
        "The workbook this report describes (`sheetgen build`) computes every number above with live "
        "formulas; `sheetgen verify` recalculates it in LibreOffice and compares each cell with the reference.",
        "",
    ]
    return "\n".join(out)


def _what_it_shows(spec: Spec, losses) -> str:
    final = {eta: e[-1] for eta, e in losses.items() if e[-1] == e[-1]}
    diverged = [eta for eta, e in losses.items() if e[-1] != e[-1]]
    text = []
    if final:
        best = min(final, key=final.get)
        worst = max(final, key=final.get)
        start = next(iter(losses.values()))[0]
        text.append(
            f"All runs start from the same loss, {start:.6g}. After {spec.iterations} iterations the "
            f"smallest loss is {final[best]:.3g} at η = {best!r} and the largest {final[worst]:.3g} at "
            f"η = {worst!r}: "
        )
        ordered = sorted(final)
        monotone = all(final[a] >= final[b] for a, b in zip(ordered, ordered[1:]))
        text.append(
            "within this range, a larger step size lowers the loss faster, every time."
            if monotone
            else "a larger step size is not always better here — past some η the steps overshoot."
        )
    if diverged:
        text.append(f" With η = {', '.join(map(repr, diverged))} the run diverges: the loss overflows to #NUM!.")
    return "".join(text)

"""`sheetgen report`: a Markdown write-up with pictures, in the spirit of the seeds' READMEs.

The equations come from the same expression trees as the workbook (via the Derivation's rows),
the numbers and curves from the reference evaluator. matplotlib is an optional extra.
"""

import re
import shlex
import sys
from pathlib import Path

from sheetgen import files
from sheetgen.build import derivation, summary
from sheetgen.build.layout import Layout
from sheetgen.errors import SheetgenError, WorkbookError
from sheetgen.model import names, reference
from sheetgen.model.spec import Spec

MARK = "<!-- written by sheetgen report: it replaces this file when run again -->"
OURS = re.compile(r"E_total_(LR_[^/\\]+|all)\.png")  # the names report gives its pictures
SIGNATURE = "sheetgen report"  # each picture's Software: what it may replace again without --force
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
    files.may_write_in(readme)  # not under a file, nor among devices
    for path in [readme, outdir / "E_total_all.png", *(outdir / _png(eta) for eta in spec.learning_rates)]:
        files.regular(path)  # never a FIFO (opening one waits forever) or a device, even with --force
    before = readme.read_text(encoding="utf-8", errors="replace") if readme.is_file() else ""
    if readme.exists() and not force and MARK not in before:
        raise WorkbookError(f"{readme}: exists and was not written by sheetgen report (use --force)")
    # the pictures our previous report here showed: those this one does not redraw are removed
    # after it is written (never a file that report did not name, nor one not named as ours)
    stale = set(re.findall(r"\]\(([^()/\\]+\.png)\)", before)) if MARK in before else set()
    for path in [outdir / "E_total_all.png", *(outdir / _png(eta) for eta in spec.learning_rates)]:
        if path.exists() and not force and not _our_picture(path, path.name in stale):  # the user's, by our name
            raise WorkbookError(f"{path}: exists and was not drawn by sheetgen report; not replacing it "
                                "(use --force, or another -o)")  # fmt: skip
    layout = Layout(spec)  # refuses what no workbook could hold, before the folder is made
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WorkbookError(f"{outdir}: cannot write here: {e.strerror}") from None

    losses = {eta: reference.run(spec, eta)[names.E_TOTAL] for eta in spec.learning_rates}
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

    text = _markdown(spec, layout, losses, pictures, all_in_one)
    files.atomic(readme, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    for name in stale - {name for _, name in pictures} - {all_in_one}:
        if OURS.fullmatch(name) and _our_picture(outdir / name, True):
            (outdir / name).unlink(missing_ok=True)
    return readme


def _our_picture(path: Path, shown: bool = False) -> bool:
    """A PNG drawn by sheetgen report: its signature, a text chunk before the image data; or, `shown` by
    our previous README here, one drawn before pictures were signed (matplotlib's own signature)."""
    try:
        with open(path, "rb") as f:
            head = f.read(1 << 12)
    except OSError:
        return False
    return head.startswith(b"\x89PNG") and (SIGNATURE.encode() in head or shown and b"Matplotlib version" in head)


def _png(eta: float) -> str:
    return f"E_total_LR_{eta!r}.png"


def _save(fig, path: Path, plt) -> str:
    fig.tight_layout()
    try:
        files.atomic(path, lambda tmp: fig.savefig(tmp, format="png", metadata={"Software": SIGNATURE}))
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
        f"{spec.bias}; {_loss(spec)}. {_data(spec)}, "
        f"{spec.iterations} iterations of {derivation.OPTIMIZER_TITLES[spec.optimizer]} for each learning rate η"
        + (f" ({', '.join(f'{label} = {x!r}' for label, x in spec.settings)})." if spec.settings else "."),
        "",
    ]
    in_block = False
    for quantity, equation, steps, tree in rows:
        if tree is None and not equation:  # a section: its equations go in one code block
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


def _loss(spec: Spec) -> str:
    if spec.loss == "cross_entropy":
        return "loss E = −Σ t·ln p (cross-entropy), p the softmax of the output layer's o1, o2, …"
    return "loss E = ½·Σ(t − a)²"


def _data(spec: Spec) -> str:
    if spec.n_samples == 1:
        return f"Inputs {list(spec.inputs)}, targets {list(spec.targets)}"
    pairs = "; ".join(f"{list(x)} → {list(t)}" for x, t in spec.data())
    how = (
        "online: one sample an iteration, in order, cycling"
        if spec.online
        else "full batch: E_total is the mean of the samples' losses, and each step follows its gradient"
    )
    return f"{spec.n_samples} samples (inputs → targets: {pairs}), {how}"


def _what_it_shows(spec: Spec, losses) -> str:
    final = {eta: e[-1] for eta, e in losses.items() if e[-1] == e[-1]}
    diverged = {eta: summary.stats(e, summary.THRESHOLD)[1] for eta, e in losses.items() if e[-1] != e[-1]}
    text = []
    if len(final) == 1:  # nothing to compare it with
        (eta, loss), start = next(iter(final.items())), losses[next(iter(final))][0]
        text.append(f"After {spec.iterations} iterations at η = {eta!r} the loss is {loss:.3g}, from {start:.6g}.")
    elif final:
        best = min(final, key=final.get)
        worst = max(final, key=final.get)
        start = losses[best][0]
        text.append(
            f"All runs start from the same loss, {start:.6g}. After {spec.iterations} iterations the "
            f"smallest loss is {final[best]:.3g} at η = {best!r} and the largest {final[worst]:.3g} at "
            f"η = {worst!r}: "
        )
        ordered = sorted(final)
        monotone = all(final[a] >= final[b] for a, b in zip(ordered, ordered[1:]))
        text.append(
            "within this range, each larger step size ends with a lower loss."
            if monotone
            else "a larger step size is not always better here — past some η the steps overshoot."
        )
    for eta, n in diverged.items():
        text.append(f" With η = {eta!r} the run diverges: the loss overflows to #NUM! from iteration {n}.")
    return "".join(text).strip()

"""Stage 3: where everything sits on a tab. The only module that knows A1 addresses.

row 1          title
rows 2..15     parameter block: label | named input cell | note, in groups of 14 rows
               side by side; the chart sits to the right of the last group. Formulas read
               the input cells by their sheet-level names (t_1, eta), or with
               references = "cells" by their absolute addresses ($B$4, $B$15)
header row     Iteration, (online: sample, i1.., t1..,) w1.., b1.. (trainable), h1, a_h1.., E1..,
               E_total, ∂E_total/∂a_… (backwards), ∂E_total/∂w1.., ∂E_total/∂b1.. — with several
               samples a row, each sample's h1[s] … ∂E_total/∂w1[s] and then the batch's E_total,
               ∂E_total/∂w1..; the optimizer's state
below          one row per iteration; panes frozen under the header
"""

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from sheetgen.errors import SpecError
from sheetgen.model import names
from sheetgen.model.spec import EXCEL_ROWS, Spec

EXCEL_COLUMNS = 16_384
EXCEL_FORMULA = 8_192  # characters in one formula; Excel will not open a file with a longer one

GROUP_ROWS = 14  # parameters per column group
GROUP_COLS = 4  # label, value, note, gap
BAND_ROWS = 15  # title + one group: also the chart's height in rows
ROW_PX = 20  # Excel's default row height (15 pt)
CHART_ROW = 1  # the chart's top row: the title's row is left to the title
PAGE_ROWS = 120  # printed, at most this many rows to a page: a default tab (117 rows) is one page


def print_pages(rows: int) -> int:
    """How many pages tall a tab of `rows` rows prints (it is always one page wide)."""
    return -(-rows // PAGE_ROWS)


SETTING_NOTES = {
    names.MOMENTUM: "momentum (SGD)",
    names.SMOOTHING: "smoothing constant (RMSprop's alpha)",
    names.BETA_1: "decay of exp_avg (Adam's betas[0])",
    names.BETA_2: "decay of exp_avg_sq (Adam's betas[1])",
    names.EPS: "eps, added to the root",
}


@dataclass(frozen=True)
class ParamCell:
    label: str  # as the seeds write it: i1, w5, η
    note: str
    row: int
    col: int  # of the label; the named value is one to the right

    @property
    def name(self) -> str:
        """The sheet-level defined name of its value cell (i_1, w_5, eta)."""
        return names.defined(self.label)


class Layout:
    def __init__(self, spec: Spec):
        self.iterations = spec.iterations
        self.references = spec.references
        inputs = [names.input_(i) for i in range(1, spec.layers[0] + 1)]
        targets = [names.target(j) for j in range(1, spec.layers[-1] + 1)]
        n = spec.n_samples
        if n == 1:
            params = [(q, "input") for q in inputs] + [(q, "target") for q in targets]
        else:  # sample by sample, as a data table reads: i1[1], i2[1], t1[1], i1[2], …
            params = [
                (names.sampled(q, s), f"sample {s} {'input' if q in inputs else 'target'}")
                for s in range(1, n + 1)
                for q in inputs + targets
            ]
        for k, layer, j, i in spec.connections():
            sender = spec.neuron(0, i) if layer == 1 else names.act(spec.neuron(layer - 1, i))
            params.append((names.weight(k), f"{sender} → {spec.neuron(layer, j)}"))
        for (layer, j), k in spec.bias_of().items():
            params.append((names.bias(k), f"→ {spec.neuron(layer, j)} ({spec.bias})"))
        if "leaky_relu" in spec.activations:
            params.append((names.ALPHA, "leaky_relu slope"))
        params.append((names.ETA, "learning rate"))
        params += [(label, SETTING_NOTES[label]) for label, _ in spec.settings]
        self.params = [
            ParamCell(label, note, 1 + n % GROUP_ROWS, GROUP_COLS * (n // GROUP_ROWS))
            for n, (label, note) in enumerate(params)
        ]
        self.chart_col = self.params[-1].col + GROUP_COLS
        self._by_name = {p.name: p for p in self.params}

        hidden = [
            [spec.neuron(layer, j) for j in range(spec.layers[layer])] for layer in range(1, len(spec.layers) - 1)
        ]
        weights = [names.weight(k) for k, *_ in spec.connections()]
        biases = [names.bias(k) for k in spec.bias_of().values()] if spec.bias == "trainable" else []
        # online: the row's sample, and its inputs and targets, come first
        columns = [names.ITERATION, *([names.SAMPLE, *inputs, *targets] if spec.online else []), *weights, *biases]
        block = []  # one sample's forward and backward pass
        for layer in range(1, len(spec.layers)):
            for j in range(spec.layers[layer]):
                block += [spec.neuron(layer, j), names.act(spec.neuron(layer, j))]
        block += [names.loss(j) for j in range(1, spec.layers[-1] + 1)] + [names.E_TOTAL]
        # the backward pass: ∂E_total/∂a of the last hidden layer first, each layer needing the one after it
        block += [names.grad(names.act(h)) for layer in reversed(hidden) for h in layer]
        block += [names.grad(p) for p in weights + biases]
        if n == 1 or spec.online:
            columns += block
        else:  # every sample's block, h1[1] … ∂E_total/∂w1[1], h1[2] …; then the batch's mean loss and gradient
            columns += [names.sampled(q, s) for s in range(1, n + 1) for q in block]
            columns += [names.E_TOTAL] + [names.grad(p) for p in weights + biases]
        # the optimizer's state after this row's gradient, one column per parameter and kind
        columns += [names.state(kind, p) for kind in names.STATE[spec.optimizer] for p in weights + biases]
        self.columns = tuple(columns)
        self._col = {name: c for c, name in enumerate(columns)}
        if len(columns) > EXCEL_COLUMNS:  # xlsxwriter would drop the cells beyond, silently
            raise SpecError(
                f"{spec.where('network.layers')}: {list(spec.layers)} needs {len(columns):,} columns; "
                f"a sheet has {EXCEL_COLUMNS:,}: make the layers narrower"
            )

        self.header_row = BAND_ROWS + 1
        self.first_row = self.header_row + 1
        self.last_row = self.first_row + spec.iterations - 1
        if self.last_row >= EXCEL_ROWS:
            room = EXCEL_ROWS - self.first_row
            raise SpecError(
                f"{spec.where('iterations')}: {spec.iterations:,} rows do not fit below the "
                f"{self.first_row}-row header band (Excel has {EXCEL_ROWS:,} rows): at most {room:,}"
            )

    # -- addresses ---------------------------------------------------------------------------
    def col(self, name: str) -> int:
        return self._col[name]

    def row(self, iteration: int) -> int:
        """0-based sheet row of iteration n (1-based)."""
        return self.first_row + iteration - 1

    def param_cell(self, param: ParamCell) -> str:
        return xl_rowcol_to_cell(param.row, param.col + 1, row_abs=True, col_abs=True)

    def param(self, label: str) -> ParamCell:
        return next(p for p in self.params if p.label == label)

    def parameter(self, name: str) -> str:
        """How a formula reads a parameter's input cell, given its defined name (t_1, eta): by that
        name, or with references = "cells" by the cell's absolute address ($B$4), which any reader
        computes (many cannot read sheet-level names)."""
        return self.param_cell(self._by_name[name]) if self.references == "cells" else name

    def ref_template(self, name: str, previous: bool) -> str:
        """A same-row (or previous-row) reference as a template: `B{r}` / `B{p}`, filled per row."""
        return xl_col_to_name(self._col[name]) + ("{p}" if previous else "{r}")

    @staticmethod
    def row_numbers(row: int) -> dict[str, int]:
        """What fills the templates of 0-based sheet row `row`: {r} its A1 row number, {p} the one
        above. Built once per row; then template.format_map(it) per cell."""
        return {"r": row + 1, "p": row}

    def last_row_drawn(self, first_error: int | None) -> int:
        """The last row a chart's line takes E_total from: the last number before a tab's first #NUM!
        (Excel and LibreOffice draw an error cell as 0: the line would fall to 0 where the run
        overflows), at least the first row."""
        return self.last_row if first_error is None else self.row(max(1, first_error - 1))

    def chart_size(self) -> tuple[int, int]:
        """Below the title's row (which its text runs along) down to the table's header."""
        return 640, (BAND_ROWS - CHART_ROW) * ROW_PX

"""Stage 3: where everything sits on a tab. The only module that knows A1 addresses.

row 1          title
rows 2..15     parameter block: label | named input cell | note, in groups of 14 rows
               side by side; the chart sits to the right of the last group
header row     Iteration, w1.., b1.. (trainable), h1, a_h1.., E1.., E_total,
               ∂E_total/∂a_… (backwards), ∂E_total/∂w1.., ∂E_total/∂b1..
below          one row per iteration; panes frozen under the header
"""

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from .errors import SpecError
from .spec import EXCEL_ROWS, Spec

EXCEL_COLUMNS = 16_384
EXCEL_FORMULA = 8_192  # characters in one formula; Excel will not open a file with a longer one

ETA = "eta"
ALPHA = "alpha"  # leaky_relu's slope below zero
GROUP_ROWS = 14  # parameters per column group
GROUP_COLS = 4  # label, value, note, gap
BAND_ROWS = 15  # title + one group: also the chart's height in rows
ROW_PX = 20  # Excel's default row height (15 pt)


def input_name(i: int) -> str:
    """Defined names carry an underscore: Excel forbids names that look like addresses (i1)."""
    return f"i_{i + 1}"


def target_name(j: int) -> str:
    return f"t_{j + 1}"


def weight_name(k: int) -> str:
    return f"w_{k}"


def bias_name(k: int) -> str:
    return f"b_{k}"


def grad(name: str) -> str:
    return f"∂E_total/∂{name}"


@dataclass(frozen=True)
class Param:
    name: str  # the sheet-level defined name
    label: str  # as the seeds write it
    note: str
    row: int
    col: int  # of the label; the named value is one to the right


class Layout:
    def __init__(self, spec: Spec):
        self.iterations = spec.iterations
        params = [(input_name(i), f"i{i + 1}", "input") for i in range(spec.layers[0])]
        params += [(target_name(j), f"t{j + 1}", "target") for j in range(spec.layers[-1])]
        for k, layer, j, i in spec.connections():
            sender = spec.neuron(0, i) if layer == 1 else f"a_{spec.neuron(layer - 1, i)}"
            params.append((weight_name(k), f"w{k}", f"{sender} → {spec.neuron(layer, j)}"))
        for (layer, j), k in spec.bias_of().items():
            params.append((bias_name(k), f"b{k}", f"→ {spec.neuron(layer, j)} ({spec.bias})"))
        if "leaky_relu" in spec.activations:
            params.append((ALPHA, "α", "leaky_relu slope"))
        params.append((ETA, "η", "learning rate"))
        self.params = [
            Param(name, label, note, 1 + n % GROUP_ROWS, GROUP_COLS * (n // GROUP_ROWS))
            for n, (name, label, note) in enumerate(params)
        ]
        self.chart_col = self.params[-1].col + GROUP_COLS

        hidden = [
            [spec.neuron(layer, j) for j in range(spec.layers[layer])] for layer in range(1, len(spec.layers) - 1)
        ]
        weights = [f"w{k}" for k, *_ in spec.connections()]
        biases = [f"b{k}" for k in spec.bias_of().values()] if spec.bias == "trainable" else []
        columns = ["Iteration", *weights, *biases]
        for layer in range(1, len(spec.layers)):
            for j in range(spec.layers[layer]):
                columns += [spec.neuron(layer, j), f"a_{spec.neuron(layer, j)}"]
        columns += [f"E{j + 1}" for j in range(spec.layers[-1])] + ["E_total"]
        # the backward pass: ∂E_total/∂a of the last hidden layer first, each layer needing the one after it
        columns += [grad(f"a_{h}") for layer in reversed(hidden) for h in layer]
        columns += [grad(p) for p in weights + biases]
        self.columns = tuple(columns)
        self._col = {name: c for c, name in enumerate(columns)}
        if len(columns) > EXCEL_COLUMNS:  # xlsxwriter would drop the cells beyond, without a word
            raise SpecError(
                f"{spec.where('network.layers')}: {list(spec.layers)} needs {len(columns):,} columns a tab; "
                f"Excel has {EXCEL_COLUMNS:,}"
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

    def param_cell(self, param: Param) -> str:
        return xl_rowcol_to_cell(param.row, param.col + 1, row_abs=True, col_abs=True)

    def ref_template(self, name: str, previous: bool) -> str:
        """A same-row (or previous-row) reference as a template: `B{r}` / `B{p}`, filled per row."""
        return xl_col_to_name(self._col[name]) + ("{p}" if previous else "{r}")

    @staticmethod
    def row_numbers(row: int) -> dict[str, int]:
        """What fills the templates of 0-based sheet row `row`: {r} its A1 row number, {p} the one
        above. Built once per row; then template.format_map(it) per cell."""
        return {"r": row + 1, "p": row}

    def chart_size(self) -> tuple[int, int]:
        return 640, BAND_ROWS * ROW_PX

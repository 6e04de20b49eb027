"""The Summary tab, first in the workbook: every learning rate side by side, all live formulas.

row 1      title
row 2      the workbook's description (every tab's title ends with it)
row 3      threshold: a fraction of each tab's starting loss (input cell, named `threshold`
           unless references = "cells")
row 5      tab | η | E_total at iteration 1 | … at iteration N | first iteration below threshold
           | E_total #NUM! from | w1 (last row) … | chart label ("η = 0.1": the legend here, and
           the title of the tab's own chart)
below      one row per learning-rate tab; then two charts of E_total, one with a log y axis
"""

import math
from decimal import Decimal

from xlsxwriter.utility import xl_rowcol_to_cell

from sheetgen.build import metrics
from sheetgen.build.layout import Layout
from sheetgen.model import names

NAME = "Summary"
THRESHOLD = 0.01  # default: 1 % of the starting loss
THRESHOLD_CELL = (2, 1)
HEADER_ROW = 4
NEVER, NO = "never", "no"
DESCRIPTION_CELL = (1, 0)
LABEL = "chart label"
CHART = (620, 360)  # each chart's width and height in pixels


def columns(layout: Layout, iterations: int) -> list[str]:
    weights = [name for name in layout.columns if names.is_param(name)]
    return [
        "tab",
        "η",
        "E_total at iteration 1",
        f"E_total at iteration {iterations}",
        "first iteration below threshold",
        "E_total #NUM! from",
        *[f"{w} (last row)" for w in weights],
        LABEL,
    ]


def label_cell(layout: Layout, iterations: int, n: int) -> tuple[str, int, int]:
    """(sheet, row, col) of the n-th tab's chart label ("η = 0.1"), a live caption of its η."""
    return NAME, HEADER_ROW + 1 + n, len(columns(layout, iterations)) - 1


def caption(eta: float) -> str:
    """How a tab names its η, in its title and on its chart: what the sheet's `"η = "&eta` shows."""
    return f"η = {general(eta)}"


def general(x: float) -> str:
    """A number as Excel turns it into text (General): at most 15 significant digits, 2 for 2.0,
    0.00001 written out. LibreOffice agrees in the usual range and differs far out (1E-016 for
    1E-16), so verify reads a caption by its number, not its letters."""
    text = f"{x:.15g}"
    if "e" in text and 1e-9 <= abs(x) < 1e15:
        text = format(Decimal(text), "f")
    return text.upper()


def stats(e_total: list[float], fraction: float) -> tuple:
    """(first iteration with E_total < fraction·E_total(1), first iteration with E_total #NUM!),
    as the sheet's MATCH formulas count them (1-based; NaN stands for #NUM!)."""
    start = e_total[0]
    below = next((n for n, e in enumerate(e_total, 1) if start == start and e == e and e < fraction * start), NEVER)
    num_from = next((n for n, e in enumerate(e_total, 1) if e != e), NO)
    return below, num_from


def expected_row(header: str, eta: float, trace: dict[str, list[float]], fraction: float):
    """What the Summary shows in column `header` for one tab, from that tab's reference trace."""
    e_total = trace[names.E_TOTAL]
    if header == "η":
        return eta
    if header == LABEL:
        return caption(eta)
    if header == "E_total at iteration 1":
        return e_total[0]
    if header.startswith("E_total at iteration "):
        return e_total[-1]
    if header == "first iteration below threshold":
        return stats(e_total, fraction)[0]
    if header == "E_total #NUM! from":
        return stats(e_total, fraction)[1]
    return trace[header.removesuffix(" (last row)")][-1]


def write(wb, ws, layout: Layout, tabs, iterations: int, fmt, description: str) -> None:
    """`tabs`: (sheet name, η, trace with at least E_total and the last row's weights) per tab.
    `description`: the workbook's, which every tab's title shows after its η."""
    threshold = _head(wb, ws, layout, fmt, description)
    headers = columns(layout, iterations)
    # what each column shows, for its width: (text, Calibri style)
    shows = [[(header, "bold")] for header in headers]
    shows[0] += [("threshold", "bold")]
    shows[1] += [(metrics.shown(THRESHOLD), "regular")]
    for c, header in enumerate(headers):
        ws.write_string(HEADER_ROW, c, header, fmt["header"])
    for n, (tab, eta, trace) in enumerate(tabs):
        row = HEADER_ROW + 1 + n
        formulas = _formulas(layout, headers, tab, row, iterations, threshold)
        ws.write_string(row, 0, tab, fmt["label"])
        shows[0].append((tab, "bold"))
        for c, header in enumerate(headers[1:], 1):
            value = expected_row(header, eta, trace, THRESHOLD)
            value = "#NUM!" if value != value else value
            text = formulas[header]
            kind = "loss" if header.startswith("E_total at") else "value"
            kind = "iteration" if header in ("first iteration below threshold", "E_total #NUM! from") else kind
            cell_fmt = fmt["huge" if kind == "value" and metrics.huge(value) else kind]
            num_format, style = metrics.CELLS[kind]
            shows[c].append((metrics.shown(value, num_format), style))
            if header == LABEL:  # text, standing off the number before it
                cell_fmt = fmt["text"]
                shows[c][-1] = (metrics.INDENT + value, "regular")
            if text.startswith("{"):
                ws.write_array_formula(row, c, row, c, text, cell_fmt, value)
            else:
                ws.write_formula(row, c, text, cell_fmt, value)

    for c, texts in enumerate(shows):
        ws.set_column(c, c, metrics.fit(texts))
    ws.set_landscape()
    ws.fit_to_pages(1, 1)  # printed: the table and both charts on one page
    below = HEADER_ROW + len(tabs) + 2
    for n, log in enumerate((False, True)):
        # side by side, placed in pixels (xlsxwriter finds the cell): whatever the columns' widths
        ws.insert_chart(below, 0, _chart(wb, layout, tabs, log), {"x_offset": 4 + n * (CHART[0] + 16), "y_offset": 4})


def _head(wb, ws, layout: Layout, fmt, description: str) -> str:
    """The title, the description and the threshold; how the formulas read the threshold."""
    ws.write_string(0, 0, "Summary — E_total for every learning rate (all cells live: edit any tab and it follows)",
                    fmt["title"])  # fmt: skip
    # template text goes in as a string, never as a formula, whatever it looks like
    ws.write_string(*DESCRIPTION_CELL, description, fmt["note"])
    ws.write_string(THRESHOLD_CELL[0], 0, "threshold", fmt["label"])
    ws.write_number(*THRESHOLD_CELL, THRESHOLD, fmt["input"])
    ws.write_string(THRESHOLD_CELL[0], 2, "fraction of each tab's E_total at iteration 1", fmt["note"])
    threshold = xl_rowcol_to_cell(*THRESHOLD_CELL, True, True)
    if layout.references == "names":
        wb.define_name(f"'{NAME}'!threshold", f"='{NAME}'!{threshold}")
        threshold = "threshold"
    return threshold


def _formulas(layout: Layout, headers: list[str], tab: str, row: int, iterations: int, threshold: str) -> dict:
    """Each column's formula in `tab`'s row of the table, by header."""
    loss, first, last = layout.col(names.E_TOTAL), layout.first_row, layout.last_row

    def ref(r, c):
        return f"'{tab}'!{xl_rowcol_to_cell(r, c, True, True)}"

    losses = f"'{tab}'!{xl_rowcol_to_cell(first, loss, True, True)}:{xl_rowcol_to_cell(last, loss, True, True)}"
    formulas = {
        "η": f"='{tab}'!{layout.param_cell(layout.param(names.ETA))}",
        "E_total at iteration 1": f"={ref(first, loss)}",
        f"E_total at iteration {iterations}": f"={ref(last, loss)}",
        # array formulas: the first row whose loss meets the test, counted from 1
        "first iteration below threshold": (
            f'{{=IFERROR(MATCH(TRUE,IFERROR({losses}<{threshold}*{ref(first, loss)},FALSE),0),"{NEVER}")}}'
        ),
        "E_total #NUM! from": f'{{=IFERROR(MATCH(TRUE,ISERROR({losses}),0),"{NO}")}}',
        # the η beside it, as text: it follows an η typed into the tab
        LABEL: f'="η = "&{xl_rowcol_to_cell(row, headers.index("η"))}',
    }
    # the other columns: the last row's value of the tab's column
    return formulas | {
        h: f"={ref(last, layout.col(h.removesuffix(' (last row)')))}" for h in headers[1:] if h not in formulas
    }


def _chart(wb, layout: Layout, tabs, log: bool):
    chart = wb.add_chart({"type": "line"})
    loss = layout.col(names.E_TOTAL)
    for n, (tab, eta, trace) in enumerate(tabs):
        first_error = stats(trace[names.E_TOTAL], THRESHOLD)[1]
        last = layout.last_row_drawn(None if first_error == NO else first_error)
        chart.add_series(
            {
                "name": list(label_cell(layout, layout.iterations, n)),  # follows the tab's η
                "name_data": [caption(eta)],  # what a reader that does not recalculate shows
                "categories": [tab, layout.first_row, 0, layout.last_row, 0],
                "values": [tab, layout.first_row, loss, last, loss],  # up to its last number
                "line": {"width": 1.75},
            }
        )
    title = "E_total by learning rate" + (" (log scale)" if log else "")
    chart.set_title({"name": title, "name_font": {"size": 12}})
    chart.set_x_axis({"name": "Iteration", "interval_unit": max(1, layout.iterations // 10)})
    y_axis = {"name": "E_total", "major_gridlines": {"visible": True}}
    largest = max((e for _, _, trace in tabs for e in trace[names.E_TOTAL] if e == e), default=0.0)
    linear = "0.0E+00" if largest >= metrics.HUGE else "0.0000"  # 1e150 written out is 151 digits wide
    chart.set_y_axis(y_axis | ({"log_base": 10, "num_format": "0.0E+00"} if log else {"num_format": linear}))
    chart.set_legend({"position": "right"})
    chart.set_size({"width": CHART[0], "height": CHART[1]})
    return chart


def trace_of(table) -> dict[str, list[float]]:
    """A recalculated table's columns, quantity -> one value per iteration (an error is NaN)."""
    sheet = table.sheet
    return {
        q: [x if isinstance(x := sheet.value(r, c), float) else math.nan for r in table.rows]
        for q, c in table.columns.items()
    }

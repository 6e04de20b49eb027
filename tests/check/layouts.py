"""The blind corpus of issue #21: 22 hand-made-style layouts of the "backpropagation by hand" workbook,
written with openpyxl by someone who had not read how `check` reads sheets (only README.md and
docs/workbook.md), each once clean and once per planted slip (27 slips) — and only then run through
`check` (tests/check/test_layouts.py).

A slip replaces one quantity's formula from iteration k0 on (copied down, or right in the transposed
layout), so its first wrong cell is known: `build(folder)` returns the labels. Every clean workbook
was verified when it was written by recalculating it in LibreOffice and comparing every quantity of
every iteration with `reference` below (largest difference 4.9e-15).
"""

import math
import os
import re

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter as CL
from openpyxl.workbook.defined_name import DefinedName

W0 = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]
WS = [f"w{j}" for j in range(1, 9)]
GS = [f"g{j}" for j in range(1, 9)]
NWS = [f"nw{j}" for j in range(1, 9)]
FWD = ["h1", "a_h1", "h2", "a_h2", "o1", "a_o1", "o2", "a_o2"]
ERR = ["E1", "E2", "E_total"]
STD = ["it"] + WS + FWD + ERR + GS  # the plain forward-order table
DEFAULT = dict(i1=0.05, i2=0.1, t1=0.5, t2=0.5)

# quantity key -> plain name used in labels.json
PLAIN = {
    **{w: w for w in WS},
    **{q: q for q in FWD + ERR},
    **{f"g{j}": f"∂E_total/∂w{j}" for j in range(1, 9)},
    **{f"nw{j}": f"w{j}" for j in range(1, 9)},
    "d_o1": "δo1",
    "d_o2": "δo2",
    "dah1": "∂E_total/∂a_h1",
    "dah2": "∂E_total/∂a_h2",
    "sp1": "σ′(h1)",
    "sp2": "σ′(h2)",
    "it": "iteration",
}

SIG = {"std": "1/(1+EXP(-§))", "tanh": "0.5*(1+TANH(§/2))", "exp": "EXP(§)/(1+EXP(§))"}


def templates(sig="std", helpers=()):
    """Formula templates: {q} = quantity q in this iteration, {q@-1} = previous iteration,
    {$p} = parameter p (absolute), {$p~} = parameter p referenced relatively (shifts when copied)."""

    def s(x):
        return SIG[sig].replace("§", "{" + x + "}")

    T = {
        "h1": "{w1}*{$i1}+{w2}*{$i2}",
        "h2": "{w3}*{$i1}+{w4}*{$i2}",
        "a_h1": s("h1"),
        "a_h2": s("h2"),
        "o1": "{w5}*{a_h1}+{w6}*{a_h2}",
        "o2": "{w7}*{a_h1}+{w8}*{a_h2}",
        "a_o1": s("o1"),
        "a_o2": s("o2"),
        "E1": "0.5*({$t1}-{a_o1})^2",
        "E2": "0.5*({$t2}-{a_o2})^2",
        "E_total": "{E1}+{E2}",
        "d_o1": "({a_o1}-{$t1})*{a_o1}*(1-{a_o1})",
        "d_o2": "({a_o2}-{$t2})*{a_o2}*(1-{a_o2})",
        "sp1": "{a_h1}*(1-{a_h1})",
        "sp2": "{a_h2}*(1-{a_h2})",
    }
    d1 = "{d_o1}" if "d_o" in helpers else T["d_o1"]
    d2 = "{d_o2}" if "d_o" in helpers else T["d_o2"]
    T["dah1"] = d1 + "*{w5}+" + d2 + "*{w7}"
    T["dah2"] = d1 + "*{w6}+" + d2 + "*{w8}"
    a1 = "{dah1}" if "dah" in helpers else "(" + T["dah1"] + ")"
    a2 = "{dah2}" if "dah" in helpers else "(" + T["dah2"] + ")"
    s1 = "{sp1}" if "sp" in helpers else T["sp1"]
    s2 = "{sp2}" if "sp" in helpers else T["sp2"]
    T["g5"] = d1 + "*{a_h1}"
    T["g6"] = d1 + "*{a_h2}"
    T["g7"] = d2 + "*{a_h1}"
    T["g8"] = d2 + "*{a_h2}"
    T["g1"] = a1 + "*" + s1 + "*{$i1}"
    T["g2"] = a1 + "*" + s1 + "*{$i2}"
    T["g3"] = a2 + "*" + s2 + "*{$i1}"
    T["g4"] = a2 + "*" + s2 + "*{$i2}"
    for j in range(1, 9):
        if "new" in helpers:  # "new w1" columns in the same row; the next row copies them
            T[f"nw{j}"] = f"{{w{j}}}-{{$eta}}*{{g{j}}}"
            T[f"w{j}"] = f"{{nw{j}@-1}}"
        else:
            T[f"w{j}"] = f"{{w{j}@-1}}-{{$eta}}*{{g{j}@-1}}"
    return T


TOKEN = re.compile(r"\{(\$?)([A-Za-z_0-9]+)(@-1)?(~)?\}")


class Table:
    """One iteration table. orient 'rows': one iteration per row, quantities in columns
    (columns start at col, header in row hdr, data from row data0). orient 'cols': transposed,
    quantities in rows starting at row hdr, labels in column col, iterations in columns from data0."""

    def __init__(
        self,
        ws,
        qs,
        *,
        params,
        n,
        orient="rows",
        hdr=1,
        col=1,
        data0=None,
        sig="std",
        helpers=(),
        init=W0,
        it_start=1,
        it_formula=False,
    ):
        self.ws, self.qs, self.params, self.n, self.orient = ws, qs, params, n, orient
        self.hdr, self.col = hdr, col
        self.data0 = data0 if data0 is not None else (hdr + 1 if orient == "rows" else col + 1)
        self.T = templates(sig, helpers)
        self.helpers, self.init = helpers, init
        self.it_start, self.it_formula = it_start, it_formula
        self.slips = []
        self.idx = {q: i for i, q in enumerate(qs) if q}

    # position of quantity q at iteration k (1-based)
    def pos(self, q, k):
        i = self.idx[q]
        if self.orient == "rows":
            return self.data0 + k - 1, self.col + i
        return self.hdr + i, self.data0 + k - 1

    def ref(self, q, k):
        r, c = self.pos(q, k)
        return f"{CL(c)}{r}"

    def label_pos(self, q):
        """where q's header goes (header row / label column)"""
        i = self.idx[q]
        if self.orient == "rows":
            return self.hdr, self.col + i
        return self.hdr + i, self.col

    def cell_name(self, q, k):
        t = self.ws.title
        t = f"'{t}'" if re.search(r"[^A-Za-z0-9_]", t) else t
        return f"{t}!{self.ref(q, k)}"

    def pref(self, p, k, rel_anchor=None):
        spec = self.params[p]
        if spec[0] == "name":
            return spec[1]
        _, sheet, r, c = spec
        prefix = "" if sheet is None or sheet == self.ws.title else f"'{sheet}'!"
        if rel_anchor is None:
            return f"{prefix}${CL(c)}${r}"
        shift = k - rel_anchor
        if self.orient == "rows":
            r += shift
        else:
            c += shift
        return f"{prefix}{CL(c)}{r}"

    def render(self, tmpl, k, rel_anchor):
        def sub(m):
            dollar, name, prev, rel = m.groups()
            if dollar:
                return self.pref(name, k, rel_anchor if rel else None)
            return self.ref(name, k - 1 if prev else k)

        return "=" + TOKEN.sub(sub, tmpl)

    def headers(self, texts, **style):
        for q in self.qs:
            if q and texts.get(q) is not None:
                r, c = self.label_pos(q)
                cell = self.ws.cell(r, c, texts[q])
                if style.get("bold", True):
                    cell.font = Font(bold=True)

    def write(self):
        for k in range(1, self.n + 1):
            for q in self.qs:
                if not q:
                    continue
                r, c = self.pos(q, k)
                if q == "it":
                    if self.it_formula and k > 1:
                        v = "=" + self.ref("it", k - 1) + "+1"
                    else:
                        v = self.it_start + k - 1
                elif q in WS and k == 1:
                    v = self.init[WS.index(q)]
                else:
                    tmpl, anchor = self.T[q], None
                    for s in self.slips:
                        if s["q"] == q and k >= s["k0"]:
                            tmpl, anchor = s["tmpl"], s["k0"]
                    v = self.render(tmpl, k, anchor)
                self.ws.cell(r, c, v)

    def e_total_ref(self):
        r0, c0 = self.pos("E_total", 1)
        r1, c1 = self.pos("E_total", self.n)
        return r0, c0, r1, c1


def param_block(ws, r, c, labels, vals, vertical=True, sheet=None):
    """labels: list of (param, label). Label then value (right of it, or below it)."""
    out = {}
    for i, (p, lab) in enumerate(labels):
        if vertical:
            lr, lc, vr, vc = r + i, c, r + i, c + 1
        else:
            lr, lc, vr, vc = r, c + i, r + 1, c + i
        ws.cell(lr, lc, lab)
        cell = ws.cell(vr, vc, vals[p])
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
        out[p] = ("cell", sheet, vr, vc)
    return out


def chart(ws, t, anchor, title="E_total"):
    ch = LineChart()
    ch.title = title
    ch.y_axis.title = "E_total"
    ch.x_axis.title = "iteration"
    r0, c0, r1, c1 = t.e_total_ref()
    ch.add_data(Reference(ws, min_col=c0, min_row=r0, max_col=c1, max_row=r1))
    ch.series[0].tx = None
    ch.legend = None
    ch.height, ch.width = 7, 14
    ws.add_chart(ch, anchor)


# ---------------------------------------------------------------- header vocabularies
def short_headers(grad="∂E/∂w{j}", it="Iteration"):
    h = {"it": it, **{w: w for w in WS}, **{q: q for q in FWD}, "E1": "E1", "E2": "E2", "E_total": "E_total"}
    h.update({f"g{j}": grad.format(j=j) for j in range(1, 9)})
    return h


EN_WORDS = {
    "it": "iteration",
    **{f"w{j}": f"weight {j}" for j in range(1, 9)},
    "h1": "hidden neuron 1 input",
    "a_h1": "hidden neuron 1 output",
    "h2": "hidden neuron 2 input",
    "a_h2": "hidden neuron 2 output",
    "o1": "output neuron 1 input",
    "a_o1": "output neuron 1 output",
    "o2": "output neuron 2 input",
    "a_o2": "output neuron 2 output",
    "E1": "error 1",
    "E2": "error 2",
    "E_total": "total error",
    **{f"g{j}": f"d_Etot_d_w{j}" for j in range(1, 9)},
}

DE = {
    "it": "Iteration",
    **{f"w{j}": f"Gewicht w{j}" for j in range(1, 9)},
    "h1": "Netzeingabe h1",
    "a_h1": "Ausgabe h1",
    "h2": "Netzeingabe h2",
    "a_h2": "Ausgabe h2",
    "o1": "Netzeingabe o1",
    "a_o1": "Ausgabe o1",
    "o2": "Netzeingabe o2",
    "a_o2": "Ausgabe o2",
    "E1": "Fehler 1",
    "E2": "Fehler 2",
    "E_total": "Gesamtfehler",
    **{f"g{j}": f"Ableitung Gesamtfehler nach w{j}" for j in range(1, 9)},
}

ES = {
    "it": "iteración",
    **{f"w{j}": f"peso w{j}" for j in range(1, 9)},
    "h1": "entrada neta oculta 1",
    "a_h1": "salida oculta 1",
    "h2": "entrada neta oculta 2",
    "a_h2": "salida oculta 2",
    "o1": "entrada neta salida 1",
    "a_o1": "salida final 1",
    "o2": "entrada neta salida 2",
    "a_o2": "salida final 2",
    "E1": "error 1",
    "E2": "error 2",
    "E_total": "error total",
    **{f"g{j}": f"gradiente w{j}" for j in range(1, 9)},
}

ZH = {
    "it": "迭代次数",
    **{f"w{j}": f"权重{j}" for j in range(1, 9)},
    "h1": "隐藏层神经元1输入",
    "a_h1": "隐藏层神经元1输出",
    "h2": "隐藏层神经元2输入",
    "a_h2": "隐藏层神经元2输出",
    "o1": "输出层神经元1输入",
    "a_o1": "输出层神经元1输出",
    "o2": "输出层神经元2输入",
    "a_o2": "输出层神经元2输出",
    "E1": "误差1",
    "E2": "误差2",
    "E_total": "总误差",
    **{f"g{j}": f"总误差对w{j}的梯度" for j in range(1, 9)},
}

WORD_ADDED = {
    "it": "Iteration (#)",
    **{f"w{j}": f"w{j} (weight)" for j in range(1, 9)},
    "h1": "h1 (net)",
    "a_h1": "a_h1 (out)",
    "h2": "h2 (net)",
    "a_h2": "a_h2 (out)",
    "o1": "o1 (net)",
    "a_o1": "a_o1 (out)",
    "o2": "o2 (net)",
    "a_o2": "a_o2 (out)",
    "E1": "E1 (error)",
    "E2": "E2 (error)",
    "E_total": "E_total 总误差",
    **{f"g{j}": f"dE/dw{j} (Gradient)" for j in range(1, 9)},
}

EQ = {
    "it": "Iteration",
    **{f"w{j}": f"w{j} = w{j} - η*∂E/∂w{j}" for j in range(1, 9)},
    "h1": "h1 = w1*i1 + w2*i2",
    "a_h1": "out_h1 = σ(h1)",
    "h2": "h2 = w3*i1 + w4*i2",
    "a_h2": "out_h2 = σ(h2)",
    "o1": "o1 = w5*out_h1 + w6*out_h2",
    "a_o1": "out_o1 = σ(o1)",
    "o2": "o2 = w7*out_h1 + w8*out_h2",
    "a_o2": "out_o2 = σ(o2)",
    "E1": "E1 = ½*(t1 - out_o1)²",
    "E2": "E2 = ½*(t2 - out_o2)²",
    "E_total": "E = E1+E2",
    "g5": "∂E/∂w5 = (out_o1-t1) * out_o1*(1-out_o1) * out_h1",
    "g6": "∂E/∂w6 = (out_o1-t1) * out_o1*(1-out_o1) * out_h2",
    "g7": "∂E/∂w7 = (out_o2-t2) * out_o2*(1-out_o2) * out_h1",
    "g8": "∂E/∂w8 = (out_o2-t2) * out_o2*(1-out_o2) * out_h2",
}
for _j, (_w, _ww, _h, _i) in {
    1: ("w5", "w7", "out_h1", "i1"),
    2: ("w5", "w7", "out_h1", "i2"),
    3: ("w6", "w8", "out_h2", "i1"),
    4: ("w6", "w8", "out_h2", "i2"),
}.items():
    EQ[f"g{_j}"] = (
        f"∂E/∂w{_j} = ((out_o1-t1) * out_o1*(1-out_o1)*{_w} + (out_o2-t2) * "
        f"out_o2*(1-out_o2)*{_ww}) * {_h}*(1-{_h}) * {_i}"
    )

MAZUR = {
    "it": "iter",
    **{w: w for w in WS},
    "h1": "net_h1",
    "a_h1": "out_h1",
    "h2": "net_h2",
    "a_h2": "out_h2",
    "o1": "net_o1",
    "a_o1": "out_o1",
    "o2": "net_o2",
    "a_o2": "out_o2",
    "E1": "E_o1",
    "E2": "E_o2",
    "E_total": "E_TOTAL",
    **{f"g{j}": f"dw{j}" for j in range(1, 9)},
}

STD_PARAMS = [("i1", "i1"), ("i2", "i2"), ("t1", "t1"), ("t2", "t2"), ("eta", "η")]


def vals(eta, **kw):
    v = dict(DEFAULT)
    v.update(kw)
    v["eta"] = eta
    return v


# ---------------------------------------------------------------- the layouts
# Each builder takes the list of slips (each {q, k0, tmpl, [table]}) and returns (wb, tables, meta).
# meta: values per table for the python reference.
def lay01_transposed(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "Backprop"
    v = vals(0.5)
    P = param_block(ws, 1, 1, STD_PARAMS, v)
    t = Table(ws, STD, params=P, n=25, orient="cols", hdr=8, col=1)
    t.headers(short_headers())
    return wb, [t], [v]


def lay02_english_words(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    v = vals(0.5)
    P = param_block(
        ws,
        1,
        1,
        [("i1", "input 1"), ("i2", "input 2"), ("t1", "target 1"), ("t2", "target 2"), ("eta", "learning rate")],
        v,
    )
    t = Table(ws, STD, params=P, n=30, hdr=7)
    t.headers(EN_WORDS)
    return wb, [t], [v]


def lay03_german(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "Tabelle1"
    v = vals(1.0)
    P = param_block(
        ws,
        1,
        1,
        [
            ("i1", "Eingabe i1"),
            ("i2", "Eingabe i2"),
            ("t1", "Zielwert t1"),
            ("t2", "Zielwert t2"),
            ("eta", "Lernrate η"),
        ],
        v,
    )
    t = Table(ws, STD, params=P, n=35, hdr=8)
    t.headers(DE)
    return wb, [t], [v]


def lay04_spanish(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "Hoja1"
    v = vals(0.8)
    P = param_block(
        ws,
        1,
        1,
        [
            ("i1", "entrada 1"),
            ("i2", "entrada 2"),
            ("t1", "objetivo 1"),
            ("t2", "objetivo 2"),
            ("eta", "tasa de aprendizaje"),
        ],
        v,
        vertical=False,
    )
    t = Table(ws, STD, params=P, n=20, hdr=4)
    t.headers(ES)
    return wb, [t], [v]


def lay05_chinese(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "反向传播"
    v = vals(0.6)
    c = len(STD) + 2  # parameter block right of the table, one blank column between
    P = param_block(
        ws, 1, c, [("i1", "输入1"), ("i2", "输入2"), ("t1", "目标1"), ("t2", "目标2"), ("eta", "学习率")], v
    )
    t = Table(ws, STD, params=P, n=40, hdr=1)
    t.headers(ZH)
    return wb, [t], [v]


def lay06_word_added(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "backprop"
    v = vals(0.5)
    P = param_block(ws, 1, 1, STD_PARAMS, v)
    t = Table(ws, STD, params=P, n=25, hdr=7)
    t.headers(WORD_ADDED)
    return wb, [t], [v]


def lay07_two_row_header(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "NN"
    v = vals(0.5)
    P = param_block(ws, 1, 1, STD_PARAMS, v)
    t = Table(ws, STD, params=P, n=30, hdr=8, data0=9)
    h = short_headers()
    del h["it"], h["E_total"]
    t.headers(h)
    center = Alignment(horizontal="center", vertical="center")

    def group(text, q0, q1):
        c0, c1 = t.col + t.idx[q0], t.col + t.idx[q1]
        ws.cell(7, c0, text).font = Font(bold=True)
        ws.cell(7, c0).alignment = center
        ws.merge_cells(start_row=7, start_column=c0, end_row=7, end_column=c1)

    for q, text in (("it", "Iteration"), ("E_total", "E_total")):
        c = t.col + t.idx[q]
        ws.cell(7, c, text).font = Font(bold=True)
        ws.cell(7, c).alignment = center
        ws.merge_cells(start_row=7, start_column=c, end_row=8, end_column=c)
    group("Weights", "w1", "w8")
    group("Forward pass", "h1", "a_o2")
    group("Errors", "E1", "E2")
    group("Gradients", "g1", "g8")
    return wb, [t], [v]


def lay08_equation_headers(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "Backpropagation"
    v = vals(1.0)
    P = param_block(ws, 1, 1, STD_PARAMS, v)
    t = Table(ws, STD, params=P, n=30, hdr=7)
    t.headers(EQ)
    return wb, [t], [v]


def lay09_dw_headers(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "mazur"
    v = vals(0.5)
    P = param_block(ws, 1, 1, [("i1", "i1"), ("i2", "i2"), ("t1", "target_o1"), ("t2", "target_o2"), ("eta", "eta")], v)
    t = Table(ws, STD, params=P, n=30, hdr=7)
    t.headers(MAZUR)
    return wb, [t], [v]


def lay10_no_header(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    v = vals(0.5)
    qs = WS + FWD + ERR + GS  # no iteration column, no header row: data from A1
    P = param_block(ws, 1, len(qs) + 2, STD_PARAMS, v)
    t = Table(ws, qs, params=P, n=30, hdr=0, data0=1)
    return wb, [t], [v]


def lay11a_tanh(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "tanh"
    v = vals(0.5)
    P = param_block(ws, 1, 1, STD_PARAMS, v)
    t = Table(ws, STD, params=P, n=25, hdr=7, sig="tanh")
    t.headers(short_headers())
    return wb, [t], [v]


def lay11b_exp_ratio(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "exp"
    v = vals(0.5)
    P = param_block(ws, 1, 1, STD_PARAMS, v)
    t = Table(ws, STD, params=P, n=25, hdr=7, sig="exp")
    t.headers(short_headers())
    return wb, [t], [v]


def lay12_defined_names(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "Network"
    v = vals(0.5, t1=0.01, t2=0.99)
    names = {"i1": "input_1", "i2": "input_2", "t1": "target_1", "t2": "target_2", "eta": "learning_rate"}
    param_block(ws, 1, 1, [(p, names[p]) for p in ("i1", "i2", "t1", "t2", "eta")], v)
    for i, p in enumerate(("i1", "i2", "t1", "t2", "eta")):
        wb.defined_names[names[p]] = DefinedName(names[p], attr_text=f"Network!$B${1 + i}")
    P = {p: ("name", names[p]) for p in names}
    t = Table(ws, STD, params=P, n=30, hdr=7)
    t.headers(short_headers())
    return wb, [t], [v]


def lay13_params_sheet(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "Training"
    ps = wb.create_sheet("Params")
    ps["A1"], ps["B1"] = "Parameter", "Value"
    v = vals(2.0)
    P = param_block(
        ps, 2, 1, [("i1", "i1"), ("i2", "i2"), ("t1", "t1"), ("t2", "t2"), ("eta", "eta")], v, sheet="Params"
    )
    t = Table(ws, STD, params=P, n=30, hdr=1)
    t.headers(short_headers())
    return wb, [t], [v]


def lay14_params_on_header_row(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    v = vals(0.5, t1=0.1, t2=0.9)
    # the labels stand in the header row (row 1), right of the table after one blank column,
    # the values under them in row 2
    P = param_block(
        ws, 1, len(STD) + 2, [("i1", "i1"), ("i2", "i2"), ("t1", "t1"), ("t2", "t2"), ("eta", "LR")], v, vertical=False
    )
    t = Table(ws, STD, params=P, n=30, hdr=1)
    t.headers(short_headers())
    return wb, [t], [v]


def lay15_delta_helpers(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "Backprop"
    v = vals(0.5)
    P = param_block(ws, 1, 1, STD_PARAMS, v)
    qs = ["it"] + WS + FWD + ERR + ["d_o1", "d_o2", "dah1", "dah2"] + GS
    t = Table(ws, qs, params=P, n=30, hdr=7, helpers=("d_o", "dah"))
    h = short_headers()
    h.update({"d_o1": "δo1", "d_o2": "δo2", "dah1": "∂E/∂a_h1", "dah2": "∂E/∂a_h2"})
    t.headers(h)
    return wb, [t], [v]


def lay16_sigma_prime(slips):
    wb = Workbook()
    ws = wb.active
    ws.title = "Backprop"
    v = vals(0.5)
    P = param_block(ws, 1, 1, STD_PARAMS, v)
    qs = ["it"] + WS + ["h1", "a_h1", "sp1", "h2", "a_h2", "sp2", "o1", "a_o1", "o2", "a_o2"] + ERR + GS
    t = Table(ws, qs, params=P, n=30, hdr=7, helpers=("sp",))
    h = short_headers()
    h.update({"sp1": "σ'(h1) = a_h1*(1-a_h1)", "sp2": "σ'(h2) = a_h2*(1-a_h2)"})
    t.headers(h)
    return wb, [t], [v]


def lay17_two_tables_one_sheet(slips):
    """own: two learning rates side by side on one sheet, each with its own parameter block"""
    wb = Workbook()
    ws = wb.active
    ws.title = "Compare"
    out, vs = [], []
    for i, eta in enumerate((0.5, 1.0)):
        c = 1 + i * (len(STD) + 2)
        v = vals(eta)
        P = param_block(ws, 1, c, STD_PARAMS, v)
        ws.cell(6, c, f"Learning rate {eta}").font = Font(bold=True, size=13)
        t = Table(ws, STD, params=P, n=30, hdr=7, col=c)
        t.headers(short_headers())
        out.append(t)
        vs.append(v)
    return wb, out, vs


def lay18_shuffled_spacers(slips):
    """own: quantities grouped by kind (nets, then outputs), E_total before E1/E2, gradients of the
    output layer first, and blank spacer columns between the groups"""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    v = vals(0.5)
    P = param_block(ws, 1, 1, STD_PARAMS, v)
    qs = (
        ["it"]
        + WS
        + [None]
        + ["h1", "h2", "a_h1", "a_h2", "o1", "o2", "a_o1", "a_o2"]
        + [None]
        + ["E_total", "E1", "E2"]
        + [None]
        + ["g5", "g6", "g7", "g8", "g1", "g2", "g3", "g4"]
    )
    t = Table(ws, qs, params=P, n=25, hdr=7)
    t.headers(short_headers(grad="dE/dw{j}"))
    return wb, [t], [v]


def lay19_notes_row_chart(slips):
    """own: a row of notes/units under the header, iteration column as =A9+1, a chart"""
    wb = Workbook()
    ws = wb.active
    ws.title = "Backprop"
    v = vals(0.5)
    P = param_block(ws, 1, 1, [("i1", "i1"), ("i2", "i2"), ("t1", "t1"), ("t2", "t2"), ("eta", "learning rate")], v)
    t = Table(ws, STD, params=P, n=30, hdr=7, data0=9, it_formula=True)
    t.headers(short_headers(grad="∂E_total/∂w{j}"))
    notes = {
        "it": "#",
        **{w: "weight" for w in WS},
        "h1": "net input",
        "h2": "net input",
        "o1": "net input",
        "o2": "net input",
        "a_h1": "sigmoid",
        "a_h2": "sigmoid",
        "a_o1": "sigmoid",
        "a_o2": "sigmoid",
        "E1": "½(t-a)²",
        "E2": "½(t-a)²",
        "E_total": "sum",
        **{g: "chain rule" for g in GS},
    }
    for q, text in notes.items():
        ws.cell(8, t.col + t.idx[q], text).font = Font(italic=True, color="808080")
    chart(ws, t, "D1")
    return wb, [t], [v]


def lay20_new_weights_same_row(slips):
    """own: the update in the same row as 'new w1' … 'new w8'; the next row's w copies them"""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    v = vals(0.5)
    P = param_block(ws, 1, 1, STD_PARAMS, v)
    qs = STD + NWS
    t = Table(ws, qs, params=P, n=30, hdr=7, helpers=("new",))
    h = short_headers()
    h.update({f"nw{j}": f"new w{j}" for j in range(1, 9)})
    t.headers(h)
    return wb, [t], [v]


def lay21_tab_per_rate(slips):
    """own: one tab per learning rate, as the course's workbook; each tab its own parameters
    and a chart"""
    wb = Workbook()
    out, vs = [], []
    for i, eta in enumerate((0.5, 1.0, 2.0)):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = f"LR {eta:g}"
        v = vals(eta)
        P = param_block(ws, 1, 1, STD_PARAMS, v)
        t = Table(ws, STD, params=P, n=25, hdr=10)
        t.headers(short_headers())
        chart(ws, t, "D1", title=f"E_total, η = {eta:g}")
        out.append(t)
        vs.append(v)
    return wb, out, vs


def lay22_offset_title_blank_row(slips):
    """own: title, parameters at B4, table from B11 with a blank row between header and data,
    iterations counted from 0, other inputs and targets"""
    wb = Workbook()
    ws = wb.active
    ws.title = "Übung"
    ws["B2"] = "Backpropagation von Hand — 2-2-2 Netz"
    ws["B2"].font = Font(bold=True, size=14)
    v = vals(0.5, i1=0.1, i2=0.3, t1=0.01, t2=0.99)
    P = param_block(ws, 4, 2, STD_PARAMS, v)
    t = Table(ws, STD, params=P, n=30, hdr=11, col=2, data0=13, it_start=0)
    t.headers(short_headers())
    return wb, [t], [v]


# ---------------------------------------------------------------- slips per layout
def S(q, k0, tmpl, kind, first=None, table=0):
    return dict(q=q, k0=k0, tmpl=tmpl, kind=kind, first=first or k0, table=table)


SIGMA = "1/(1+EXP(-{§}))"
LAYOUTS = [
    (
        "01_transposed",
        lay01_transposed,
        "iterations as columns (transposed: each quantity a row), parameters above",
        [
            S("h2", 1, "{w2}*{$i1}+{w4}*{$i2}", "uses w2 where w3 belongs"),
            S("w5", 2, "{w5@-1}-{$eta~}*{g5@-1}", "η referenced relatively (shifts when copied right)", first=3),
        ],
    ),
    (
        "02_english_words",
        lay02_english_words,
        "headers in English words (hidden neuron 1 output, total error, d_Etot_d_w1)",
        [S("g5", 7, "({a_o1}-{$t1})*{a_o1}*(1+{a_o1})*{a_h1}", "a_o1*(1+a_o1) for the sigmoid slope")],
    ),
    ("03_german", lay03_german, "headers in German", [S("E1", 4, "({$t1}-{a_o1})^2", "missing ½")]),
    (
        "04_spanish",
        lay04_spanish,
        "headers in Spanish, parameters in a horizontal block",
        [S("w6", 2, "{w6@-1}+{$eta}*{g6@-1}", "sign error: w + η·g")],
    ),
    (
        "05_chinese",
        lay05_chinese,
        "headers in Chinese, parameter block right of the table",
        [S("w1", 2, "{w1@-1}-{$eta~}*{g1@-1}", "η referenced relatively (shifts when copied down)", first=3)],
    ),
    (
        "06_word_added",
        lay06_word_added,
        "headers with a word added (dE/dw1 (Gradient), E_total 总误差)",
        [
            S(
                "g1",
                5,
                "({dah1})*{a_h1}*(1-{a_h1})*{$i2}".replace("{dah1}", templates()["dah1"]),
                "uses i2 where i1 belongs",
            )
        ],
    ),
    (
        "07_two_row_header",
        lay07_two_row_header,
        "two-row header: groups Weights/Forward pass/Errors/Gradients, E_total merged over both rows",
        [S("o2", 10, "{w6}*{a_h1}+{w8}*{a_h2}", "uses w6 where w7 belongs")],
    ),
    (
        "08_equation_headers",
        lay08_equation_headers,
        "headers that write each quantity's equation",
        [
            S(
                "g3",
                1,
                "(" + templates()["dah2"] + ")*{a_h1}*(1-{a_h1})*{$i1}",
                "uses a_h1 where a_h2 belongs (the class sheet's slip)",
            )
        ],
    ),
    (
        "09_dw_headers",
        lay09_dw_headers,
        "Mazur names: net_h1/out_h1, E_TOTAL, gradients dw1…dw8",
        [S("w3", 6, "{w3@-1}-{$eta}*{g4@-1}", "update reads dw4 where dw3 belongs")],
    ),
    (
        "10_no_header",
        lay10_no_header,
        "no header row at all; data from A1, labelled parameters right",
        [S("a_o2", 3, SIGMA.replace("§", "o1"), "σ of o1 where o2 belongs")],
    ),
    (
        "11a_sigmoid_tanh",
        lay11a_tanh,
        "sigmoid written 0.5*(1+TANH(x/2))",
        [S("a_h2", 1, "0.5*(1+TANH({h2}))", "tanh form without /2")],
    ),
    (
        "11b_sigmoid_exp_ratio",
        lay11b_exp_ratio,
        "sigmoid written EXP(x)/(1+EXP(x))",
        [S("a_o2", 4, "EXP(-{o2})/(1+EXP(-{o2}))", "EXP(-x)/(1+EXP(-x)) = 1-σ: sign slip")],
    ),
    (
        "12_defined_names",
        lay12_defined_names,
        "inputs, targets and η as defined names (input_1 … learning_rate); t1=0.01, t2=0.99",
        [S("E2", 1, "0.5*({$t1}-{a_o2})^2", "uses target_1 where target_2 belongs")],
    ),
    (
        "13_params_sheet",
        lay13_params_sheet,
        "parameters on a separate Params sheet ('Params'!$B$2)",
        [S("w6", 8, "{w6@-1}-{g6@-1}", "update without η")],
    ),
    (
        "14_params_on_header_row",
        lay14_params_on_header_row,
        "parameter labels on the header row right of the table, values below; t1=0.1, t2=0.9",
        [
            S("g8", 3, "({a_o2}-{$t1})*{a_o2}*(1-{a_o2})*{a_h2}", "uses t1 where t2 belongs"),
            S("w2", 2, "{w2@-1}-{$eta~}*{g2@-1}", "η referenced relatively (shifts when copied down)", first=3),
        ],
    ),
    (
        "15_delta_helpers",
        lay15_delta_helpers,
        "helper columns δo1, δo2, ∂E/∂a_h1, ∂E/∂a_h2 that the gradients read",
        [
            S("d_o1", 2, "({a_o1}-{$t1})*{a_o1}*(1+{a_o1})", "helper slip: a_o1*(1+a_o1)"),
            S("dah1", 5, "{d_o1}*{w5}+{d_o2}*{w6}", "helper slip: uses w6 where w7 belongs"),
        ],
    ),
    (
        "16_sigma_prime",
        lay16_sigma_prime,
        "σ′ columns a_h1*(1-a_h1), a_h2*(1-a_h2) the gradients read",
        [
            S("sp1", 1, "{a_h1}*(1+{a_h1})", "helper slip: σ′ as a*(1+a)"),
            S("g4", 3, "(" + templates()["dah2"] + ")*{sp1}*{$i2}", "reads σ′(h1) where σ′(h2) belongs"),
        ],
    ),
    (
        "17_two_tables_one_sheet",
        lay17_two_tables_one_sheet,
        "own: two learning rates side by side on one sheet, each with its parameter block",
        [S("w7", 4, "{w7@-1}-{$eta}*{g8@-1}", "update reads ∂E/∂w8 where ∂E/∂w7 belongs", table=1)],
    ),
    (
        "18_shuffled_spacers",
        lay18_shuffled_spacers,
        "own: columns grouped by kind (E_total before E1, output gradients first), blank spacer columns",
        [S("a_h2", 2, SIGMA.replace("§", "h1"), "σ of h1 where h2 belongs")],
    ),
    (
        "19_notes_row_chart",
        lay19_notes_row_chart,
        "own: a notes/units row under the header, iteration as =A9+1, a chart of E_total",
        [S("o1", 6, "{w5}*{a_h1}+{w6}*{a_h1}", "uses a_h1 where a_h2 belongs")],
    ),
    (
        "20_new_weights_same_row",
        lay20_new_weights_same_row,
        "own: 'new w1…new w8' update columns in the same row; next row's w1 = new w1 above",
        [S("nw2", 3, "{w2}-{$eta}*{g1}", "new w2 reads ∂E/∂w1 where ∂E/∂w2 belongs")],
    ),
    (
        "21_tab_per_rate",
        lay21_tab_per_rate,
        "own: one tab per learning rate (LR 0.5, LR 1, LR 2), each with parameters and a chart",
        [S("g7", 1, "({a_o2}-{$t2})*{a_o2}*(1-{a_o2})*{a_h2}", "uses a_h2 where a_h1 belongs", table=1)],
    ),
    (
        "22_offset_title_blank_row",
        lay22_offset_title_blank_row,
        "own: title, table at B11, blank row under the header, iterations from 0; i=0.1/0.3, t=0.01/0.99",
        [S("h1", 1, "{w1}*{$i1}+{w2}*{$i1}", "uses i1 where i2 belongs")],
    ),
]


# ---------------------------------------------------------------- python reference (the corpus's own check)
def reference(v, n, init=W0):
    """every quantity of every iteration, computed in python"""
    sg = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    w = list(init)
    rows = []
    for _ in range(n):
        r = {f"w{j + 1}": w[j] for j in range(8)}
        r["h1"] = w[0] * v["i1"] + w[1] * v["i2"]
        r["h2"] = w[2] * v["i1"] + w[3] * v["i2"]
        r["a_h1"], r["a_h2"] = sg(r["h1"]), sg(r["h2"])
        r["o1"] = w[4] * r["a_h1"] + w[5] * r["a_h2"]
        r["o2"] = w[6] * r["a_h1"] + w[7] * r["a_h2"]
        r["a_o1"], r["a_o2"] = sg(r["o1"]), sg(r["o2"])
        r["E1"] = 0.5 * (v["t1"] - r["a_o1"]) ** 2
        r["E2"] = 0.5 * (v["t2"] - r["a_o2"]) ** 2
        r["E_total"] = r["E1"] + r["E2"]
        d1 = (r["a_o1"] - v["t1"]) * r["a_o1"] * (1 - r["a_o1"])
        d2 = (r["a_o2"] - v["t2"]) * r["a_o2"] * (1 - r["a_o2"])
        r["d_o1"], r["d_o2"] = d1, d2
        r["dah1"] = d1 * w[4] + d2 * w[6]
        r["dah2"] = d1 * w[5] + d2 * w[7]
        r["sp1"] = r["a_h1"] * (1 - r["a_h1"])
        r["sp2"] = r["a_h2"] * (1 - r["a_h2"])
        g = [
            r["dah1"] * r["sp1"] * v["i1"],
            r["dah1"] * r["sp1"] * v["i2"],
            r["dah2"] * r["sp2"] * v["i1"],
            r["dah2"] * r["sp2"] * v["i2"],
            d1 * r["a_h1"],
            d1 * r["a_h2"],
            d2 * r["a_h1"],
            d2 * r["a_h2"],
        ]
        for j in range(8):
            r[f"g{j + 1}"] = g[j]
        w = [w[j] - v["eta"] * g[j] for j in range(8)]
        for j in range(8):
            r[f"nw{j + 1}"] = w[j]
        rows.append(r)
    return rows


def build(folder) -> dict:
    """Write every workbook into `folder`; {file name: {layout, clean, slips: [{cell, quantity, kind}]}}."""
    labels = {}
    for name, fn, desc, slips in LAYOUTS:
        variants = [("clean", None)] + [(f"slip{i + 1}", s) for i, s in enumerate(slips)]
        for tag, s in variants:
            wb, tables, _ = fn([s] if s else [])
            if s:
                tables[s["table"]].slips.append(s)
            for t in tables:
                t.write()
            fname = f"{name}_{tag}.xlsx"
            wb.save(os.path.join(folder, fname))
            entry = {"layout": desc, "clean": s is None, "slips": []}
            if s:
                t = tables[s["table"]]
                entry["slips"].append({"cell": t.cell_name(s["q"], s["first"]), "quantity": PLAIN[s["q"]],
                                       "kind": s["kind"]})  # fmt: skip
            labels[fname] = entry
    return labels

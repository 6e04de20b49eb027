"""What a write-up's tables state, by line: each row read by what its header says each column holds.

A table of a quantity per row (`| weight | old value | ∂E_total/∂w | new value |`) says, of the row's
quantity w1: its value (a column `value`, `old`, `initial`, `before`, `iteration 1`), its gradient
∂E_total/∂w1 (`gradient`, `∂E/∂w`, `grad[x]`), its value after the step (`new`, `after`, `updated`,
`w^new`, `w⁺`, `novo`), its value at the second iteration (`iteration 2`), its formula (`formula`,
`equation`); a table of iterations (`| iteration | E_total |`, `| step | loss |`) says each quantity at
each iteration; a header of names (`| i1 | i2 | w1⁺ | … |`) is said of by its first row of numbers. A
column whose header says none of these (another learning rate's, a third iteration's, a word this
reader does not know) is not read: a number read as the wrong quantity would be a false alarm on a
right table (`| w3 | 0.000352 | 0.249824 |` under `| weight | gradient | w^new |` is not w3 = 0.000352).
A two-column row of a given value (`| w1 | 0.15 |`) is read as such under any header but one of these.
"""

import re
from dataclasses import replace

from sheetgen.model import names, spelling
from sheetgen.model.spelling import NEW
from sheetgen.writeup import equations as eq
from sheetgen.writeup import vectors
from sheetgen.writeup.equations import Equation, Num, Op, Partial, Sym
from sheetgen.writeup.points import AT2, LAST_ITERATION, at

_NUMBER = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d{1,3})?")  # 7.895e-03, as sheets print it
_COMMA_NUMBER = re.compile(r"-?\d,\d+")  # 0,000317: a decimal comma (a table's numbers are under 10)
_RULE = re.compile(r":?-{3,}:?")  # the line under a Markdown table's header
HEADER = "\ue020"  # a row a renderer marks as a header with no rule line under it (an HTML table's <th>)
_LISTED = re.compile(r"(?:[-*+]\s+)?[`*]*([A-Za-z]\w*)[`*]*\s*:\s*[`*]*(\d*\.\d+|\d+)[`*]*")  # - w1: 0.21

# what a column holds, by its header
VALUE, OLD, GRADIENT, NEW_VALUE, AT_2, FORMULA = "value", "old", "gradient", "new", "iteration 2", "formula"
_SKIP = re.compile(
    r"(?i)η|\blr\b|\balpha\b|α|learning|final|(?:iteration|iter|epoch|step)s?\s*#?\s*(?:[3-9]|\d\d)|\bafter\s+(?:[2-9]|\d\d)"
    r"|\bafter\s+(?:the\s+)?(?:iteration|iter|epoch|step)s?\s*#?\s*[2-9]"
)  # another learning rate's, a later iteration's (after iteration 2: the third's weights): not read
_AT_2 = re.compile(r"(?i)(?:iteration|iter|epoch)\s*#?\s*2\b|\b(?:second|2nd)\s+(?:iteration|epoch)")
# the words in the languages students write in: new, updated, after (the update) — nuevo, novo, nouveau, neu,
# новый, después, depois, après, nach; 新, 更新后 (Chinese), 更新後 (Japanese), 업데이트 후, 갱신 (Korean), नया (Hindi)
_NEW = re.compile(
    r"(?i)\bnew\b|\bupdated\b|\bafter\b|\bnovo\b|\bnova\b|\bnuevo\b|\bnueva\b|\bnouveau\b|\bnouvelle\b|\bneue?\b"
    r"|\bнов\w*|\bобновл\w*|\bпосле\b|\bпісля\b|\bстал[оаи]?\b|\bdespu[ée]s\b|\bdepois\b|\bapr[èe]s\b|\bnach\b"
    r"|\bactualizad[oa]\b|\batualizad[oa]\b|\bsetelah\b|\bsesudah\b|\bdopo\b|\byeni\b|\bm[ớo]i\b|\bnowe?\b|\bnieuw\b"
    r"|新|更新|업데이트|갱신|새|नया|नई|नए|अपडेट|\bw\s*(?:\^\s*[({]?\s*(?:\+|new)|⁺|'|_new)"
    r"|^po$|\bnowa?\b|\bsonra\b|\bbaada\b|\bbaru\b|หลัง|ใหม่"  # Polish, Turkish, Swahili, Indonesian, Thai
)
# gradient: Gradient, gradiente, градиент, 梯度 (Chinese), 勾配 (Japanese), 기울기 (Korean)
_BY = re.compile(r"(?:[∂δ]\s*E[\w{}]*|\bdE[\w{}]*)\s*/\s*(?:[∂δ]|d(?=[a-zA-Z]))\s*\{?([A-Za-z][\w{}]*)")  # ∂E/∂what
_GRADIENT_WORD = re.compile(r"(?i)\bgrad(?:ient)?s?\b|\bgradiente?s?\b|градиент|梯度|勾配|기울기")  # said in words
# or in symbols (and `∂L/∂w`, `∂J/∂w`: a loss of the file's own, by a weight; not `∂o/∂w`, a local partial)
_GRADIENT = re.compile(
    _GRADIENT_WORD.pattern
    + r"|\bgrad\[|[∂δ]\s*E|\bdE\w*\s*/\s*d|\bdE_d|∇|[∂δ]\s*(?:[LJCℒ]|[Ll]oss|[Cc]ost)\w*\s*/\s*[∂δ]\s*w"
)
_OLD = re.compile(
    r"(?i)\bold\b|\binitial\b|\bbefore\b|\binicial\b|\bantigo\b|\bancien\b|\balt\b|исходн|начальн|було|было|почат"
    r"|\bsebelum\b|\blama\b|\bawal\b|\bvorher\b|\bavant\b|\bprima\b|\bantes\b|\beski\b|\bstare?\b|\boud\b"
    r"|初始|初期|초기|이전|पुरान|^w$|\bprzed\b|\bönce\b|\bkabla\b|ก่อน|เดิม"
)
# formula: Formel, formule, fórmula, формула, 公式 (Chinese, Japanese), 수식/공식 (Korean), सूत्र (Hindi)
_FORMULA = re.compile(
    r"(?i)\b(?:formula|equation|expression|fórmula|rule|formel|formule|formeln|gleichung|équation|ecuación|equação)s?\b"
    r"|формул|уравнени|公式|수식|공식|सूत्र"
)
_VALUE = re.compile(
    r"(?i)\b(?:values?|results?|valor|valeur|wert|waarde|valore|number|(?:iteration|iter|epoch)\s*#?\s*1|first\s+iteration)\b"
    r"|значени|значенн|\bnilai\b|warto[śs][ćc]|de[ğg]er|giá\s*trị|值|値|값|मान"
)
_COUNTER = re.compile(r"(?i)#|no\.?|n|nr\.?|s\.?\s*no\.?|sl\.?\s*no\.?|row|item")  # a row's number
_ITERATIONS = re.compile(
    r"(?i)(?:iter(?:ation)?s?|epochs?|steps?|#|no\.?|n|k|itr|iteração|iteracao|iteración|itération|época|époque"
    r"|rows?|fila|linha|zeile|ligne)"  # a sheet's row, numbered as its iterations are
)


AFTER = "after"  # `after 2`: a column of the values after 2 steps (a weight's; a loss's column is read by _AFTER_N)
_COLUMN_AFTER_STEPS = re.compile(
    r"(?i)\bafter\s+(?:(?:the\s+)?(?:iteration|iter|epoch|step|update)s?\s*#?\s*(\d{1,4})\b"
    r"|(\d{1,4})\s+(?:iterations?|steps?|updates?|epochs?)\b)"
)
_HEADER_ETA = re.compile(r"(?i)(?:η|\\eta|\beta|\blr|α)\s*[=:]?\s*(\d*\.\d+|\d+)(?![\d.])")


def _header_eta(header: str) -> float | None:
    """The one learning rate a column's header names (`After (η = 0.5)`), or None."""
    said = {float(m[1]) for m in _HEADER_ETA.finditer(header)}
    return said.pop() if len(said) == 1 and 0 < min(said) <= 10 else None


def role(header: str) -> str | None:
    """What a column holds, by its header; None: nothing this reader can say which quantity it is."""
    if (m := _COLUMN_AFTER_STEPS.search(header)) and int(m[1] or m[2]) >= 2:
        return f"{AFTER} {int(m[1] or m[2])}"  # `after iteration 2`: the weights after two steps (the third's)
    if _NEW.search(header) and _header_eta(header) is not None:
        return NEW_VALUE  # `After (η = 0.5)`: after the step, at the η it names (a column of another η's too)
    if _SKIP.search(header):
        return None
    if (by := _BY.search(header)) and not re.match(r"(?i)w(?![a-z])", by[1]):
        return None  # `∂E/∂a_o`, `∂E_total/∂a_h`: a factor of the row's gradient, by another quantity than w
    said = [what for pattern, what in ((_AT_2, AT_2), (_NEW, NEW_VALUE), (_GRADIENT, GRADIENT), (_OLD, OLD))
            if pattern.search(header)]  # fmt: skip
    if AT_2 in said and len(said) > 1:
        return None  # `∂E/∂w (iteration 2)`, `new w (iteration 2)`: which is which, unsure
    if said:
        return said[0]
    if _FORMULA.search(header):
        return FORMULA
    return VALUE if _VALUE.search(header) else None


def tabbed(lines: list[str]) -> list[str]:
    """A table copied from a spreadsheet, its cells parted by tabs (`iter⇥w1⇥…⇥E_total`, then a row a
    line), rewritten in place as a Markdown table's rows, its first row marked the header when it holds
    words: two or more lines of as many cells (three or more, none with an `=`: an equation's line with
    tabs in it is no table), one with two numbers at least."""
    out = list(lines)
    n = 0
    while n < len(out):
        cells = _tab_cells(out[n])
        end = n + 1
        while cells and end < len(out) and len(_tab_cells(out[end]) or ()) == len(cells):
            end += 1
        block = [_tab_cells(out[k]) or [] for k in range(n, end)]
        numbers = any(sum(_number(c) is not None for c in row) >= 2 for row in block)
        # or rows of a name, its formula and its value (`h1       w1*i1 + w2*i2        0.0275`, columns aligned
        # by spaces in a text file): three or more such rows
        valued = sum(bool(row) and bool(eq.symbol(row[0])) and _number(row[-1]) is not None for row in block) >= 3
        if cells and end - n >= 2 and (numbers or valued):
            for k, row in zip(range(n, end), block):
                header = k == n and any(_number(c) is None for c in row)
                out[k] = (HEADER if header else "") + "| " + " | ".join(row) + " |"
        n = max(end, n + 1)
    return out


def _tab_cells(line: str) -> list[str] | None:
    """A row's cells, parted by tabs, or by three spaces or more (columns a text file aligns)."""
    cells = [c.strip() for c in (line.strip().split("\t") if "\t" in line else re.split(r"\s{3,}", line.strip()))]
    return cells if len(cells) >= 3 and "=" not in line and "|" not in line and all(cells) else None


def statements(lines: list[str]) -> dict[int, list[Equation]]:
    """(line -> the equations it states) of every table row and of every list line `- w1: 0.21`."""
    out: dict[int, list[Equation]] = {}
    table: list[tuple[int, list[str]]] = []
    for n, line in enumerate([*lines, ""], 1):
        text = line.strip()
        if _BORDER.fullmatch(text):  # an ASCII-art table's border, `+------+------+`: its rule under the header,
            below_row = n < len(lines) and lines[n].strip().startswith("|")  # or its top, or its bottom
            if len(table) == 1 and below_row:
                table.append((n, ["---"]))
                continue
            if not table and below_row or table and not below_row:
                continue  # (a border between rows, a grid's, ends the table as any other line: rows over two
                # lines are not told apart)
        if text.startswith("|") or text.startswith(HEADER + "|"):
            table.append((n, [c.strip().strip("`*").strip() for c in text.lstrip(HEADER).strip("|").split("|")]))
            if text.startswith(HEADER):
                table.append((n, ["---"]))  # the rule an HTML header row has none of
            continue
        if table:
            # the line above it, past a LaTeX float's own (`\begin{table}[h]`, `\centering`)
            above = [x.strip() for x in lines[max(0, table[0][0] - 10) : table[0][0] - 1] if x.strip()]
            above = [x for x in above if not _LAYOUT.fullmatch(x)][-3:]  # (\begin{table}, \centering … skipped)
            # and its caption below it, where LaTeX puts one (`\caption{E_total after n updates}`) or a
            # Markdown file's `*Table 2: …*`
            near = [x.strip() for x in lines[n - 1 : n + 3] if x.strip()]
            below = [x for x in near[:1] if _CAPTION.match(x)]
            # what a table of numbers by η is of, said near it (`the column header is the number of updates`
            # above, `the error after 500 updates (0.02937)` below): three lines each way
            context = " ".join([*above[-3:], *near[:3]])
            # the one η the lines above it name (`## Update (η = 0.8)`): its steps' η, where no column says
            rate = _header_eta(" ".join(above[-3:]))
            for at, said in _table(table, " ".join([*above[-1:], *below]), context, " ".join(above[-3:])).items():
                out.setdefault(at, []).extend(_stepped_at(f, rate) for f in said)
            table = []
        if (m := _LISTED.fullmatch(text)) and (q := eq.symbol(m[1])) and _given(q):
            out[n] = [Equation([Sym(q), Num(float(m[2]), m[2])], f"{m[1]} = {m[2]}")]  # - w1: 0.21
    return out


_BORDER = re.compile(r"\+(?:[-=]{2,}\+)+")
_LAYOUT = re.compile(
    r"(?:\\(?:begin|end)\s*\{\w+\*?\}(?:\[[^\]]*\])?|\\label\s*\{[^{}]*\}|\\centering|\\small|\\footnotesize|\\hline|\s)+"
)
_CAPTION = re.compile(
    r"(?i)^\s*(?:\\caption\b|[*_]*(?:table|tabla|tableau|tabelle|tabela|tabel|表)\s*\d*\s*[:.]?|:\s)"
)  # (`: Error after N updates {#tbl-lr}`, Pandoc's and Quarto's caption)


def _stepped_at(f: Equation, rate: float | None) -> Equation:
    """A row's weight after the step at the η the lines above the table name, where its column names none
    (`| w₂ | 0.2 | 0.0003170 | 0.1997 |` under `Update (η = 0.8)` was right at η = 0.5, and not blamed)."""
    if rate is None or f.eta is not None:
        return f
    if any(isinstance(x, Sym) and x.name.startswith(NEW) for side in f.sides for x in eq.walk(side)):
        return replace(f, eta=rate)
    return f


def _given(q: str) -> bool:
    return re.fullmatch(r"[itwb]\d+", q) is not None


# 2.980×10^{-4}, as LaTeX typesets a small number (rendered `2.980*10^(-4)`): 2.980e-4
_POWER_OF_TEN = re.compile(r"(-?(?:\d+\.\d*|\.\d+|\d+))\s*[*×·]\s*10\s*\^\s*\(?\s*([-−]?\d{1,3})\s*\)?")


def _number(cell: str) -> Num | None:
    if _NUMBER.fullmatch(cell):
        return Num(float(cell), cell)
    if m := _POWER_OF_TEN.fullmatch(cell.strip()):
        text = f"{m[1]}e{m[2].replace('−', '-')}"
        return Num(float(text), text)
    if _COMMA_NUMBER.fullmatch(cell):
        return Num(float(cell.replace(",", ".")), cell.replace(",", "."))
    return None


def _table(
    rows: list[tuple[int, list[str]]], caption: str = "", context: str = "", above: str = ""
) -> dict[int, list[Equation]]:
    """One table's rows (line, cells): what each states; `caption`, the line above it; `context`, the lines
    near it; `above`, the three lines above it."""
    out: dict[int, list[Equation]] = {}
    header, data = None, []
    for k, (_, cells) in enumerate(rows):
        if all(_RULE.fullmatch(c) for c in cells):
            header = rows[k - 1][1] if k and not all(_RULE.fullmatch(c) for c in rows[k - 1][1]) else None
            data = [(m, c) for m, c in rows[k + 1 :] if not all(_RULE.fullmatch(x) for x in c)]
            break
    # a row of a given value and its number, the header's too: | w1 | 0.15 |; under a header whose second
    # column this reader cannot say (`| 가중치 | 기울기 | 업데이트 후 |` before its words were known: weight,
    # gradient, after the update) only in a table of two columns, where the number beside a name is its value
    unsaid = header is not None and len(header) == 2 and role(header[1]) is None
    # or the column its header says holds the value, if another (`| symbol | meaning | initial value |`)
    valued = next((k for k, h in enumerate(header or []) if k >= 2 and role(h) in (VALUE, OLD)), None)
    if valued is not None and any(role(h) for k, h in enumerate(header) if k and k != valued):
        valued = None  # other columns it reads (`| w | gradient formula | value |`: the gradient's value)
    for n, cells in rows:
        if header is None or cells is header or unsaid or role(header[1] if len(header) > 1 else "") in (VALUE, OLD):
            if said := _givens(cells):
                out.setdefault(n, []).extend(said)
        elif (
            valued is not None
            and valued < len(cells)
            and cells is not header
            and (said := _givens([cells[0], cells[valued]]))
        ):
            out.setdefault(n, []).extend(said)
    if header is None or not data:
        return out
    data = [row for n, cells in data for row in _elements(n, cells)]
    if _RATE.fullmatch(header[0]) and all(c and _number(c[0]) is not None for _, c in data):
        for n, said in _by_rate(header, data, caption, context).items():
            out.setdefault(n, []).extend(said)
        return out
    numbered = all(re.fullmatch(r"\d+", c[0]) for _, c in data if c)
    if numbered and _ITERATIONS.fullmatch(header[0]) and all(_header_eta(h) is not None for h in header[1:]):
        for n, said in _by_iteration(header, data, caption, context).items():
            out.setdefault(n, []).extend(said)
        return out
    if numbered and _ITERATIONS.fullmatch(header[0]) and any(isinstance(_named(h), Sym | Partial) for h in header[1:]):
        for n, said in _iterations(header, data).items():
            out.setdefault(n, []).extend(said)
        return out
    first = data[0]
    if not header[0].strip() and all(role(c[0]) in (GRADIENT, NEW_VALUE, OLD) for _, c in data if c):
        # `|  | w1 | … | w8 |` over `| gradient | … |` and `| after | … |`: each row its label's (read as
        # the weights' values, the gradients' row was blamed 8 times)
        for n, said in _labelled_rows(header, data).items():
            out.setdefault(n, []).extend(said)
        return out
    over = not any(_SKIP.search(h) for h in header) and not (_SKIP.search(first[1][0]) or _AT_2.search(first[1][0]))
    # `Gradients at iteration 1:` over `| w1 | … | w8 |`: each weight's gradient
    of_gradients = (
        bool(_GRADIENT_WORD.search(caption))
        and "=" not in caption  # not an update rule's `w_new = w − η·∂E/∂w` over the weights
        and not _NEW.search(caption)
        and not _GRADIENT.search(" ".join(header))
    )
    for q, x in _named_over(header, first[1]) if over else []:  # | i1 | i2 | w1⁺ | … | over its first row of numbers
        if not any(isinstance(e.sides[0], Sym) and e.sides[0].name == q for e in out.get(first[0], [])):
            if of_gradients and names.is_param(q):
                said_ = _gradient(q, x)
            else:
                said_ = Equation([Sym(q), x], f"{_shown(q)} = {x.text}")
            out.setdefault(first[0], []).append(said_)
    key = 1 if numbered and _COUNTER.fullmatch(header[0]) else 0  # | # | Quantity | …: the rows' number first
    roles = [None] * (key + 1) + [role(h) for h in header[key + 1 :]]
    # `| weight | η = 0.1 | η = 0.2 | … |` under `New weight = old weight − η · gradient …`: each column the
    # weights after the step at its η
    if (_NEW.search(caption) or _NEW.search(above)) and all(_header_eta(h) is not None for h in header[key + 1 :]):
        roles = [r or (NEW_VALUE if k > key else None) for k, r in enumerate(roles)]
    roles = _by_arithmetic(roles, data, key, " ".join([caption, context, above]))
    for n, cells in data:
        said = {e.sides[0] for e in out.get(n, [])}
        out.setdefault(n, []).extend(_row(header[key:], roles[key:], cells[key:], said) if len(cells) > key else [])
    return {n: said for n, said in out.items() if said}


_RATES = (0.1, 0.2, 0.5, 0.8, 1.0, 2.0)  # the course's (extract.ASSIGNMENT), and any the lines near it name


def _by_arithmetic(roles: list, data, key: int, near: str) -> list:
    """A table of weights whose headers this reader cannot say (`| Bobot | Lama | Gradien | Baru |`,
    Indonesian) read by what its numbers do: three columns where, row by row, the third is the first less
    one η times the second (an η the course or the lines near it use) are the weights before the step, their
    gradients and the weights after it — in any language. Every row but at most one must fit (one may hold
    the slip), and at least three rows; a column a header already says is left as it says."""
    rows = [c for _, c in data if c and len(c) > key and isinstance(_named(c[key].split("=")[0].strip()), Sym)]
    rows = [c for c in rows if names.is_param(_named(c[key].split("=")[0].strip()).name)]
    free = [k for k in range(key + 1, len(roles)) if roles[k] is None]
    if len(rows) < 3 or len(free) < 2:
        return roles
    rates = sorted({*_RATES, *(float(m[1]) for m in _HEADER_ETA.finditer(near) if 0 < float(m[1]) <= 10)})

    def column(k: int) -> list[Num | None]:
        return [_number(c[k]) if k < len(c) else None for c in rows]

    olds = [k for k in range(key + 1, len(roles)) if roles[k] in (None, OLD)]
    for a in olds:
        for g in free:
            for n in free:
                if len({a, g, n}) < 3:
                    continue
                A, G, N = column(a), column(g), column(n)
                for eta in rates:
                    fit = [x is not None and y is not None and z is not None and y.value != 0
                           and abs(x.value - eta * y.value - z.value) <= 0.51 * (_unit(z.text) + eta * _unit(y.text))
                           for x, y, z in zip(A, G, N)]  # fmt: skip
                    if sum(fit) >= max(3, len(rows) - 1) and any(abs(eta * y.value) > 0.51 * _unit(z.text)
                                                                 for y, z, f in zip(G, N, fit) if f):  # fmt: skip
                        out = list(roles)
                        out[a], out[g], out[n] = out[a] or OLD, GRADIENT, NEW_VALUE
                        return out
    return roles


def _unit(text: str) -> float:
    """One unit of a printed number's last digit: 0.6064 → 0.0001."""
    mantissa, _, exponent = text.lower().partition("e")
    return 10.0 ** (int(exponent or 0) - len(mantissa.partition(".")[2]))


def _elements(n: int, cells: list[str]) -> list[tuple[int, list[str]]]:
    """A row of a vector, `| a_h | [0.506875, 0.510623] | [0.506865, 0.510612] |`, as a row of each
    of its elements (a_h1, a_h2), on the same line; any other row as it is."""
    lists = [vectors.elements(c) if c.startswith("[") else None for c in cells[1:]]
    sizes = {len(x) for x in lists if x is not None}
    if len(sizes) != 1 or any(x is None and c for x, c in zip(lists, cells[1:])):
        return [(n, cells)]
    size = sizes.pop()
    inner = vectors.named(cells[0], size, {})
    if inner is None or None in inner:
        return [(n, cells)]
    return [(n, [q, *(x[k] if x else "" for x in lists)]) for k, q in enumerate(inner)]


def _givens(cells: list[str]) -> list[Equation]:
    """`| w1 | 0.15 |`, `| i1, i2 | 0.05, 0.1 |`: given values and their numbers."""
    if len(cells) < 2:
        return []
    names_, numbers = [c.strip() for c in cells[0].split(",")], [c.strip() for c in cells[1].split(",")]
    if len(names_) != len(numbers) and not (len(names_) == 1 and _number(cells[1])):
        return []
    if len(names_) == 1:
        numbers = [cells[1]]
    out = []
    for name, number in zip(names_, numbers):
        q = eq.symbol(name) if name and name[0].isalpha() else None
        x = _number(number)
        if q and _given(q) and x is not None:
            out.append(Equation([Sym(q), x], f"{name} = {x.text}"))
    return out


def _named(cell: str):
    """The quantity a cell names (w1, ∂E/∂w5, `a_o1 = σ(o1)`'s a_o1), as a tree, or None."""
    if not cell or _number(cell):
        return None
    said = [f for f in eq.find(cell if "=" in cell else f"{cell} = 1") if isinstance(f, Equation)]
    if len(said) != 1:
        return None
    named = said[0].sides[0]
    return named if isinstance(named, Sym | Partial) and named.name not in (names.ETA, eq.FREE) else None


def _shown(q: str) -> str:
    return f"{q.removeprefix(NEW)}⁺" if q.startswith(NEW) else q


def _named_over(header: list[str], cells: list[str]) -> list[tuple[str, Num]]:
    """A header of names over its first row of numbers: (name, number) of each column."""
    out = []
    for h, cell in zip(header, cells):
        named, x = _named(h), _number(cell)
        if isinstance(named, Sym) and "=" not in h and x is not None and named.name not in (eq.GENERIC, eq.NEW_GENERIC):
            out.append((named.name, x))
    return out


_RATE = re.compile(r"(?i)\$?\s*\\?(?:η|eta|lr|α|alpha|learning[\s_]*rate)\s*\$?(?:\s*\(?\s*(?:η|lr)\s*\)?)?")
_LOSS = re.compile(rf"(?i){spelling.LOSS_WORDS}|\bE\b|\bL\b|ℒ|(?-i:\bE_?[Tt]\b)")  # (E_T, Et: E_total)
_LOSS_NEAR = re.compile(rf"(?i){spelling.LOSS_WORDS}")  # in the lines near a table: not a letter E alone
# which iteration a column of losses is, by its header or the line above the table: `after 1 update` (the
# second); `after 10 updates`, `10 steps`, `n = 10`, `epoch 10`, `@10`, `10` (the 11th iteration, or the
# 10th: a sheet's 10th row, as students count; the 11th only where the line above says `after n updates`);
# `iteration 3` (the third)
_AFTER_N = re.compile(
    r"(?i)\bafter\s+(?:(\d+)|(one|a\s+single|the\s+first|two|three|ten))(?:\s+(?:weight\s+)?(?:steps?|updates?|iterations?|epochs?))?\b"
    r"|(?<![\w.])(\d+)\s+(?:weight\s+)?(?:steps|updates)\b"
)
_ITERATION_N = re.compile(r"(?i)(?:iteration|iter)\s*#?\s*(\d+)\b|\b(second|2nd|third|3rd)\s+iteration\b")
# (and a sheet's row: `row 10`, `ligne 10`, `fila 10`, `Zeile 10`, `linha 10`, `riga 10`, `строка 10`, `第10行`)
_COUNT_N = re.compile(
    r"(?i)^\$?\s*(?:(?:n|k|t|epoch|step|steps|#|row|ligne|fila|zeile|linha|riga|строка|行|행)\s*=?\s*|@\s*)?(\d+)\s*\$?$"
    r"|(?:epoch|step|@|row|ligne|fila|zeile|linha|riga|строка)\s*#?\s*(\d+)\b"
)
_WORD_COUNT = {"one": 1, "a single": 1, "the first": 1, "two": 2, "three": 3, "ten": 10, "second": 2, "2nd": 2,
               "third": 3, "3rd": 3}  # fmt: skip
_AFTER_STEPS_SAID = re.compile(r"(?i)\bafter\s+(?:\$?\s*[nk]\s*\$?|a\s+(?:given\s+)?number\s+of)\s+(?:steps|updates)")


def _counted_from(header: list[str], data) -> int | None:
    """Where a table's `iter N` columns count from: 1 where its `iter 1` column is alike in every row (the
    loss before any step: `iter 50` is the 50th iteration), 0 where it has an `iter 0` (`iter 50` is after
    50 steps, the 51st); None where it says neither."""
    for k, h in enumerate(header):
        m = _ITERATION_N.search(h)
        if not k or not m or not m[1]:
            continue
        if int(m[1]) == 0:
            return 0
        cells = {c[k] for _, c in data if k < len(c) and _number(c[k]) is not None}
        if int(m[1]) == 1 and len(data) >= 2 and len(cells) == 1:
            return 1
    return None


def _iterations_of(header: str, caption: str, counted_from: int | None = None) -> list[int]:
    """The iterations a column of losses may be of (the likelier last), by its header (`after 1 update`
    → [2]; `after 10 updates`, `n = 10` → [10, 11], [11] under `after n updates:`; `iteration 3` → [3, 4]),
    or [] if it says none."""
    if m := _AFTER_N.search(header):  # after 100 iterations: the 100th row as often as the 101st
        n = int(m[1] or m[3]) if (m[1] or m[3]) else _WORD_COUNT[re.sub(r"\s+", " ", m[2].lower())]
        return [n + 1] if n == 1 else [n, n + 1]
    if m := _ITERATION_N.search(header):
        n = int(m[1]) if m[1] else _WORD_COUNT[m[2].lower()]
        # `iter 20` is the 20th row as often as the 20th update (`E_total after 20 / 100 iterations:` over
        # `iter 20  iter 100`): right as either, as `after 10` is (read as the 20th only, 6 rows of right
        # losses were blamed), unless the table says how it counts (an `iter 1` alike in every row, `iter 0`)
        return {1: [n], 0: [n + 1]}.get(counted_from, [n, n + 1])
    if m := _COUNT_N.search(header.strip()):
        n = int(m[1] or m[2])
        return [n + 1] if _AFTER_STEPS_SAID.search(caption) else [n, n + 1]
    return []


def _by_rate(header: list[str], data, caption: str, context: str = "") -> dict[int, list[Equation]]:
    """`| η | after 1 update | after 10 updates |`, under `E_total after n updates:`: a row a learning
    rate, each column the loss at an iteration its header (or the line above the table) says, judged at
    the row's η (`n = 10`, after ten steps or the tenth iteration: right as either); a column that says
    no iteration is not read (the first iteration's loss is every row's alike), nor one that names no
    loss where the line above names none."""
    out: dict[int, list[Equation]] = {}
    counted_from = _counted_from(header, data)
    for k, h in enumerate(header[1:], 1):
        if not (_LOSS.search(h) or _LOSS.search(caption) or _LOSS_NEAR.search(context)):
            continue
        iterations = _iterations_of(h, caption, counted_from) or (
            _iterations_of(caption, "") if len(header) == 2 else []
        )
        iterations = [i for i in iterations if 1 <= i <= LAST_ITERATION]  # `E_total@1`: the 1st or the 2nd
        if not iterations or iterations == [1]:  # the first iteration's loss is every row's alike: nothing of η
            continue
        q, *others = [Sym(at(names.E_TOTAL, i)) for i in reversed(iterations)]
        for n, cells in data:
            eta, x = _number(cells[0]), _number(cells[k]) if k < len(cells) else None
            if eta is None or x is None or not 0 < eta.value <= 10:
                continue
            said_ = Equation([q, x], f"{q.name} (η = {eta.text}) = {x.text}", eta=eta.value,
                             readings=[[o, x] for o in others])  # fmt: skip
            out.setdefault(n, []).append(said_)
    for n, said in _weights_by_rate(header, data, caption + " " + context).items():
        out.setdefault(n, []).extend(said)
    return out


# `### First update of the output weights`, `after one step`: the weights of a table by η after the first step
_FIRST_STEP = re.compile(
    r"(?i)\b(?:first|1st|one|single|a)\s+(?:weight\s+)?(?:update|step)s?\b|\bafter\s+(?:one|1|the\s+first)\s+(?:update|step)"
)


def _weights_by_rate(header: list[str], data, near: str) -> dict[int, list[Equation]]:
    """`| η | w5 | w6 | w7 | w8 |` under `First update of the output weights`: each row a learning rate, each
    weight's column its value after the first step at that η (a weight's column under no such words, or
    one its header says is of a later step, is not read: after how many steps, unsaid)."""
    out: dict[int, list[Equation]] = {}
    for k, h in enumerate(header[1:], 1):
        named = _named(h.split("(")[0].strip())
        if not isinstance(named, Sym) or _SKIP.search(h) or _COLUMN_AFTER_STEPS.search(h):
            continue
        weight = named.name.removeprefix(NEW)
        if not names.is_param(weight) or not (named.name.startswith(NEW) or _NEW.search(h) or _FIRST_STEP.search(near)):
            continue
        for n, cells in data:
            eta, x = _number(cells[0]), _number(cells[k]) if k < len(cells) else None
            if eta is None or x is None or not 0 < eta.value <= 10:
                continue
            shown = _shown(NEW + weight)
            out.setdefault(n, []).append(Equation([Sym(NEW + weight), x], f"{shown} (η = {eta.text}) = {x.text}",
                                                  eta=eta.value))  # fmt: skip
    return out


def _by_iteration(header: list[str], data, caption: str, context: str = "") -> dict[int, list[Equation]]:
    """`| n | η=0.1 | η=0.2 | … |` under `E at iteration n`: a row an iteration, each column the loss at the η
    its header names. Where the rows begin, the first row says: the same loss in every column is the
    first iteration's (no step taken yet); a different one, after the first step (the second's). A table
    of one η, or whose first row is unsure, is right as either."""
    later = any(_SKIP.search(_HEADER_ETA.sub("", h)) for h in header)  # (`η = 0.5 (final)`)
    if not (_LOSS.search(caption) or _LOSS_NEAR.search(context)) or later:
        return {}
    etas = [_header_eta(h) for h in header[1:]]
    first = [x.value for k in range(1, len(header)) if k < len(data[0][1]) and (x := _number(data[0][1][k]))]
    start = int(data[0][1][0])
    if len(first) >= 2 and max(first) - min(first) < 1e-12:
        shifts = [1 - start]  # the first row is every η's alike: before any step
    elif len(first) >= 2:
        shifts = [2 - start]  # each η's own already: after the first step
    else:
        shifts = [1 - start, 2 - start]
    out: dict[int, list[Equation]] = {}
    for n, cells in data:
        iterations = [int(cells[0][:6]) + s for s in shifts]
        iterations = [i for i in iterations if 2 <= i <= LAST_ITERATION]  # the first is every η's alike
        if not iterations:
            continue
        q, *others = [Sym(at(names.E_TOTAL, i)) for i in iterations]
        for k, eta in enumerate(etas, 1):
            if k < len(cells) and (x := _number(cells[k])) is not None:
                said_ = Equation([q, x], f"{q.name} (η = {eta:g}) = {x.text}", eta=eta,
                                 readings=[[o, x] for o in others])  # fmt: skip
                out.setdefault(n, []).append(said_)
    return out


def _iterations(header: list[str], data) -> dict[int, list[Equation]]:
    """`| iteration | E_total |` (or `| step | loss |` from 0): each quantity at each iteration (a row
    numbered from 0 is before any step, from 1 the first iteration), as far as LAST_ITERATION; a table
    that begins further on (`| 10 | … |`) is numbered either way, and right as either."""
    out: dict[int, list[Equation]] = {}
    start = int(data[0][1][0])  # numbered from 0 (before any step) or from 1
    columns = [(k, _named(h)) for k, h in enumerate(header) if k and "=" not in h]
    for n, cells in data:
        said = int(cells[0][:6])
        iterations = [said - start + 1] if start in (0, 1) else [said + 1, said]
        iterations = [i for i in iterations if 1 <= i <= LAST_ITERATION]
        for k, named in columns:
            if not iterations or not isinstance(named, Sym | Partial) or k >= len(cells):
                continue
            if (x := _number(cells[k])) is None:
                continue
            if isinstance(named, Sym) and names.is_param(named.name):
                # a row's weights may be those it uses or those after its step (`| iter | … | E_total | ∂E/∂w1
                # | … | w1 | … |` under `the weights after the update of that row`): right as either
                steps = list(dict.fromkeys([*iterations, *(i + 1 for i in iterations if i < LAST_ITERATION)]))
                q, *others = [named if i == 1 else Sym(at(named.name, i)) for i in steps]
                out.setdefault(n, []).append(
                    Equation([q, x], f"{q.name} = {x.text}", readings=[[o, x] for o in others])
                )
                continue
            if iterations == [2] and isinstance(named, Sym):
                out.setdefault(n, []).append(_at_2(named.name, x))
                continue
            # (a column of gradients, `| iter | dw1 | … |`: ∂E_total/∂w1 at each iteration)
            q, *others = [named if i == 1 else Sym(at(named.name, i)) for i in iterations]
            said_ = Equation([q, x], f"{q.name} = {x.text}", readings=[[o, x] for o in others])
            out.setdefault(n, []).append(said_)
    return out


def _worked(cell: str) -> list[str] | None:
    """A cell that works a number out, `0.4 − 0.0721571 = 0.3278429`: its sides; else None."""
    parts = [p.strip() for p in cell.split("=")]
    if len(parts) < 2 or not all(parts) or _number(parts[-1]) is None:
        return None
    return parts if all(not re.search(r"[^\W\d]", p) for p in parts) else None  # numbers only


def _whole(parts: list[str]) -> list[Equation]:
    """`subject = formula = value` as one equation of as many sides, or nothing: a piece of it read
    alone (the tail of a formula in notation this reader does not know) is not what the row says."""
    found = eq.find(" = ".join(parts))
    if len(found) == 1 and isinstance(found[0], Equation) and len(found[0].sides) == len(parts):
        return found
    return []


def _gradient(q: str, x: Num) -> Equation:
    """∂E_total/∂q is x, as a table's row or column says."""
    return Equation([Partial(names.E_TOTAL, q), x], f"∂E_total/∂{q} = {x.text}")


def _labelled_rows(header: list[str], data) -> dict[int, list[Equation]]:
    """Rows each labelled by what they hold (gradient, after the step, before it), under a header of weights."""
    out: dict[int, list[Equation]] = {}
    for n, cells in data:
        kind = role(cells[0])
        for h, cell in zip(header[1:], cells[1:]):
            named, x = _named(h), _number(cell)
            if not (isinstance(named, Sym) and names.is_param(named.name.removeprefix(NEW))) or x is None:
                continue
            q = named.name.removeprefix(NEW)
            if named.name.startswith(NEW) and kind != NEW_VALUE:
                continue  # `| w1⁺ |` over a row of gradients: which is which, unsure
            if kind == GRADIENT:
                said_ = _gradient(q, x)
            else:
                q = NEW + q if kind == NEW_VALUE else q
                said_ = Equation([Sym(q), x], f"{_shown(q)} = {x.text}")
            out.setdefault(n, []).append(said_)
    return out


def _at_2(q: str, x: Num) -> Equation:
    """q at the second iteration is x; a weight there may be the one it uses (after one step) or the
    one it makes (after two): a table says either, and either is right (Equation.readings)."""
    said = Equation([Sym(q + AT2), x], f"{q} (iteration 2) = {x.text}")
    if names.is_param(q):
        said.readings = [[Sym(NEW + q + AT2), x]]
    return said


def _stepping(side, weight: str) -> bool:
    """Whether a formula is a step of gradient descent: the weight's old value less (or plus) something,
    in numbers or in names (0.15 − 0.2·0.000156, w1 − η·∂E/∂w1)."""
    if isinstance(side, Op) and side.op in "+-" and isinstance(side.left, Num | Sym):
        return isinstance(side.left, Num) or side.left.name == weight
    return any(isinstance(x, Sym) and x.name == names.ETA for x in eq.walk(side))


def _row(header: list[str], roles: list, cells: list[str], said: set) -> list[Equation]:
    """A row of one quantity, by what each column holds: its value, gradient, value after the step,
    at the second iteration, its formula."""
    # `| g1 = ∂E_total/∂w1 | … |`: a row named twice, the file's short name and the quantity's
    first, named = next(
        ((part, q) for part in map(str.strip, cells[0].split("=")) if (q := _named(part))), (cells[0].strip(), None)
    )
    if named is None and "=" in cells[0]:
        named = _named(cells[0])
    if named is None:
        return []
    q = named.name
    steps = isinstance(named, Sym) and names.is_param(q)  # a weight, a bias: it has a value after the step
    by = isinstance(named, Sym) and q not in (names.E_TOTAL,) and not names.is_loss(q) and not q.startswith(NEW)
    # a gradient's column of formulas, by its header's word or by its cells (`| weight | ∂E_total/∂w | value |`
    # over `| w5 | δo1·a_h1 | 0.07216 |`: the value is the gradient's, not w5's)
    formulas = [k for k, (r, h) in enumerate(zip(roles, header)) if r == GRADIENT and
                (_FORMULA.search(h) or k < len(cells) and cells[k].strip() and _number(cells[k]) is None)]  # fmt: skip
    gradient_formula = bool(formulas)
    gradient_values = any(r == GRADIENT and k not in formulas for k, r in enumerate(roles))
    values = [k for k, r in enumerate(roles) if k and r == VALUE]
    # what a formula column and a value column are of: the gradient, when a column says so and no other
    # column gives its number (`| weight | gradient formula | value |`, `| x | formula | grad[x] |`)
    of_gradient = by and (gradient_formula and not gradient_values or gradient_values and not values)
    subject = f"∂E_total/∂{q}" if of_gradient else first.split("=")[0].strip()
    out = []
    formula = next((cells[k] for k, r in enumerate(roles) if k and k < len(cells) and
                    (r == FORMULA or r == GRADIENT and k in formulas)), None)  # fmt: skip
    # `(O₁ − t₁)·O₁(1 − O₁)·H₁ = δo₁·H₁`: a formula worked in steps (not `w5 = w5 − η·g`, the rule)
    worked = formula and "=" in formula and _named(formula.split("=")[0]) is None and not _number(formula)
    formula = formula if formula and ("=" not in formula or worked) and not _number(formula) else None
    value = next((x for k in values if k < len(cells) and (x := _number(cells[k])) is not None), None)
    if of_gradient and value is None:
        value = next((x for k, r in enumerate(roles) if k and r == GRADIENT and k < len(cells)
                      and (x := _number(cells[k])) is not None), None)  # fmt: skip
    if formula or value is not None and (of_gradient or named not in said):  # w5 = 0.4 said once
        said_formula = [x.strip() for x in formula.split("=")] if formula else []
        parts = [x for x in (subject, *said_formula, value.text if value is not None else None) if x]
        found = _whole(parts)
        if formula and not found and value is not None:  # a formula this reader cannot read: the value alone
            found = _whole([subject, value.text])
        if formula and steps and not of_gradient and not gradient_values:
            # `| weight | formula | value |` under "gradients": each row a weight's gradient, or its value;
            # right as either (`| w₅ | δo₁·H₁ | 0.0128808 |` was blamed as w5 = 0.0128808); not a step's
            # row (`| w₁ | 0.15 − 0.2·0.000156 | 0.149969 |`: the weight after it)
            found = [
                replace(f, sides=[Partial(names.E_TOTAL, q), *f.sides[1:]], readings=[f.sides])
                if not any(_stepping(side, q) for side in f.sides[1:])
                else f
                for f in found
            ]
        out += found
    for k, r in enumerate(roles):
        if k and k < len(cells) and r in (GRADIENT, NEW_VALUE) and (worked := _worked(cells[k])):
            # `| w8 | … | 0.55 - 0.0427692 = 0.5072308 |` under `w⁺`: the step worked out in the cell
            subject = f"∂E_total/∂{q}" if r == GRADIENT else f"{q}_new"
            if (r == GRADIENT and by or r == NEW_VALUE and steps) and (found := _whole([subject, *worked])):
                out += [replace(f, eta=_header_eta(header[k])) for f in found] if r == NEW_VALUE else found
            continue
        if not k or k >= len(cells) or (x := _number(cells[k])) is None:
            continue
        if r == OLD and named not in said and not values:
            out.append(Equation([named, x], f"{q} = {x.text}"))
        elif r == GRADIENT and by and not of_gradient:
            out.append(_gradient(q, x))
        elif r == NEW_VALUE and steps:
            out.append(Equation([Sym(NEW + q), x], f"{_shown(NEW + q)} = {x.text}", eta=_header_eta(header[k])))
        elif r == AT_2 and isinstance(named, Sym | Partial):
            out.append(_at_2(named.name, x))
        elif r and r.startswith(AFTER) and steps and (n := int(r.split()[1]) + 1) <= LAST_ITERATION:
            said_ = f"{q} at iteration {n} = {x.text}"  # w3 after 2 steps, at the η its header names if it does
            out.append(Equation([Sym(at(q, n)), x], said_, eta=_header_eta(header[k])))
    return out

"""`sheetgen check FILE --mark OUT.xlsx`: the student's own workbook handed back with its mistakes marked.

Each wrong quantity's first wrong cell is filled red and carries a comment (the diagnosis, expected and
found values, the fix); its other wrong cells are shaded. Nothing else changes: only the parts touched
are rewritten — the marked sheets' XML (a cell's `s` attribute, and a `<legacyDrawing>` where the sheet
had no comments), styles.xml (fills and cell formats appended, none changed), the comments part and its
VML drawing (new, or appended to), the sheet's relationships and [Content_Types].xml — and every other
part (charts, drawings, other sheets, defined names, column widths) is copied as it was. openpyxl's
round trip would drop the charts.
"""

import os
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from sheetgen import files
from sheetgen.check.run import FileResult, _num
from sheetgen.errors import WorkbookError
from sheetgen.xlsx import excel

FIRST = "FFFF0000"  # the first wrong cell: red
OTHERS = "FFFFC7CE"  # the other wrong cells of that quantity: Excel's light red
AUTHOR = "sheetgen"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
COMMENTS_REL = REL + "/comments"
VML_REL = REL + "/vmlDrawing"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# what may follow <legacyDrawing> in a worksheet (CT_Worksheet's order)
AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                "tableParts", "extLst")  # fmt: skip


def marks(result: FileResult) -> dict[str, dict[tuple[int, int], str | None]]:
    """sheet name -> {(row, col): the comment of a first wrong cell, or None for a shaded one}."""
    out: dict[str, dict[tuple[int, int], str | None]] = {}
    for t in result.tables:
        cells = out.setdefault(t.table.sheet.name, {})
        for m in t.report.mistakes:
            at = excel.parse_ref(m.where)
            if t.table.transposed:  # the view's rows are the sheet's columns
                row = t.table.columns.get(m.quantity, at.row)
                for c in m.wrong_rows:
                    cells.setdefault((row, c), None)
                cells[(at.row, at.col)] = comment(m)
                continue
            col = t.table.columns.get(m.quantity, at.col)
            for r in m.wrong_rows:
                cells.setdefault((r, col), None)
            cells[(at.row, at.col)] = comment(m)
    return {s: c for s, c in out.items() if c}


def comment(m) -> str:
    """A first wrong cell's comment: what `sheetgen check` says of it."""
    lines = [f"sheetgen check: {m.quantity} at {m.where} ({m.rows} row{'s' if m.rows != 1 else ''} wrong): {m.message}"]
    if m.formula:
        values = f"expected {_num(m.expected)}, got {_num(m.got)}" if m.expected is not None else f"got {m.got}"
        lines.append(f"{m.formula}   {values}")
    elif m.expected is not None:
        lines.append(f"expected {_num(m.expected)}, got {_num(m.got)}")
    if m.fix:
        lines.append(f"fix: {m.fix}")
    return "\n".join(lines)


def mark(result: FileResult, out) -> int:
    """Write the marked copy of `result`'s workbook to `out`; the number of cells marked. A workbook with
    nothing wrong gets no copy (0). Never written over the workbook itself."""
    src, out = Path(result.path), Path(out)
    if not isinstance(result, FileResult):
        raise WorkbookError(f"{src}: --mark marks a workbook's cells; a write-up has none")
    if result.converted is not None or src.suffix.lower() in (".xls", ".ods", ".xlsb"):
        raise WorkbookError(f"{src}: --mark marks an .xlsx workbook; save it as .xlsx first")
    if not out.name.lower().endswith((".xlsx", ".xlsm")):
        raise WorkbookError(f"{out}: --mark writes an .xlsx workbook: give a name ending in .xlsx")
    if _same(src, out):
        raise WorkbookError(f"{out}: is the workbook being checked; --mark writes a copy, give another name")
    files.regular(out, doing="cannot write the marked copy: ")
    todo = marks(result)
    if not todo:
        return 0
    try:
        with zipfile.ZipFile(src) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
            infos = z.infolist()
    except (OSError, zipfile.BadZipFile, KeyError) as e:
        raise WorkbookError(f"{src}: cannot read: {getattr(e, 'strerror', None) or e}") from None
    try:
        changed = _patch(parts, todo)
    except (KeyError, ValueError, UnicodeDecodeError) as e:
        raise WorkbookError(f"{src}: cannot mark this workbook ({e})") from None
    files.write_atomic(out, _zip(infos, parts, changed))
    return sum(len(c) for c in todo.values())


def _same(a: Path, b: Path) -> bool:
    try:
        return b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _zip(infos, parts: dict[str, bytes], changed: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info in infos:
            z.writestr(info, changed.get(info.filename, parts[info.filename]))
        for name, data in changed.items():  # new parts dated as the workbook's first: the same marks, the same bytes
            if name not in parts:
                z.writestr(zipfile.ZipInfo(name, infos[0].date_time), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# -- the parts --------------------------------------------------------------------------------------
def _patch(parts: dict[str, bytes], todo: dict) -> dict[str, bytes]:
    changed: dict[str, bytes] = {}
    sheets = _sheet_parts(parts)
    styles_name = _target("xl/workbook.xml", _rels(parts, "xl/workbook.xml"), REL + "/styles") or "xl/styles.xml"
    styles = parts[styles_name].decode("utf-8")
    styles, fill_first = _add_fill(styles, FIRST)
    styles, fill_other = _add_fill(styles, OTHERS)
    xfs = _cell_xfs(styles)
    new_xfs: dict[tuple[int, int], int] = {}  # (old xf, fill) -> new xf
    types = parts["[Content_Types].xml"].decode("utf-8")
    for sheet_name, cells in todo.items():
        part = sheets.get(sheet_name)
        if part is None:
            raise ValueError(f"no sheet {sheet_name!r}")
        xml = parts[part].decode("utf-8")
        for (r, c), text in sorted(cells.items()):
            fill = fill_first if text is not None else fill_other

            def styled(old: int, fill=fill) -> int:
                if (old, fill) not in new_xfs:
                    new_xfs[(old, fill)] = len(xfs)
                    xfs.append(_with_fill(xfs[old] if old < len(xfs) else xfs[0], fill))
                return new_xfs[(old, fill)]

            xml = _style_cell(xml, r, c, styled)
        notes = {at: text for at, text in cells.items() if text is not None}
        if notes:
            xml, types = _comment(parts, changed, part, xml, notes, types)
        changed[part] = xml.encode("utf-8")
    changed[styles_name] = _set_cell_xfs(styles, xfs).encode("utf-8")
    changed["[Content_Types].xml"] = types.encode("utf-8")
    return changed


def _rels(parts, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, Target) of a part's relationships."""
    folder, name = part.rsplit("/", 1) if "/" in part else ("", part)
    rels = parts.get(f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels")
    if rels is None:
        return []
    out = []
    for attrs in re.findall(r"<Relationship\b([^>]*)/?>", rels.decode("utf-8")):
        get = lambda key, attrs=attrs: unescape(m[1]) if (m := re.search(rf'\b{key}="([^"]*)"', attrs)) else ""  # noqa: E731
        out.append((get("Id"), get("Type"), get("Target")))
    return out


def _resolve(part: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    folder = part.rsplit("/", 1)[0].split("/") if "/" in part else []
    for piece in target.split("/"):
        if piece == "..":
            folder = folder[:-1]
        elif piece not in ("", "."):
            folder.append(piece)
    return "/".join(folder)


def _target(part: str, rels, kind: str) -> str | None:
    return next((_resolve(part, t) for _, ty, t in rels if ty == kind), None)


def _sheet_parts(parts) -> dict[str, str]:
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    by_id = {i: _resolve("xl/workbook.xml", t) for i, _, t in _rels(parts, "xl/workbook.xml")}
    out = {}
    for attrs in re.findall(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook):
        name = re.search(r'\bname="([^"]*)"', attrs)
        rid = re.search(r'\br:id="([^"]*)"', attrs) or re.search(r'\b\w+:id="([^"]*)"', attrs)
        if name and rid and rid[1] in by_id:
            out[unescape(name[1], {"&quot;": '"', "&apos;": "'"})] = by_id[rid[1]]
    return out


def _add_fill(styles: str, rgb: str) -> tuple[str, int]:
    fill = f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/><bgColor indexed="64"/></patternFill></fill>'
    m = re.search(r"<fills\b([^>]*)>(.*?)</fills>", styles, re.S)
    if m is None:
        raise ValueError("styles.xml has no fills")
    n = len(re.findall(r"<fill\b[^>]*?(?:/>|>.*?</fill>)", m[2], re.S))
    attrs = re.sub(r'\bcount="\d+"', f'count="{n + 1}"', m[1]) if "count=" in m[1] else f'{m[1]} count="{n + 1}"'
    return styles[: m.start()] + f"<fills{attrs}>{m[2]}{fill}</fills>" + styles[m.end() :], n


_XF = re.compile(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)


def _cell_xfs(styles: str) -> list[str]:
    m = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.S)
    if m is None:
        raise ValueError("styles.xml has no cell formats")
    return _XF.findall(m[1]) or ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']


def _set_cell_xfs(styles: str, xfs: list[str]) -> str:
    m = re.search(r"<cellXfs\b([^>]*)>(.*?)</cellXfs>", styles, re.S)
    old = _XF.findall(m[2])
    added = "".join(xfs[len(old) :])
    attrs = re.sub(r'\bcount="\d+"', f'count="{len(xfs)}"', m[1]) if "count=" in m[1] else f'{m[1]} count="{len(xfs)}"'
    return styles[: m.start()] + f"<cellXfs{attrs}>{m[2]}{added}</cellXfs>" + styles[m.end() :]


def _with_fill(xf: str, fill: int) -> str:
    head = re.match(r"<xf\b[^>]*?(?=/?>)", xf)[0]
    for key, value in (("fillId", str(fill)), ("applyFill", "1")):
        head = re.sub(rf'\b{key}="[^"]*"', f'{key}="{value}"', head) if f"{key}=" in head else f'{head} {key}="{value}"'
    return head + xf[len(re.match(r"<xf\b[^>]*?(?=/?>)", xf)[0]) :]


def _style_cell(xml: str, r: int, c: int, styled) -> str:
    """Give cell (r, c) the cell format `styled(its old one)`; an empty cell is written in as a styled blank."""
    ref = f"{excel.col_name(c)}{r + 1}"
    m = re.search(rf'<c\b(?=[^>]*\br="{ref}")([^>]*?)(/?)>', xml)
    if m:
        attrs = m[1]
        s = re.search(r'\bs="(\d+)"', attrs)
        new = styled(int(s[1]) if s else 0)
        attrs = re.sub(r'\bs="\d+"', f's="{new}"', attrs) if s else f'{attrs} s="{new}"'
        return xml[: m.start()] + f"<c{attrs}{m[2]}>" + xml[m.end() :]
    blank = f'<c r="{ref}" s="{styled(0)}"/>'
    row = re.search(rf'<row\b(?=[^>]*\br="{r + 1}")[^>]*?(/?)>', xml)
    if row is None:  # no such row yet: a new one, in order
        new_row = f'<row r="{r + 1}">{blank}</row>'
        after = [x for x in re.finditer(r'<row\b[^>]*\br="(\d+)"', xml) if int(x[1]) > r + 1]
        if after:
            return xml[: after[0].start()] + new_row + xml[after[0].start() :]
        if "<sheetData/>" in xml:
            return xml.replace("<sheetData/>", f"<sheetData>{new_row}</sheetData>", 1)
        end = xml.index("</sheetData>")
        return xml[:end] + new_row + xml[end:]
    if row[1] == "/":  # <row r="5"/>
        return xml[: row.start()] + row[0][:-2] + f">{blank}</row>" + xml[row.end() :]
    end = xml.index("</row>", row.end())
    for cell in re.finditer(r'<c\b[^>]*\br="([A-Z]+)\d+"', xml[row.end() : end]):
        if excel.col_index(cell[1]) > c:
            at = row.end() + cell.start()
            return xml[:at] + blank + xml[at:]
    return xml[:end] + blank + xml[end:]


def _comment(parts, changed, part: str, xml: str, notes: dict, types: str) -> tuple[str, str]:
    """Add the notes as comments of sheet `part`: to its comments part and VML drawing, or new ones."""
    rels = _rels(parts, part)
    folder, name = part.rsplit("/", 1)
    rels_name = f"{folder}/_rels/{name}.rels"
    comments_part = _target(part, rels, COMMENTS_REL)
    vml_part = _target(part, rels, VML_REL)
    new_rels = []
    ids = {i for i, _, _ in rels}
    next_id = 1

    def rid():
        nonlocal next_id
        while f"rId{next_id}" in ids:
            next_id += 1
        ids.add(f"rId{next_id}")
        return f"rId{next_id}"

    if comments_part is None:
        n = 1
        while f"xl/comments{n}.xml" in parts or f"xl/comments{n}.xml" in changed:
            n += 1
        comments_part = f"xl/comments{n}.xml"
        comments = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{MAIN}"><authors></authors><commentList></commentList></comments>'  # noqa: E501
        new_rels.append((rid(), COMMENTS_REL, _relative(part, comments_part)))
        types = _override(types, comments_part, COMMENTS_TYPE)
    else:
        comments = (changed.get(comments_part) or parts[comments_part]).decode("utf-8")
    comments = _add_comments(comments, notes)
    changed[comments_part] = comments.encode("utf-8")

    if vml_part is None:
        n = 1
        while f"xl/drawings/vmlDrawing{n}.vml" in parts or f"xl/drawings/vmlDrawing{n}.vml" in changed:
            n += 1
        vml_part = f"xl/drawings/vmlDrawing{n}.vml"
        block = 1 + max((int(x) for p, d in parts.items() if p.endswith(".vml")
                         for x in re.findall(rb'<o:idmap\b[^>]*\bdata="(\d+)', d)), default=0)  # fmt: skip
        vml = (
            '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
            f"{_SHAPETYPE}</xml>"
        )
        first_shape = block * 1024 + 1
        rel = rid()
        new_rels.append((rel, VML_REL, _relative(part, vml_part)))
        if not re.search(r'\bExtension="vml"', types, re.I):
            types = types.replace("<Override", f'<Default Extension="vml" ContentType="{VML_TYPE}"/><Override', 1)
        xml = _legacy_drawing(xml, rel)
    else:
        vml = (changed.get(vml_part) or parts[vml_part]).decode("utf-8")
        if "_x0000_t202" not in vml:
            vml = vml.replace("</xml>", _SHAPETYPE + "</xml>")
        used = [int(x) for p, d in parts.items() if p.endswith(".vml") for x in re.findall(rb"_x0000_s(\d+)", d)]
        first_shape = 1 + max(used, default=1024)
    shapes = "".join(_shape(first_shape + k, r, c) for k, (r, c) in enumerate(sorted(notes)))
    changed[vml_part] = vml.replace("</xml>", shapes + "</xml>").encode("utf-8")

    if new_rels:
        body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{escape(g)}"/>' for i, t, g in new_rels)
        old = changed.get(rels_name) or parts.get(rels_name)
        if old is None:
            text = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
            text += f"{body}</Relationships>"
        else:
            text = old.decode("utf-8").replace("</Relationships>", body + "</Relationships>")
        changed[rels_name] = text.encode("utf-8")
    return xml, types


def _relative(part: str, target: str) -> str:
    up = part.count("/")
    return "../" * (up - 1) + target.split("/", 1)[1] if up > 1 else target[len(part.rsplit("/", 1)[0]) + 1 :]


def _override(types: str, part: str, content_type: str) -> str:
    return types.replace("</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>')


def _add_comments(comments: str, notes: dict) -> str:
    authors = re.search(r"<authors>(.*?)</authors>|<authors\s*/>", comments, re.S)
    names = re.findall(r"<author>(.*?)</author>", authors[1] or "", re.S) if authors else []
    if AUTHOR in names:
        author = names.index(AUTHOR)
    else:
        author = len(names)
        new = f"<authors>{(authors[1] or '') if authors else ''}<author>{AUTHOR}</author></authors>"
        if authors:
            comments = comments[: authors.start()] + new + comments[authors.end() :]
        else:
            comments = re.sub(r"(<comments\b[^>]*>)", r"\1" + new, comments, count=1)
    for (r, c), text in sorted(notes.items()):
        ref = f"{excel.col_name(c)}{r + 1}"
        run = f'<r><t xml:space="preserve">{escape(text)}</t></r>'
        existing = re.search(rf'<comment\b[^>]*\bref="{ref}"[^>]*>(.*?)</comment>', comments, re.S)
        if existing:  # one comment a cell: ours goes under the one already there
            inner = existing[1]
            if "<r>" not in inner:  # a plain <t>: made a run, so runs may follow it
                inner = re.sub(r"(<t\b.*?</t>)", r"<r>\1</r>", inner, count=1, flags=re.S)
            inner = inner.replace("</text>", f'<r><t xml:space="preserve">\n\n</t></r>{run}</text>')
            new = existing[0].replace(existing[1], inner)
            comments = comments[: existing.start()] + new + comments[existing.end() :]
            continue
        entry = f'<comment ref="{ref}" authorId="{author}"><text>{run}</text></comment>'
        if "<commentList/>" in comments:
            comments = comments.replace("<commentList/>", f"<commentList>{entry}</commentList>", 1)
        else:
            comments = comments.replace("</commentList>", entry + "</commentList>", 1)
    return comments


_SHAPETYPE = (
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
    '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)


def _shape(n: int, r: int, c: int) -> str:
    # anchored right of the cell, hidden until the cell is pointed at, as Excel draws a new note
    anchor = f"{c + 1}, 15, {max(r - 1, 0)}, 10, {c + 4}, 15, {r + 4}, 4"
    return (
        f'<v:shape id="_x0000_s{n}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;'
        'margin-top:1.5pt;width:320pt;height:110pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
        'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
        '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div>'
        '</v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
        f"<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{r}</x:Row><x:Column>{c}</x:Column>"
        "</x:ClientData></v:shape>"
    )


def _legacy_drawing(xml: str, rel: str) -> str:
    """A <legacyDrawing> pointing at the VML drawing, where CT_Worksheet puts it; the relationships
    namespace declared on the root when the sheet had none (openpyxl writes none)."""
    prefix = next((p for p, ns in re.findall(r'\bxmlns:(\w+)="([^"]*)"', xml) if ns == REL), None)
    if prefix is None:
        prefix = "r" if not re.search(r"\bxmlns:r=", xml) else "sgr"
        xml = re.sub(r"<((?:\w+:)?worksheet\b)", rf'<\1 xmlns:{prefix}="{REL}"', xml, count=1)
    element = f'<legacyDrawing {prefix}:id="{rel}"/>'
    at = None
    for tag in AFTER_LEGACY:
        if (m := re.search(rf"<{tag}\b", xml)) and (at is None or m.start() < at):
            at = m.start()
    if at is None:
        at = xml.rindex("</worksheet>")
    return xml[:at] + element + xml[at:]

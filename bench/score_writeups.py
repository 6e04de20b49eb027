"""Score `sheetgen check` on a folder of labelled write-ups (a blind corpus): per file and in total,
the wrong lines found, missed and the false alarms, precision and recall, and how many of the
equation lines a person counts sheetgen read.

    python bench/score_writeups.py FOLDER [LABELS.json] [--sheetgen CMD] [--json]

LABELS.json (default FOLDER/labels.json) holds, per file name: `equation_lines` (the lines a person
counts as equations), `wrong` ({line: what is wrong}) and `latex` (whether its equations are LaTeX).
Each file is checked in a process of its own, as a student runs it: `sheetgen check --json FILE`.

- found: a labelled wrong line with a mistake reported at it; missed: one with none;
- false alarm: a line with a mistake reported that is not labelled wrong (a warning is no mistake;
  warnings are listed, not counted);
- precision = found lines / lines with a mistake; recall = found / labelled wrong lines;
- read: of the labelled equation lines, those in the JSON's `lines_read` (an equation judged there);
  the goal (issue #22) counts it for the LaTeX files (`latex: true`). `+η`: also the lines whose
  equation sets the learning rate (skipped as `it sets the learning rate`: read and used to judge the
  updates, but nothing to check), said apart.
"""

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path


def run(cmd: list[str], path: Path) -> dict:
    done = subprocess.run([*cmd, "check", "--json", "-q", str(path)], capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if not lines:
        return {"verdict": "no output", "reason": done.stderr.strip()[-300:]}
    return json.loads(lines[0])


def score(name: str, label: dict, out: dict) -> dict:
    wrong = {int(n): what for n, what in label.get("wrong", {}).items()}
    eq_lines = set(label.get("equation_lines", []))
    mistakes = out.get("mistakes", [])
    blamed: dict[int, list[dict]] = {}
    for m in mistakes:
        blamed.setdefault(m["line"], []).append(m)
    read = set(out.get("lines_read", []))
    sets = {s["line"] for s in out.get("skipped", []) if s["reason"] == "it sets the learning rate"}
    skipped: dict[int, list[str]] = {}
    for s in out.get("skipped", []):
        skipped.setdefault(s["line"], []).append(f"{s['text']!r}: {s['reason']}")
    warned: dict[int, list[str]] = {}
    for w in out.get("warnings", []):
        warned.setdefault(w["line"], []).append(w["text"])
    found = sorted(n for n in wrong if n in blamed)
    missed = sorted(n for n in wrong if n not in blamed)
    false = sorted(n for n in blamed if n not in wrong)
    return {
        "file": name,
        "latex": bool(label.get("latex")),
        "verdict": out.get("verdict"),
        "reason": out.get("reason", ""),
        "wrong": len(wrong),
        "found": found,
        "missed": [(n, wrong[n], _what_at(n, read, skipped, warned)) for n in missed],
        "false_alarms": [(n, [f"{m['quantity']}: {m['diagnosis']}  [{m['text']}]" for m in blamed[n]]) for n in false],
        "warnings": sorted((n if n is not None else 0, w) for n, ws in warned.items() for w in ws),
        "equation_lines": len(eq_lines),
        "read": len(eq_lines & read),
        "read_or_eta": len(eq_lines & (read | sets)),
        "unread": sorted(eq_lines - read),
        "read_elsewhere": sorted(read - eq_lines),
    }


def _what_at(n: int, read: set, skipped: dict, warned: dict) -> str:
    if n in warned:
        return "warned: " + "; ".join(warned[n])
    if n in read:
        return "read, judged right"
    if n in skipped:
        return "skipped: " + "; ".join(skipped[n])
    return "not read"


def ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {100 * a / b:.1f} %" if b else f"{a}/{b} = n/a"


def report(rows: list[dict]) -> list[str]:
    out = [f"{'file':28} {'verdict':9} {'wrong':>5} {'found':>5} {'missed':>6} {'false':>5} {'prec':>7} {'recall':>7} "
           f"{'read':>11} {'+η':>5} {'latex':>5}"]  # fmt: skip
    for r in rows:
        f, m, fa = len(r["found"]), len(r["missed"]), len(r["false_alarms"])
        prec = f"{100 * f / (f + fa):.0f} %" if f + fa else "—"
        rec = f"{100 * f / r['wrong']:.0f} %" if r["wrong"] else "—"
        n = r["equation_lines"]
        read = f"{r['read']}/{n} {100 * r['read'] / n:.0f}%" if n else "—"
        eta = f"{100 * r['read_or_eta'] / n:.0f}%" if n else "—"
        out.append(f"{r['file']:28} {str(r['verdict']):9} {r['wrong']:>5} {f:>5} {m:>6} {fa:>5} {prec:>7} {rec:>7} "
                   f"{read:>11} {eta:>5} {'yes' if r['latex'] else '':>5}")  # fmt: skip
    found = sum(len(r["found"]) for r in rows)
    false = sum(len(r["false_alarms"]) for r in rows)
    wrong = sum(r["wrong"] for r in rows)
    tex = [r for r in rows if r["latex"]]
    worst = min((100 * r["read"] / r["equation_lines"] for r in tex if r["equation_lines"]), default=None)
    tex_eta = sum(r["read_or_eta"] for r in tex), sum(r["equation_lines"] for r in tex)
    worst_eta = min((100 * r["read_or_eta"] / r["equation_lines"] for r in tex if r["equation_lines"]), default=None)
    read = sum(r["read"] for r in rows), sum(r["equation_lines"] for r in rows)
    out += [
        "",
        f"precision: {ratio(found, found + false)}   (lines with a mistake reported that are labelled wrong)",
        f"recall:    {ratio(found, wrong)}   (labelled wrong lines with a mistake reported)",
        f"false alarms: {false}   warnings: {sum(len(r['warnings']) for r in rows)}",
        f"LaTeX files' equation lines read: {ratio(sum(r['read'] for r in tex), sum(r['equation_lines'] for r in tex))}"
        + (f"; worst file {worst:.0f} %" if worst is not None else ""),
        f"  with the lines that set η:      {ratio(*tex_eta)}"
        + (f"; worst file {worst_eta:.0f} %" if worst_eta is not None else ""),
        f"all files' equation lines read:   {ratio(*read)}",
    ]  # fmt: skip
    for r in rows:
        out += ["", f"== {r['file']}: {r['verdict']}{' (' + r['reason'] + ')' if r['reason'] else ''}"]
        out += [f"  FOUND line {n}" for n in r["found"]]
        out += [f"  MISSED line {n}: {what}   — sheetgen: {at}" for n, what, at in r["missed"]]
        for n, why in r["false_alarms"]:
            out += [f"  FALSE ALARM line {n}: {w}" for w in why]
        out += [f"  warning line {n or '—'}: {w}" for n, w in r["warnings"]]
        if r["unread"]:
            out.append(f"  equation lines not read: {', '.join(map(str, r['unread']))}")
        if r["read_elsewhere"]:
            out.append(f"  read, not labelled equation lines: {', '.join(map(str, r['read_elsewhere']))}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("labels", type=Path, nargs="?")
    ap.add_argument("--sheetgen", default=f"{shlex.quote(sys.executable)} -m sheetgen", help="the command to run")
    ap.add_argument("--json", action="store_true", help="the rows as JSON, not a table")
    args = ap.parse_args(argv)
    labels = json.loads((args.labels or args.folder / "labels.json").read_text(encoding="utf-8"))
    cmd = shlex.split(args.sheetgen)
    rows = [score(name, label, run(cmd, args.folder / name)) for name, label in sorted(labels.items())]
    print(json.dumps(rows, ensure_ascii=False, indent=1) if args.json else "\n".join(report(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

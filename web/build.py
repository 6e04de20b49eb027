"""`make web`: the static page, with Pyodide and the wheels it runs, into one folder (output/web/).

    python web/build.py [--out output/web]

Pyodide comes from the npm registry's `pyodide` package (PYODIDE, pinned), installed by npm into
build/web-npm/; of it the page needs the loader, the WebAssembly Python, its standard library and its
lock file. Beside them: the sheetgen wheel (`pip wheel --no-deps .`) and the wheels of the pure-Python
packages the page's code imports (xlsxwriter for Build, tqdm as the command line has it; the check
path needs no openpyxl), at the versions installed here, so the page builds what the command line
builds. Nothing is fetched by the page from anywhere but this folder.
"""

import argparse
import importlib.metadata
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYODIDE = "314.0.8"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
PAGE = ("index.html", "app.js", "worker.js", "style.css")
# pure Python; openpyxl is not imported by check, build or class (only as the reader's fallback)
DEPENDENCIES = ("xlsxwriter", "tqdm", "markdown-it-py", "mdurl", "pylatexenc")  # write-ups: Markdown, LaTeX


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "output" / "web")
    p.add_argument("--npm-dir", type=Path, default=ROOT / "build" / "web-npm")
    args = p.parse_args(argv)
    out: Path = args.out
    package = _pyodide(args.npm_dir)
    if out.exists():
        shutil.rmtree(out)
    (out / "pyodide").mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copy2(package / name, out / "pyodide" / name)
    wheels = out / "wheels"
    pins = [f"{name}=={importlib.metadata.version(name)}" for name in DEPENDENCIES]
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
          "-w", str(wheels), str(ROOT), *pins])  # fmt: skip
    names = sorted(w.name for w in wheels.glob("*.whl"))
    if not any(n.startswith("sheetgen-") for n in names) or len(names) != 1 + len(DEPENDENCIES):
        sys.exit(f"web/build.py: expected the sheetgen wheel and {', '.join(DEPENDENCIES)}'s, got {names}")
    (wheels / "wheels.json").write_text(json.dumps(names) + "\n")
    for name in PAGE:
        shutil.copy2(HERE / name, out / name)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"wrote {out}: Pyodide {PYODIDE}, {', '.join(names)}; {size / 1e6:.1f} MB")
    return 0


def _pyodide(npm_dir: Path) -> Path:
    """The npm package's folder, installed at the pinned version when it is not already there."""
    package = npm_dir / "node_modules" / "pyodide"
    try:
        installed = json.loads((package / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        installed = None
    if installed != PYODIDE:
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("web/build.py: npm is missing (as root: apt-get install npm)")
        npm_dir.mkdir(parents=True, exist_ok=True)
        _run([npm, "install", "--prefix", str(npm_dir), "--no-audit", "--no-fund", "--no-save", f"pyodide@{PYODIDE}"])
    return package


def _run(cmd) -> None:
    done = subprocess.run(cmd)
    if done.returncode:
        sys.exit(f"web/build.py: {' '.join(cmd[:3])} … failed (exit {done.returncode})")


if __name__ == "__main__":
    sys.exit(main())

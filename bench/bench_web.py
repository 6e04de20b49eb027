"""make bench, the web page (make web): headless Chromium, a cold load of output/web/ off a local
server until the page is ready to check (Python started, sheetgen imported), then the default
workbook checked, then a hand-made one without cached values (sheetgen's own evaluator computes it);
and the folder's size. Each run a fresh browser profile (nothing cached). The table goes to stdout and,
with --docs, between the bench-web markers in docs/performance.md.

Limits (issue #25): ready ≤ 15 s, the default workbook checked ≤ 5 s after, the folder ≤ 40 MB.
"""

import argparse
import functools
import http.server
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "output" / "web"
LIMITS = {"ready": 15.0, "default": 5.0, "size": 40.0}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3, metavar="N", help="cold loads (default: 3)")
    p.add_argument("--docs", action="store_true", help="write the table into docs/performance.md")
    args = p.parse_args(argv)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        raise SystemExit("bench_web: needs selenium (pip install -e '.[test]')") from None
    browser, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (browser and driver_path):
        raise SystemExit("bench_web: needs chromium and chromedriver (make chromium)")
    if not (WEB / "index.html").is_file():
        raise SystemExit("bench_web: no output/web/ (make web)")
    sys.path.append(str(ROOT))  # tests.handmade
    from sheetgen.build import workbook
    from sheetgen.model import spec
    from tests import handmade

    size = sum(f.stat().st_size for f in WEB.rglob("*") if f.is_file()) / 1e6
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(WEB)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    times: dict[str, list[float]] = {"ready": [], "default": [], "handmade": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        default = tmp / "ERA_backprop.xlsx"
        workbook.build(spec.load("era"), default)
        hand = tmp / "handmade.xlsx"  # openpyxl writes no cached values: computed by our evaluator
        handmade.write(handmade.BLOCK, hand, [handmade.slips(handmade.BLOCK)[0]])
        try:
            for run in range(args.runs):
                options = webdriver.ChromeOptions()
                options.binary_location = browser
                for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--no-first-run",
                            f"--user-data-dir={tmp / f'profile{run}'}"):  # fmt: skip
                    options.add_argument(arg)
                driver = webdriver.Chrome(options=options, service=Service(driver_path))
                try:
                    start = time.perf_counter()
                    driver.get(url)
                    _until(driver, "return document.body.dataset.ready == '1'")
                    times["ready"].append(time.perf_counter() - start)
                    for key, path in (("default", default), ("handmade", hand)):
                        before = driver.execute_script("return document.body.dataset.checked || '0'")
                        start = time.perf_counter()
                        driver.find_element("css selector", "#check-files").send_keys(str(path))
                        _until(driver, f"return (document.body.dataset.checked || '0') != '{before}'")
                        times[key].append(time.perf_counter() - start)
                        verdict = driver.find_element("css selector", "section.file").get_attribute("data-verdict")
                        if verdict != ("right" if key == "default" else "wrong"):
                            raise SystemExit(f"bench_web: {path.name} was judged {verdict}")
                finally:
                    driver.quit()
        finally:
            server.shutdown()
    med = {k: statistics.median(v) for k, v in times.items()}
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Chromium headless"
    ok = lambda x, limit: "yes" if x <= limit else "**no**"  # noqa: E731
    table = "\n".join([
        f"Measured by `make bench` (`bench/bench_web.py`) on {machine}; median of {args.runs} cold loads, "
        "each a fresh browser profile, off a local server.",
        "",
        "| the web page | median | runs | limit | within |",
        "|---|---:|---|---:|---|",
        f"| ready to check, from a cold load | {med['ready']:.1f} s | {_runs(times['ready'])} | "
        f"{LIMITS['ready']:.0f} s | {ok(med['ready'], LIMITS['ready'])} |",
        f"| the default workbook checked (6 tabs × 100 iterations, cached values) | {med['default']:.1f} s | "
        f"{_runs(times['default'])} | {LIMITS['default']:.0f} s | {ok(med['default'], LIMITS['default'])} |",
        f"| a hand-made workbook without cached values (12 rows, computed by sheetgen's evaluator) | "
        f"{med['handmade']:.1f} s | {_runs(times['handmade'])} | | |",
        f"| output/web/ | {size:.1f} MB | | {LIMITS['size']:.0f} MB | {ok(size, LIMITS['size'])} |",
        "",
    ])  # fmt: skip
    print(table, end="")
    if args.docs:
        from bench import into_docs

        into_docs("bench-web", table)
    return 0


def _runs(xs) -> str:
    return ", ".join(f"{x:.1f}" for x in xs)


def _until(driver, script: str, seconds: float = 300) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if driver.execute_script(script):
            return
        time.sleep(0.02)
    raise SystemExit(f"bench_web: the page did not get there in {seconds:.0f} s ({script})")


if __name__ == "__main__":
    sys.exit(main())

"""The web page (make web) in a real browser: Debian's headless Chromium driven by selenium, the page
served from output/web/ by a server of our own on 127.0.0.1 (a free port, stopped with the session,
and by itself after SERVER_MINUTES whatever happens)."""

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
WEB = ROOT / "output" / "web"
SERVER_MINUTES = 30
READY_SECONDS = 120
# headless, and quiet: the browser's own traffic (updates, time, sign-in, autofill) would go through our
# proxy too, and be taken for the page's
BROWSER_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-extensions", "--no-pings", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
    "--safebrowsing-disable-auto-update", "--no-default-browser-check", "--password-store=basic",
    "--disable-features=AutofillServerCommunication,NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,"
    "Translate,SigninInterceptBubbleV2,AccountConsistency,ChromeSignin",
)  # fmt: skip  # Pyodide's start, on a machine shared by many


def need_chromium() -> tuple[str, str]:
    browser = os.environ.get("SHEETGEN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    driver = os.environ.get("SHEETGEN_CHROMEDRIVER") or shutil.which("chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        browser = None
    if browser and driver:
        return browser, driver
    if os.environ.get("CI") == "true":
        pytest.fail("chromium, chromium-driver or selenium is missing: under CI=true the browser tests must run")
    pytest.skip("chromium and chromium-driver (make test installs them as root) or selenium is missing")


def built() -> Path:
    """output/web/, built by web/build.py unless it is there and newer than everything it is made of."""
    sources = [*ROOT.joinpath("web").iterdir(), *ROOT.joinpath("sheetgen").rglob("*.py"), *ROOT.glob("templates/*")]
    stamp = WEB / "wheels" / "wheels.json"
    if not stamp.is_file() or stamp.stat().st_mtime < max(p.stat().st_mtime for p in sources):
        subprocess.run([sys.executable, str(ROOT / "web" / "build.py")], check=True, cwd=ROOT)
    return WEB


class _Served(http.server.SimpleHTTPRequestHandler):
    """The page's files; and, as the browser's proxy for every request it makes (the page's, its
    worker's, any), the log of where each went: `seen` holds every URL asked for. A request for another
    origin is refused (502), never forwarded."""

    seen: list[str]
    origin: str

    def log_message(self, *args):
        pass

    def _route(self) -> bool:
        url = self.path if "://" in self.path else self.origin + self.path.lstrip("/")
        self.seen.append(url)
        if not url.startswith(self.origin):
            self.send_error(502, "not this page's origin")
            return False
        parts = urllib.parse.urlsplit(url)
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        return True

    def do_GET(self):
        if self._route():
            super().do_GET()

    def do_HEAD(self):
        if self._route():
            super().do_HEAD()

    def do_POST(self):
        self._route() and self.send_error(405)

    def do_CONNECT(self):  # https://, through the proxy
        self.seen.append(f"https://{self.path}/")
        self.send_error(502, "not this page's origin")


@dataclass
class Site:
    url: str
    seen: list[str]  # every URL the browser asked for, through us as its proxy


@pytest.fixture(scope="session")
def site():
    """The page's URL, served from output/web/ on 127.0.0.1 at a free port."""
    need_chromium()
    folder = built()
    handler = type("Handler", (_Served,), {"seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    handler.origin = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop = threading.Timer(SERVER_MINUTES * 60, server.shutdown)  # bounded, whatever becomes of the session
    stop.daemon = True
    stop.start()
    try:
        yield Site(handler.origin, handler.seen)
    finally:
        stop.cancel()
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="session")
def browser(site, downloads):
    """Headless Chromium with the page loaded and ready (Python started), its network requests logged."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = need_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in BROWSER_FLAGS:
        options.add_argument(arg)
    # every request through our server as the proxy, loopback too: what the page's worker fetches is seen
    options.add_argument(f"--proxy-server={site.url.rstrip('/')}")
    options.add_argument("--proxy-bypass-list=<-loopback>")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})  # fmt: skip
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        driver.get(site.url)
        wait(driver, lambda d: d.execute_script("return document.body.dataset.ready") == "1", READY_SECONDS,
             "the page never said ready")  # fmt: skip
        yield driver
    finally:
        driver.quit()


def wait(driver, condition, seconds: float, what: str):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if value := condition(driver):
            return value
        time.sleep(0.1)
    status = driver.execute_script("return document.querySelector('#status').textContent")
    raise AssertionError(f"{what} within {seconds} s (the page says: {status.strip()})")


def requests(driver) -> list[str]:
    """The URLs the page asked for since the last call (Chrome's performance log)."""
    out = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            out.append(message["params"]["request"]["url"])
    return out


def drop(driver, paths) -> None:
    """Give the Check tab these files, as a user picking them does; wait for their verdicts."""
    before = driver.execute_script("return document.body.dataset.checked || '0'")
    driver.find_element("css selector", "nav button[data-tab=check]").click()
    driver.find_element("css selector", "#check-files").send_keys("\n".join(str(p) for p in paths))
    wait(driver, lambda d: d.execute_script("return document.body.dataset.checked || '0'") != before, 120,
         "no verdict")  # fmt: skip

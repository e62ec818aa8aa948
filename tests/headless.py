"""Open a local HTML file in headless Chromium, collect console errors and network
requests, and take a screenshot, over the DevTools protocol.

Used by the report's browser test and ``bench/screenshot_report.py``; not by the
pipeline. Needs ``/usr/bin/chromium`` (Debian package ``chromium``) and the
``websockets`` package (a Prefect dependency). The flags keep Chromium off the
network: this machine refuses its background connections.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--remote-debugging-port=0")


def find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass
class PageCheck:
    """What happened while the page loaded."""

    console_errors: list[str] = field(default_factory=list)  # console.error, uncaught exceptions, log errors
    requests: list[str] = field(default_factory=list)  # every URL the page asked for (the file itself first)
    title: str = ""
    svg_count: int = 0
    page_height: int = 0


class _Cdp:
    """A minimal DevTools client: numbered commands, events kept in arrival order."""

    def __init__(self, ws_url: str):
        from websockets.sync.client import connect

        self.ws = connect(ws_url, max_size=None, open_timeout=20)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, timeout: float = 30.0, session: str | None = None, **params) -> dict:
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01)))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 30.0) -> dict:
        for ev in self.events:
            if ev.get("method") == method:
                return ev
        deadline = time.monotonic() + timeout
        while True:
            ev = json.loads(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01)))
            self.events.append(ev)
            if ev.get("method") == method:
                return ev

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                self.events.append(json.loads(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01))))
            except TimeoutError:
                return

    def close(self) -> None:
        self.ws.close()


def _devtools_url(proc: subprocess.Popen, timeout: float = 30.0) -> str:
    """Chromium prints 'DevTools listening on ws://...' on stderr once it is ready."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        if "DevTools listening on " in line:
            return line.split("DevTools listening on ", 1)[1].strip()
    raise RuntimeError("chromium did not start: " + "".join(seen[-10:]))


def check_page(html_path: str, screenshot: str | None = None, width: int = 1280, height: int = 900,
               full_page: bool = True, chromium: str | None = None) -> PageCheck:
    """Load ``html_path`` from disk, wait for it, report console errors and requests; with
    ``screenshot``, save a PNG of the page (its whole height when ``full_page``)."""
    chromium = chromium or find_chromium()
    if not chromium:
        raise FileNotFoundError("chromium not found (apt-get install chromium)")
    url = Path(html_path).resolve().as_uri()
    profile = tempfile.mkdtemp(prefix="bitextflow-chromium-")
    proc = subprocess.Popen([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                             f"--window-size={width},{height}", "about:blank"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, errors="replace")
    try:
        cdp = _Cdp(_devtools_url(proc))
        try:
            return _check(cdp, url, screenshot, width, height, full_page)
        finally:
            try:
                cdp.call("Browser.close", timeout=5)  # lets the child processes finish writing the profile
            except Exception:  # the browser may already be gone; it is stopped below either way
                pass
            cdp.close()
    finally:
        _stop(proc)
        for _ in range(10):  # a helper process may still be writing into the profile
            shutil.rmtree(profile, ignore_errors=True)
            if not os.path.exists(profile):
                break
            time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    proc.stderr.close()


def _check(cdp: _Cdp, url: str, screenshot: str | None, width: int, height: int, full_page: bool) -> PageCheck:
    target = cdp.call("Target.createTarget", url="about:blank")["targetId"]
    session = cdp.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        cdp.call(f"{domain}.enable", session=session)
    cdp.call("Emulation.setDeviceMetricsOverride", session=session, width=width, height=height,
             deviceScaleFactor=1, mobile=False)
    cdp.call("Page.navigate", session=session, url=url)
    cdp.wait_event("Page.loadEventFired")
    cdp.drain(0.5)  # late console messages

    out = PageCheck()
    for ev in cdp.events:
        method, p = ev.get("method"), ev.get("params", {})
        if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            out.console_errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            out.console_errors.append(d.get("exception", {}).get("description") or d.get("text", "exception"))
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            out.console_errors.append(p["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            out.requests.append(p["request"]["url"])

    def evaluate(expr: str):
        return cdp.call("Runtime.evaluate", session=session, expression=expr, returnByValue=True)["result"].get("value")

    out.title = evaluate("document.title") or ""
    out.svg_count = int(evaluate("document.querySelectorAll('svg').length") or 0)
    out.page_height = int(evaluate("Math.ceil(document.documentElement.scrollHeight)") or 0)
    if screenshot:
        shot_height = max(out.page_height, height) if full_page else height
        cdp.call("Emulation.setDeviceMetricsOverride", session=session, width=width, height=shot_height,
                 deviceScaleFactor=1, mobile=False)
        data = cdp.call("Page.captureScreenshot", session=session, format="png", captureBeyondViewport=True)["data"]
        Path(screenshot).write_bytes(base64.b64decode(data))
    return out

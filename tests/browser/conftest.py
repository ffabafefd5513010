"""A real JupyterLab for each test, driven by Debian's Chromium through Playwright.

Nothing downloads a browser: ./run test installs Debian's chromium (when it can) and axe-core from npm
before the tests start. When Chromium is missing the browser tests are skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True, "windowingMode": "none"},
}


def chromium_path() -> str | None:
    """Debian's Chromium, if installed."""
    for candidate in (os.environ.get("BS_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    reason = os.environ.get("BS_BROWSER_SKIP") or (None if chromium_path() else
                                                   "Chromium is not installed (Debian package: chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        reason = reason or "the playwright Python package is not installed"
    if reason:
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab: where it serves, the folder it serves, and how to reach it."""

    url: str
    token: str
    root: Path
    process: subprocess.Popen

    def page_url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}"


def start_lab(root: Path, scratch: Path) -> Lab:
    """Start JupyterLab on 127.0.0.1 on a free port with a token, serving `root`."""
    port, token = _free_port(), "bs-test-token"
    settings = scratch / "lab-settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(OVERRIDES))
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(scratch / "jupyter-config"),
           "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"), "IPYTHONDIR": str(scratch / "ipython"),
           "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    env.pop("NBGRADER_EXECUTION", None)
    log = open(scratch / "lab.log", "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
         f"--port={port}", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
         f"--LabApp.workspaces_dir={scratch / 'workspaces'}", f"--LabApp.app_settings_dir={settings}"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited: {(scratch / 'lab.log').read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as response:
                if response.status == 200:
                    return Lab(url, token, root, process)
        except OSError:
            time.sleep(0.3)
    stop_lab(process)
    raise RuntimeError("JupyterLab did not answer within 60 s")


def stop_lab(process: subprocess.Popen) -> None:
    """Stop the server (and its kernels) by its process id."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture()
def trainee_lab(tmp_path):
    """JupyterLab serving a fresh copy of the trainee's workspace (release/)."""
    workspace = tmp_path / "workspace"
    shutil.copytree(ROOT / "release", workspace, ignore=shutil.ignore_patterns("answers", "handouts", ".ipynb_checkpoints"))
    lab = start_lab(workspace, tmp_path / "lab")
    yield lab
    stop_lab(lab.process)


@pytest.fixture()
def instructor_lab(tmp_path):
    """JupyterLab serving a fresh course folder with its gradebook, as an instructor opens it."""
    from course.nbgrader_run import run_nbgrader

    course = tmp_path / "course"
    shutil.copytree(ROOT / "source" / "03-designing-homework", course / "source" / "03-designing-homework")
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    (course / "nbgrader_config.py").write_text((course / "nbgrader_config.py").read_text()
                                               + f"\nc.Exchange.root = {str(tmp_path / 'exchange')!r}\n")
    (tmp_path / "exchange").mkdir()
    run_nbgrader(["generate_assignment", "03-designing-homework", "--force"], course)
    lab = start_lab(course, tmp_path / "lab")
    yield lab
    stop_lab(lab.process)


@pytest.fixture()
def browser_page(tmp_path):
    """A fresh headless Chromium page; console errors are collected on `page.errors`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.errors = []
        page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.set_default_timeout(30_000)
        yield page
        context.close()
        browser.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot into the git-ignored test-artifacts folder."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path

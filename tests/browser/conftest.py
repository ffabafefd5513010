"""A real JupyterLab driven by Debian's Chromium through Playwright.

The trainee's tests share one JupyterLab (starting one costs several seconds on two cores): each test
gets its own fresh copy of the workspace in a folder of its own and its own JupyterLab workspace (open
tabs), and at its end its kernels are shut down and the theme is set back. The instructor's test has a
server of its own, serving a course folder with a gradebook. The tests also share one Chromium; each
gets a fresh browser context, and any error in the browser console fails the test.

Nothing downloads a browser: ./run test installs Debian's chromium (when it can) and axe-core from npm
before the tests start. When Chromium is missing the browser tests are skipped with the reason.
"""

from __future__ import annotations

import json
import os
import re
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


# Console errors that are not the course's, each reproduced without it; every other error fails a test.
NOT_OURS = [
    # Notebook 7.6.5's shortcuts plugin on Run All, also with a notebook holding only print(1) and
    # every third-party extension disabled.
    re.compile(r"^Cannot read properties of undefined \(reading 'schema'\)$"),
    # Notebook 7's core asks for a JupyterLab file-browser command it does not register (seen when the
    # same server has served JupyterLab before).
    re.compile(r"^Command 'filebrowser:open-path' not registered\.$"),
    # jupyter_server's static-file cache: once JupyterLab has served a font, Notebook 7's font of the same
    # hashed name is refused ("is not in root static directory"); the page falls back to another font.
    re.compile(r"status of 403 \(Forbidden\) \[http://127\.0\.0\.1:\d+/static/notebook/[0-9a-f]+\.woff2\]$"),
]


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
    """A running JupyterLab: where it serves, the folder it serves, and how to reach it.

    `folder` is the test's own folder under the served root ("" when it serves the test alone) and
    `workspace` the JupyterLab workspace that remembers its open tabs."""

    url: str
    token: str
    root: Path
    process: subprocess.Popen
    folder: str = ""
    workspace: str = "default"

    def page_url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}"

    def lab_url(self, path: str) -> str:
        """A notebook (or folder) in JupyterLab, in this test's own workspace."""
        return self.page_url(f"/lab/workspaces/{self.workspace}/tree/{self.folder}{path}")

    def notebook_url(self, path: str) -> str:
        """A notebook in Notebook 7."""
        return self.page_url(f"/notebooks/{self.folder}{path}")

    def api(self, method: str, path: str, body: dict | None = None):
        """Call the server's REST API; return the decoded JSON answer (None when empty)."""
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=15) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def tidy_up(self) -> None:
        """Shut down every kernel this server runs and set the theme back to light."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")
        self.api("PUT", "/lab/api/settings/@jupyterlab/apputils-extension:themes", {"raw": "{}"})


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


@pytest.fixture(scope="session")
def shared_lab(tmp_path_factory):
    """One JupyterLab for all the trainee's tests, serving a folder that holds one workspace per test."""
    scratch = tmp_path_factory.mktemp("shared-lab")
    (scratch / "served").mkdir()
    lab = start_lab(scratch / "served", scratch / "lab")
    yield lab
    stop_lab(lab.process)


@pytest.fixture()
def trainee_lab(shared_lab, request):
    """A fresh copy of the trainee's workspace (release/) in its own folder of the shared JupyterLab."""
    name = f"t{len(list(shared_lab.root.iterdir())) + 1:02d}"
    workspace = shared_lab.root / name
    shutil.copytree(ROOT / "release", workspace, ignore=shutil.ignore_patterns("answers", "handouts", ".ipynb_checkpoints"))
    yield Lab(shared_lab.url, shared_lab.token, workspace, shared_lab.process, folder=f"{name}/", workspace=name)
    shared_lab.tidy_up()


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


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def browser_page(chromium):
    """A page in a fresh browser context. Console errors are collected on `page.errors`; any left at the
    end of the test fails it."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(f"{msg.text} [{msg.location.get('url', '')}]")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.set_default_timeout(30_000)
    yield page
    context.close()
    ours = [error for error in page.errors if not any(pattern.search(error) for pattern in NOT_OURS)]
    assert ours == [], "errors in the browser console:\n" + "\n".join(ours)


def screenshot(page, name: str) -> Path:
    """Save a screenshot into the git-ignored test-artifacts folder."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path

"""The pieces of a one-server JupyterHub rehearsal: real Unix users, commands run as them, a hub from
PyPI with configurable-http-proxy from npm, and each user's REST calls with their own token.

Everything lives under one scratch folder, plus the users' homes; `Rehearsal.close()` removes both.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PROXY = Path(__file__).resolve().parent / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_ID = "between-sessions"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


# -- Unix users -----------------------------------------------------------------------------------
def recreate_user(name: str) -> Path:
    """A fresh Unix user with a private home (as The Littlest JupyterHub makes them: `useradd
    --create-home`, then `chmod o-rwx`); a user left over from an earlier run is removed first."""
    try:
        pwd.getpwnam(name)
        _stop_processes_of(name)
        _run(["userdel", "--remove", "--force", name])
    except KeyError:
        pass
    # Leftovers of a run that was killed half-way: a group without its user (useradd refuses to
    # reuse it) and a home without its user (useradd would keep it, with the old owner and files).
    if _run(["getent", "group", name]).returncode == 0:
        _run(["groupdel", name])
    shutil.rmtree(Path("/home") / name, ignore_errors=True)
    result = _run(["useradd", "--create-home", "--shell", "/bin/bash", name])
    assert result.returncode == 0, result.stderr
    home = Path(pwd.getpwnam(name).pw_dir)
    home.chmod(0o750)
    return home


def remove_user(name: str) -> None:
    _stop_processes_of(name)
    _run(["userdel", "--remove", "--force", name])


def installed_course_problem(env: Path) -> str | None:
    """Why the course installed for the hub users is unusable (a package missing from the wheel, or
    files another user cannot read), or None. Imported as `nobody`, from /, so the clone is not on the path."""
    packages = sorted(".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "course").rglob("__init__.py"))
    result = _run(["runuser", "-u", "nobody", "--", "env", "-i", "LANG=C.UTF-8", str(env / "bin" / "python"), "-c",
                   "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)", *packages], cwd="/")
    if result.returncode == 0:
        return None
    last = (result.stderr.strip().splitlines() or ["no output"])[-1]
    return (f"the course installed for the hub users in {env} does not import as another user: {last}. "
            "Check that pyproject.toml puts every course package in the wheel, then run ./run test again "
            "(it reinstalls the course when course/ changes)")


def _stop_processes_of(name: str) -> None:
    """End, by process id, whatever a rehearsal user still runs (only this rehearsal's users run anything)."""
    uid = pwd.getpwnam(name).pw_uid
    for pid in _pids_of(uid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _pids_of(uid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                continue
    return pids


def rss_mib(uid: int) -> float:
    """Resident memory of every process a user runs, in MiB."""
    total = 0
    for pid in _pids_of(uid):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1024


def process_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _run_coroutine(coroutine):
    """Run a coroutine to its end from synchronous code, in a thread of its own: in the full suite the
    browser tests' Playwright keeps an event loop running in the main thread, where asyncio.run() refuses."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# -- the rehearsal --------------------------------------------------------------------------------
@dataclass
class Rehearsal:
    """A scratch folder, the hub environment, the users, the hub process and per-user tokens."""

    env: Path
    instructor: str
    trainees: list[str]
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bs-hub-", dir="/var/tmp")))
    tokens: dict[str, str] = field(default_factory=dict)
    steps: list[tuple[str, float]] = field(default_factory=list)
    hub: subprocess.Popen | None = None
    port: int = 0

    def __post_init__(self) -> None:
        self.base.chmod(0o755)
        self.exchange = self.base / "exchange"
        self.homes = {u: Path(f"/home/{u}") for u in self.users}

    @property
    def users(self) -> list[str]:
        return [self.instructor, *self.trainees]

    # -- timing ---------------------------------------------------------------------------------
    def step(self, name: str):
        rehearsal = self

        class _Step:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                rehearsal.steps.append((name, time.perf_counter() - self.start))

        return _Step()

    # -- acting as a Unix user ------------------------------------------------------------------
    def user_env(self, user: str) -> list[str]:
        return ["env", "-i", f"HOME=/home/{user}", f"USER={user}", f"LOGNAME={user}", "LANG=C.UTF-8",
                f"PATH={self.env / 'bin'}:/usr/bin:/bin"]

    def as_user(self, user: str, *cmd: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
        """Run a command as a Unix user, in a clean login-like environment."""
        return _run(["runuser", "-u", user, "--", *self.user_env(user), *cmd], cwd=cwd or f"/home/{user}",
                    timeout=timeout)

    def can(self, user: str, action: str, path: Path) -> bool:
        """Whether `user` can `read` a file, `list` a folder, or `write` (create a file in a folder or
        append to a file) at `path`."""
        code = {
            "read": "open(p, 'rb').read(1)",
            "list": "import os; os.listdir(p)",
            "write": ("import os\nif os.path.isdir(p):\n    f = os.path.join(p, '.probe-' + str(os.getpid()))\n"
                      "    open(f, 'w').close(); os.remove(f)\nelse:\n    open(p, 'ab').close()"),
        }[action]
        result = self.as_user(user, str(self.env / "bin" / "python"), "-c", f"p = {str(path)!r}\n{code}",
                              cwd=Path("/"))
        if result.returncode and "PermissionError" not in result.stderr:
            raise AssertionError(f"probe {action} {path} as {user} failed oddly: {result.stderr[-400:]}")
        return result.returncode == 0

    # -- the hub ----------------------------------------------------------------------------------
    def start_hub(self) -> None:
        self.port, api_port, hub_port = free_port(), free_port(), free_port()
        service_token = secrets.token_hex(32)
        config = self.base / "jupyterhub_config.py"
        config.write_text(f"""
c = get_config()
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {self.port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.JupyterHub.db_url = "sqlite:///{self.base / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(self.base / 'jupyterhub_cookie_secret')!r}
c.JupyterHub.pid_file = {str(self.base / 'jupyterhub.pid')!r}
c.Authenticator.allowed_users = {set(self.users)!r}
c.Authenticator.admin_users = set()
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [{str(self.env / 'bin' / 'jupyterhub-singleuser')!r}]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{"PATH": {f"{self.env / 'bin'}:/usr/bin:/bin"!r}}}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.services = [{{"name": "rehearsal", "api_token": {service_token!r}}}]
c.JupyterHub.load_roles = [{{"name": "rehearsal", "scopes": ["admin:users", "tokens", "admin:servers"],
                             "services": ["rehearsal"]}}]
""")
        log = (self.base / "jupyterhub.log").open("w")
        env = {"PATH": f"{self.env / 'bin'}:/usr/bin:/bin", "HOME": str(self.base), "LANG": "C.UTF-8"}
        self.hub = subprocess.Popen([str(self.env / "bin" / "jupyterhub"), "-f", str(config)], cwd=self.base,
                                    stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.hub.poll() is None, self.hub_log()
            try:
                if requests.get(f"{self.url}/hub/api", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        else:
            raise AssertionError("the hub did not answer within 90 s:\n" + self.hub_log())
        admin = {"Authorization": f"token {service_token}"}
        for user in self.users:
            answer = requests.post(f"{self.url}/hub/api/users/{user}/tokens", headers=admin,
                                   json={"note": "rehearsal", "expires_in": 3600}, timeout=30)
            assert answer.status_code == 201, answer.text
            self.tokens[user] = answer.json()["token"]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hub_log(self) -> str:
        path = self.base / "jupyterhub.log"
        return path.read_text()[-4000:] if path.exists() else ""

    def api(self, user: str, method: str, path: str, **kwargs) -> requests.Response:
        """A REST call with `user`'s own token; `path` starts at the hub's root (/hub/api/..., /user/...)."""
        headers = {"Authorization": f"token {self.tokens[user]}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=kwargs.pop("timeout", 120),
                                allow_redirects=False, **kwargs)

    def follow(self, user: str, path: str) -> requests.Response:
        """A GET with `user`'s token that follows redirects within the hub, as a browser would."""
        answer = self.api(user, "GET", path)
        for _ in range(5):
            location = answer.headers.get("location", "")
            if answer.status_code not in (301, 302, 303, 307) or not location:
                break
            location = location.removeprefix(self.url)
            if not location.startswith("/"):
                break  # leaves the hub
            answer = self.api(user, "GET", location)
        return answer

    def start_servers(self, users: list[str]) -> None:
        """Each user starts their own server with their own token; waits until all are ready."""
        for user in users:
            answer = self.api(user, "POST", f"/hub/api/users/{user}/server")
            assert answer.status_code in (201, 202), (user, answer.status_code, answer.text)
        deadline = time.monotonic() + 180
        waiting = set(users)
        while waiting and time.monotonic() < deadline:
            for user in list(waiting):
                model = self.api(user, "GET", f"/hub/api/users/{user}").json()
                if model.get("servers", {}).get("", {}).get("ready"):
                    waiting.discard(user)
            time.sleep(0.5)
        assert not waiting, f"servers not ready after 180 s: {sorted(waiting)}\n{self.hub_log()}"

    def server_pid(self, user: str) -> int | None:
        model = self.api(user, "GET", f"/hub/api/users/{user}").json()
        return (model.get("servers", {}).get("", {}).get("state") or {}).get("pid")

    # -- a trainee's server -------------------------------------------------------------------------
    def execute(self, user: str, notebook: str, code: str, while_running=None) -> str:
        """Run code in a kernel of `user`'s server, as JupyterLab does (a session for the notebook, then
        the kernel's websocket); returns what it printed. Raises with the traceback on an error.
        `while_running()` is called after the code ran, before the kernel is shut down."""
        session = self.api(user, "POST", f"/user/{user}/api/sessions",
                           json={"path": notebook, "type": "notebook", "name": "", "kernel": {"name": "python3"}})
        assert session.status_code == 201, session.text
        kernel = session.json()["kernel"]["id"]
        try:
            printed = _run_coroutine(self._execute(user, kernel, code))
            if while_running is not None:
                while_running()
            return printed
        finally:
            self.api(user, "DELETE", f"/user/{user}/api/sessions/{session.json()['id']}")

    async def _execute(self, user: str, kernel: str, code: str) -> str:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = f"ws://127.0.0.1:{self.port}/user/{user}/api/kernels/{kernel}/channels"
        ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.tokens[user]}"}))
        msg_id = uuid.uuid4().hex
        ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": user, "session": uuid.uuid4().hex, "msg_type": "execute_request",
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        printed, error = [], None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(ws.read_message(), timeout=120)
            assert raw is not None, "the kernel's websocket closed"
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                printed.append(msg["content"]["text"])
            elif kind == "error":
                error = "\n".join(msg["content"]["traceback"])
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
        ws.close()
        if error:
            raise AssertionError(f"the code failed in {user}'s kernel:\n{error}")
        return "".join(printed)

    def put_text(self, user: str, path: str, text: str) -> None:
        """Save a file through the server's contents API, as JupyterLab's editor does (making its folder
        first, as *New Folder* does)."""
        folder = path.rpartition("/")[0]
        if folder and self.api(user, "GET", f"/user/{user}/api/contents/{folder}").status_code == 404:
            made = self.api(user, "PUT", f"/user/{user}/api/contents/{folder}", json={"type": "directory"})
            assert made.status_code in (200, 201), made.text
        answer = self.api(user, "PUT", f"/user/{user}/api/contents/{path}",
                          json={"type": "file", "format": "text", "content": text})
        assert answer.status_code in (200, 201), answer.text

    def assignment_action(self, user: str, action: str, assignment: str) -> dict:
        """nbgrader's Assignment List (fetch, submit, fetch_feedback) through the user's server."""
        answer = self.api(user, "POST", f"/user/{user}/assignments/{action}",
                          data={"course_id": COURSE_ID, "assignment_id": assignment})
        assert answer.status_code == 200, answer.text
        result = answer.json()
        assert result.get("success"), f"{action} as {user} failed: {result.get('value')}"
        return result

    # -- the end -------------------------------------------------------------------------------------
    def close(self) -> None:
        if self.hub is not None and self.hub.poll() is None:
            self.hub.send_signal(signal.SIGTERM)  # the hub stops the users' servers and its proxy
            try:
                self.hub.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.hub.pid, signal.SIGKILL)
                self.hub.wait(10)
        for user in self.users:
            try:
                remove_user(user)
            except KeyError:
                pass
        shutil.rmtree(self.base, ignore_errors=True)


def copy_owned(source: Path, target: Path, owner: str) -> None:
    """Copy a file or folder and give it to `owner`."""
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("answers", "handouts", ".ipynb_checkpoints"))
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    subprocess.run(["chown", "-R", f"{owner}:{owner}", str(target)], check=True)

"""The production shape of docs/operator.md on one machine: each host a Linux network namespace
made here, joined by veth pairs to one bridge, every address one this module gives out.

    lb 10.77.0.10       nginx, deploy/nginx/moduong.conf rendered for app1 and app2
    app1 10.77.0.11     moduong serve (gunicorn, production settings)
    app2 10.77.0.12     moduong serve
    db 10.77.0.20       PostgreSQL primary (initdb here) and PgBouncer (transaction mode, :6432)
    replica 10.77.0.21  PostgreSQL streaming replica made with pg_basebackup
    cache 10.77.0.30    redis-server
    worker 10.77.0.40   moduong worker (the task worker)

The test process stays in the machine's own namespace, on the bridge as 10.77.0.1, and talks
only to lb. Nothing else is contacted. `Cluster.remove` takes everything away again (processes,
namespaces, bridge, folders); `leftovers_remove` does it for a run that was killed before.
A supervisor thread restarts an app host, the worker or Redis that dies, one second later, as
systemd's Restart=always would; a service the test stops on purpose stays stopped until it is
started again.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "moduong.conf"
NGINX_ERRORS = ROOT / "deploy" / "nginx" / "errors"
PREFIX = "mdc-"  # every namespace, veth and folder this module makes starts with it
BRIDGE = "mdc-br0"
SUBNET = "10.77.0"
CLIENT = f"{SUBNET}.1"
HOSTS = {
    "lb": f"{SUBNET}.10",
    "app1": f"{SUBNET}.11",
    "app2": f"{SUBNET}.12",
    "db": f"{SUBNET}.20",
    "replica": f"{SUBNET}.21",
    "cache": f"{SUBNET}.30",
    "worker": f"{SUBNET}.40",
}
APP_PORT = 8000
PGBOUNCER_PORT = 6432
DATABASE = "moduong"
SECRET_KEY = "cluster-test-secret-key-not-for-production-0123456789abcdefghijk"


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"no /usr/lib/postgresql/*/bin/{name}: apt-get install postgresql")
    return found[-1]


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(list(args), check=False, capture_output=True, text=True)
    if check and done.returncode:
        raise RuntimeError(f"{' '.join(args)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return done


STARTED = time.monotonic()


def say(what: str) -> None:
    """A line of progress, with the seconds since the run began (make cluster-test prints them)."""
    print(f"[cluster {time.monotonic() - STARTED:6.1f} s] {what}", flush=True)


def netns(host: str) -> str:
    return PREFIX + host


def leftovers_remove() -> None:
    """What an earlier run left (killed before its own cleanup): its processes, namespaces,
    bridge and folders."""
    for name in sh("ip", "netns", "list", check=False).stdout.split("\n"):
        name = name.split(" ", 1)[0].strip()
        if not name.startswith(PREFIX):
            continue
        for pid in sh("ip", "netns", "pids", name, check=False).stdout.split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        sh("ip", "netns", "delete", name, check=False)
    # The kernel takes a deleted namespace's veth ends away in the background: wait for it, and
    # delete what is still there.
    deadline = time.monotonic() + 30
    while (links := glob.glob(f"/sys/class/net/{PREFIX}*")) and time.monotonic() < deadline:
        for link in links:
            sh("ip", "link", "delete", Path(link).name, check=False)
        time.sleep(0.5)
    for folder in glob.glob(os.path.join(tempfile.gettempdir(), PREFIX + "*")):
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Service:
    name: str
    host: str
    argv: list[str]
    env: dict[str, str]
    user: str = ""  # run as this user (PostgreSQL and PgBouncer refuse root)
    supervised: bool = True  # restarted when it dies, unless stopped on purpose
    process: subprocess.Popen[bytes] | None = None
    stopped: bool = False
    restarts: int = 0


class Cluster:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix=PREFIX))
        self.dir.chmod(0o755)  # nginx's and postgres's users read below it
        self.logs = self.dir / "logs"
        self.logs.mkdir()
        self.services: dict[str, Service] = {}
        self.lock = threading.Lock()
        self._watch = threading.Event()
        self._watcher: threading.Thread | None = None
        self.namespaces: list[str] = []

    # --- network -----------------------------------------------------------------------------
    def network_create(self) -> None:
        sh("ip", "link", "add", BRIDGE, "type", "bridge")
        sh("ip", "addr", "add", f"{CLIENT}/24", "dev", BRIDGE)
        sh("ip", "link", "set", BRIDGE, "up")
        for host, address in HOSTS.items():
            ns = netns(host)
            sh("ip", "netns", "add", ns)
            self.namespaces.append(ns)
            outside, inside = f"{PREFIX}{host}", f"{PREFIX}{host}i"
            sh("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
            sh("ip", "link", "set", outside, "master", BRIDGE)
            sh("ip", "link", "set", outside, "up")
            sh("ip", "link", "set", inside, "netns", ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", ns, "addr", "add", f"{address}/24", "dev", inside)
            sh("ip", "-n", ns, "link", "set", inside, "up")

    # --- processes ---------------------------------------------------------------------------
    def _launch(self, service: Service) -> None:
        argv = ["ip", "netns", "exec", netns(service.host)]
        if service.user:
            argv += ["setpriv", f"--reuid={service.user}", f"--regid={service.user}"]
            argv += ["--init-groups"]
        log = (self.logs / f"{service.name}.log").open("ab")
        service.process = subprocess.Popen(
            argv + service.argv,
            env=service.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        service.stopped = False

    def run(self, service: Service) -> Service:
        with self.lock:
            self.services[service.name] = service
            self._launch(service)
        return service

    def start(self, name: str) -> None:
        with self.lock:
            self._launch(self.services[name])

    def send(self, name: str, signum: int, *, stop: bool = False) -> None:
        """Sends the signal to the service's main process (kill -9 of gunicorn's master is
        SIGKILL to it alone: its workers are left to notice). stop=True: the supervisor lets it
        stay down."""
        with self.lock:
            service = self.services[name]
            service.stopped = stop
            if service.process is not None and service.process.poll() is None:
                service.process.send_signal(signum)

    def stop(self, name: str, signum: int = signal.SIGTERM, timeout: float = 30) -> None:
        self.send(name, signum, stop=True)
        process = self.services[name].process
        if process is not None:
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def supervise(self) -> None:
        def watch() -> None:
            while not self._watch.wait(0.5):
                with self.lock:
                    dead = [
                        s
                        for s in self.services.values()
                        if s.supervised
                        and not s.stopped
                        and s.process is not None
                        and s.process.poll() is not None
                    ]
                for service in dead:
                    time.sleep(1)
                    with self.lock:
                        if not service.stopped and service.process.poll() is not None:  # type: ignore[union-attr]
                            service.restarts += 1
                            self._launch(service)

        self._watcher = threading.Thread(target=watch, daemon=True)
        self._watcher.start()

    def in_host(self, host: str, *argv: str, user: str = "", check: bool = True) -> str:
        prefix = ["ip", "netns", "exec", netns(host)]
        if user:
            prefix += ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups"]
        return sh(*prefix, *argv, check=check).stdout

    def wait_for(self, what: str, test: object, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if test():  # type: ignore[operator]
                    return
            except Exception:  # noqa: S110 - not up yet
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{what} not up after {timeout:.0f} s; logs in {self.logs}")

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.logs / f"{name}.log"
        return (
            "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
            if path.exists()
            else ""
        )

    # --- removal -------------------------------------------------------------------------------
    def remove(self) -> None:
        self._watch.set()
        if self._watcher is not None:
            self._watcher.join(5)
        with self.lock:
            for service in self.services.values():
                service.stopped = True
                if service.process is not None and service.process.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(service.process.pid, signal.SIGKILL)
                    service.process.wait()
        leftovers_remove()


# --- the shape ---------------------------------------------------------------------------------
def app_env(cluster: Cluster, bind: str = "") -> dict[str, str]:
    """Production settings as docs/operator.md sets them, pointed at the cluster's hosts."""
    db, replica, cache = HOSTS["db"], HOSTS["replica"], HOSTS["cache"]
    env = {
        "PATH": f"{BIN}:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(cluster.dir),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "moduong.settings.production",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOSTS["lb"],
        "SECURE_SSL_REDIRECT": "0",  # the cluster speaks plain HTTP on its own bridge
        "DATABASE_URL": f"postgres://postgres@{db}:{PGBOUNCER_PORT}/{DATABASE}",
        "DATABASE_REPLICA_URL": f"postgres://postgres@{replica}:5432/{DATABASE}",
        "MODUONG_PGBOUNCER": "1",
        "REDIS_URL": f"redis://{cache}:6379/0",
        # Tasks on Redis, as docs/operator.md sets a cluster: a task killed mid-run runs again.
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "TRUSTED_PROXY_COUNT": "1",
        "ACCEL_REDIRECT_PREFIX": "/_noi-bo/",
        "MODUONG_DATA_DIR": str(cluster.dir / "data"),
        "STATIC_ROOT": str(cluster.dir / "static"),
        "MEDIA_ROOT": str(cluster.dir / "media"),
        "PRIVATE_ROOT": str(cluster.dir / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Every reader of the load comes from one address (the test's): no per-address limit.
        "SEARCH_RATE_PER_MINUTE": "0",
        # The load's participants are scripts: no captcha, no per-address start limit.
        "CONTESTS_START_CAPTCHA": "0",
        "CONTESTS_START_RATE_PER_MINUTE": "0",
        "WEB_CONCURRENCY": "2",
        "THREADS": "4",
    }
    if os.environ.get("MODUONG_SHARED_DIR"):
        env["MODUONG_SHARED_DIR"] = os.environ["MODUONG_SHARED_DIR"]
    if bind:
        env["BIND"] = bind
    return env


def _postgres_argv(data: Path, address: str, sockets: Path) -> list[str]:
    return [
        pg_bin("postgres"),
        "-D",
        str(data),
        "-c",
        f"listen_addresses={address}",
        "-c",
        f"unix_socket_directories={sockets}",
        "-c",
        "max_connections=200",
        "-c",
        "wal_level=replica",
        "-c",
        "max_wal_senders=5",
        "-c",
        "hot_standby=on",
        "-c",
        "fsync=off",  # the faults stop processes, never the machine: the speed is kept
    ]


def nginx_render(
    *,
    upstreams: list[str],
    listen: str,
    server_name: str,
    static_root: Path,
    media_root: Path,
    private_root: Path,
    cache_dir: Path,
) -> str:
    """deploy/nginx/moduong.conf with its @NAME@ places filled, as its header says."""
    conf = NGINX_TEMPLATE.read_text()
    servers = "\n    ".join(f"server {u} max_fails=3 fail_timeout=5s;" for u in upstreams)
    for key, value in {
        "UPSTREAM_SERVERS": servers,
        "LISTEN": listen,
        "SERVER_NAME": server_name,
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "PRIVATE_ROOT": str(private_root),
        "ERRORS_ROOT": str(NGINX_ERRORS),
        "CACHE_DIR": str(cache_dir),
    }.items():
        conf = conf.replace(f"@{key}@", value)
    return conf


def nginx_main(conf: Path, folder: Path, logs: Path) -> str:
    """A whole nginx.conf around the portal's configuration: nginx's own files in `folder`."""
    temp = folder / "temp"
    temp.mkdir(exist_ok=True)
    return (
        f"user www-data;\nworker_processes 2;\npid {folder / 'nginx.pid'};\n"
        f"error_log {logs / 'nginx-error.log'} warn;\nevents {{ worker_connections 2048; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  access_log {logs / 'nginx-access.log'};\n  sendfile on;\n"
        f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
        f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n"
        f"  scgi_temp_path {temp}/scgi;\n  include {conf};\n}}\n"
    )


def pg_ready(address: str) -> bool:
    return sh("pg_isready", "-q", "-h", address, "-p", "5432", check=False).returncode == 0


def build(cluster: Cluster, participants: int) -> dict[str, object]:
    """Every host started and the database filled; returns the seed's sessions and article."""
    import json

    cluster.network_create()
    d = cluster.dir
    for name in ("static", "media", "private", "data", "nginx", "cache", "redis"):
        (d / name).mkdir()
    for name in ("primary-socket", "replica-socket"):
        (d / name).mkdir()
        shutil.chown(d / name, "postgres", "postgres")
    shutil.chown(d / "cache", "www-data", "www-data")

    # db: the primary, in a data folder made here, and PgBouncer in front of it.
    primary = d / "primary"
    primary.mkdir()
    shutil.chown(primary, "postgres", "postgres")
    primary.chmod(0o700)
    cluster.in_host(
        "db", pg_bin("initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust",
        "-E", "UTF8", "--locale=C.UTF-8", user="postgres",
    )  # fmt: skip
    with (primary / "pg_hba.conf").open("a") as hba:
        hba.write(f"host all all {SUBNET}.0/24 trust\nhost replication all {SUBNET}.0/24 trust\n")
    cluster.run(
        Service(
            "postgres-primary",
            "db",
            _postgres_argv(primary, HOSTS["db"], d / "primary-socket"),
            {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            user="postgres",
            supervised=False,
        )
    )
    cluster.wait_for("PostgreSQL primary", lambda: pg_ready(HOSTS["db"]))
    sh("psql", "-h", HOSTS["db"], "-U", "postgres", "-qc", f"CREATE DATABASE {DATABASE}")
    bouncer = d / "pgbouncer.ini"
    (d / "userlist.txt").write_text('"postgres" ""\n')
    bouncer.write_text(
        f"[databases]\n{DATABASE} = host={HOSTS['db']} port=5432 dbname={DATABASE}\n"
        f"[pgbouncer]\nlisten_addr = {HOSTS['db']}\nlisten_port = {PGBOUNCER_PORT}\n"
        f"unix_socket_dir =\nauth_type = trust\nauth_file = {d / 'userlist.txt'}\n"
        "pool_mode = transaction\nmax_client_conn = 1000\ndefault_pool_size = 40\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
    )
    cluster.run(
        Service("pgbouncer", "db", ["/usr/sbin/pgbouncer", str(bouncer)], {}, user="postgres")
    )

    # cache: Redis, its append-only file kept so that a restart keeps what it held.
    cluster.run(
        Service(
            "redis",
            "cache",
            [
                "redis-server", "--bind", HOSTS["cache"], "--port", "6379",
                "--protected-mode", "no", "--dir", str(d / "redis"),
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
            ],
            {"PATH": "/usr/bin:/bin"},
        )
    )  # fmt: skip
    cluster.wait_for(
        "Redis",
        lambda: sh("redis-cli", "-h", HOSTS["cache"], "ping", check=False).stdout.strip() == "PONG",
    )

    # The schema, static files and seed, straight on the primary (as an operator's deploy does).
    env = app_env(cluster)
    env["DATABASE_URL"] = f"postgres://postgres@{HOSTS['db']}:5432/{DATABASE}"
    env.pop("DATABASE_REPLICA_URL")
    say("primary, PgBouncer and Redis up")
    # collectstatic needs no database: it runs while migrate does.
    static = subprocess.Popen(
        [str(BIN / "moduong"), "collectstatic", "--noinput", "-v0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    subprocess.run(
        [str(BIN / "moduong"), "migrate", "-v0"], env=env, check=True, capture_output=True
    )
    say("migrate")
    if static.wait() != 0:
        raise RuntimeError("collectstatic failed")
    say("collectstatic")
    seeded = subprocess.run(
        [
            str(BIN / "moduong"), "shell", "-c",
            f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import seed; "
            f"seed.seed({participants})",
        ],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    info = json.loads(seeded.stdout.strip().splitlines()[-1])

    # replica: a base backup of the primary, then streaming.
    say("seeded")
    replica = d / "replica"
    replica.mkdir()
    shutil.chown(replica, "postgres", "postgres")
    replica.chmod(0o700)
    cluster.in_host(
        "replica", pg_bin("pg_basebackup"), "-h", HOSTS["db"], "-U", "postgres",
        "-D", str(replica), "-R", "-X", "stream", "-c", "fast", user="postgres",
    )  # fmt: skip
    replica.chmod(0o700)
    cluster.run(
        Service(
            "postgres-replica",
            "replica",
            _postgres_argv(replica, HOSTS["replica"], d / "replica-socket"),
            {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            user="postgres",
            supervised=False,
        )
    )
    cluster.wait_for("PostgreSQL replica", lambda: pg_ready(HOSTS["replica"]))
    say("replica up")

    # app1, app2 and the worker.
    for host in ("app1", "app2"):
        app = app_env(cluster, bind=f"{HOSTS[host]}:{APP_PORT}")
        cluster.run(Service(host, host, [str(BIN / "moduong"), "serve"], app))
    cluster.run(Service("worker", "worker", [str(BIN / "moduong"), "worker"], app_env(cluster)))

    # lb: nginx with the repository's configuration.
    conf = nginx_render(
        upstreams=[f"{HOSTS[h]}:{APP_PORT}" for h in ("app1", "app2")],
        listen=f"{HOSTS['lb']}:80",
        server_name=HOSTS["lb"],
        static_root=d / "static",
        media_root=d / "media",
        private_root=d / "private",
        cache_dir=d / "cache",
    )
    (d / "nginx" / "moduong.conf").write_text(conf)
    (d / "nginx" / "nginx.conf").write_text(
        nginx_main(d / "nginx" / "moduong.conf", d / "nginx", cluster.logs)
    )
    cluster.in_host("lb", "nginx", "-t", "-q", "-c", str(d / "nginx" / "nginx.conf"))
    cluster.run(
        Service(
            "nginx",
            "lb",
            ["nginx", "-c", str(d / "nginx" / "nginx.conf"), "-g", "daemon off;"],
            {"PATH": "/usr/sbin:/usr/bin:/bin"},
        )
    )
    return info

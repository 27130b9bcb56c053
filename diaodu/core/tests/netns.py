"""Several hosts on one machine: a Linux network namespace per host, each with one
interface on a private bridge (10.231.0.0/24) that lives in a namespace of its own, so
nothing outside these namespaces gets an address or a route. Needs root (CAP_NET_ADMIN)
and iproute2."""

import contextlib
import ctypes
import os
import secrets
import shutil
import signal
import subprocess
from pathlib import Path

SUBNET = "10.231.0"
CLONE_NEWNET = 0x40000000


def unavailable_reason() -> str | None:
    """Why namespaces cannot be made here, or None when they can."""
    if not shutil.which("ip"):
        return "iproute2 (the ip command) is not installed"
    if os.geteuid() != 0:
        return "network namespaces need root (CAP_NET_ADMIN)"
    name = f"ddprobe{secrets.token_hex(3)}"
    made = subprocess.run(["ip", "netns", "add", name], capture_output=True, text=True)
    if made.returncode != 0:
        return f"cannot create a network namespace: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", name], check=True)
    return None


def run(*command: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("timeout", 60)
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done


class Host:
    """A namespace with one address on the bridge, and the processes started in it."""

    def __init__(self, network: "Network", name: str, number: int):
        self.network = network
        self.ns = f"{network.tag}-{name}"
        self.address = f"{SUBNET}.{number}"
        self.link = f"{network.tag}{number}"  # the host's end of its cable, seen from the bridge
        self.processes: list[subprocess.Popen] = []

    def exec(self, *command: str, user: str | None = None) -> list[str]:
        as_user = ["runuser", "-u", user, "--"] if user else []
        return ["ip", "netns", "exec", self.ns, *as_user, *command]

    def run(self, *command: str, user: str | None = None, **kwargs):
        return run(*self.exec(*command, user=user), **kwargs)

    def start(self, *command: str, log: Path, user: str | None = None, **kwargs):
        process = subprocess.Popen(
            self.exec(*command, user=user),
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **kwargs,
        )
        self.processes.append(process)
        return process

    def kill(self) -> None:
        """kill -9 of everything the host runs, as a power loss would."""
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def cut(self) -> None:
        """Pulls the host's cable: packets to and from it vanish, no connection is reset."""
        run("ip", "-n", self.network.switch, "link", "set", self.link, "down")

    def mend(self) -> None:
        run("ip", "-n", self.network.switch, "link", "set", self.link, "up")


class Network:
    """The bridge and its hosts; ``close()`` kills every process and removes every
    namespace (and with them every interface), whatever state the test left them in."""

    def __init__(self):
        self.tag = f"dd{secrets.token_hex(2)}"
        self.switch = f"{self.tag}-switch"
        self.hosts: list[Host] = []
        run("ip", "netns", "add", self.switch)
        run("ip", "-n", self.switch, "link", "add", "br0", "type", "bridge")
        run("ip", "-n", self.switch, "link", "set", "br0", "up")

    def host(self, name: str, number: int) -> Host:
        host = Host(self, name, number)
        self.hosts.append(host)
        run("ip", "netns", "add", host.ns)
        run(
            "ip", "link", "add", "eth0", "netns", host.ns, "type", "veth",
            "peer", "name", host.link, "netns", self.switch,
        )  # fmt: skip
        run("ip", "-n", self.switch, "link", "set", host.link, "master", "br0", "up")
        run("ip", "-n", host.ns, "addr", "add", f"{host.address}/24", "dev", "eth0")
        run("ip", "-n", host.ns, "link", "set", "eth0", "up")
        run("ip", "-n", host.ns, "link", "set", "lo", "up")
        return host

    def close(self) -> None:
        for host in self.hosts:
            host.kill()
        for ns in [host.ns for host in self.hosts] + [self.switch]:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def enter(host: Host) -> None:
    """Moves the calling thread (only it) into the host's namespace: its sockets are then
    the host's. Used as a thread pool's initializer, so the test's clients are a host."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(f"/var/run/netns/{host.ns}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"setns into {host.ns}: {os.strerror(error)}")
    finally:
        os.close(fd)

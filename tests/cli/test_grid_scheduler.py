"""``main.py grid --scheduler`` given a bad address or a server that is not a Dask scheduler:
one line, exit 1, no traceback (not even the one Dask's client prints when it is collected),
never a hang. The servers are this test's own, on 127.0.0.1: one that accepts and stays
silent, one that sends garbage, one whose first frame declares 2^62 bytes, and two that answer
Dask's handshake (in Dask's framing) and then stay silent or declare 2^62 bytes."""

import gc
import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path

import msgpack
import pytest
from PySide6.QtCore import Qt

from cli.app import run
from model.experiments.dask_scheduler import SchedulerAddress, parse_address

ROOT = Path(__file__).resolve().parents[2]
GRID = [sys.executable, str(ROOT / "main.py"), "grid", "--x", "l2=0", "--y", "depth=1",
        "--max_steps", "1", "--seeds", "1", "--scheduler"]  # fmt: skip
HANG = 60  # seconds: a command still running then hangs (the old silent server: past 120 s)
HUGE = struct.pack("Q", 2**62)  # Dask's framing: a message starts with its length, 8 bytes


def dask_frame(info: dict) -> bytes:
    """A message as Dask's TCP comm writes it: the total length, the number of frames, each
    frame's length, then the frames (here one msgpack map)."""
    frame = msgpack.packb(info)
    body = struct.pack("Q", 1) + struct.pack("Q", len(frame)) + frame
    return struct.pack("Q", len(body)) + body


HANDSHAKE = dask_frame({"compression": None, "python": (3, 11, 0), "pickle-protocol": 5})
SENDS = {
    "silent": b"",
    "garbage": b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 4,
    "huge": HUGE,
    "handshake_then_silent": HANDSHAKE,
    "handshake_then_huge": HANDSHAKE + HUGE,
}


class Server:
    """Accepts on 127.0.0.1, sends ``greeting`` to each connection, then keeps it open and
    reads nothing."""

    def __init__(self, greeting: bytes) -> None:
        self.greeting = greeting
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed: the tests are done
                return
            self.connections.append(connection)
            if self.greeting:
                connection.sendall(self.greeting)

    def close(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept
        self.listener.close()
        self.thread.join(5)
        for connection in self.connections:
            connection.close()


@pytest.fixture(scope="module")
def servers():
    running = {name: Server(greeting) for name, greeting in SENDS.items()}
    yield {name: f"tcp://127.0.0.1:{server.port}" for name, server in running.items()}
    for server in running.values():
        server.close()


# What the one line says for each server (those that answer Dask's handshake are the window's
# test's), and for a bad address (Dask's client used to be built
# for it, and its collection printed a traceback seconds after the message).
COMMAND_LINES = {
    "silent": "gave no Dask answer within",
    "garbage": "does not answer as a Dask scheduler does",
    "huge": "declares 4,611,686,018,427,387,904 bytes",
    "foo": "it needs a port",
}


@pytest.fixture(scope="module")
def started(servers):
    """Every command line of COMMAND_LINES, started at once: they run in parallel (and while
    the window's test waits on its own servers)."""
    processes = {
        name: subprocess.Popen(
            [*GRID, servers.get(name, name)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for name in COMMAND_LINES
    }
    yield processes
    for process in processes.values():
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.fixture(scope="module")
def finished(started):
    """name -> (exit code, stdout, stderr); a command still running after HANG seconds fails
    its test."""
    outcomes = {}
    for name, process in started.items():
        try:
            out, err = process.communicate(timeout=HANG)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            err = f"still running after {HANG} s\n{err}"
        outcomes[name] = (process.returncode, out, err)
    return outcomes


WINDOW_SERVERS = {
    "silent": "gave no Dask answer within",
    "handshake_then_silent": "answered Dask's handshake, then stopped answering",
    "handshake_then_huge": "sent a message larger than this computer's memory",
}


def test_the_windows_map_worker_says_one_line_for_each_bad_server(servers, started, monkeypatch):
    """The Hyperparameter map tab's worker, in a thread as in the window: one line, no hang,
    and no client left for garbage collection to close with a traceback. (One worker a
    server, at once; the command lines of the next test, ``started``, run meanwhile.)"""
    from gui.workers.map_worker import MapWorker
    from model.config import ExperimentConfig
    from model.experiments.hyperparameter_map import MapSpec, parse_axis

    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    config = ExperimentConfig().with_changes(data={"n_samples": 200})
    spec = MapSpec(config, parse_axis("l2=0"), parse_axis("depth=1"), 1, 1)
    failed = {name: [] for name in WINDOW_SERVERS}
    done = []
    direct = Qt.ConnectionType.DirectConnection  # no event loop runs in this test
    threads = {}
    for name in WINDOW_SERVERS:
        worker = MapWorker()
        worker.failed.connect(failed[name].append, direct)
        worker.finished.connect(done.append, direct)
        request = {"spec": spec, "scheduler": servers[name]}
        threads[name] = threading.Thread(target=worker.run, args=(request,), daemon=True)
        threads[name].start()
    for name, thread in threads.items():
        thread.join(HANG)
        assert not thread.is_alive(), f"the worker still waits on the {name} server"
    gc.collect()
    assert not done
    for name, told in WINDOW_SERVERS.items():
        assert len(failed[name]) == 1, (name, failed[name])
        assert told in failed[name][0] and len(failed[name][0].splitlines()) == 1, failed[name]
    assert unraisable == []


@pytest.mark.parametrize("name", COMMAND_LINES)
def test_a_bad_server_or_address_is_one_line_and_exit_1_without_a_traceback(finished, name):
    code, out, err = finished[name]
    lines = err.strip().splitlines()
    assert code == 1, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert len(lines) == 1, err
    assert lines[0].startswith("main.py grid: ") and COMMAND_LINES[name] in lines[0], err
    assert out == ""


LONG_HOST = "a" * 300
BAD_ADDRESSES = [
    ("foo", "it needs a port"),
    ("tcp://", "it needs a host"),
    ("tcp://127.0.0.1", "it needs a port"),
    ("inproc://x", "inproc:// names a scheduler inside this same program"),
    ("inproc://127.0.0.1/1/1", "no scheduler of this program is there"),
    ("ucx://127.0.0.1:1", "the scheme ucx:// is not one of tcp://, tls://"),
    ("file:///etc/passwd", "the scheme file:// is not one of tcp://, tls://"),
    ("tcp://127.0.0.1:8786/status", "without a path"),
    ("tcp://127.0.0.1:65536", "the port 65536 is not a whole number from 1 to 65,535"),
    ("tcp://127.0.0.1:0", "from 1 to 65,535"),
    ("tcp://127.0.0.1:+80", "from 1 to 65,535"),
    (f"tcp://{LONG_HOST}:8786", "the host name is 300 characters long; at most 253"),
    (f"tcp://{'a' * 64}.org:8786", "1 to 63 characters"),
    ("tcp://::1:8786", "an IPv6 host is written in brackets"),
    ("tcp://[::g]:8786", "is not an IPv6 address"),
    ("tcp://bad\nhost:8786", "a space or a control character"),
    ("tls://127.0.0.1:8786", "tls:// needs Dask's TLS settings"),
]


@pytest.mark.parametrize(("address", "reason"), BAD_ADDRESSES)
def test_a_bad_address_is_one_line_naming_what_is_wrong(capsys, address, reason):
    assert run(["grid", "--x", "l2=0", "--y", "depth=1", "--max_steps", "1",
                "--scheduler", address]) == 1  # fmt: skip
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0], lines
    assert len(lines[0]) < 300  # a long address is shortened, not repeated whole


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("tcp://127.0.0.1:8786", SchedulerAddress("tcp", "127.0.0.1", 8786)),
        ("127.0.0.1:8786", SchedulerAddress("tcp", "127.0.0.1", 8786)),
        (
            " TCP://Scheduler-1.example.org:1 ",
            SchedulerAddress("tcp", "Scheduler-1.example.org", 1),
        ),
        ("tls://[::1]:65535", SchedulerAddress("tls", "::1", 65535)),
        ("inproc://10.0.0.5/4242/1", SchedulerAddress("inproc", "10.0.0.5/4242/1", 0)),
    ],
)
def test_good_addresses_are_taken_as_dask_writes_them(text, address):
    assert parse_address(text) == address
    assert parse_address(address.url) == address

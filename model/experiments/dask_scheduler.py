"""Reaching a Dask scheduler: one line within seconds for any address or any server, never a
hang, a crash or a traceback printed late.

Dask's own client waits without limit for a server's first message, allocates whatever size
that message declares (2^62 bytes: a MemoryError), and a client whose start failed prints a
traceback when it is collected. So an address is checked first (tcp:// or tls://, a host, a
port); then a plain socket of our own reads the server's first message, within a time and a
size limit, and checks that it is Dask's handshake; only then is a client started, within a
deadline, and a client that failed or is done is closed here, so that nothing is left for
garbage collection. A scheduler runs the code it is sent, and the client unpickles what it
answers: this protects against a wrong address, not against a hostile cluster.
"""

from __future__ import annotations

import asyncio
import ipaddress
import pickle
import socket
import ssl
import string
import struct
import sys
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from typing import Any

from model.limits import MAX_SCHEDULER_HOST, MAX_SCHEDULER_LABEL, SCHEDULER_PORT_RANGE

SCHEMES = ("tcp", "tls")  # and inproc://, a scheduler inside this same program
ANSWER_SECONDS = 3.0  # a scheduler's handshake comes at once; a silent server gets this long
START_SECONDS = 4.0  # the client's own start (registering, the scheduler's identity)
CLOSE_SECONDS = 1.0  # closing a client that failed or is done
RETRY_SECONDS = 0.1  # between attempts while a scheduler's port refuses (it may be starting)
MAX_HANDSHAKE_BYTES = 65_536  # Dask's handshake is about 60 bytes
MAX_SHOWN = 80  # characters of an address repeated in a message
MAX_REASON = 200  # characters of an error's own message repeated
_LENGTH = struct.Struct("Q")  # Dask's frame lengths: unsigned 64-bit, the machine's byte order
_HOST_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._")


class ClusterUnavailable(RuntimeError):
    """The Dask scheduler could not be reached, its address is unusable, or Dask is not
    installed: one line."""


@dataclass(frozen=True)
class SchedulerAddress:
    """A checked address: the scheme, the host (an IPv6 address without its brackets) and
    the port."""

    scheme: str
    host: str
    port: int

    @property
    def url(self) -> str:
        """The address as Dask takes it."""
        if self.scheme == "inproc":
            return f"inproc://{self.host}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


def shown(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` fit for one line of a message: no control characters, not too long."""
    printable = "".join(c if c.isprintable() else "?" for c in text)
    return printable if len(printable) <= limit else printable[: limit - 3] + "..."


def parse_address(text: str) -> SchedulerAddress:
    """``tcp://HOST:PORT``, ``tls://HOST:PORT`` or ``HOST:PORT`` (tcp), or Dask's
    ``inproc://HOST/PID/N`` of a scheduler in this program, else ClusterUnavailable saying
    what is wrong; imports nothing of Dask, so it answers at once."""
    text = text.strip()

    def bad(why: str) -> ClusterUnavailable:
        return ClusterUnavailable(f"the Dask scheduler address {shown(text)} cannot be used: {why}")

    example = "e.g. tcp://HOST:8786"
    if not text:
        raise bad(f"it is empty; give one, {example}")
    if not text.isprintable() or any(c.isspace() for c in text):
        raise bad("it contains a space or a control character")
    scheme, separator, rest = text.partition("://")
    if not separator:
        scheme, rest = "tcp", text
    scheme = scheme.lower()
    if scheme == "inproc":
        return _in_this_program(rest, bad)
    if scheme not in SCHEMES:
        raise bad(f"the scheme {scheme}:// is not one of {', '.join(s + '://' for s in SCHEMES)}")
    if any(c in rest for c in "/?#@"):
        raise bad(f"an address is only {scheme}://HOST:PORT, without a path or a user")
    if rest.startswith("["):  # [IPv6]:port
        host, bracket, port = rest[1:].partition("]")
        if not bracket or (port and not port.startswith(":")):
            raise bad("an IPv6 host is written in brackets, e.g. tcp://[::1]:8786")
        port = port[1:]
        _check_ipv6(host, bad)
    else:
        host, colon, port = rest.rpartition(":")
        if not colon:
            host, port = rest, ""
        if ":" in host:
            raise bad("an IPv6 host is written in brackets, e.g. tcp://[::1]:8786")
        _check_host_name(host, bad)
    if not port:
        raise bad(f"it needs a port, {example}")
    low, high = SCHEDULER_PORT_RANGE
    if not (port.isascii() and port.isdigit()) or not low <= int(port) <= high:
        raise bad(f"the port {shown(port)} is not a whole number from {low} to {high:,}")
    return SchedulerAddress(scheme, host, int(port))


def _in_this_program(location: str, bad) -> SchedulerAddress:
    """Dask's address of a scheduler in this program: ``inproc://HOST/PID/N``."""
    parts = location.split("/")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts[1:]):
        raise bad(
            "inproc:// names a scheduler inside this same program (inproc://HOST/PID/N); "
            "a cluster elsewhere is tcp://HOST:PORT"
        )
    _check_host_name(parts[0], bad)
    return SchedulerAddress("inproc", location, 0)


def _check_host_name(host: str, bad) -> None:
    if not host:
        raise bad("it needs a host, e.g. tcp://HOST:8786")
    if len(host) > MAX_SCHEDULER_HOST:
        raise bad(f"the host name is {len(host):,} characters long; at most {MAX_SCHEDULER_HOST}")
    if not set(host) <= _HOST_CHARACTERS:
        raise bad("a host name has only letters, digits, '-', '_' and '.'")
    labels = host.removesuffix(".").split(".")
    if not all(labels) or max(map(len, labels)) > MAX_SCHEDULER_LABEL:
        raise bad(f"each part of a host name between dots is 1 to {MAX_SCHEDULER_LABEL} characters")


def _check_ipv6(host: str, bad) -> None:
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        raise bad(f"{shown(host)} is not an IPv6 address") from None


def open_client(text: str, timeout: float):
    """A started Dask client of the scheduler at ``text``, or ClusterUnavailable (one line)
    within about ``timeout`` + ANSWER_SECONDS + START_SECONDS, with nothing left open."""
    address = parse_address(text)
    if address.scheme == "inproc":  # no socket: Dask's objects in this program
        _check_in_this_program(address, text)
    else:
        connection_args = _connection_args(address, text)
        _probe(address, connection_args.get("ssl_context"), timeout, text)
    try:
        return _client_class()(
            address.url, timeout=timeout, set_as_default=False, start_seconds=START_SECONDS
        )
    except TimeoutError:
        why = "it answered Dask's handshake, then stopped answering"
        raise ClusterUnavailable(_unreachable(text, why)) from None
    except MemoryError:
        why = "it sent a message larger than this computer's memory"
        raise ClusterUnavailable(_unreachable(text, why)) from None
    except Exception as error:  # noqa: BLE001 - whatever it is, the user gets one line
        raise ClusterUnavailable(_unreachable(text, _reason(error))) from None


def close_client(client) -> None:
    """Close ``client`` within CLOSE_SECONDS, and leave nothing for its collection to close
    (Dask's client closes itself when collected, and prints a traceback if that times out)."""
    with suppress(Exception):
        client.close(timeout=CLOSE_SECONDS)
    client.status = "closed"
    with suppress(Exception):
        client._loop_runner.stop()


@cache
def _client_class():
    """Dask's client, with a deadline on its start and closed at once when the start fails."""
    from distributed import Client

    class BoundedClient(Client):
        def __init__(self, *args: Any, start_seconds: float, **kwargs: Any) -> None:
            self.start_seconds = start_seconds
            try:
                super().__init__(*args, **kwargs)
            except BaseException:
                close_client(self)
                raise

        async def _start(self, **kwargs: Any):
            return await asyncio.wait_for(super()._start(**kwargs), self.start_seconds)

    return BoundedClient


def _check_in_this_program(address: SchedulerAddress, text: str) -> None:
    from distributed.comm.inproc import global_manager

    try:
        listening = global_manager.get_listener_for(address.host) is not None
    except Exception:  # noqa: BLE001 - Dask refuses the address: nothing listens there
        listening = False
    if not listening:
        raise ClusterUnavailable(_unreachable(text, "no scheduler of this program is there"))


def _connection_args(address: SchedulerAddress, text: str) -> dict[str, Any]:
    """Dask's settings for a client's connections: for tls://, its certificates."""
    from distributed.security import Security

    try:
        args = Security().get_connection_args("client")
    except Exception as error:  # noqa: BLE001 - a broken TLS setting: one line
        raise ClusterUnavailable(
            _unreachable(text, f"Dask's TLS settings: {_reason(error)}")
        ) from None
    if address.scheme == "tls" and args.get("ssl_context") is None:
        raise ClusterUnavailable(
            _unreachable(
                text,
                "tls:// needs Dask's TLS settings (distributed.comm.tls.ca-file, "
                ".client.cert and .client.key in Dask's configuration)",
            )
        )
    return args


def _probe(address: SchedulerAddress, context, timeout: float, text: str) -> None:
    """Read the server's first message with a socket of our own: ClusterUnavailable unless
    it is Dask's handshake. A helper thread does it, so that even a host name whose lookup
    hangs costs no more than the deadline."""
    outcome: list[str | None] = []

    def probe() -> None:
        try:
            _handshake(address, context, timeout)
        except _NotReached as why:
            outcome.append(str(why))
        except Exception as error:  # noqa: BLE001 - any failure is one line
            outcome.append(_reason(error))
        else:
            outcome.append(None)

    helper = threading.Thread(target=probe, name="dask-scheduler-probe", daemon=True)
    helper.start()
    helper.join(timeout + ANSWER_SECONDS + 0.5)
    if not outcome:
        raise ClusterUnavailable(_unreachable(text, f"no answer after {timeout:g} s"))
    if outcome[0] is not None:
        raise ClusterUnavailable(_unreachable(text, outcome[0]))


class _NotReached(Exception):
    """Why the probe failed, as the message will say it."""


def _handshake(address: SchedulerAddress, context, timeout: float) -> None:
    connection = _connected(address, timeout)
    try:
        connection.settimeout(ANSWER_SECONDS)
        if context is not None:
            connection = context.wrap_socket(connection, server_hostname=address.host)
        deadline = time.monotonic() + ANSWER_SECONDS
        (size,) = _LENGTH.unpack(_read(connection, _LENGTH.size, deadline))
        if not 2 * _LENGTH.size < size <= MAX_HANDSHAKE_BYTES:
            raise _NotReached(
                f"it does not answer as a Dask scheduler does (its first message declares "
                f"{size:,} bytes)"
            )
        if not _is_handshake(_read(connection, size, deadline)):
            raise _NotReached("it does not answer as a Dask scheduler does")
        connection.sendall(_own_handshake())  # so that the scheduler logs no broken connection
    except ssl.SSLError as error:
        raise _NotReached(f"TLS failed ({_reason(error)})") from None
    except TimeoutError:  # TLS's own handshake with a silent server
        raise _NotReached(_silent()) from None
    finally:
        connection.close()


def _connected(address: SchedulerAddress, timeout: float) -> socket.socket:
    """A connected socket, trying again while the port refuses (a scheduler starting up)."""
    deadline = time.monotonic() + timeout
    try:
        places = socket.getaddrinfo(address.host, address.port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise _NotReached(
            f"the host {shown(address.host)} is not known ({error.strerror})"
        ) from None
    last: OSError | None = None
    while (left := deadline - time.monotonic()) > 0:
        for family, kind, protocol, _name, place in places:
            connection = socket.socket(family, kind, protocol)
            connection.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                connection.connect(place)
                return connection
            except OSError as error:
                connection.close()
                last = error
        time.sleep(min(RETRY_SECONDS, max(0.0, left)))
    why = (last.strerror or _reason(last)) if last is not None else "no answer"
    raise _NotReached(f"no connection after {timeout:g} s ({why})")


def _read(connection: socket.socket, n: int, deadline: float) -> bytes:
    """Exactly ``n`` bytes before ``deadline``, or _NotReached saying what happened."""
    data = bytearray()
    while len(data) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _NotReached(_silent())
        connection.settimeout(left)
        try:
            chunk = connection.recv(min(n - len(data), MAX_HANDSHAKE_BYTES))
        except TimeoutError:
            raise _NotReached(_silent()) from None
        if not chunk:
            raise _NotReached("it closed the connection without answering as a Dask scheduler")
        data += chunk
    return bytes(data)


def _silent() -> str:
    return f"it accepted the connection but gave no Dask answer within {ANSWER_SECONDS:g} s"


def _is_handshake(body: bytes) -> bool:
    """Whether ``body`` (after the first length) is Dask's handshake: frames whose lengths
    add up, the first a msgpack map with the pickle protocol Dask's client needs."""
    import msgpack  # a dependency of Dask's

    (count,) = _LENGTH.unpack_from(body)
    start = _LENGTH.size * (1 + count)
    if not 1 <= count <= 16 or start > len(body):
        return False
    lengths = struct.unpack_from(f"{count}Q", body, _LENGTH.size)
    if start + sum(lengths) != len(body):
        return False
    try:
        info = msgpack.unpackb(body[start : start + lengths[0]], raw=False)
    except Exception:  # noqa: BLE001 - not msgpack: not Dask
        return False
    return isinstance(info, dict) and isinstance(info.get("pickle-protocol"), int)


def _own_handshake() -> bytes:
    """This client's handshake in Dask's framing: a length, the frame count, the frame
    lengths, the msgpack map."""
    import msgpack

    info = {
        "compression": None,
        "python": tuple(sys.version_info)[:3],
        "pickle-protocol": pickle.HIGHEST_PROTOCOL,
    }
    frame = msgpack.packb(info, use_bin_type=True)
    body = _LENGTH.pack(1) + _LENGTH.pack(len(frame)) + frame
    return _LENGTH.pack(len(body)) + body


def _unreachable(text: str, why: str) -> str:
    return f"cannot reach the Dask scheduler at {shown(text.strip())}: {why}"


def _reason(error: BaseException) -> str:
    """The first line of ``error``'s message, or its type's name."""
    lines = str(error).strip().splitlines()
    return shown(lines[0], MAX_REASON) if lines else type(error).__name__

"""A full disk, for real: the process's file-size limit makes writes past it fail (EFBIG),
as they would with ENOSPC, so the code under test meets a genuine OSError."""

import contextlib
import resource
import signal


@contextlib.contextmanager
def file_size_limit(n_bytes: int):
    """Writes past ``n_bytes`` fail with EFBIG, as they would with ENOSPC on a full disk."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (n_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)

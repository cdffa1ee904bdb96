"""Recordings written while they are made: RGB frames streamed to an animated GIF or an MP4.

No Qt here: frames are ``(height, width, 3)`` uint8 arrays. A thread encodes them, so the
window keeps painting; at most a few frames wait for it (``MEMORY_BUDGET``), however long
the recording, and each is encoded and written before the next: GIF frame by frame with
Pillow, MP4 through the ffmpeg that imageio-ffmpeg ships. The file grows beside its target
under a hidden temporary name and is renamed over it only when complete, so a full disk or
any other failure leaves an older file untouched and no half-written one.
"""

from __future__ import annotations

import collections
import contextlib
import os
import secrets
import threading
from pathlib import Path

import numpy as np

from gui.files.recording_encoders import GifEncoder, Mp4Encoder
from model.io.safe_files import check_writable, put_in_place, resolve_for_writing

FORMATS = {".gif": "animated GIF", ".mp4": "MP4 video"}
FPS_RANGE = (1, 60)
DEFAULT_FPS = 15
MAX_FRAMES = 10_000
MAX_BYTES = 1_000_000_000
MEMORY_BUDGET = 64 * 2**20  # bytes of frames waiting to be encoded
MAX_WAITING = 8  # frames waiting to be encoded, at most (fewer when they are large)


def recording_problem(path: str | os.PathLike, fps: float | None = None) -> str | None:
    """Why a recording cannot go to ``path`` (at ``fps``), or None: checked before it starts."""
    if Path(path).suffix.lower() not in FORMATS:
        return f"{path}: a recording is a .gif (animated GIF) or an .mp4 (MP4 video)"
    if fps is not None and not FPS_RANGE[0] <= fps <= FPS_RANGE[1]:
        return f"frames per second must be from {FPS_RANGE[0]} to {FPS_RANGE[1]}, not {fps:g}"
    problem = check_writable(path)
    return f"cannot write {path}: {problem}" if problem else None


def size_text(n_bytes: int) -> str:
    """``812 kB``, ``4.5 MB``, ``1 GB``: the size shown while recording."""
    if n_bytes < 1_000_000:
        return f"{n_bytes / 1000:.0f} kB"
    if n_bytes < 1_000_000_000:
        return f"{n_bytes / 1_000_000:.1f} MB"
    return f"{n_bytes / 1_000_000_000:.3g} GB"


class RecordingWriter:
    """Accepts frames of one size and writes them to ``path`` as GIF or MP4 (by its suffix).

    ``add`` hands a frame to the encoding thread; ``finish`` waits for it and puts the file
    in place (OSError says why not); ``abort`` throws the recording away. The first frame
    fixes the size: later frames must have it (the window's side scales them to it).
    """

    def __init__(
        self,
        path: str | os.PathLike,
        fps: float,
        *,
        max_frames: int = MAX_FRAMES,
        max_bytes: int = MAX_BYTES,
        memory_budget: int = MEMORY_BUDGET,
    ) -> None:
        problem = recording_problem(path, fps)
        if problem:
            raise ValueError(problem)
        self.path = Path(path)
        self.fps = float(fps)
        self.max_frames, self.max_bytes, self.memory_budget = max_frames, max_bytes, memory_budget
        self.frames = 0  # encoded and written
        self.accepted = 0  # handed to add() and kept
        self.skipped = 0  # refused because the encoder was behind
        self.bytes_written = 0
        self.peak_frames_held = 0
        self.limit_reached: str | None = None
        self.error: OSError | None = None
        self.shape: tuple[int, int, int] | None = None
        self._capacity = 1
        self._waiting: collections.deque[np.ndarray] = collections.deque()
        self._lock = threading.Condition()
        self._closing = False
        self._finished = False
        self._thread: threading.Thread | None = None
        self._target = resolve_for_writing(path)  # through a link, where the kernel would
        self._temporary, fd = _create_beside(self._target)
        if self.path.suffix.lower() == ".gif":
            self._encoder: GifEncoder | Mp4Encoder = GifEncoder(os.fdopen(fd, "wb"), self.fps)
        else:
            os.close(fd)  # ffmpeg writes it
            self._encoder = Mp4Encoder(self._temporary, self.fps)

    # ----- what the window shows -----
    @property
    def frames_held(self) -> int:
        """Frames in memory now: those waiting, and what the encoder keeps (GIF: the last)."""
        with self._lock:
            return len(self._waiting) + self._encoder.frames_held

    @property
    def recording(self) -> bool:
        return not self._finished and self.error is None

    # ----- frames in -----
    def add(self, frame: np.ndarray, wait: bool = False) -> bool:
        """Queue one frame; False when it was not kept: the encoder is behind (unless
        ``wait``: then this waits for room) or a limit was reached (``limit_reached``, set
        as soon as it is: with the last frame kept).
        OSError if writing has failed (then the recording is over)."""
        if self._closing:
            raise ValueError("the recording is finished")
        frame = self._checked(frame)
        with self._lock:
            if self.error is not None:
                raise self.error
            if self.limit_reached is not None:
                return False
            while len(self._waiting) >= self._capacity:
                if not wait:
                    self.skipped += 1
                    return False
                self._lock.wait()
                if self.error is not None:
                    raise self.error
            self._waiting.append(frame)
            self.accepted += 1
            if self.accepted >= self.max_frames:
                self.limit_reached = f"the limit of {self.max_frames:,} frames"
            held = len(self._waiting) + self._encoder.frames_held
            self.peak_frames_held = max(self.peak_frames_held, held)
            self._lock.notify_all()
        return True

    def _checked(self, frame: np.ndarray) -> np.ndarray:
        frame = np.asarray(frame)
        if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
            raise ValueError(
                f"a frame is (height, width, 3) uint8, not {frame.shape}, {frame.dtype}"
            )
        if self.shape is None:
            if min(frame.shape[:2]) < 2 or max(frame.shape[:2]) > 16_384:
                raise ValueError(f"a frame of {frame.shape[1]}x{frame.shape[0]} is not recorded")
            self.shape = frame.shape
            self._capacity = int(np.clip(self.memory_budget // frame.nbytes, 1, MAX_WAITING))
            self._thread = threading.Thread(target=self._encode, name="recording", daemon=True)
            self._thread.start()
        elif frame.shape != self.shape:
            raise ValueError(f"a frame of shape {frame.shape}, not {self.shape} as the first")
        return frame

    # ----- the encoding thread -----
    def _encode(self) -> None:
        while True:
            with self._lock:
                while not self._waiting and not self._closing:
                    self._lock.wait()
                if not self._waiting:
                    return
                frame = self._waiting[0]  # still counted as held while it is encoded
            try:
                self._encoder.write(frame)
                written = self._encoder.bytes_written()
            except Exception as error:  # noqa: BLE001 (any failure ends the recording)
                self._discard()  # no half-written file, whatever the caller does next
                with self._lock:
                    self.error = self._failure(error)
                    self._waiting.clear()
                    self._lock.notify_all()
                return
            with self._lock:
                self._waiting.popleft()
                self.frames += 1
                self.bytes_written = written
                if written >= self.max_bytes and self.limit_reached is None:
                    self.limit_reached = f"the limit of {size_text(self.max_bytes)}"
                self._lock.notify_all()

    def _failure(self, error: BaseException) -> OSError:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        return OSError(f"could not write {self.path}: {reason}")

    # ----- the end -----
    def finish(self) -> None:
        """Encode what is waiting, complete the file and rename it over the target (a
        device or a hard-linked file gets its bytes copied in: safe_files.put_in_place).

        OSError (and no file) if any write failed; ValueError if no frame was recorded."""
        if self._finished:
            return
        self._stop_thread()
        self._finished = True
        try:
            if self.error is not None:
                raise self.error
            if self.frames == 0:
                raise ValueError("nothing was recorded: no frame arrived")
            try:
                self._encoder.close()
                self.bytes_written = self._encoder.bytes_written()
                put_in_place(self._temporary, self._target, self.path)
            except Exception as error:  # noqa: BLE001
                self.error = self._failure(error)
                raise self.error from None
        except BaseException:
            self._discard()
            raise

    def abort(self) -> None:
        """Stop and delete the temporary file; an older file at the target stays."""
        if self._finished:
            return
        self._stop_thread()
        self._finished = True
        self._discard()

    def _stop_thread(self) -> None:
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join()

    def _discard(self) -> None:
        self._encoder.discard()
        with contextlib.suppress(OSError):
            os.unlink(self._temporary)


def _create_beside(target: Path) -> tuple[Path, int]:
    """A new hidden file in the target's folder (with the umask's permissions, as any new
    file), so that the rename at the end stays on one file system."""
    for _ in range(100):
        name = target.parent / f".{target.name}.{secrets.token_hex(4)}.part"
        try:
            return name, os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
    raise OSError(f"cannot create a temporary file in {target.parent}")

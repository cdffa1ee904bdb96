"""The two encoders behind a recording: each takes one RGB frame at a time and writes it.

GIF: Pillow's frame-by-frame GIF writer (``getheader``/``getdata``), so that no frame but the
last is kept (its ``save_all`` holds every frame until the end). Each frame stores only the
rectangle that changed since the previous one, with its own 256-colour palette, and shows for
a whole number of hundredths of a second (accumulated, so that 15 frames/s stays 15 on
average; at least 2, since viewers slow down shorter delays). MP4: H.264 (yuv420p, even sides)
by the ffmpeg binary of imageio-ffmpeg, frames piped to it, its messages kept to say why it
stopped.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import BinaryIO

import numpy as np

MIN_GIF_DELAY = 2  # hundredths of a second: a GIF plays at most 50 frames/s
MP4_QUALITY = 20  # x264's constant rate factor: lower is better and larger


class GifEncoder:
    """An animated GIF that loops, written to ``handle`` frame by frame."""

    def __init__(self, handle: BinaryIO, fps: float) -> None:
        self._handle = handle
        self._fps = fps
        self._previous: np.ndarray | None = None
        self._count = 0
        self._bytes = 0

    @property
    def frames_held(self) -> int:
        """The previous frame, kept to find what changed."""
        return 0 if self._previous is None else 1

    def bytes_written(self) -> int:
        return self._bytes

    def write(self, frame: np.ndarray) -> None:
        from PIL import GifImagePlugin, Image

        box = _changed_box(self._previous, frame)
        x0, y0, x1, y1 = box
        image = Image.fromarray(np.ascontiguousarray(frame[y0:y1, x0:x1])).quantize(
            256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        if self._previous is None:
            header, _ = GifImagePlugin.getheader(image, None, {"loop": 0})  # loop for ever
            self._write(b"".join(header))
        delay = self._delay()
        # disposal 1: what this frame does not cover stays as the previous frames left it
        data = GifImagePlugin.getdata(
            image, offset=(x0, y0), duration=delay * 10, disposal=1, include_color_table=True
        )
        self._write(b"".join(data))
        self._previous = frame
        self._count += 1

    def _delay(self) -> int:
        """Hundredths of a second for frame ``_count``: the rounded times' difference."""
        start = round(self._count * 100 / self._fps)
        end = round((self._count + 1) * 100 / self._fps)
        return max(MIN_GIF_DELAY, end - start)

    def _write(self, data: bytes) -> None:
        self._handle.write(data)
        self._bytes += len(data)

    def close(self) -> None:
        self._write(b";")  # the trailer
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self._previous = None

    def discard(self) -> None:
        self._previous = None
        with contextlib.suppress(OSError):  # the write that failed may fail again on flushing
            self._handle.close()


def _changed_box(previous: np.ndarray | None, frame: np.ndarray) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) around the pixels that differ; the whole frame first; one pixel when
    nothing changed (a frame must still be stored to keep the count and the timing)."""
    height, width = frame.shape[:2]
    if previous is None:
        return 0, 0, width, height
    changed = np.any(previous != frame, axis=2)
    rows = np.flatnonzero(changed.any(axis=1))
    if rows.size == 0:
        return 0, 0, 1, 1
    columns = np.flatnonzero(changed.any(axis=0))
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


class Mp4Encoder:
    """An H.264 MP4 written by an ffmpeg process started at the first frame."""

    frames_held = 0  # each frame goes straight into ffmpeg's pipe

    def __init__(self, path: Path, fps: float) -> None:
        self._path = path
        self._fps = fps
        self._process: subprocess.Popen | None = None
        self._log: BinaryIO | None = None
        self._odd = (0, 0)

    def _start(self, height: int, width: int) -> None:
        import imageio_ffmpeg

        self._odd = (height % 2, width % 2)  # yuv420p needs even sides: repeat the last line
        height, width = height + self._odd[0], width + self._odd[1]
        command = [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-y",
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-s",
            f"{width}x{height}",
            "-framerate",
            f"{self._fps:g}",
            "-i",
            "pipe:0",
            "-an",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            str(MP4_QUALITY),
            "-pix_fmt",
            "yuv420p",
            "-threads",
            "1",  # the other core trains and paints
            "-movflags",
            "+faststart",  # playable while it downloads: the index first
            "-flush_packets",
            "1",  # each frame reaches the file as it is encoded: the size shown is true
            "-f",
            "mp4",
            str(self._path),
        ]
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close or discard)
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            start_new_session=True,  # Ctrl+C in a terminal is ours to handle, not ffmpeg's
            restore_signals=False,  # as this process: an ignored SIGXFSZ makes writes fail
        )

    def bytes_written(self) -> int:
        try:
            return os.stat(self._path).st_size
        except OSError:
            return 0

    def write(self, frame: np.ndarray) -> None:
        if self._process is None:
            self._start(*frame.shape[:2])
        if any(self._odd):
            frame = np.pad(frame, ((0, self._odd[0]), (0, self._odd[1]), (0, 0)), mode="edge")
        assert self._process is not None and self._process.stdin is not None
        try:
            self._process.stdin.write(memoryview(np.ascontiguousarray(frame)).cast("B"))
        except OSError:  # a broken pipe: ffmpeg has stopped
            raise self._stopped() from None

    def close(self) -> None:
        process = self._process
        assert process is not None and process.stdin is not None
        with contextlib.suppress(OSError):  # the exit status below says why
            process.stdin.close()
        if process.wait() != 0:
            raise self._stopped()
        self._close_log()
        with open(self._path, "rb") as handle:
            os.fsync(handle.fileno())

    def discard(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._close_log()

    def _stopped(self) -> OSError:
        """ffmpeg's own last words: "No space left on device", "File too large", ..."""
        assert self._process is not None
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        code = self._process.returncode
        reason = f"stopped by {signal.strsignal(-code)}" if code and code < 0 else "it stopped"
        if self._log is not None:
            self._log.seek(0)
            lines = self._log.read()[-4000:].decode("utf-8", "replace").splitlines()
            words = [re.sub(r"^\[[^]]*\]\s*", "", line).strip() for line in lines]
            reason = next((w for w in reversed(words) if w), reason)
        return OSError(f"ffmpeg: {reason}")

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

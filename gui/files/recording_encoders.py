"""The two encoders behind a recording: each takes one RGB frame at a time and writes it.

GIF: Pillow's frame-by-frame GIF writer (``getheader``/``getdata``), so that no frame but the
last is kept (its ``save_all`` holds every frame until the end). Each frame stores only the
rectangle that changed since the previous one, and shows for a whole number of hundredths of
a second (accumulated, so that 15 frames/s stays 15 on average; at least 2, since viewers slow
down shorter delays). Every frame is mapped to one 256-colour palette, made from the whole
first frame: a pixel that does not change keeps its exact colour from frame to frame and
from the last frame back to the first, so the film neither shimmers nor flashes as it loops
(with a palette for each changed rectangle, a still pixel inside it got another colour each
time). A frame whose colours that palette matches badly (something new appeared) gets a
palette of its own, made from the whole frame, and is stored whole; the frames after it
share its palette. MP4: H.264 (yuv420p, even sides) by the ffmpeg binary of imageio-ffmpeg,
frames piped to it, its messages kept to say why it stopped.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

if TYPE_CHECKING:
    from PIL import Image

MIN_GIF_DELAY = 2  # hundredths of a second: a GIF plays at most 50 frames/s
# A palette matches a frame badly when more than this fraction of its changed pixels is
# further than POOR_MATCH levels (in some channel) from the palette's nearest colour.
POOR_MATCH = 40
POOR_FRACTION = 0.002
MP4_QUALITY = 20  # x264's constant rate factor: lower is better and larger


class GifEncoder:
    """An animated GIF that loops, written to ``handle`` frame by frame."""

    def __init__(self, handle: BinaryIO, fps: float) -> None:
        self._handle = handle
        self._fps = fps
        self._previous: np.ndarray | None = None
        self._palette: Image.Image | None = None  # a "P" image: the palette frames share
        self._colours: np.ndarray | None = None  # that palette, (256, 3)
        self._count = 0
        self._bytes = 0

    @property
    def frames_held(self) -> int:
        """The previous frame, kept to find what changed."""
        return 0 if self._previous is None else 1

    def bytes_written(self) -> int:
        return self._bytes

    def write(self, frame: np.ndarray) -> None:
        from PIL import GifImagePlugin

        x0, y0, x1, y1 = _changed_box(self._previous, frame)
        image = self._mapped(frame[y0:y1, x0:x1])
        if image is None:  # colours the palette lacks: a palette of this frame, all of it
            x0, y0, x1, y1 = 0, 0, frame.shape[1], frame.shape[0]
            image = self._new_palette(frame)
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

    def _mapped(self, pixels: np.ndarray) -> Image.Image | None:
        """``pixels`` in the shared palette's colours (the nearest of each), or None if there
        is no palette yet or it matches them badly."""
        from PIL import Image

        if self._palette is None or self._colours is None:
            return None
        image = Image.fromarray(np.ascontiguousarray(pixels)).quantize(
            palette=self._palette, dither=Image.Dither.NONE
        )
        # checked on every third pixel in each direction: new colours cover more than that
        shown = self._colours[np.asarray(image)[::3, ::3]]
        error = np.abs(shown - pixels[::3, ::3].astype(np.int16)).max(axis=2)
        if np.count_nonzero(error > POOR_MATCH) > POOR_FRACTION * error.size:
            return None
        return image

    def _new_palette(self, frame: np.ndarray) -> Image.Image:
        """``frame`` in a palette made from its own colours, shared by the frames after it."""
        from PIL import Image

        pixels = Image.fromarray(np.ascontiguousarray(frame))
        image = pixels.quantize(256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)
        table = (image.getpalette() or [])[: 256 * 3]
        self._palette = Image.new("P", (1, 1))  # the palette alone, not the frame
        self._palette.putpalette(table)
        self._colours = np.zeros((256, 3), np.int16)
        self._colours[: len(table) // 3] = np.asarray(table, np.int16).reshape(-1, 3)
        # mapped as every later frame is: the quantizer's own mapping may pick other colours
        return pixels.quantize(palette=self._palette, dither=Image.Dither.NONE)

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
        self._previous = self._palette = None

    def discard(self) -> None:
        self._previous = self._palette = None
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

"""The recording writer without Qt: GIF and MP4 round trips, bounded memory, limits, and
failed writes that leave no file (and an older one untouched)."""

import os
import stat

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from gui.files.recording_writer import MAX_WAITING, RecordingWriter
from tests.full_disk import file_size_limit


def moving_frames(count: int, height: int = 61, width: int = 83) -> list[np.ndarray]:
    """A gradient with a dark bar that moves one pixel a frame: every frame differs."""
    y, x = np.mgrid[0:height, 0:width]
    frames = []
    for k in range(count):
        frame = np.empty((height, width, 3), np.uint8)
        frame[..., 0] = x * 255 // width
        frame[..., 1] = y * 255 // height
        frame[..., 2] = 140
        frame[5:15, k % width : k % width + 6] = (20, 20, 20)
        frames.append(frame)
    return frames


def record(path, frames, fps=15, **limits) -> RecordingWriter:
    writer = RecordingWriter(path, fps, **limits)
    for frame in frames:
        writer.add(frame, wait=True)
    writer.finish()
    return writer


def mp4_frames(path) -> tuple[tuple[int, int], int, float]:
    """(width, height), frames and frames per second, decoded by ffmpeg."""
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    return tuple(meta["size"]), sum(1 for _ in reader), meta["fps"]


def test_a_gif_has_every_frame_at_its_size_looping_at_the_rate(tmp_path):
    frames = moving_frames(30)
    writer = record(tmp_path / "film.gif", frames, fps=15)
    assert writer.frames == 30 and writer.bytes_written == (tmp_path / "film.gif").stat().st_size
    with Image.open(tmp_path / "film.gif") as gif:
        assert gif.n_frames == 30 and gif.size == (83, 61)
        assert gif.info["loop"] == 0
        delays = []
        for index, frame in enumerate(frames):
            gif.seek(index)
            delays.append(gif.info["duration"])
            shown = np.asarray(gif.convert("RGB"), dtype=float)
            assert np.abs(shown - frame).mean() < 4  # 256 colours a frame, no dithering
    assert sum(delays) == 2000 and set(delays) <= {60, 70}  # ms: 2 s at 15 frames/s


def test_a_still_frame_is_stored_too(tmp_path):
    frame = moving_frames(1)[0]
    record(tmp_path / "still.gif", [frame, frame, frame])
    with Image.open(tmp_path / "still.gif") as gif:
        assert gif.n_frames == 3
        gif.seek(2)
        assert np.abs(np.asarray(gif.convert("RGB"), dtype=float) - frame).mean() < 4


def test_an_mp4_has_every_frame_with_even_sides(tmp_path):
    writer = record(tmp_path / "film.mp4", moving_frames(24, 61, 83), fps=12)
    assert writer.frames == 24
    size, count, fps = mp4_frames(tmp_path / "film.mp4")
    assert size == (84, 62) and count == 24 and fps == 12  # H.264 in yuv420p: even sides
    record(tmp_path / "even.mp4", moving_frames(5, 60, 80))
    assert mp4_frames(tmp_path / "even.mp4")[:2] == ((80, 60), 5)


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_memory_holds_a_few_frames_however_many_are_recorded(tmp_path, suffix):
    writer = record(tmp_path / f"long{suffix}", moving_frames(300))
    assert writer.frames == 300
    assert writer.peak_frames_held <= MAX_WAITING + 1  # waiting, and the GIF's previous frame
    assert writer.frames_held == 0
    # large frames: fewer wait, within the budget
    big = [np.full((200, 300, 3), k, np.uint8) for k in range(20)]
    writer = record(tmp_path / f"big{suffix}", big, memory_budget=2 * big[0].nbytes)
    assert writer.frames == 20 and writer.peak_frames_held <= 3


def test_a_frame_the_encoder_has_no_room_for_is_skipped_and_counted(tmp_path):
    frames = moving_frames(60, 120, 160)
    writer = RecordingWriter(tmp_path / "busy.gif", 30, memory_budget=1)  # one waits at most
    kept = [writer.add(frame) for frame in frames]
    writer.finish()
    assert writer.accepted == sum(kept) == writer.frames
    assert writer.accepted + writer.skipped == 60 and writer.peak_frames_held <= 2
    with Image.open(tmp_path / "busy.gif") as gif:
        assert gif.n_frames == writer.frames


def test_the_frame_limit_ends_the_recording_with_a_valid_file(tmp_path):
    writer = RecordingWriter(tmp_path / "capped.gif", 10, max_frames=5)
    kept = [writer.add(frame, wait=True) for frame in moving_frames(8)]
    assert kept == [True] * 5 + [False] * 3
    assert writer.limit_reached == "the limit of 5 frames"
    writer.finish()
    with Image.open(tmp_path / "capped.gif") as gif:
        assert gif.n_frames == 5


def test_the_size_limit_is_noticed_as_bytes_are_written(tmp_path):
    writer = RecordingWriter(tmp_path / "large.gif", 10, max_bytes=20_000)
    for frame in moving_frames(200, 120, 160):
        if not writer.add(frame, wait=True):
            break
    writer.finish()
    assert writer.limit_reached and "kB" in writer.limit_reached
    assert writer.frames < 200 and writer.bytes_written >= 20_000


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_a_full_disk_leaves_the_old_file_and_no_other(tmp_path, suffix):
    path = tmp_path / f"film{suffix}"
    path.write_bytes(b"the old film")
    noise = np.random.default_rng(0).integers(0, 256, (50, 120, 160, 3), dtype=np.uint8)
    with file_size_limit(30_000), pytest.raises(OSError, match="File too large") as failure:
        record(path, noise)
    assert str(path) in str(failure.value)
    assert path.read_bytes() == b"the old film"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


@pytest.mark.parametrize(
    ("name", "fps", "words"),
    [
        ("film.avi", 15, "a recording is a .gif (animated GIF) or an .mp4"),
        ("film", 15, "a recording is a .gif"),
        ("film.gif", 0, "frames per second must be from 1 to 60, not 0"),
        ("film.mp4", 61, "from 1 to 60"),
        ("film.gif", float("nan"), "not nan"),
        ("no/such/folder/film.gif", 15, "does not exist"),
        ("folder.gif", 15, "is a folder"),
    ],
)
def test_what_cannot_be_recorded_is_refused_before_anything_is_written(tmp_path, name, fps, words):
    (tmp_path / "folder.gif").mkdir()
    with pytest.raises(ValueError) as refusal:
        RecordingWriter(tmp_path / name, fps)
    assert words in str(refusal.value)
    assert [p.name for p in tmp_path.iterdir()] == ["folder.gif"]


def test_frames_must_keep_the_first_size_and_be_rgb_bytes(tmp_path):
    writer = RecordingWriter(tmp_path / "film.gif", 15)
    with pytest.raises(ValueError, match="uint8"):
        writer.add(np.zeros((10, 10, 3)))
    writer.add(np.zeros((10, 10, 3), np.uint8))
    with pytest.raises(ValueError, match="not \\(10, 10, 3\\) as the first"):
        writer.add(np.zeros((12, 10, 3), np.uint8))
    writer.finish()


def test_nothing_recorded_or_aborted_writes_nothing(tmp_path):
    path = tmp_path / "film.gif"
    path.write_bytes(b"old")
    with pytest.raises(ValueError, match="nothing was recorded"):
        RecordingWriter(path, 15).finish()
    writer = RecordingWriter(path, 15)
    writer.add(moving_frames(1)[0], wait=True)
    writer.abort()
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["film.gif"]


def test_an_overwritten_recording_keeps_the_files_permissions(tmp_path):
    path = tmp_path / "film.mp4"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    record(path, moving_frames(3))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert mp4_frames(path)[1] == 3


def decoded_gif(path) -> list[np.ndarray]:
    with Image.open(path) as gif:
        frames = []
        for index in range(gif.n_frames):
            gif.seek(index)
            frames.append(np.asarray(gif.convert("RGB")))
        return frames


def test_a_gif_keeps_still_pixels_exactly_frame_to_frame_and_round_the_loop(tmp_path):
    """Thousands of colours, 256 at a time: a pixel that does not move keeps the colour it
    was given, so the film neither shimmers nor flashes when it starts again."""
    height, width = 90, 160
    y, x = np.mgrid[0:height, 0:width]
    still = np.stack([x * 255 // width, y * 255 // height, (x + y) * 255 // (width + height)], 2)
    frames = []
    for k in range(12):
        frame = still.astype(np.uint8)
        frame[5:85, 12 * k : 12 * k + 3] = (20, 20, 20)  # a bar crossing the film
        frames.append(frame)
    record(tmp_path / "film.gif", frames)
    shown = decoded_gif(tmp_path / "film.gif")
    assert len(shown) == 12 and {frame.shape for frame in shown} == {frames[0].shape}
    for k in range(12):
        after = (k + 1) % 12  # the last frame is followed by the first
        unchanged = (frames[k] == frames[after]).all(axis=2)
        assert unchanged.mean() > 0.9
        assert (shown[k][unchanged] == shown[after][unchanged]).all(), (k, after)
        assert np.abs(shown[k].astype(int) - frames[k]).mean() < 4


def test_a_gif_frame_with_new_colours_shows_them(tmp_path):
    """Colours the first frame did not have (a red banner appears) are not forced into its
    palette: that frame brings a palette of its own."""
    first = moving_frames(1, 90, 120)[0]
    banner = first.copy()
    banner[60:85, :] = (214, 39, 40)
    record(tmp_path / "banner.gif", [first, banner, banner])
    shown = decoded_gif(tmp_path / "banner.gif")
    for frame in shown[1:]:
        assert np.abs(frame[60:85].astype(int) - (214, 39, 40)).max() <= 8
        assert np.abs(frame.astype(int) - banner).mean() < 4

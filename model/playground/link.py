"""Reading and writing TensorFlow Playground links (the state after ``#``), as Playground's
``State.deserializeState`` and ``State.serialize`` do (src/state.ts).

Accepted: the whole URL, or only the part after ``#`` (with or without the ``#``). Every key
Playground writes is read; unknown keys are ignored, as Playground ignores them; a value
Playground would misread is refused with one line naming the key (PlaygroundLinkError, a
ValueError). Where Playground itself corrects a value (noise above 80 becomes 50, below 0
becomes 0), the correction is Playground's.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import quote

from model.limits import PLAYGROUND_MAX_LINK_CHARS
from model.playground.config import (
    FEATURE_SWITCHES,
    NOISE_RESET,
    NOISE_URL_MAX,
    PlaygroundConfig,
    PlaygroundLinkError,
    link_number,
    refuse,
)

PLAYGROUND_URL = "https://playground.tensorflow.org/"
HIDE_SUFFIX = "_hide"
# state.ts's properties in its order (the order its links are written in), each with this
# configuration's field and how the value reads.
_PROPS: tuple[tuple[str, str, str], ...] = (
    ("activation", "activation", "name"),
    ("regularization", "regularization", "name"),
    ("batchSize", "batch_size", "number"),
    ("dataset", "dataset", "name"),
    ("regDataset", "reg_dataset", "name"),
    ("learningRate", "learning_rate", "number"),
    ("regularizationRate", "regularization_rate", "number"),
    ("noise", "noise", "number"),
    ("networkShape", "network_shape", "numbers"),
    ("seed", "seed", "text"),
    ("showTestData", "show_test_data", "boolean"),
    ("discretize", "discretize", "boolean"),
    ("percTrainData", "perc_train_data", "number"),
    ("x", "", "feature"),
    ("y", "", "feature"),
    ("xTimesY", "", "feature"),
    ("xSquared", "", "feature"),
    ("ySquared", "", "feature"),
    ("cosX", "", "feature"),
    ("sinX", "", "feature"),
    ("cosY", "", "feature"),
    ("sinY", "", "feature"),
    ("collectStats", "collect_stats", "boolean"),
    ("tutorial", "tutorial", "text"),
    ("problem", "problem", "name"),
    ("initZero", "init_zero", "boolean"),
    ("hideText", "hide_text", "boolean"),
)
PLAYGROUND_KEYS = tuple(key for key, _, _ in _PROPS)
# A decimal number as JavaScript's unary + reads it (hexadecimal and Infinity refused here).
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# What a browser's address bar percent-encodes in a fragment (the WHATWG URL standard's
# fragment percent-encode set; other non-ASCII characters go as UTF-8): Playground reads
# ``location.hash`` as the browser gives it.
_FRAGMENT_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"<>`')


def _fragment(text: str) -> str:
    """The part of a pasted link Playground reads (``location.hash`` without ``#``)."""
    if len(text) > PLAYGROUND_MAX_LINK_CHARS:
        raise PlaygroundLinkError(
            f"Playground link: longer than {PLAYGROUND_MAX_LINK_CHARS:,} characters"
        )
    # A browser drops tabs and line breaks anywhere, and controls and spaces at either end.
    text = re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", re.sub(r"[\t\n\r]", "", text))
    if "#" in text:
        fragment = text.split("#", 1)[1]
    elif re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text):
        fragment = ""  # a page address without state: Playground's defaults
    else:
        fragment = text
        keys = {part.split("=")[0] for part in text.split("&")}
        if not keys & {*PLAYGROUND_KEYS} and not any(k.endswith(HIDE_SUFFIX) for k in keys):
            raise PlaygroundLinkError(
                f"Playground link: {text[:40]!r} is neither a link nor the part after '#' "
                "(such as activation=tanh&seed=0.80664)"
            )
    return quote(fragment, safe=_FRAGMENT_SAFE)


def _number(key: str, text: str) -> float:
    """``+text`` as Playground reads a number; refuse what is no decimal number."""
    if not _DECIMAL.fullmatch(text.strip()):
        raise refuse(key, text, "not a number")
    value = float(text.strip())
    if not math.isfinite(value):
        raise refuse(key, text, "too large")
    return value


def _whole(value: float) -> int | float:
    """A whole number as an int (a non-whole one is refused by the configuration)."""
    return int(value) if value == int(value) else value


def _boolean(key: str, text: str) -> bool:
    if text not in ("true", "false"):
        raise refuse(key, text, "Playground writes true or false")
    return text == "true"


def _shape(text: str | None) -> tuple[Any, ...]:
    """networkShape: comma-separated widths; empty is no hidden layer."""
    if text is None:
        raise refuse("networkShape", "", "needs '=' and the widths, such as networkShape=4,2")
    if not text.strip():
        return ()
    widths = []
    for part in text.split(","):
        value = _number("networkShape", part) if part.strip() else None
        if value is None or value != int(value):
            raise refuse("networkShape", text, "the widths are whole numbers, such as 4,2")
        widths.append(int(value))
    return tuple(widths)


def parse_link(text: str) -> PlaygroundConfig:
    """The experiment a Playground link opens; PlaygroundLinkError naming the key otherwise.

    Without a seed (Playground then draws one from the browser's generator) a fresh seed is
    made as Playground makes it, and ``seed_given`` is False: the data and weights are then
    Playground's kind of data, not the same numbers.
    """
    values: dict[str, str | None] = {}
    for part in _fragment(text).split("&"):
        name, *rest = part.split("=")
        values[name] = rest[0] if rest else None  # "a=b=c" reads b, as Playground does

    def has(key: str) -> bool:
        value = values.get(key)
        return value is not None and value.strip() != ""

    fields: dict[str, Any] = {}
    features = set(PlaygroundConfig.features)
    for key, name, kind in _PROPS:
        if kind == "numbers":
            if key in values:
                fields[name] = _shape(values[key])
            continue
        if not has(key):
            continue
        value = values[key]
        if kind == "name" or kind == "text":
            fields[name] = value
        elif kind == "boolean":
            fields[name] = _boolean(key, value)
        elif kind == "feature":
            (features.add if _boolean(key, value) else features.discard)(key)
        else:
            fields[name] = _whole(_number(key, value))
    fields["features"] = tuple(n for n in FEATURE_SWITCHES if n in features)
    fields["hidden"] = tuple(
        key[: -len(HIDE_SUFFIX)]
        for key, value in values.items()
        if key.endswith(HIDE_SUFFIX) and value == "true"
    )
    noise = fields.get("noise", 0)
    if noise > NOISE_URL_MAX:  # playground.ts makeGUI
        fields["noise"] = NOISE_RESET
    elif noise < 0:
        fields["noise"] = 0
    return PlaygroundConfig(**fields)  # without a seed, one is made as Playground makes it


def link_from_config(config: PlaygroundConfig, base: str = PLAYGROUND_URL) -> str:
    """The link Playground writes for ``config`` (``State.serialize``): every key in its
    order, ``regularization`` left out when it is none (as Playground leaves it out)."""
    parts = []
    for key, name, kind in _PROPS:
        if kind == "feature":
            value: Any = key in config.features
        else:
            value = getattr(config, name)
        if value is None or (key == "regularization" and value == "none"):
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif kind in ("number", "numbers"):
            text = link_number(value)
        else:
            text = str(value)
        parts.append(f"{key}={text}")
    parts += [f"{name}{HIDE_SUFFIX}=true" for name in config.hidden]
    return base + "#" + "&".join(parts)

"""The side panels hold exactly what a configuration may hold: every control's range is the
configuration's, a configuration shown and read back is the same configuration, a typed
value the configuration refuses leaves the previous one, and applying a configuration sets
every control (nothing stale from before)."""

import math
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from gui.panels.data_panel import DataPanel
from gui.panels.model_panel import ModelPanel
from gui.panels.training_panel import TrainingPanel
from model.config import MODEL_KINDS, DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.data.datasets import (
    CLASSIFICATION_DATASETS,
    DEFAULT_NOISE,
    DEFAULT_SAMPLES,
    EXTRA_PARAMS,
    PROBLEMS,
    dataset_problem,
    datasets_for,
)
from model.limits import MAX_LAYERS
from model.nn.activations import ACTIVATIONS
from model.nn.modules import INITIALISATIONS
from model.nn.optimizers import OPTIMIZERS

TIMEOUT = 10_000


def explicit_data(name: str, **changes) -> DataConfig:
    """A data configuration with every value written out, as the panel shows it."""
    params = {key: spec[0] for key, spec in EXTRA_PARAMS[name].items()}
    params.update(changes.pop("params", {}))
    noise = None if name == "gaussians" else DEFAULT_NOISE[name]
    settings = {"n_samples": DEFAULT_SAMPLES[name], "noise": noise, **changes}
    settings["problem"] = dataset_problem(name)
    return DataConfig(name, params=params, **settings)


# (control, the record it makes from one value, a value it accepts, whole numbers?)
DATA_FIELDS = [
    ("samples", lambda v: explicit_data("moons", n_samples=v), 1000, True),
    ("noise", lambda v: explicit_data("moons", noise=v), 0.1, False),
    ("train_fraction", lambda v: explicit_data("moons", train_fraction=v), 0.8, False),
    ("seed", lambda v: explicit_data("moons", seed=v), 0, True),
] + [
    (
        f"params.{key}",
        lambda v, name=name, key=key: explicit_data(name, params={key: v}),
        spec[0],
        spec[3],
    )
    for name, spec_of in EXTRA_PARAMS.items()
    for key, spec in spec_of.items()
    if name != "blobs"  # its one parameter, n_classes, is spiral's too: one box for both
]
TRAIN_FIELDS = [
    (name, lambda v, name=name: TrainConfig(**{name: v}), getattr(TrainConfig(), name), integer)
    for name, integer in (("learning_rate", False), ("l2", False), ("l1", False))
] + [("eval_every", lambda v: TrainConfig(eval_every=v), 10, True)]

FIELDS = DATA_FIELDS + TRAIN_FIELDS


def accepted(make, value) -> bool:
    try:
        make(value)
    except ValueError:
        return False
    return True


def limits(make, inside: float, integer: bool) -> tuple[float, float]:
    """The smallest and largest values the configuration accepts, found by asking it:
    bisection from ``inside`` outwards, down to neighbouring floats (or integers)."""
    bounds = []
    for outward in (-1, 1):
        near, far = inside, inside + outward * 2.0**40  # beyond any limit of ours
        while True:
            middle = (near + far) / 2
            if integer:
                middle = math.floor(middle) if outward > 0 else math.ceil(middle)
            if middle in (near, far):
                break
            near, far = (middle, far) if accepted(make, middle) else (near, middle)
        bounds.append(near)
    return bounds[0], bounds[1]


def box_of(panels, control: str):
    data, _, training = panels
    if control.startswith("params."):
        return data.params[control.split(".", 1)[1]]
    return getattr(data, control, None) or getattr(training, control)


@pytest.fixture
def panels(qtbot):
    made = (DataPanel(DataConfig()), ModelPanel(ModelConfig()), TrainingPanel(TrainConfig()))
    for panel in made:
        qtbot.addWidget(panel)
    return made


@pytest.mark.parametrize("control, make, inside, integer", FIELDS, ids=[f[0] for f in FIELDS])
def test_every_box_spans_exactly_what_the_configuration_accepts(
    panels, control, make, inside, integer
):
    low, high = limits(make, inside, integer)
    box = box_of(panels, control)
    assert (box.minimum(), box.maximum()) == (low, high)
    for limit in (low, high):  # shown as itself: a covariance of 1e-06 does not read 0.000
        assert float(box.textFromValue(limit)) == limit


def test_batch_size_spans_full_batch_and_every_size_the_configuration_accepts(panels):
    low, high = limits(lambda v: TrainConfig(batch_size=v), 32, True)
    box = panels[2].batch_size
    assert (box.minimum(), box.maximum()) == (low - 1, high)  # the one below: "Full batch"
    assert box.specialValueText() == "Full batch"


def test_layers_widths_and_choices_offer_what_the_configuration_accepts(panels):
    data, model, training = panels
    assert (model.widths[0].minimum(), model.widths[0].maximum()) == limits(
        lambda v: ModelConfig(hidden=(v,)), 20, True
    )
    while model.add_layer.isEnabled():
        model.add_layer.click()
    assert len(model.widths) == MAX_LAYERS and len(model.config().hidden) == MAX_LAYERS
    assert not accepted(lambda n: ModelConfig(hidden=(8,) * n), MAX_LAYERS + 1)

    def options(box):
        return [box.itemData(i) for i in range(box.count())]

    assert options(data.dataset) == list(CLASSIFICATION_DATASETS)  # the default problem's
    assert options(model.kind) == list(MODEL_KINDS)
    assert options(model.activation) == list(ACTIVATIONS)
    assert options(model.init) == ["auto", *INITIALISATIONS]
    assert options(training.optimizer) == list(OPTIMIZERS)


def test_each_problem_lists_its_data_sets_and_the_perceptron_only_where_it_can_work(qtbot):
    from gui.panels.settings_column import SettingsColumn

    column = SettingsColumn(ExperimentConfig())
    qtbot.addWidget(column)
    data, model = column.data_panel, column.model_panel

    def options(box):
        return [box.itemData(i) for i in range(box.count())]

    def offered(box, value) -> bool:
        return box.model().item(box.findData(value)).isEnabled()

    assert options(data.problem) == list(PROBLEMS)
    changes = []
    data.changed.connect(lambda: changes.append(data.config()))
    for problem in reversed(PROBLEMS):  # from moons: each choice is a change
        data.problem.setCurrentIndex(data.problem.findData(problem))
        assert changes == [explicit_data(datasets_for(problem)[0])]  # one change, at once
        changes.clear()
        assert options(data.dataset) == list(datasets_for(problem))
        assert data.config() == explicit_data(datasets_for(problem)[0])  # its first, defaults
        for name in datasets_for(problem):  # every one shown reads back as itself
            data.set_config(explicit_data(name))
            assert data.config() == explicit_data(name) and not changes
        # the perceptron is offered exactly where the configuration accepts it
        perceptron = accepted(
            lambda _: ExperimentConfig(data.config(), ModelConfig("perceptron")), None
        )
        assert offered(model.kind, "perceptron") == perceptron == (problem == "classification")
    model.kind.setCurrentIndex(model.kind.findData("mlp"))
    data.problem.setCurrentIndex(data.problem.findData("classification"))
    model.kind.setCurrentIndex(model.kind.findData("perceptron"))
    assert not offered(data.problem, "regression") and offered(data.problem, "classification")


@pytest.mark.parametrize("control, make, inside, integer", FIELDS, ids=[f[0] for f in FIELDS])
def test_a_configuration_at_either_limit_reads_back_unchanged(
    panels, control, make, inside, integer
):
    data, _, training = panels
    for value in limits(make, inside, integer):
        config = make(value)
        if isinstance(config, DataConfig):
            data.set_config(config)
            assert data.config() == config
        else:
            config = replace(config, seed=data.config().seed)
            training.set_config(config)
            assert training.config(config.seed) == config


def test_values_between_the_limits_read_back_to_the_last_digit(panels):
    data, model, training = panels
    shown = [
        explicit_data("moons", noise=0.123456789012345, train_fraction=0.1 + 0.2, seed=2**32 - 1),
        explicit_data("gaussians", params={"mean": 1 / 3, "cov": 1.2345678e-5}, n_samples=4),
        explicit_data("spiral", params={"n_classes": 6, "turns": 0.2500000001}, noise=4.99),
        explicit_data("circles", params={"factor": 0.95}, n_samples=100_000),
    ]
    for config in shown:
        data.set_config(config)
        assert data.config() == config
    train = TrainConfig("adam", 3.3e-6, 100_000, 7.77e-9, 9.999999, 1_000_000, seed=0)
    training.set_config(train)
    assert training.config(0) == train
    net = ModelConfig("mlp", (1, 256, 3), "sigmoid", "small")
    model.set_config(net)
    assert model.config() == net


def type_into(qtbot, box, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def test_a_typed_value_the_configuration_refuses_leaves_the_previous_one(qtbot, window):
    window.data_panel.dataset.setCurrentIndex(window.data_panel.dataset.findData("gaussians"))
    qtbot.waitUntil(
        lambda: window.playground.worker.config.data.name == "gaussians", timeout=TIMEOUT
    )
    cov = window.data_panel.params["cov"]
    before = window.playground.config
    for refused in ("0", "0.0000001", "-1", "5000", "1e999", "nan"):
        type_into(qtbot, cov, refused)
        assert cov.value() == 1.0 and cov.text() == "1", refused
        assert window.playground.config == before and not window.banner.isVisible()
    type_into(qtbot, cov, "1e-6")  # the smallest the configuration takes: it trains
    assert window.playground.config.data.params["cov"] == 1e-6 and cov.text() == "1e-06"
    qtbot.waitUntil(
        lambda: window.playground.worker.config == window.playground.config, timeout=TIMEOUT
    )
    window.playground.request_step.emit()
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 1, timeout=TIMEOUT)
    assert (
        window.playground.last_frame.dataset.params["cov"] == 1e-6 and not window.banner.isVisible()
    )

    rate = window.training_panel.learning_rate
    type_into(qtbot, rate, "1e-7")
    assert rate.value() == 0.01 and window.playground.config.train.learning_rate == 0.01


def test_the_largest_seed_opens_and_regenerate_goes_on_from_it(qtbot):
    from gui.windows.main_window import MainWindow

    top = 2**32 - 1
    window = MainWindow(ExperimentConfig(DataConfig(seed=top), train=TrainConfig(seed=top)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.playground.last_frame is not None, timeout=TIMEOUT)
    assert window.data_panel.seed.text() == "4294967295"
    assert (
        window.playground.worker.config.data.seed
        == window.playground.worker.config.train.seed
        == top
    )
    type_into(qtbot, window.data_panel.seed, "4294967296")  # one too many: refused
    assert window.playground.config.data.seed == top
    window.data_panel.regenerate.click()  # the next seed after the largest: 0
    qtbot.waitUntil(lambda: window.playground.worker.config.data.seed == 0, timeout=TIMEOUT)
    assert (
        window.playground.config == window.playground.worker.config
        and window.data_panel.seed.value() == 0
    )
    window.close()


def test_a_preset_sets_every_control_and_leaves_nothing_stale(qtbot, window):
    panel = window.data_panel
    panel.dataset.setCurrentIndex(panel.dataset.findData("spiral"))
    panel.params["n_classes"].setValue(5)
    qtbot.waitUntil(
        lambda: window.playground.worker.config.data.params.get("n_classes") == 5, timeout=TIMEOUT
    )
    spiral = next(a for a in window.menu_actions.presets if a.text() == "Spiral with tanh")
    spiral.trigger()  # its data: spiral, noise 0.1; the number of classes left out
    assert panel.params["n_classes"].value() == EXTRA_PARAMS["spiral"]["n_classes"][0] == 2
    qtbot.waitUntil(
        lambda: window.playground.worker.config == window.playground.config, timeout=TIMEOUT
    )
    window.playground.request_step.emit()
    qtbot.waitUntil(
        lambda: (
            window.playground.last_frame.update == 1
            and window.playground.last_frame.dataset.n_classes == 2
        ),
        timeout=TIMEOUT,
    )
    # A configuration without the number of classes at all, loaded over 5 classes again.
    panel.params["n_classes"].setValue(5)
    qtbot.waitUntil(
        lambda: window.playground.worker.config.data.params.get("n_classes") == 5, timeout=TIMEOUT
    )
    window.playground.load_config(ExperimentConfig.from_dict({"data": {"name": "spiral"}}))
    assert panel.params["n_classes"].value() == 2
    assert window.playground.config.data == explicit_data("spiral")
    qtbot.waitUntil(
        lambda: window.playground.worker.config == window.playground.config, timeout=TIMEOUT
    )


def test_after_a_preset_the_learning_rate_still_applies_without_a_restart(qtbot, window):
    part_2 = next(a for a in window.menu_actions.presets if a.text().startswith("Part II:"))
    part_2.trigger()  # data size and noise left to the defaults
    qtbot.waitUntil(
        lambda: window.playground.worker.config == window.playground.config, timeout=TIMEOUT
    )
    window.playground.request_updates.emit(5)
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 5, timeout=TIMEOUT)
    generation = window.playground.last_frame.generation
    window.training_panel.learning_rate.setValue(0.05)
    qtbot.waitUntil(lambda: window.playground.worker.trainer.learning_rate == 0.05, timeout=TIMEOUT)
    window.playground.request_step.emit()
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 6, timeout=TIMEOUT)
    assert (
        window.playground.last_frame.generation == generation
    )  # the same run, not a fresh network


def test_values_beyond_the_old_box_ranges_survive_touching_another_control(qtbot, window):
    config = ExperimentConfig(
        DataConfig("moons", n_samples=50_000, noise=0.1),
        train=TrainConfig(learning_rate=1e-6, eval_every=500_000),
    )
    window.playground.load_config(config)
    assert window.data_panel.samples.value() == 50_000
    assert window.training_panel.learning_rate.value() == 1e-6
    assert window.training_panel.eval_every.value() == 500_000
    window.training_panel.l1.setValue(0.001)  # touch something else
    assert window.playground.config == replace(config, train=replace(config.train, l1=0.001))
    qtbot.waitUntil(
        lambda: window.playground.worker.config == window.playground.config, timeout=TIMEOUT
    )
    window.playground.request_step.emit()
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 1, timeout=TIMEOUT)
    assert len(window.playground.last_frame.dataset.y_all) == 50_000

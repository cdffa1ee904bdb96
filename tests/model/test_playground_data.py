"""TensorFlow Playground links: read as Playground reads them, and their data equal to the
data Playground's own code draws (fixtures from tests/playground_reference/make_reference.js,
which runs Playground's compiled TypeScript under node)."""

import numpy as np
import pytest

from model.playground.config import (
    ACTIVATIONS,
    CLASSIFICATION_DATASETS,
    REGRESSION_DATASETS,
    PlaygroundConfig,
    PlaygroundLinkError,
)
from model.playground.datasets import generate_data
from model.playground.link import PLAYGROUND_URL, link_from_config, parse_link
from model.playground.random_stream import PlaygroundRandom
from tests.playground_reference.fixtures import NAMES, fixture


def playground_data(name):
    config = parse_link(fixture(name)["fragment"])
    return config, generate_data(config, PlaygroundRandom(config.seed))


@pytest.mark.parametrize("name", NAMES)
def test_the_data_are_playgrounds(name):
    """The points to 1e-12 (they differ, if at all, in the last bit of a sine or a log), the
    labels exactly, in Playground's order after its shuffle, split as Playground splits."""
    config, data = playground_data(name)
    expected_train = np.array(fixture(name)["train"])
    expected_test = np.array(fixture(name)["test"])
    assert data.train_points.shape == expected_train[:, :2].shape
    assert data.test_points.shape == expected_test[:, :2].shape
    np.testing.assert_allclose(data.train_points, expected_train[:, :2], rtol=0, atol=1e-12)
    np.testing.assert_allclose(data.test_points, expected_test[:, :2], rtol=0, atol=1e-12)
    if config.is_regression:
        np.testing.assert_allclose(data.train_labels, expected_train[:, 2], rtol=0, atol=1e-12)
        np.testing.assert_allclose(data.test_labels, expected_test[:, 2], rtol=0, atol=1e-12)
    else:
        np.testing.assert_array_equal(data.train_labels, expected_train[:, 2])
        np.testing.assert_array_equal(data.test_labels, expected_test[:, 2])


def test_the_reference_links_cover_what_playground_offers():
    configs = [parse_link(fixture(name)["fragment"]) for name in NAMES]
    assert {c.data_name for c in configs} == {*CLASSIFICATION_DATASETS, *REGRESSION_DATASETS}
    assert {c.activation for c in configs} == set(ACTIVATIONS)
    assert {c.regularization for c in configs} == {"none", "L1", "L2"}
    assert {len(c.network_shape) for c in configs} >= {0, 3}
    assert {c.batch_size for c in configs} >= {1, 30}
    assert len({c.perc_train_data for c in configs}) >= 5
    assert len({c.noise for c in configs}) >= 5
    assert {n for c in configs for n in c.inputs} == {
        "x",
        "y",
        "xSquared",
        "ySquared",
        "xTimesY",
        "sinX",
        "sinY",
    }
    assert any(c.init_zero for c in configs)


@pytest.mark.parametrize("name", NAMES)
def test_a_link_is_written_back_as_playground_writes_it(name):
    """link_from_config gives, key for key, the link Playground's State.serialize wrote after
    opening the same link (its defaults filled in, noise 90 become 50)."""
    expected = PLAYGROUND_URL + "#" + fixture(name)["serialized"]
    config = parse_link(fixture(name)["fragment"])
    assert link_from_config(config) == expected
    assert parse_link(link_from_config(config)) == config


def test_the_whole_url_or_the_part_after_the_hash():
    fragment = fixture("circle_tanh_issue")["fragment"]
    config = parse_link(fragment)
    assert parse_link("https://playground.tensorflow.org/#" + fragment) == config
    assert parse_link("  #" + fragment + "\n") == config
    assert parse_link(fragment + "&someoneElsesKey=3&tutorial=") == config  # unknown: ignored
    assert config.network_shape == (4, 2) and config.seed == "0.80664" and config.seed_given


def test_the_seed_is_the_text_playground_reads():
    """A browser gives Playground the fragment percent-encoded: a pasted space is %20."""
    assert parse_link("seed=hello world").seed == "hello%20world"
    assert parse_link(fixture("defaults_text_seed")["fragment"]).seed == "hello%20world"
    assert parse_link("seed=é").seed == "%C3%A9"


def test_a_link_without_a_seed_gets_one_made_as_playground_makes_one():
    config = parse_link("https://playground.tensorflow.org/")
    assert not config.seed_given
    assert len(config.seed) == 7 and config.seed[:2] in ("0.", "1.")
    assert config == PlaygroundConfig(seed=config.seed, seed_given=False)  # the defaults
    made = PlaygroundConfig()
    assert not made.seed_given and len(made.seed) == 7


@pytest.mark.parametrize(
    "noise, used", [("90", 50), ("81", 50), ("80", 80), ("65", 65), ("-5", 0), ("12.5", 12.5)]
)
def test_noise_beyond_the_slider_is_corrected_as_playground_corrects_it(noise, used):
    assert parse_link(f"noise={noise}&seed=1").noise == used


def test_a_hidden_input_is_not_given_to_the_network():
    config = parse_link(fixture("spiral_hidden_feature_noise_clamped")["fragment"])
    assert "xSquared" in config.features and "cosX" in config.features
    assert config.inputs == ("x", "y", "ySquared")  # xSquared hidden; cosX has no input
    assert len(fixture("spiral_hidden_feature_noise_clamped")["initial"][0]["W"][0]) == 3


@pytest.mark.parametrize(
    "link, key",
    [
        ("activation=softmax", "activation"),
        ("dataset=moons", "dataset"),
        ("regDataset=plane", "regDataset"),
        ("problem=clustering", "problem"),
        ("regularization=l2", "regularization"),
        ("learningRate=abc", "learningRate"),
        ("learningRate=0", "learningRate"),
        ("learningRate=Infinity", "learningRate"),
        ("learningRate=0x10", "learningRate"),
        ("regularizationRate=-1", "regularizationRate"),
        ("batchSize=2.5", "batchSize"),
        ("batchSize=0", "batchSize"),
        ("batchSize=26&percTrainData=5", "batchSize"),
        ("percTrainData=0", "percTrainData"),
        ("percTrainData=100", "percTrainData"),
        ("noise=1_0", "noise"),
        ("networkShape=4,9", "networkShape"),
        ("networkShape=4,,2", "networkShape"),
        ("networkShape=4,0", "networkShape"),
        ("networkShape=1.5", "networkShape"),
        ("networkShape=1e400", "networkShape"),
        ("batchSize=1e400", "batchSize"),
        ("networkShape=2,2,2,2,2,2,2", "networkShape"),
        ("networkShape", "networkShape"),
        ("x=yes", "x"),
        ("initZero=1", "initZero"),
        ("seed=" + "7" * 1001, "seed"),
    ],
)
def test_a_bad_value_is_one_line_naming_its_key(link, key):
    with pytest.raises(PlaygroundLinkError) as error:
        parse_link("https://playground.tensorflow.org/#" + link)
    message = str(error.value)
    assert message.startswith(f"Playground link: {key}=") and "\n" not in message
    assert len(message) < 160
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize("text", ["", "hello", "foo=bar&baz=1", "x" * 20_001])
def test_text_that_is_no_link_is_refused(text):
    with pytest.raises(PlaygroundLinkError, match="^Playground link: "):
        parse_link(text)


def test_a_configuration_made_in_code_is_checked_as_a_link():
    with pytest.raises(PlaygroundLinkError, match="^Playground link: networkShape=9: "):
        PlaygroundConfig(network_shape=(9,), seed="1")
    with pytest.raises(PlaygroundLinkError, match="^Playground link: learningRate=-0.1: "):
        PlaygroundConfig(learning_rate=-0.1, seed="1")
    config = PlaygroundConfig(network_shape=(), learning_rate=1e-5, seed="1")
    assert "learningRate=0.00001" in link_from_config(config)
    assert "networkShape=&" in link_from_config(config)
    assert "regularization=" not in link_from_config(config)  # Playground leaves "none" out

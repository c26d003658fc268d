"""Weights loader: offline `auto` trains from scratch with a clear message and the pretrained=false
tag; a local state_dict file is loaded into every transferred layer; the head learns faster."""

import logging

import pytest
import torch
import torchvision

from energyrepro.el import model as el_model
from energyrepro.el.model import IMAGENET_FILE, build_alexnet, resolve_weights, transfer_optimizer


@pytest.fixture
def empty_hub(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    return tmp_path / "hub" / "checkpoints"


def test_auto_without_cached_file_is_from_scratch_with_clear_message(empty_hub):
    choice = resolve_weights("auto")
    assert not choice.pretrained
    assert str(empty_hub / IMAGENET_FILE) in choice.message and "from scratch" in choice.message
    assert "pretrained=false" in choice.message


def test_auto_never_downloads(empty_hub, monkeypatch):
    def no_network(*a, **k):
        raise AssertionError("attempted a download")

    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", no_network)
    monkeypatch.setattr(torch.hub, "download_url_to_file", no_network)
    build_alexnet(resolve_weights("auto"))


def test_auto_finds_cached_file_and_path_loads_it(empty_hub):
    torch.manual_seed(0)
    reference = torchvision.models.alexnet(weights=None).state_dict()
    empty_hub.mkdir(parents=True)
    torch.save(reference, empty_hub / IMAGENET_FILE)
    for spec in ("auto", empty_hub / IMAGENET_FILE):
        choice = resolve_weights(spec)
        assert choice.pretrained and choice.path == empty_hub / IMAGENET_FILE
        torch.manual_seed(1)  # a different init: the loaded values must win
        model = build_alexnet(choice)
        state = model.state_dict()
        for k, v in reference.items():
            if k.startswith(el_model.HEAD):
                assert state[k].shape[0] == 2  # new 2-class head
            else:
                assert torch.equal(state[k], v), k


def test_wrong_file_and_missing_path_fail_clearly(tmp_path):
    with pytest.raises(FileNotFoundError, match="el.weights"):
        resolve_weights(tmp_path / "nope.pth")
    bad = tmp_path / "bad.pth"
    torch.save({"features.0.weight": torch.zeros(1)}, bad)
    with pytest.raises(ValueError, match="not an AlexNet state_dict"):
        build_alexnet(resolve_weights(bad))


def test_none_and_deviation_tag(mlflow_store, tmp_path, caplog):
    from mlflow.tracking import MlflowClient

    from energyrepro.el.paper import deviations
    from energyrepro.tracking import tracked_run

    uri, exp_json = mlflow_store
    choice = resolve_weights("none")
    assert not choice.pretrained
    cfg = {"originals_per_class": 196, "images_per_class": 1228, "input_size": 227,
           "epochs": [5, 10, 20, 30, 50], "learning_rates": [0.01, 0.001, 0.0001]}
    with caplog.at_level(logging.WARNING), tracked_run(experiments_json=exp_json, study="el", run_name="t",
                                                       run_json=tmp_path / "r.json") as run:
        for key, value, why in deviations(cfg, choice.pretrained):
            run.deviation(key, value, why)
    tags = MlflowClient(uri).get_run(run.run_id).data.tags
    assert tags["deviation.pretrained"] == "false"
    assert "deviation.input_size" not in tags and "deviation.sweep" not in tags  # paper setting: only real deviations
    assert "DEVIATION pretrained=false" in caplog.text


def test_head_learns_with_the_larger_factor():
    model = build_alexnet(resolve_weights("none"))
    opt = transfer_optimizer(model, 1e-3, 20, 0.9, 1e-4)
    body, head = opt.param_groups
    assert body["lr"] == pytest.approx(1e-3) and head["lr"] == pytest.approx(2e-2)
    assert len(head["params"]) == 2 and head["params"][0].shape == (2, 4096)
    assert sum(p.numel() for g in opt.param_groups for p in g["params"]) == sum(p.numel() for p in model.parameters())

"""Weights: `auto` uses the hub cache, else downloads with torchvision's hash-prefix check (tested against a
loopback HTTP server), else trains from scratch with a clear message; `imagenet` fails naming the file and where
to put it; a local state_dict is loaded into every transferred layer; the head learns faster."""

import functools
import hashlib
import http.server
import logging
import socket
import threading

import pytest
import torch
import torchvision
from conftest import REPO

from energyrepro.el import model as el_model
from energyrepro.el.model import IMAGENET_FILE, build_alexnet, resolve_weights, transfer_optimizer


@pytest.fixture
def empty_hub(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    return tmp_path / "hub" / "checkpoints"


@pytest.fixture
def loopback(tmp_path):
    """An HTTP server on 127.0.0.1 serving ``tmp_path/www``; yields (base url, folder)."""
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", www
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_default_is_torchvisions_imagenet_file():
    assert IMAGENET_FILE == "alexnet-owt-7be5be79.pth"
    assert el_model.IMAGENET_URL == torchvision.models.AlexNet_Weights.IMAGENET1K_V1.url


def test_auto_downloads_into_the_cache_with_the_hash_checked(empty_hub, loopback):
    base, www = loopback
    content = b"not really weights, but hashed like them"
    name = f"alexnet-test-{hashlib.sha256(content).hexdigest()[:8]}.pth"
    (www / name).write_bytes(content)
    choice = resolve_weights("auto", url=f"{base}/{name}")
    assert choice.pretrained and choice.path == empty_hub / name and choice.path.read_bytes() == content
    assert "downloaded" in choice.message and "hash checked" in choice.message
    (www / name).unlink()  # the second time the cache serves it
    again = resolve_weights("imagenet", url=f"{base}/{name}")
    assert again.path == choice.path and "cache" in again.message


def test_a_file_with_the_wrong_hash_is_refused(empty_hub, loopback):
    base, www = loopback
    name = "alexnet-test-00000000.pth"
    (www / name).write_bytes(b"tampered")
    choice = resolve_weights("auto", url=f"{base}/{name}")
    assert not choice.pretrained and "hash" in choice.message and "pretrained=false" in choice.message
    assert not (empty_hub / name).exists()  # nothing half-checked left in the cache
    with pytest.raises(FileNotFoundError, match="hash"):
        resolve_weights("imagenet", url=f"{base}/{name}")


def test_offline_auto_trains_from_scratch_and_imagenet_names_the_file(empty_hub):
    url = f"http://127.0.0.1:{_closed_port()}/{IMAGENET_FILE}"
    choice = resolve_weights("auto", url=url)
    assert not choice.pretrained and "from scratch" in choice.message and "pretrained=false" in choice.message
    assert f"put {IMAGENET_FILE}" in choice.message and str(empty_hub) in choice.message
    with pytest.raises(FileNotFoundError, match=rf"{IMAGENET_FILE}.*into {empty_hub}"):
        resolve_weights("imagenet", url=url)


def test_auto_finds_cached_file_and_path_loads_it(empty_hub):
    torch.manual_seed(0)
    reference = torchvision.models.alexnet(weights=None).state_dict()
    empty_hub.mkdir(parents=True)
    torch.save(reference, empty_hub / IMAGENET_FILE)
    for spec in ("auto", empty_hub / IMAGENET_FILE):
        choice = resolve_weights(spec, url=f"http://127.0.0.1:9/{IMAGENET_FILE}")  # never fetched
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


def test_none_and_deviation_tags(mlflow_store, tmp_path, caplog):
    from mlflow.tracking import MlflowClient

    from energyrepro.config import load_config
    from energyrepro.el.paper import deviations
    from energyrepro.tracking import tracked_run

    uri, exp_json = mlflow_store
    choice = resolve_weights("none")
    assert not choice.pretrained
    cfg = load_config(REPO / "config" / "paper.yaml")["el"]
    with caplog.at_level(logging.WARNING), tracked_run(experiments_json=exp_json, study="el", run_name="t",
                                                       run_json=tmp_path / "r.json") as run:
        run.deviations(deviations(cfg, choice.pretrained))
    tags = MlflowClient(uri).get_run(run.run_id).data.tags
    assert tags["deviation.pretrained"] == "false" and tags["deviation.data"] == "elpv"
    assert "closest match" in tags["deviation.cells.why"] and "assume balanced" in tags["deviation.class_balance.why"]
    assert "deviation.images_per_class" not in tags and "deviation.sweep" not in tags  # paper setting
    assert "deviation.batch_size" not in tags  # the MATLAB example's 10
    assert "DEVIATION pretrained=false" in caplog.text
    loose = deviations({**cfg, "cell_types": ["mono", "poly"], "batch_size": 32}, True)
    keys = {k: why for k, _, why in loose}
    assert "pretrained" not in keys and "multi-crystalline" in keys["cells"] and "batch_size" in keys


def test_head_learns_with_the_larger_factor():
    model = build_alexnet(resolve_weights("none"))
    opt = transfer_optimizer(model, 1e-3, 20, 0.9, 1e-4)
    body, head = opt.param_groups
    assert body["lr"] == pytest.approx(1e-3) and head["lr"] == pytest.approx(2e-2)
    assert len(head["params"]) == 2 and head["params"][0].shape == (2, 4096)
    assert sum(p.numel() for g in opt.param_groups for p in g["params"]) == sum(p.numel() for p in model.parameters())

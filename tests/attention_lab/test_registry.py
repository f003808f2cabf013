"""Several models through one registry: the default model's shape comes from its config.json, the
tiny decoder is registered lazily (its package may be absent), and a model with its own runner goes
through the same worker, cache, API and lab update as the default one. The runner here is a small
fake with the tiny model's interface; the worker runs in this process on a paused queue."""

from __future__ import annotations

import io
import json
import re
import threading

import numpy as np
import pytest
import torch

from attention_lab import registry, worker
from attention_lab.model.weights import ModelFiles, read_config
from attention_lab.tiny import card

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


class FakeInductionRunner:
    """What attention_lab/tiny/inference.py's load_runner() returns, with made-up weights: each token
    attends to itself and every earlier token, more to the nearer ones (rows sum to 1)."""

    name = registry.TINY_MODEL
    description = "fake"
    num_layers, num_heads, causal = card.NUM_LAYERS, card.NUM_HEADS, True
    tokenizer_name = "letters"

    def __init__(self) -> None:
        self.loads = 0

    def tokenize(self, text: str) -> list[str]:
        return ["<s>"] + [letter for letter in text.lower() if letter.isalpha()]

    def attentions(self, text: str):
        tokens = self.tokenize(text)
        n = len(tokens)
        nearness = torch.arange(n)[None, :] - torch.arange(n)[:, None]  # (n, n): j - i
        scores = torch.where(nearness <= 0, nearness.float(), torch.tensor(float("-inf")))
        maps = torch.stack([torch.softmax(scores * (1 + layer + head), -1)
                            for layer in range(self.num_layers) for head in range(self.num_heads)])
        return tokens, maps.view(self.num_layers, self.num_heads, n, n)


@pytest.fixture
def tiny_installed(monkeypatch):
    """The tiny model's runner replaced by a fake with known maps (the real one is tested below)."""
    from attention_lab.tiny import inference

    runner = FakeInductionRunner()
    monkeypatch.setattr(inference, "load_runner", lambda: runner)
    worker.engine.cache_clear()
    yield runner
    worker.engine.cache_clear()


@pytest.fixture
def worker_here(paused_lab, settings):
    """A worker loop in this process (so that it sees the fake runner), on a queue nobody else reads."""
    settings.ATTENTION_RATE = "1000/min"
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            if not worker.batch_run()["claimed"]:
                stop.wait(0.01)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(5)


def test_the_default_models_shape_is_read_from_its_config():
    config = read_config(ModelFiles.locate())
    spec = registry.model_spec()
    assert (spec.layers, spec.heads) == (config["num_hidden_layers"], config["num_attention_heads"]) == (6, 12)
    assert spec.causal is False


def test_the_models_endpoint_lists_what_is_installed(client, tiny_installed, monkeypatch):
    listed = client.get("/api/attention/models/").json()
    assert [model["name"] for model in listed] == [registry.DEFAULT_MODEL, registry.TINY_MODEL]
    tiny = listed[1]
    assert (tiny["layers"], tiny["heads"], tiny["causal"]) == (card.NUM_LAYERS, card.NUM_HEADS, True)
    assert {"tokenizer", "description", "max_tokens"} <= set(tiny)


def test_the_api_answers_for_a_runner_model_in_json_and_npz(client, tiny_installed, worker_here):
    body = {"text": "abcab", "model": registry.TINY_MODEL, "heads": [1, 0]}
    as_json = client.post("/api/attention/", body, content_type="application/json")
    as_npz = client.post("/api/attention/", body, content_type="application/json", HTTP_ACCEPT="application/x-npz")
    assert as_json.status_code == 200, as_json.content
    answer = as_json.json()
    assert answer["model"] == registry.TINY_MODEL and answer["tokens"] == ["<s>", "a", "b", "c", "a", "b"]
    maps = np.array(answer["attentions"], dtype=np.float32)
    expected = FakeInductionRunner().attentions("abcab")[1].numpy()[:, [1, 0]]
    assert maps.shape == (2, 2, 6, 6) and np.array_equal(maps, expected)
    assert np.triu(maps, 1).max() == 0  # causal: nothing above the diagonal
    assert np.array_equal(np.load(io.BytesIO(as_npz.content))["attentions"], expected)
    assert tiny_installed is worker.engine(registry.TINY_MODEL)  # loaded once, kept


def test_a_head_outside_the_chosen_model_or_an_unknown_model_is_a_400(client, tiny_installed):
    outside = client.post("/api/attention/", {"text": "ab", "model": registry.TINY_MODEL, "heads": [card.NUM_HEADS]},
                          content_type="application/json")
    unknown = client.post("/api/attention/", {"text": "ab", "model": "gpt-17"}, content_type="application/json")
    assert outside.status_code == 400 and f"0..{card.NUM_HEADS - 1}" in outside.json()["detail"]
    assert unknown.status_code == 400 and "gpt-17" in unknown.json()["detail"]


def test_the_lab_update_takes_the_model_and_checks_layer_and_head_against_it(client, tiny_installed, worker_here):
    def update(**fields):
        body = {"text": "abcab", "model": registry.TINY_MODEL, "view": "head", **fields}
        return client.post("/lab/update/", json.dumps(body), content_type="application/json")

    shown = update(layer=1, head=card.NUM_HEADS - 1)
    assert shown.status_code == 200, shown.content
    assert (shown.json()["layers"], shown.json()["heads"]) == (card.NUM_LAYERS, card.NUM_HEADS)
    assert shown.json()["tokens"][0] == "<s>"
    assert update(layer=2, head=0).status_code == 400
    assert update(layer=0, head=card.NUM_HEADS).status_code == 400


def test_a_runner_that_differs_from_its_entry_is_refused_with_the_reason(client, tiny_installed, worker_here):
    tiny_installed.num_heads = card.NUM_HEADS + 1
    answer = client.post("/api/attention/", {"text": "ab", "model": registry.TINY_MODEL}, content_type="application/json")
    assert answer.status_code == 503
    assert "registry declares" in answer.json()["detail"]


def test_the_lab_page_has_a_model_picker(client, tiny_installed):
    page = client.get("/lab/").content.decode()
    assert 'data-lab-model' in page and registry.TINY_MODEL in page


def test_the_real_tiny_model_answers_causally_through_the_worker(client, worker_here):
    # given: the committed tiny model, loaded by the worker like any other model
    worker.engine.cache_clear()
    # when
    answer = client.post("/api/attention/", {"text": "jump fox jump fox", "model": registry.TINY_MODEL},
                         content_type="application/json")
    # then: its own tokens, every map lower-triangular, every row a distribution
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["tokens"][:3] == ["<s>", "j", "u"]
    maps = np.array(body["attentions"], dtype=np.float32)
    assert maps.shape[:2] == (card.NUM_LAYERS, card.NUM_HEADS)
    assert np.triu(maps, 1).max() == 0
    assert np.allclose(maps.sum(-1), 1, atol=1e-5)


@pytest.mark.parametrize("name", registry.model_names())
def test_the_lab_offers_per_model_controls_as_the_registry_says(client, name):
    # given: what the registry says the model can do
    spec = registry.model_spec(name)
    # when: the lab page is opened on that model
    page = client.get("/lab/", {"model": name}).content.decode()
    listed = {model["name"]: model for model in client.get("/api/attention/models/").json()}[name]
    # then: the page and the models endpoint say the same, and the controls that do not apply are hidden
    assert (listed["special_tokens"], listed["step_detail"], listed["text_pairs"]) == (
        list(spec.special_tokens), spec.step_detail, spec.text_pairs)
    step_tab = re.search(r'<button[^>]*data-lab-view="step"[^>]*>', page).group(0)
    hide_switch = re.search(r'<label class="check lab-control--hide"[^>]*>', page).group(0)
    assert ("hidden" in step_tab) is (not spec.step_detail)
    assert ("hidden" in hide_switch) is (not spec.special_tokens)
    if spec.special_tokens:
        assert "Hide " + "/".join(spec.special_tokens) in page


def test_the_tiny_decoder_offers_neither_steps_nor_a_hide_switch():
    tiny, default = registry.model_spec(registry.TINY_MODEL), registry.model_spec()
    assert (tiny.special_tokens, tiny.step_detail, tiny.text_pairs) == ((), False, False)
    assert (default.special_tokens, default.step_detail, default.text_pairs) == (("[CLS]", "[SEP]"), True, True)


def test_a_step_view_asked_of_a_model_without_q_k_v_gets_its_head_view(client, tiny_installed, worker_here):
    body = {"text": "abcab", "model": registry.TINY_MODEL, "view": "step", "layer": 1, "head": 0, "hide_specials": True}
    answer = client.post("/lab/update/", json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.content
    payload = answer.json()
    assert "step" not in payload and payload["matrix"]["mode"] == "head"
    assert payload["shown"] == list(range(len(payload["tokens"])))  # nothing hidden: "<s>" is a real token here

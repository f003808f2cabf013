"""The tiny induction model as committed: its weights are the pinned ones, its maps are causal, the
runner agrees with an independent forward pass, it solves its task through an induction head, and
its training is reproducible. No database, no worker: the model runs in-process on the CPU."""
import math

import pytest
import torch
import torch.nn.functional as F

from attention_lab.model.tokenization import TextTooLongError
from attention_lab.model.weights import sha256_of
from attention_lab.tiny import card, checkpoint
from attention_lab.tiny.checkpoint import TinyWeightsIntegrityError, load_model, save_checkpoint, state_dict_equal
from attention_lab.tiny.inference import MODEL_NAME, load_runner
from attention_lab.tiny.inspect import find_induction_head, find_previous_token_head, head_scores
from attention_lab.tiny.model import TinyConfig, TinyTransformer
from attention_lab.tiny.tokenizer import TOKEN_IDS, UNK
from attention_lab.tiny.train import TrainingSettings, induction_accuracy, train

TEXTS = [
    "kqvmzrtwpx kqvmzrtwpx",
    "The cat sat on the mat.",
    "jump fox, jump fox!",
    "",
    "Ünïcode ✓ 42 — and an emoji 🙂",
]


@pytest.fixture(scope="module")
def runner():
    return load_runner()


def test_the_committed_weights_are_the_ones_sha256sums_names():
    directory = checkpoint.WEIGHTS_DIR
    line = (directory / checkpoint.CHECKSUMS_FILENAME).read_text(encoding="utf-8").strip()
    assert line == f"{sha256_of(directory / checkpoint.WEIGHTS_FILENAME)}  {checkpoint.WEIGHTS_FILENAME}"
    assert (directory / checkpoint.WEIGHTS_FILENAME).stat().st_size < 5 * 1024 * 1024
    assert "final held-out accuracy" in (directory / checkpoint.LOG_FILENAME).read_text(encoding="utf-8")


def test_loading_refuses_weights_that_do_not_match_their_checksum(tmp_path):
    # given: a copy of the weights with one byte changed
    for name in (checkpoint.WEIGHTS_FILENAME, checkpoint.CHECKSUMS_FILENAME):
        (tmp_path / name).write_bytes((checkpoint.WEIGHTS_DIR / name).read_bytes())
    weights = bytearray((tmp_path / checkpoint.WEIGHTS_FILENAME).read_bytes())
    weights[-1] ^= 0x01
    (tmp_path / checkpoint.WEIGHTS_FILENAME).write_bytes(bytes(weights))
    # when / then
    with pytest.raises(TinyWeightsIntegrityError, match="train_tiny_model"):
        load_runner(tmp_path)


def test_the_runner_describes_a_causal_model_as_its_torch_free_card_does(runner):
    assert runner.name == MODEL_NAME == card.MODEL_NAME == "attentive/tiny-induction"
    assert (runner.num_layers, runner.num_heads, runner.max_tokens) == (card.NUM_LAYERS, card.NUM_HEADS,
                                                                        card.MAX_TOKENS)
    assert runner.description == card.DESCRIPTION and runner.causal is card.CAUSAL
    assert runner.causal is True
    assert (runner.num_layers, runner.num_heads) == (runner.model.config.n_layer, runner.model.config.n_head)
    assert runner.description and "\n" not in runner.description
    assert runner.tokenizer_name == "attentive/tiny-char"


def test_learner_text_of_any_kind_becomes_tokens_and_too_long_text_is_refused(runner):
    assert runner.tokenize("Ab c!") == ["<s>", "a", "b", "c", UNK]
    assert runner.tokenize("") == ["<s>"]
    assert runner.tokenize("é🙂\ud800") == ["<s>", UNK, UNK, UNK]
    longest = "a" * (runner.max_tokens - 1)
    assert len(runner.tokenize(longest)) == runner.max_tokens
    with pytest.raises(TextTooLongError):
        runner.attentions(longest + "b")


@pytest.mark.parametrize("text", TEXTS)
def test_every_map_is_causal_and_every_row_sums_to_one(runner, text):
    tokens, maps = runner.attentions(text)
    n = len(tokens)
    assert maps.dtype == torch.float32 and maps.shape == (runner.num_layers, runner.num_heads, n, n)
    assert torch.all(maps.triu(1) == 0), "a token attended to a later token"
    assert torch.allclose(maps.sum(dim=-1), torch.ones(runner.num_layers, runner.num_heads, n), atol=1e-5)


def _reference_attentions(weights: dict[str, torch.Tensor], config: TinyConfig, ids: list[int]) -> torch.Tensor:
    """The model's forward pass written again from the checkpoint's tensors, head by head, with loops."""
    n, width, heads = len(ids), config.n_embd, config.n_head
    head_dim = width // heads
    # sinusoidal positions, from the formula in Vaswani et al. (2017)
    positions = torch.zeros(n, width)
    for pos in range(n):
        for i in range(0, width, 2):
            angle = pos / (10000 ** (i / width))
            positions[pos, i], positions[pos, i + 1] = math.sin(angle), math.cos(angle)
    x = weights["tok_emb.weight"][ids] + positions
    maps = []
    for layer in range(config.n_layer):
        p = f"blocks.{layer}."
        h = F.layer_norm(x, (width,), weights[p + "ln_1.weight"], weights[p + "ln_1.bias"])
        qkv = h @ weights[p + "attn.qkv.weight"].T + weights[p + "attn.qkv.bias"]
        q, k, v = qkv[:, :width], qkv[:, width:2 * width], qkv[:, 2 * width:]
        layer_maps, outputs = [], []
        for head in range(heads):
            cols = slice(head * head_dim, (head + 1) * head_dim)
            scores = q[:, cols] @ k[:, cols].T / math.sqrt(head_dim)
            scores = scores + torch.full((n, n), float("-inf")).triu(1)  # no looking ahead
            weights_h = torch.softmax(scores, dim=-1)
            layer_maps.append(weights_h)
            outputs.append(weights_h @ v[:, cols])
        maps.append(torch.stack(layer_maps))
        x = x + torch.cat(outputs, dim=1) @ weights[p + "attn.proj.weight"].T + weights[p + "attn.proj.bias"]
        h = F.layer_norm(x, (width,), weights[p + "ln_2.weight"], weights[p + "ln_2.bias"])
        hidden = F.gelu(h @ weights[p + "mlp.up.weight"].T + weights[p + "mlp.up.bias"])
        x = x + hidden @ weights[p + "mlp.down.weight"].T + weights[p + "mlp.down.bias"]
    return torch.stack(maps)


@pytest.mark.parametrize("text", TEXTS[:3])
def test_the_runner_matches_an_independent_forward_pass(runner, text):
    tokens, maps = runner.attentions(text)
    reference = _reference_attentions(runner.model.state_dict(), runner.model.config,
                                      [TOKEN_IDS[token] for token in tokens])
    assert torch.allclose(maps, reference, atol=1e-5)


def test_the_trained_model_solves_the_induction_task(runner):
    assert induction_accuracy(runner.model) > 0.95
    # and on learner-style text: after "kqvmzrtwpx kqv" comes "m"
    assert runner.predict_next("kqvmzrtwpx kqv") == "m"


def test_layer_one_looks_one_token_back_and_layer_two_holds_an_induction_head(runner):
    scores = head_scores(runner.model)
    previous, induction = find_previous_token_head(runner.model), find_induction_head(runner.model)
    # Layer 1's heads put a large share of each row on the left neighbour, far above layer 2's and
    # above a head spreading its weight evenly (about 0.09 on these 31-token probes).
    assert previous.layer == 1 and previous.score > 0.35
    assert scores["previous_token"][0].min() > 5 * scores["previous_token"][1].max()
    # From the second copy, a layer-2 head attends almost only to the letter after the earlier occurrence.
    assert induction.layer == 2 and induction.score > 0.9
    assert scores["induction"][0].max() < 0.1


def test_the_induction_head_points_at_the_letter_after_the_earlier_occurrence(runner):
    tokens, maps = runner.attentions("kqvmzrtwpx kqvmzrtwpx")
    induction = find_induction_head(runner.model)
    row = maps[induction.layer - 1, induction.head - 1, tokens.index("v", 4)]  # the second "v"
    assert int(row.argmax()) == tokens.index("m")  # after the first "v" came "m"


def test_training_is_deterministic_for_a_seed():
    settings = TrainingSettings(steps=3, batch_size=4, log_every=1000, eval_sequences=4)
    config = TinyConfig(n_embd=16, n_head=2)
    first, second = train(settings, config), train(settings, config)
    assert state_dict_equal(first.model.state_dict(), second.model.state_dict())
    other = train(TrainingSettings(seed=settings.seed + 1, steps=3, batch_size=4, log_every=1000, eval_sequences=4), config)
    assert not state_dict_equal(first.model.state_dict(), other.model.state_dict())


def test_a_saved_checkpoint_loads_back_to_the_same_model(tmp_path):
    torch.manual_seed(0)
    model = TinyTransformer(TinyConfig(n_embd=16, n_head=2))
    digest = save_checkpoint(model, tmp_path)
    assert digest == sha256_of(tmp_path / checkpoint.WEIGHTS_FILENAME)
    assert state_dict_equal(load_model(tmp_path).state_dict(), model.state_dict())


def test_the_course_files_stored_answers_for_the_tiny_model_are_its_answers(runner):
    """Lesson quizzes store the model's answer (loading the course needs no worker): check each one."""
    from pathlib import Path

    from django.conf import settings

    from quizzes import domain

    found = 0
    for path in sorted(Path(settings.BASE_DIR, "courses", "content").glob("*/quizzes/*.md")):
        for parsed in domain.parse_markdown_quiz(path.read_text(encoding="utf-8")):
            spec = parsed.spec
            if spec.qtype != "attention_token" or spec.model != MODEL_NAME:
                continue
            found += 1
            tokens, maps = runner.attentions(spec.sentence)
            row = maps[spec.layer - 1, spec.head - 1, spec.query_index]
            assert tokens == spec.tokens, path
            assert spec.answer_index == int(row.argmax()), f"{path}: {spec.title}"
            assert torch.allclose(torch.tensor(spec.weights), row, atol=1e-5), f"{path}: {spec.title}"
    assert found >= 1  # the capstone's quiz has one

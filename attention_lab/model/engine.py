"""The attention engine: the model loaded once per worker process, answering batches of requests.

Texts are tokenised, padded into one batch, run through one forward pass, and each result is cut
back to its own tokens. Because padded keys get exactly zero weight, the cut is exact: an item's
attention maps are the same whether it ran alone or beside longer texts.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import torch

from attention_lab.model.bert import BertConfig, BertEncoderModel, BertOutput, attention_bias, load_weights
from attention_lab.model.result import AttentionResult, HeadDetail
from attention_lab.model.tokenization import EncodedBatch, EncodedText, WordPieceTokenizer, pad_batch
from attention_lab.model.weights import MODEL_NAME, ModelFiles, load_tensors, read_config

DeviceChoice = Literal["auto", "cpu", "cuda"]

# Past ~8 threads a 384-wide model gains nothing on CPU, and each Celery process sets its own.
_MAX_DEFAULT_THREADS = 8


class DeviceUnavailableError(RuntimeError):
    """CUDA was asked for explicitly, but this machine has none."""


@dataclass(frozen=True)
class AttentionRequest:
    text: str
    text_pair: str | None = None  # second sentence: tokens get token_type_id 1
    causal: bool = False  # what-if view: each token may only attend to itself and earlier tokens
    detail: tuple[int, int] | None = None  # (layer, head) whose q, k, v and scores to return
    layers: int | None = None  # maps wanted from the first `layers` layers only (None: all of them)


@torch.inference_mode()
def forward_rows(
    model: BertEncoderModel,
    input_ids: torch.Tensor,
    *,
    attention_mask: torch.Tensor,
    token_type_ids: torch.Tensor,
    causal: bool | torch.Tensor,
    capture_qkv: bool,
    depths: Sequence[int],
) -> BertOutput:
    """The model's blocks run row by row only as deep as each row needs (`depths`, one per row,
    deepest first), maps only. Layer i's maps depend on blocks 0..i alone, so a learner typing with
    layer 1 open costs a sixth of the model. `attentions[i]` holds the rows that reached layer i."""
    total = model.config.num_hidden_layers
    depths = list(depths)
    if len(depths) != input_ids.shape[0]:
        raise ValueError(f"depths has {len(depths)} counts for a batch of {input_ids.shape[0]} rows.")
    if any(not isinstance(depth, int) or not 1 <= depth <= total for depth in depths):
        raise ValueError(f"depths must be within 1..{total}, got {depths!r}.")
    if depths != sorted(depths, reverse=True):
        raise ValueError("Per-row depths must come deepest first (non-increasing).")
    x = model.embeddings(input_ids, token_type_ids)  # (B, T, hidden)
    bias = attention_bias(attention_mask, causal, x.dtype)  # (B, 1, 1 or T, T)
    attentions, captures = [], []
    for index, layer in enumerate(model.encoder.layers[: depths[0]]):
        rows = sum(depth > index for depth in depths)  # deepest first: the rows still running are a prefix
        x, bias = x[:rows], bias[:rows]  # (rows, T, hidden)
        context, probs, captured = layer.attention(x, bias, capture=capture_qkv)
        attentions.append(probs)  # (rows, heads, T, T)
        captures.append(captured)
        # The block's output projection and feed-forward (3/4 of its work) shape no map of its own:
        # only the rows that go on to the next layer get them.
        following = sum(depth > index + 1 for depth in depths)
        if following:
            x = layer.finish(x[:following], context[:following])
    return BertOutput(last_hidden_state=None, attentions=tuple(attentions), captures=tuple(captures) if capture_qkv else None)


def resolve_device(choice: DeviceChoice | str) -> torch.device:
    """"auto" picks CUDA when present; "cuda" without a GPU is an error, never a silent fallback."""
    if choice == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if choice == "cuda":
        if not torch.cuda.is_available():
            raise DeviceUnavailableError(
                "ATTENTION_DEVICE is 'cuda' but PyTorch sees no CUDA device "
                f"(torch {torch.__version__}); use 'auto' or 'cpu'."
            )
        return torch.device("cuda")
    if choice == "cpu":
        return torch.device("cpu")
    raise ValueError(f"Unknown device {choice!r}; expected 'auto', 'cpu' or 'cuda'.")


def default_thread_count() -> int:
    """CPUs this process may run on (cgroup/affinity aware), capped."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, _MAX_DEFAULT_THREADS))


class AttentionEngine:
    """Model + tokenizer on one device. Create it once per process with `AttentionEngine.load`."""

    def __init__(
        self, model: BertEncoderModel, tokenizer: WordPieceTokenizer, device: torch.device
    ) -> None:
        self.model = model.to(device).eval()
        self.tokenizer = tokenizer
        self.device = device
        self.model_name = MODEL_NAME

    @classmethod
    def load(
        cls,
        device: DeviceChoice | str = "auto",
        threads: int | None = None,
        *,
        model_dir: Path | str | None = None,
    ) -> AttentionEngine:
        """Verify and load the shipped model. `threads` sets torch's (process-wide) CPU thread count;
        None picks one from the CPUs available. `model_dir` overrides the installed package's files."""
        target = resolve_device(device)
        # The API promises float32 within 1e-5 of transformers' BertModel: no TF32 (or bf16) matmuls,
        # which some CUDA set-ups and torch defaults allow, and which cost ~1e-3 in the weights.
        torch.set_float32_matmul_precision("highest")
        if target.type == "cpu":
            torch.set_num_threads(threads if threads is not None else default_thread_count())
        files = ModelFiles.locate(model_dir)
        config = BertConfig.from_dict(read_config(files))
        model = BertEncoderModel(config)
        load_weights(model, load_tensors(files))
        return cls(model, WordPieceTokenizer(files.tokenizer), target)

    @property
    def config(self) -> BertConfig:
        return self.model.config

    def encode(self, request: AttentionRequest) -> EncodedText:
        """Tokenise and validate one request (TextTooLongError, bad detail or layers) without running it."""
        self._check_detail(request.detail)
        self._check_layers(request)
        return self.tokenizer.encode(request.text, request.text_pair)

    def run_one(
        self,
        text: str,
        text_pair: str | None = None,
        *,
        causal: bool = False,
        detail: tuple[int, int] | None = None,
        layers: int | None = None,
    ) -> AttentionResult:
        return self.run_batch([AttentionRequest(text, text_pair, causal, detail, layers)])[0]

    def run_batch(
        self, requests: Sequence[AttentionRequest], *, encoded: Sequence[EncodedText] | None = None
    ) -> list[AttentionResult]:
        """Run all requests as one padded batch; results come back in request order.

        Each request runs only as deep as it asks (`layers`; None: the whole stack) and its result
        carries the maps of exactly those layers: the batch is ordered deepest first, so each layer
        runs on the rows that still need it.

        Every request is validated first, so one bad request (too long, bad detail) raises before
        any compute; callers that batch strangers' requests should call `encode` on each first and
        pass what it returned as `encoded` (tokenising a long text twice costs a millisecond).
        """
        if not requests:
            return []
        if encoded is None:
            encoded = [self.encode(request) for request in requests]
        total = self.config.num_hidden_layers
        depths = [request.layers or total for request in requests]
        order = sorted(range(len(requests)), key=lambda index: -depths[index])  # stable: ties keep their order
        batch = pad_batch([encoded[index] for index in order], pad_id=self.tokenizer.pad_id)
        output = self._forward(
            batch,
            causal=[requests[index].causal for index in order],
            capture_qkv=any(request.detail is not None for request in requests),
            layers=[depths[index] for index in order],
        )
        # One device->host copy per layer, then cheap numpy slicing per item.
        maps = [layer_maps.float().cpu().numpy() for layer_maps in output.attentions]  # (rows, heads, T, T)
        results: list[AttentionResult | None] = [None] * len(requests)
        for row, index in enumerate(order):
            n = len(encoded[index])
            attentions = np.stack([maps[layer][row, :, :n, :n] for layer in range(depths[index])])
            results[index] = self._result(requests[index], encoded[index], attentions, output, row)
        return results

    @torch.inference_mode()
    def _forward(
        self, batch: EncodedBatch, *, causal: list[bool], capture_qkv: bool, layers: list[int]
    ) -> BertOutput:
        # Mixed causal flags share the forward pass: the mask is built per row.
        causal_flags: bool | torch.Tensor = causal[0]
        if len(set(causal)) > 1:
            causal_flags = torch.tensor(causal, dtype=torch.bool, device=self.device)
        return forward_rows(
            self.model,
            torch.from_numpy(batch.input_ids).to(self.device),
            attention_mask=torch.from_numpy(batch.attention_mask).to(self.device),
            token_type_ids=torch.from_numpy(batch.token_type_ids).to(self.device),
            causal=causal_flags,
            capture_qkv=capture_qkv,
            depths=layers,
        )

    def _result(
        self,
        request: AttentionRequest,
        item: EncodedText,
        attentions: np.ndarray,
        output: BertOutput,
        row: int,
    ) -> AttentionResult:
        return AttentionResult(
            tokens=item.tokens,
            token_type_ids=item.token_type_ids,
            offsets=item.offsets,
            sequence_ids=item.sequence_ids,
            attentions=attentions,  # its own copy (np.stack), so it never keeps the padded batch alive
            model_name=self.model_name,
            device=str(self.device),
            causal=request.causal,
            detail=self._head_detail(request.detail, output, row, len(item)),
        )

    def _check_detail(self, detail: tuple[int, int] | None) -> None:
        if detail is None:
            return
        layer, head = detail
        layers, heads = self.config.num_hidden_layers, self.config.num_attention_heads
        if not (0 <= layer < layers and 0 <= head < heads):
            raise ValueError(
                f"detail=(layer, head) must be within 0..{layers - 1} and 0..{heads - 1}, got {detail}."
            )

    def _check_layers(self, request: AttentionRequest) -> None:
        if request.layers is None:
            return
        total = self.config.num_hidden_layers
        if not (isinstance(request.layers, int) and 1 <= request.layers <= total):
            raise ValueError(f"layers must be within 1..{total}, got {request.layers!r}.")
        if request.detail is not None and request.detail[0] >= request.layers:
            raise ValueError(
                f"detail layer {request.detail[0]} is not among the first {request.layers} layers asked for."
            )

    @staticmethod
    def _head_detail(
        detail: tuple[int, int] | None, output: BertOutput, row: int, length: int
    ) -> HeadDetail | None:
        if detail is None or output.captures is None:
            return None
        layer, head = detail
        capture = output.captures[layer]

        def to_numpy(tensor: torch.Tensor) -> np.ndarray:
            return tensor.float().cpu().numpy().copy()

        return HeadDetail(
            layer=layer,
            head=head,
            query=to_numpy(capture.query[row, head, :length]),  # (n, head_dim)
            key=to_numpy(capture.key[row, head, :length]),  # (n, head_dim)
            value=to_numpy(capture.value[row, head, :length]),  # (n, head_dim)
            scores=to_numpy(capture.scores[row, head, :length, :length]),  # (n, n)
        )

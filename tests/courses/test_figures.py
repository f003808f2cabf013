"""Figures drawn by a script in the repository are the script's output, so a change to the script
cannot leave a stale picture behind."""
import importlib.util
from pathlib import Path

from django.conf import settings


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_heatmap_is_what_its_script_draws():
    script = Path(settings.COURSE_CONTENT_DIR) / "transformers-attention" / "figures" / "sinusoidal_heatmap.py"
    heatmap = _load(script)
    committed = heatmap.OUTPUT.read_text(encoding="utf-8")
    assert heatmap.OUTPUT.name == "ta-sinusoidal-heatmap.svg"
    assert committed == heatmap.draw()
    # position 0 is sin(0) = 0 (white) in every even column and cos(0) = 1 (full orange) in every odd one
    assert heatmap.colour(heatmap.level(heatmap.encoding(0, 0))) == "#ffffff"
    assert heatmap.colour(heatmap.level(heatmap.encoding(0, 1))) == "#c46a16"

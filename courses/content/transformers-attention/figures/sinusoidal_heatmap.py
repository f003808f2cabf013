"""Draw the sinusoidal positional encodings of lesson 15 as an SVG heatmap.

    python courses/content/transformers-attention/figures/sinusoidal_heatmap.py

writes static/courses/img/ta-sinusoidal-heatmap.svg (tests/courses/test_figures.py checks that the
committed file is what this script draws). Plain SVG, no plotting library: one rectangle per run of
equal colour down a column, so the slow dimensions on the right cost only a few rectangles.
"""
import math
from pathlib import Path

POSITIONS, D_MODEL = 48, 32
CELL_W, CELL_H = 12, 6
LEFT, TOP = 70, 40
LEVELS = 21  # colour steps from -1 to 1
OUTPUT = Path(__file__).resolve().parents[4] / "static" / "courses" / "img" / "ta-sinusoidal-heatmap.svg"


def encoding(pos: int, dim: int) -> float:
    omega = 1.0 / 10000 ** ((dim - dim % 2) / D_MODEL)
    return math.sin(pos * omega) if dim % 2 == 0 else math.cos(pos * omega)


def colour(level: int) -> str:
    """Blue (-1) through white (0) to orange (+1)."""
    t = level / (LEVELS - 1) * 2 - 1
    blue, orange, white = (59, 110, 165), (196, 106, 22), (255, 255, 255)
    end = orange if t > 0 else blue
    rgb = [round(w + (e - w) * abs(t)) for w, e in zip(white, end)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def level(value: float) -> int:
    return round((value + 1) / 2 * (LEVELS - 1))


def draw() -> str:
    width, height = LEFT + D_MODEL * CELL_W + 150, TOP + POSITIONS * CELL_H + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="sans-serif" font-size="13">',
        "  <title>Sinusoidal positional encodings: 48 positions by 32 dimensions</title>",
        f'  <rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'  <text x="{LEFT}" y="24" font-weight="bold" fill="#222">dimension 0 … 31 (pairs: sin, cos)</text>',
        f'  <text x="20" y="{TOP + POSITIONS * CELL_H // 2}" fill="#222" text-anchor="middle" '
        f'transform="rotate(-90 20 {TOP + POSITIONS * CELL_H // 2})">position 0 … 47</text>',
    ]
    for dim in range(D_MODEL):
        start = 0
        for pos in range(1, POSITIONS + 1):
            if pos == POSITIONS or level(encoding(pos, dim)) != level(encoding(start, dim)):
                parts.append(f'  <rect x="{LEFT + dim * CELL_W}" y="{TOP + start * CELL_H}" width="{CELL_W}" '
                             f'height="{(pos - start) * CELL_H}" fill="{colour(level(encoding(start, dim)))}"/>')
                start = pos
    for pos in range(0, POSITIONS, 8):
        parts.append(f'  <text x="{LEFT - 6}" y="{TOP + pos * CELL_H + 5}" text-anchor="end" font-size="11" '
                     f'fill="#222">{pos}</text>')
    legend_x = LEFT + D_MODEL * CELL_W + 30
    for step in range(LEVELS):
        parts.append(f'  <rect x="{legend_x}" y="{TOP + (LEVELS - 1 - step) * 8}" width="16" height="8" '
                     f'fill="{colour(step)}"/>')
    parts += [
        f'  <text x="{legend_x + 22}" y="{TOP + 9}" font-size="12" fill="#222">+1</text>',
        f'  <text x="{legend_x + 22}" y="{TOP + 10 * 8 + 5}" font-size="12" fill="#222">0</text>',
        f'  <text x="{legend_x + 22}" y="{TOP + LEVELS * 8}" font-size="12" fill="#222">−1</text>',
        f'  <text x="20" y="{height - 36}" font-size="12" fill="#555">Left: fast pairs change every position.</text>',
        f'  <text x="20" y="{height - 18}" font-size="12" fill="#555">Right: slow pairs barely move over 48 positions.</text>',
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(draw(), encoding="utf-8")
    print(f"wrote {OUTPUT}")

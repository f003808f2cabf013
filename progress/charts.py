"""Server-rendered SVG charts: no script, so they work under our CSP and print as they look.

Each chart is drawn twice, for wide screens and for phones (progress.css shows one of them), so
its text stays legible at 390 px. Its numbers come along as a table ("Numbers behind this chart"),
which is also what screen readers get: the SVG carries a role="img" label that summarises it.
"""
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDE, NARROW = 560, 340
HEIGHT = 260
MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 14, 14, 54


@dataclass(frozen=True)
class Chart:
    title: str
    summary: str  # one sentence for screen readers and the table caption
    svg: SafeString  # the wide drawing
    svg_narrow: SafeString  # the phone drawing
    headers: list[str]
    rows: list[list[str]]
    slug: str = ""  # names the CSV export of this chart on pages that have one


def _fmt(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value):,}"


def axis_ticks(top_value: float, *, most: int = 5) -> list[float]:
    """Round tick values from 0 covering `top_value`: steps of 1, 2 or 5 × 10^k, at most `most` steps."""
    top_value = max(top_value, 1)
    exponent = 10 ** max(0, math.floor(math.log10(top_value)) - 1)
    for mantissa in (1, 2, 2.5, 5, 10, 20, 25, 50, 100):
        step = mantissa * exponent
        if step == int(step) and math.ceil(top_value / step) <= most:
            return [step * i for i in range(math.ceil(top_value / step) + 1)]
    step = 10 ** math.ceil(math.log10(top_value))
    return [0, step]


def _svg(label: str, body: list[str], *, width: int, height: int, variant: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart__svg chart__svg--{variant}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(body)}</svg>'
    )


def _both(draw: Callable[[int], tuple[list[str], int]], label: str) -> tuple[SafeString, SafeString]:
    wide_body, wide_height = draw(WIDE)
    narrow_body, narrow_height = draw(NARROW)
    return (
        _svg(label, wide_body, width=WIDE, height=wide_height, variant="wide"),
        _svg(label, narrow_body, width=NARROW, height=narrow_height, variant="narrow"),
    )


def _value_axis(body: list[str], *, left: int, width: int, plot_height: float, ticks: Sequence[float], label: str,
                tick_text: Callable[[float], str] = _fmt) -> None:
    top = ticks[-1] or 1
    for tick in ticks:
        y = MARGIN_TOP + plot_height * (1 - tick / top)
        body.append(f'<line class="chart__grid" x1="{left}" x2="{width - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        body.append(f'<text class="chart__tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(tick_text(tick))}</text>')
    middle = MARGIN_TOP + plot_height / 2
    body.append(f'<text class="chart__axis-title" transform="translate(13 {middle:.1f}) rotate(-90)" text-anchor="middle">{escape(label)}</text>')


def _x_title(body: list[str], text: str, *, left: int, width: int, height: int) -> None:
    body.append(f'<text class="chart__axis-title" x="{left + (width - left - MARGIN_RIGHT) / 2:.1f}" y="{height - 6}" text-anchor="middle">{escape(text)}</text>')


def _with_unit(label: str, unit: str) -> str:
    return f"{label} ({unit})" if unit else label


def column_chart(
    *, title: str, labels: Sequence[str], values: Sequence[float], x_label: str, y_label: str, unit: str = "",
    line: bool = False, value_text: Callable[[float], str] = _fmt, slug: str = "",
) -> Chart:
    """Vertical bars (or a line, for daily series) on a value axis that starts at zero."""
    ticks = axis_ticks(max(values, default=0))
    top = ticks[-1]

    def draw(width: int) -> tuple[list[str], int]:
        left = 52 if width == WIDE else 44
        plot_width, plot_height = width - left - MARGIN_RIGHT, HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
        body: list[str] = []
        _value_axis(body, left=left, width=width, plot_height=plot_height, ticks=ticks, label=_with_unit(y_label, unit))
        count = max(1, len(values))
        slot = plot_width / count
        every = max(1, math.ceil(count / (10 if width == WIDE else 5)))  # labels never overlap
        points = []
        for index, (label, value) in enumerate(zip(labels, values)):
            x = left + slot * index
            bar_height = plot_height * value / top
            y = MARGIN_TOP + plot_height - bar_height
            tooltip = f"{label}: {value_text(value)}{' ' + unit if unit else ''}"
            if line:
                points.append((x + slot / 2, y, tooltip))
            else:
                gap = min(slot * 0.2, 6)
                body.append(f'<rect class="chart__bar" x="{x + gap / 2:.1f}" y="{y:.1f}" width="{max(1.0, slot - gap):.1f}" height="{bar_height:.1f}"><title>{escape(tooltip)}</title></rect>')
                if count <= 12 and value:
                    body.append(f'<text class="chart__value" x="{x + slot / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{escape(value_text(value))}</text>')
            if index % every == 0:
                body.append(f'<text class="chart__tick" x="{x + slot / 2:.1f}" y="{MARGIN_TOP + plot_height + 16}" text-anchor="middle">{escape(label)}</text>')
        if line and points:
            path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y, _) in enumerate(points))
            body.append(f'<path class="chart__line" d="{path}"/>')
            radius = 3 if len(points) <= 40 else 2
            for x, y, tooltip in points:
                body.append(f'<circle class="chart__dot" cx="{x:.1f}" cy="{y:.1f}" r="{radius}"><title>{escape(tooltip)}</title></circle>')
        body.append(f'<line class="chart__axis" x1="{left}" x2="{width - MARGIN_RIGHT}" y1="{MARGIN_TOP + plot_height}" y2="{MARGIN_TOP + plot_height}"/>')
        _x_title(body, x_label, left=left, width=width, height=HEIGHT)
        return body, HEIGHT

    summary = f"{title}: {len(values)} values"
    if not any(values):
        summary += ", all zero."
    else:
        peak_value, peak_label = max(zip(values, labels), key=lambda pair: pair[0])
        summary += f", highest {value_text(peak_value)}{' ' + unit if unit else ''} at {peak_label}, total {value_text(sum(values))}."
    wide, narrow = _both(draw, summary)
    rows = [[label, value_text(value)] for label, value in zip(labels, values)]
    return Chart(title=title, summary=summary, svg=wide, svg_narrow=narrow, headers=[x_label, _with_unit(y_label, unit)], rows=rows, slug=slug)


def bar_list_chart(
    *, title: str, labels: Sequence[str], values: Sequence[float | None], value_label: str, unit: str = "",
    percent_axis: bool = False, value_text: Callable[[float], str] = _fmt,
    extra_columns: Sequence[tuple[str, Sequence[str]]] = (), slug: str = "",
) -> Chart:
    """Horizontal bars, one per row (quizzes, lessons, funnel steps), so long names stay readable."""
    ticks = [0, 25, 50, 75, 100] if percent_axis else axis_ticks(max((v for v in values if v is not None), default=0))
    top = ticks[-1]
    row_height = 26

    def draw(width: int) -> tuple[list[str], int]:
        height = MARGIN_TOP + row_height * max(1, len(labels)) + 44
        left = 200 if width == WIDE else 128
        characters = (left - 12) // 7  # about 7 px per character at the tick size
        plot_width = width - left - 44
        body: list[str] = []
        for tick in ticks:
            x = left + plot_width * tick / top
            body.append(f'<line class="chart__grid" x1="{x:.1f}" x2="{x:.1f}" y1="{MARGIN_TOP - 4}" y2="{height - 40}"/>')
            body.append(f'<text class="chart__tick" x="{x:.1f}" y="{height - 26}" text-anchor="middle">{escape(_fmt(tick))}</text>')
        for index, (label, value) in enumerate(zip(labels, values)):
            y = MARGIN_TOP + row_height * index
            short = label if len(label) <= characters else label[: characters - 1].rstrip() + "…"
            body.append(f'<text class="chart__tick chart__label" x="{left - 8}" y="{y + 17}" text-anchor="end"><title>{escape(label)}</title>{escape(short)}</text>')
            if value is None:
                body.append(f'<text class="chart__value chart__value--muted" x="{left + 6}" y="{y + 17}">no data</text>')
                continue
            bar = plot_width * value / top
            tooltip = f"{label}: {value_text(value)}{' ' + unit if unit else ''}"
            body.append(f'<rect class="chart__bar" x="{left}" y="{y + 4}" width="{max(bar, 1.5):.1f}" height="{row_height - 8}" rx="3"><title>{escape(tooltip)}</title></rect>')
            body.append(f'<text class="chart__value" x="{left + bar + 5:.1f}" y="{y + 17}">{escape(value_text(value))}{"%" if unit == "%" else ""}</text>')
        body.append(f'<text class="chart__axis-title" x="{left + plot_width / 2:.1f}" y="{height - 6}" text-anchor="middle">{escape(_with_unit(value_label, unit))}</text>')
        return body, height

    shown = [(value, label) for value, label in zip(values, labels) if value is not None]
    summary = f"{title}: {len(labels)} rows"
    if shown:
        low, high = min(shown, key=lambda pair: pair[0]), max(shown, key=lambda pair: pair[0])
        summary += f"; lowest {low[1]} at {value_text(low[0])}{unit}, highest {high[1]} at {value_text(high[0])}{unit}."
    wide, narrow = _both(draw, summary)
    headers = ["", _with_unit(value_label, unit)] + [name for name, _ in extra_columns]
    rows = [
        [label, "no data" if value is None else value_text(value)] + [column[index] for _, column in extra_columns]
        for index, (label, value) in enumerate(zip(labels, values))
    ]
    return Chart(title=title, summary=summary, svg=wide, svg_narrow=narrow, headers=headers, rows=rows, slug=slug)


def scatter_chart(
    *, title: str, points: Sequence[tuple[float, float, str, str]], x_label: str, y_label: str, slug: str = "",
) -> Chart:
    """Facility (x, 0–100 %) against the discrimination index (y, −100..100, 100 × the correlation, as the
    tables show it); the band authors aim for is shaded.

    `points` are (x, y, short label drawn next to the dot, full label for the tooltip and table).
    """

    def draw(width: int) -> tuple[list[str], int]:
        left = 52 if width == WIDE else 44
        plot_width, plot_height = width - left - MARGIN_RIGHT, HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

        def px(x: float) -> float:
            return left + plot_width * max(0.0, min(100.0, x)) / 100

        def py(y: float) -> float:
            return MARGIN_TOP + plot_height * (1 - (max(-100.0, min(100.0, y)) + 100) / 200)

        body: list[str] = [
            # Questions most learners can answer (30–90 %) that separate stronger from weaker learners (≥ 20).
            f'<rect class="chart__zone" x="{px(30):.1f}" y="{py(100):.1f}" width="{px(90) - px(30):.1f}" height="{py(20) - py(100):.1f}">'
            "<title>Target zone: facility 30–90 %, discrimination index at least 20</title></rect>"
        ]
        for index, tick in enumerate([-100, -50, 0, 50, 100]):
            y = py(tick)
            body.append(f'<line class="chart__grid" x1="{left}" x2="{width - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
            body.append(f'<text class="chart__tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
        middle = MARGIN_TOP + plot_height / 2
        body.append(f'<text class="chart__axis-title" transform="translate(13 {middle:.1f}) rotate(-90)" text-anchor="middle">{escape(y_label)}</text>')
        for tick in (0, 25, 50, 75, 100):
            body.append(f'<text class="chart__tick" x="{px(tick):.1f}" y="{MARGIN_TOP + plot_height + 16}" text-anchor="middle">{tick}</text>')
        body.append(f'<line class="chart__axis" x1="{left}" x2="{width - MARGIN_RIGHT}" y1="{py(0):.1f}" y2="{py(0):.1f}"/>')
        # Questions with (nearly) the same statistics share one dot and one label: "Q1, Q2".
        spots: dict[tuple[int, int], list[tuple[float, float, str, str]]] = {}
        for point in points:
            spots.setdefault((round(px(point[0]) / 6), round(py(point[1]) / 6)), []).append(point)
        for group in spots.values():
            x, y = group[0][0], group[0][1]
            tooltip = "; ".join(f"{full}: facility {gx:.0f} %, discrimination {gy:.1f}" for gx, gy, _, full in group)
            body.append(f'<circle class="chart__point" cx="{px(x):.1f}" cy="{py(y):.1f}" r="6"><title>{escape(tooltip)}</title></circle>')
            label = ", ".join(short for _, _, short, _ in group)
            body.append(f'<text class="chart__point-label" x="{px(x) + 8:.1f}" y="{py(y) - 6:.1f}">{escape(label)}</text>')
        _x_title(body, f"{x_label} (%)", left=left, width=width, height=HEIGHT)
        return body, HEIGHT

    summary = f"{title}: {len(points)} questions plotted" + ("." if points else "; none has enough graded answers yet.")
    wide, narrow = _both(draw, summary)
    rows = [[full, f"{x:.0f}", f"{y:.1f}"] for x, y, _, full in points]
    return Chart(title=title, summary=summary, svg=wide, svg_narrow=narrow, headers=["Question", f"{x_label} (%)", y_label], rows=rows, slug=slug)

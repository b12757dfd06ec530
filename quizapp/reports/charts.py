"""Bar charts drawn on the server as SVG (no JavaScript, no CDN): geometry here, markup in ``reports/_bar_chart.html``."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    """One bar: its label and value, and its box in SVG user units (y grows downwards)."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> float:
        """Return the x of the bar's middle (for its labels)."""
        return self.x + self.width / 2


@dataclass(frozen=True)
class BarChart:
    """A vertical bar chart: the view box, the plot's baseline and top, the bars and the y-axis ticks ``[(y, value)]``."""

    width: int
    height: int
    left: float
    top: float
    baseline: float
    bars: list[Bar]
    ticks: list[tuple[float, int]]


def _tick_step(maximum: int, wanted: int = 4) -> int:
    """Return a 1-2-5 step giving about *wanted* ticks up to *maximum* (at least 1)."""
    raw = max(1.0, maximum / wanted)
    magnitude = 10 ** math.floor(math.log10(raw))
    return int(next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= raw))


def bar_chart(values: list[tuple[str, int]], width: int = 640, height: int = 260) -> BarChart:
    """Lay out *values* ``[(label, count)]`` as bars in a *width* × *height* view box.

    The y axis runs from 0 to the first tick at or above the largest count (1-2-5 steps), so
    bar heights are proportional to the counts; an all-zero chart keeps a 0–1 axis.
    """
    left, right, top, bottom = 40.0, 10.0, 18.0, 36.0
    plot_width, plot_height = width - left - right, height - top - bottom
    baseline = top + plot_height
    step = _tick_step(max((count for _, count in values), default=0))
    ceiling = max(step, math.ceil(max((count for _, count in values), default=0) / step) * step)
    slot = plot_width / max(1, len(values))
    bars = [
        Bar(
            label,
            count,
            left + index * slot + slot * 0.1,
            baseline - plot_height * count / ceiling,
            slot * 0.8,
            plot_height * count / ceiling,
        )
        for index, (label, count) in enumerate(values)
    ]
    ticks = [(baseline - plot_height * value / ceiling, value) for value in range(0, ceiling + 1, step)]
    return BarChart(width, height, left, top, baseline, bars, ticks)

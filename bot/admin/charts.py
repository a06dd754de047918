"""Charts drawn on the server as inline SVG: no script, no CDN; labels escaped."""
from __future__ import annotations

from html import escape

from markupsafe import Markup

BAR = "#b71c1c"
MUTED = "#9e9e9e"


def bars(items: list[tuple[str, float | None, str]], unit: str = "%", maximum: float = 100.0, title: str = "") -> Markup:
    """Horizontal bars: (label, value or None, note shown after the value)."""
    row, label_w, width = 30, 260, 640
    height = row * len(items) + 10
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value, note) in enumerate(items):
        y = i * row + 5
        short = label if len(label) <= 36 else label[:35] + "…"
        parts.append(f'<text x="0" y="{y + 17}" font-size="12">{escape(short)}<title>{escape(label)}</title></text>')
        if value is None:
            parts.append(f'<text x="{label_w}" y="{y + 17}" font-size="12" fill="{MUTED}">chưa có dữ liệu</text>')
            continue
        w = max(1.0, (width - label_w - 110) * min(value, maximum) / maximum)
        parts.append(f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="18" fill="{BAR}" rx="2"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" font-size="12">{value:.1f}{escape(unit)} {escape(note)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def trend(points: list[tuple[str, float | None]], unit: str = "%", maximum: float = 100.0, title: str = "") -> Markup:
    """A line over periods (x labels as given)."""
    width, height, left, bottom, top = 640, 220, 40, 30, 12
    inner_w, inner_h = width - left - 20, height - bottom - top
    n = max(len(points), 1)
    step = inner_w / max(n - 1, 1)
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for tick in (0, 25, 50, 75, 100):
        y = top + inner_h * (1 - tick / maximum)
        parts.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e0e0e0"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{tick}</text>')
    coords = []
    for i, (label, value) in enumerate(points):
        x = left + i * step if n > 1 else left + inner_w / 2
        parts.append(f'<text x="{x:.1f}" y="{height - 10}" font-size="10" text-anchor="middle">{escape(label)}</text>')
        if value is not None:
            y = top + inner_h * (1 - min(value, maximum) / maximum)
            coords.append((x, y, value))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    for x, y, value in coords:
        parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BAR}"><title>{value:.1f}{escape(unit)}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))

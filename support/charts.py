"""Small server-rendered SVG charts: no script, so they pass the strict CSP and print well.

Every label is escaped here; the result is Markup ready for a template.
"""

from markupsafe import Markup, escape

PALETTE = ("#0b6e4f", "#1d4ed8", "#b8860b", "#b3261e", "#6b21a8", "#0e7490")


def _fmt(value, percent):
    return f"{value * 100:.0f}%" if percent else f"{value:,.0f}"


def line_chart(labels, series, *, title, width=640, height=260, percent=False, references=(), y_max=None):
    """Draw lines over shared x labels.

    series: [(name, [values])]; references: [(name, value)] drawn as dashed horizontal lines.
    """
    pad_l, pad_r, pad_t, pad_b = 48, 150, 16, 34
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    values = [v for _name, vs in series for v in vs if v is not None] + [v for _n, v in references]
    top = y_max if y_max is not None else max(values + [1e-9]) * 1.1
    n = max(len(labels), 2)

    def x(i):
        return pad_l + plot_w * i / (n - 1)

    def y(v):
        return pad_t + plot_h * (1 - (v / top if top else 0))

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for step in range(5):
        v = top * step / 4
        parts.append(f'<line x1="{pad_l}" x2="{pad_l + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e8e6"/>')
        parts.append(f'<text x="{pad_l - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11" fill="#55605c">{_fmt(v, percent)}</text>')
    every = max(1, len(labels) // 6)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle" font-size="11" fill="#55605c">{escape(label)}</text>')
    legend_y = pad_t + 4
    for k, (name, value) in enumerate(references):
        color = "#8a9590"
        parts.append(f'<line x1="{pad_l}" x2="{pad_l + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="{color}" stroke-dasharray="4 4"/>')
        parts.append(f'<text x="{pad_l + plot_w + 6}" y="{y(value) + 4:.1f}" font-size="10" fill="{color}">{escape(name)} {_fmt(value, percent)}</text>')
    for k, (name, vs) in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(vs) if v is not None)
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{points}"/>')
        for i, v in enumerate(vs):
            if v is not None:
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{color}"><title>{escape(name)} {escape(labels[i])}: {_fmt(v, percent)}</title></circle>')
        if not references:
            parts.append(f'<rect x="{pad_l + plot_w + 8}" y="{legend_y + 16 * k - 8}" width="10" height="10" fill="{color}"/>')
            parts.append(f'<text x="{pad_l + plot_w + 22}" y="{legend_y + 16 * k + 1}" font-size="11" fill="#1c2321">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_list(rows, *, title, percent=False):
    """Draw horizontal bars: rows are (label, value); the longest bar is the largest value."""
    top = max([v for _l, v in rows] + [1e-9])
    height = 26 * len(rows) + 8
    parts = [f'<svg class="chart bars" viewBox="0 0 640 {height}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(rows):
        w = 360 * value / top
        yy = 4 + 26 * i
        parts.append(f'<text x="170" y="{yy + 15}" text-anchor="end" font-size="12" fill="#1c2321">{escape(label)}</text>')
        parts.append(f'<rect x="178" y="{yy + 3}" width="{w:.1f}" height="16" rx="3" fill="{PALETTE[0]}"/>')
        parts.append(f'<text x="{184 + w:.1f}" y="{yy + 15}" font-size="12" fill="#1c2321">{_fmt(value, percent)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

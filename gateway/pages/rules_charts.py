"""The ECharts options of a what-if preview (the rewards service's answer, as it gave it): the
distribution of per-member changes as bars, and the biggest movers up and down. The charts
show exactly the service's numbers; the page's tables beside them say the same in words."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

UP, DOWN, BAR = "#2e7d32", "#c62828", "#0b5cad"


def distribution(preview: dict[str, Any]) -> dict[str, Any]:
    buckets = preview["distribution"]["change"]
    return {
        "grid": {"left": 40, "right": 16, "top": 30, "bottom": 40},
        "tooltip": {"trigger": "axis"},
        "xAxis": {
            "type": "category",
            "name": _("change"),
            "nameLocation": "center",
            "nameGap": 28,
            "data": [bucket["change"] for bucket in buckets],
        },
        "yAxis": {"type": "value", "name": _("members"), "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "name": _("members"),
                "data": [bucket["members"] for bucket in buckets],
                "itemStyle": {"color": BAR},
                "label": {"show": True, "position": "top"},
            }
        ],
    }


def movers(preview: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """Every mover, the biggest loss at the bottom and the biggest gain at the top."""
    both = preview["movers"]["up"] + preview["movers"]["down"]
    rows = sorted(both, key=lambda r: (r["change"], r["member"]))
    return {
        "grid": {"left": 70, "right": 24, "top": 10, "bottom": 24},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [names.get(r["member"], r["member"]) for r in rows]},
        "series": [
            {
                "type": "bar",
                "name": _("change"),
                "data": [
                    {"value": r["change"], "itemStyle": {"color": UP if r["change"] > 0 else DOWN}}
                    for r in rows
                ],
                "label": {"show": True, "position": "right"},
            }
        ],
    }


def height(preview: dict[str, Any]) -> int:
    """The movers chart's height in pixels: a bar a member."""
    count = len(preview["movers"]["up"]) + len(preview["movers"]["down"])
    return max(120, 28 * count + 40)

"""The one palette of every booklet, chart and table (kept in step with booklet.css)."""

INK = "#22313f"
MUTED = "#6b7a89"
GRID = "#e3e8ee"
PRIMARY = "#1f5f8b"
PRIMARY_LIGHT = "#9cc3de"
ACCENT = "#e07b39"
GOOD = "#3a8d5c"
WARN = "#d9a400"
BAD = "#c0392b"
GREY = "#aab4be"

SERIES = (PRIMARY, ACCENT, GOOD, "#7a5195", WARN, "#2f9c95", BAD, GREY)
STATUS = {"done": GOOD, "in_progress": PRIMARY, "planned": PRIMARY_LIGHT, "blocked": BAD, "dropped": GREY}
CLASS = {
    "A": PRIMARY,
    "B": ACCENT,
    "C": GREY,
    "protect": GOOD,
    "dangerous": BAD,
    "rising_star": PRIMARY,
    "phase_out": GREY,
    "core": PRIMARY,
    "core_potential": ACCENT,
    "maintain": GOOD,
    "general": GREY,
    "unscored": GREY,
}

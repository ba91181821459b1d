"""Booklets: plans + facts → HTML (Jinja2, autoescaped) → PDF (WeasyPrint)."""

"""Performance benchmarks: `python -m benchmarks [NAME...]` (or `./dev bench`)."""

# Thin wrapper over ./dev, the single entry point (it also works where make is missing).
.PHONY: setup demo test lint bench
setup: ; ./dev setup
demo: ; ./dev demo
test: ; ./dev test
lint: ; ./dev lint
bench: ; ./dev bench

# Two entry points: `make run` (the assistant on the embedded default) and `make test`.
# Both create .venv on first use; the embedding model is converted once into .cache/models.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export CIVIC_MODEL_CACHE ?= $(CURDIR)/.cache/models
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test bench bench-load rasa-check install browser ingest-shared clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# torch first, pinned to the local CPU build (an unpinned torch pulls a multi-GB CUDA build)
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/civic setup
	$(BIN)/civic serve

# Browser tests drive Debian's Chromium (never a downloaded browser); the plan-format tests
# convert real plans to .docx and .pdf with Debian's LibreOffice Writer (headless).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  echo "installing Debian chromium and chromium-driver for the browser tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium chromium-driver >/dev/null || \
	  { $$SUDO apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium chromium-driver >/dev/null; }; }
	@command -v soffice >/dev/null || { \
	  echo "installing Debian libreoffice-writer-nogui for the .docx/.pdf plan tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q libreoffice-writer-nogui >/dev/null || \
	  { $$SUDO apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q libreoffice-writer-nogui >/dev/null; }; }

test: $(STAMP) browser
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench_knowledge.py
	$(BIN)/python scripts/bench_dialogue.py
	$(BIN)/python scripts/bench_dashboard.py
	$(BIN)/civic nlu test
	$(BIN)/civic tasks eval
	$(BIN)/python scripts/eval_plan_tasks.py
	$(BIN)/python scripts/eval_plan_tasks.py tests/data/eval/plans-heldout
	$(BIN)/python scripts/eval_plan_tasks.py tests/data/eval/plans-heldout2
	$(BIN)/python scripts/eval_plan_tasks.py tests/data/eval/plans-heldout3
	$(BIN)/python scripts/eval_plan_tasks.py tests/data/eval/heldout4/plans
	$(BIN)/python scripts/bench_understanding.py test
	$(BIN)/python scripts/eval_plan_questions.py --dir tests/data/eval/heldout19/plans --half test
	$(BIN)/python scripts/eval_plan_questions.py --dir tests/data/eval/heldout18/plans --half test
	$(BIN)/python scripts/eval_plan_questions.py --dir tests/data/eval/heldout17/plans --half test
	$(BIN)/python scripts/eval_plan_questions.py --dir tests/data/eval/heldout16/plans --half test
	$(BIN)/python scripts/eval_plan_questions.py --dir tests/data/eval/heldout12/plans --half all
	$(BIN)/python scripts/eval_plan_questions.py --dir tests/data/eval/heldout6/plans --half all
	$(BIN)/python scripts/bench_rasa_nlu.py --half test --file tests/data/eval/heldout19/nlu/utterances.jsonl
	$(BIN)/python scripts/bench_rasa_nlu.py --half test --file tests/data/eval/heldout18/nlu/utterances.jsonl
	$(BIN)/python scripts/bench_rasa_nlu.py --half test --file tests/data/eval/heldout17/nlu/utterances.jsonl
	$(BIN)/python scripts/bench_rasa_nlu.py --half test --file tests/data/eval/heldout15/nlu/utterances.jsonl
	$(BIN)/python scripts/bench_rasa_nlu.py --half all --file tests/data/eval/heldout7/nlu/utterances.jsonl

# Closed-loop load test of POST /api/chat on PostgreSQL (database civic_bench, the real procedures);
# about 10 minutes. Quick smoke run: .venv/bin/python scripts/bench_load.py --quick
bench-load: $(STAMP)
	$(BIN)/python scripts/bench_load.py

# The assistant on Rasa Open Source 3.6: a Python 3.10 venv with rasa 3.6.21 (built once under
# .cache/rasa-venv), `civic rasa export`, `rasa data validate`, `rasa train` with small epochs, the
# action server from .venv and `rasa run`, scripted conversations over the REST channel. ~10 minutes.
rasa-check: $(STAMP)
	$(BIN)/python scripts/rasa_check.py

# The real data beside the repository: 2,642 procedures, 5 seed plans and 25 published plans.
ingest-shared: $(STAMP)
	$(BIN)/civic ingest ../shared/data/procedures ../shared/seeds ../shared/data/plans

clean:
	rm -rf var .pytest_cache bench-results test-artifacts

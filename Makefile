# Roost — the two commands that matter:
#   make demo   build and run a local two-agent farm on the shipped models, write the report
#   make test   the NEON kernels under qemu (make test-neon), the ONNX conformance run
#               (make conformance), then every Swift test
#               against a private PostgreSQL this target starts and stops, then
#               schemathesis against a live scheduler (make openapi-fuzz)
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev libpq-dev libcurl4-openssl-dev postgresql-15 postgresql-client-15 python3-venv chromium fonts-dejavu-core
TEST_PG_PORT ?= 55439
# Debug builds (build, tests, conformance, fuzz) carry no DWARF: less to compile
# and a much smaller test binary to link. Every debug build uses the same flags,
# or SwiftPM would rebuild everything between them.
DEBUG_FLAGS ?= -debug-info-format none
# What `conformance` and `openapi-fuzz` build first (default: their one product);
# `make test` passes --build-tests so they reuse its build.
DEBUG_BUILD ?=
# Generated ONNX backend node tests (scripts/onnx-node-tests.sh); .build-* is git-ignored.
ONNX_NODE_TESTS ?= .build-onnx-node-tests

.PHONY: all deps build release test test-neon openapi-fuzz conformance venv demo bench bench-breadth bench-repeatability bench-scheduler clean

all: build

## Install missing Debian packages (as root; otherwise print the command to run).
deps:
	@scripts/install-deps.sh $(APT_PACKAGES)

build: deps
	$(SWIFT) build $(DEBUG_FLAGS)

release: deps
	$(SWIFT) build -c release --product roost

## Every test. Starts its own PostgreSQL cluster on 127.0.0.1:$(TEST_PG_PORT) and stops it afterwards.
# One debug build serves all three: `--build-tests` compiles every module for
# testing, so a product build before or after it would compile them all again;
# conformance and the fuzz run reuse its binaries. The conformance run goes before
# the Swift tests so their summary is the last line. The multi-process integration
# suites run after the in-process ones, one at a time: on 2 cores the two together
# starved the test pool (see README, "Known issues").
test: deps venv
	@$(MAKE) --no-print-directory test-neon
	$(SWIFT) build $(DEBUG_FLAGS) --build-tests
	@$(MAKE) --no-print-directory conformance DEBUG_BUILD=--build-tests
	@scripts/with-test-postgres.sh $(TEST_PG_PORT) bash -c '\
	  export ROOST_BIN="$$($(SWIFT) build --show-bin-path)/roost"; \
	  $(SWIFT) test $(DEBUG_FLAGS) --skip-build --skip IntegrationTests && \
	  $(SWIFT) test $(DEBUG_FLAGS) --skip-build --no-parallel --filter IntegrationTests'
	@$(MAKE) --no-print-directory openapi-fuzz DEBUG_BUILD=--build-tests

## The AArch64 NEON GEMM against the portable reference: natively on an Arm machine,
## elsewhere cross-compiled and run under qemu-user (installed when missing).
test-neon:
	@scripts/neon-check.sh

## schemathesis against a live scheduler on a private PostgreSQL: requests generated
## from docs/openapi.json; fails on any 5xx or response that breaks the document.
# Bounded (FUZZ_MAX_EXAMPLES per operation, FUZZ_TIMEOUT s); its last line says PASSED or FAILED.
openapi-fuzz: venv
	$(SWIFT) build $(DEBUG_FLAGS) $(or $(DEBUG_BUILD),--product roost)
	@scripts/with-test-postgres.sh $(TEST_PG_PORT) env ROOST_BIN="$$($(SWIFT) build --show-bin-path)/roost" scripts/openapi-fuzz.sh

## .venv: the onnx wheel (node-test generators) and onnxruntime for the ONNX Runtime engine.
venv:
	@scripts/venv.sh

## The ONNX backend node tests through the compiler and runtime. Fails when a case
## listed in Tests/Conformance/expected-pass.txt no longer passes; its last line is
## `N passed, M failed, K skipped`.
conformance: deps
	scripts/onnx-node-tests.sh $(ONNX_NODE_TESTS)
	$(SWIFT) build $(DEBUG_FLAGS) $(or $(DEBUG_BUILD),--product roost-conformance)
	"$$($(SWIFT) build --show-bin-path)/roost-conformance" $(ONNX_NODE_TESTS) --expected Tests/Conformance/expected-pass.txt

## The local farm: PostgreSQL (unless DATABASE_URL is set), a scheduler and two agents.
# The shared reference models join the shipped ones when ../shared is beside the clone.
SHARED_MODELS ?= ../shared/models
demo: release venv
	@if [ -d "$(SHARED_MODELS)" ]; then extra="--models $(SHARED_MODELS)"; \
	else echo "note: $(SHARED_MODELS) is absent; the demo benchmarks the shipped models only"; extra=""; fi; \
	"$$($(SWIFT) build -c release --show-bin-path)/roost" demo $$extra

## Every reference model, both engines, 1 and 2 threads, side by side: bench-results.json.
bench: release venv
	scripts/bench.sh

## The same table for six models in shapes the reference models do not cover
## (scripts/breadth-models.py: SiLU/squeeze-excite, ResNeXt groups, a 384-wide
## encoder, …), generated with ONNX Runtime references: bench-breadth-results.json.
bench-breadth: release venv
	@dir="$$(mktemp -d)"; .venv/bin/python scripts/breadth-models.py "$$dir" && \
	  MODEL_DIRS="$$dir" MODELS="$$(ls "$$dir" | tr '\n' ' ')" OUT=bench-breadth-results.json scripts/bench.sh; \
	  rc=$$?; rm -rf "$$dir"; exit $$rc

## The same model twice, standard profile: the two p50s within 2 % (bench-repeatability.json).
# MODEL=… ENGINE=… THREADS=… PROFILE=… LIMIT=0.02
bench-repeatability: release venv
	scripts/bench-repeatability.sh

## Scheduler load: 200 simulated agents long-poll one real scheduler for no-op jobs
# (release build, private PostgreSQL): lease latency paced at 2,000/s, then closed-loop
# leases/s, into bench-scheduler-results.json. BENCH_SCHEDULER_ARGS="--rate 1000 --duration 10".
BENCH_SCHEDULER_ARGS ?=
bench-scheduler: deps
	$(SWIFT) build -c release --product roost
	$(SWIFT) build -c release --product roost-bench-scheduler
	"$$($(SWIFT) build -c release --show-bin-path)/roost-bench-scheduler" $(BENCH_SCHEDULER_ARGS)

clean:
	rm -rf .build .build-* .roost roost-report.md roost-report.html bench-scheduler-results.json

# Roost — the two commands that matter:
#   make demo   build and run a local two-agent farm on the shipped models, write the report
#   make test   every test, against a private PostgreSQL this target starts and stops
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev libpq-dev libcurl4-openssl-dev postgresql-15 postgresql-client-15
TEST_PG_PORT ?= 55439

.PHONY: all deps build release test demo clean

all: build

## Install missing Debian packages (as root; otherwise print the command to run).
deps:
	@scripts/install-deps.sh $(APT_PACKAGES)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product roost

## Every test. Starts its own PostgreSQL cluster on 127.0.0.1:$(TEST_PG_PORT) and stops it afterwards.
test: deps
	$(SWIFT) build --build-tests
	@scripts/with-test-postgres.sh $(TEST_PG_PORT) \
	env ROOST_BIN="$$($(SWIFT) build --show-bin-path)/roost" $(SWIFT) test --skip-build

## The local farm: PostgreSQL (unless DATABASE_URL is set), a scheduler and two agents.
demo: release
	"$$($(SWIFT) build -c release --show-bin-path)/roost" demo

clean:
	rm -rf .build .build-* .roost roost-report.md roost-report.html

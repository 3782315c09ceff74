#!/usr/bin/env bash
# Usage: with-test-postgres.sh HOME PORT COMMAND...
# Starts a private PostgreSQL cluster (via `roost db start`) for the tests, runs
# COMMAND with ROOST_TEST_DATABASE_URL set, and stops the cluster whatever happens.
set -euo pipefail
home="$1"; port="$2"; shift 2
bin="$(swift build --show-bin-path)/roost"
mkdir -p "$home"
export ROOST_HOME="$home"
url="$("$bin" db start --port "$port" | sed -n 's/^DATABASE_URL=//p')"
trap '"$bin" db stop >/dev/null 2>&1 || true' EXIT
echo "test database cluster: $url"
ROOST_TEST_DATABASE_URL="$url" "$@"

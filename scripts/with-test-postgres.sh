#!/usr/bin/env bash
# Usage: with-test-postgres.sh PORT COMMAND...
# Starts a private PostgreSQL cluster (via `roost db start`) in a fresh temporary
# ROOST_HOME for the tests, runs COMMAND with ROOST_TEST_DATABASE_URL set, then
# stops the cluster and removes the directory whatever happens.
set -euo pipefail
port="$1"; shift
bin="$(swift build --show-bin-path)/roost"
home="$(mktemp -d /tmp/roost-test-XXXXXX)"
chmod 755 "$home"   # PostgreSQL runs as 'postgres' when we are root and must reach it
export ROOST_HOME="$home"
cleanup() { "$bin" db stop >/dev/null 2>&1 || true; rm -rf "$home"; }
trap cleanup EXIT
url="$("$bin" db start --port "$port" | sed -n 's/^DATABASE_URL=//p')"
echo "test database cluster: $url"
ROOST_TEST_DATABASE_URL="$url" "$@"

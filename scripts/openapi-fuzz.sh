#!/usr/bin/env bash
# Usage: scripts/with-test-postgres.sh PORT scripts/openapi-fuzz.sh
# Starts a scheduler on the test cluster's database and lets schemathesis
# (scripts/venv.sh installs it into .venv) generate requests from
# docs/openapi.json against it, with the admin token. Fails on any 5xx,
# undocumented status code, wrong content type or response that violates its
# schema. Bounded: FUZZ_MAX_EXAMPLES per operation (default 30) and
# FUZZ_TIMEOUT seconds in all (default 240). The last line says PASSED or FAILED.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${ROOST_TEST_DATABASE_URL:?run under scripts/with-test-postgres.sh}"
bin="${ROOST_BIN:-$(swift build --show-bin-path)/roost}"
st=.venv/bin/schemathesis
[ -x "$st" ] || { echo "openapi fuzz: FAILED — $st is missing; run scripts/venv.sh"; exit 1; }
home="$(mktemp -d /tmp/roost-fuzz-XXXXXX)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
ROOST_HOME="$home" "$bin" scheduler serve --database-url "$ROOST_TEST_DATABASE_URL" --port "$port" >"$home/scheduler.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$home"; }
trap cleanup EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
  python3 -c "import urllib.request, sys; urllib.request.urlopen('$base/health', timeout=1)" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$home/scheduler.log"; echo "openapi fuzz: FAILED — the scheduler did not start"; exit 1; }
  sleep 0.2
done
token="$(cat "$home/admin.token")"
started=$SECONDS
timeout "${FUZZ_TIMEOUT:-240}" "$st" run "$base/v1/openapi.json" --url "$base" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --mode "${FUZZ_MODE:-positive}" --phases examples,coverage,fuzzing \
  --max-examples "${FUZZ_MAX_EXAMPLES:-30}" --seed "${FUZZ_SEED:-2026}" --workers 2 \
  --request-timeout 35 --no-color --report junit --report-junit-path "$home/schemathesis.xml" \
  >"$home/schemathesis.log" 2>&1
rc=$?
cat "$home/schemathesis.log"
errors="$(grep -c '"request failed"\|level=error\|error  *request failed' "$home/scheduler.log" || true)"
if [ "$rc" -eq 0 ]; then
  echo "openapi fuzz: PASSED — 0 server errors, 0 schema violations against docs/openapi.json ($((SECONDS - started)) s)"
  exit 0
fi
echo "--- scheduler log (last 40 lines) ---"; tail -n 40 "$home/scheduler.log"
if [ "$rc" -eq 124 ]; then echo "openapi fuzz: FAILED — schemathesis ran past ${FUZZ_TIMEOUT:-240} s"; else
  echo "openapi fuzz: FAILED — schemathesis exit $rc; see its failures above ($errors scheduler error lines)"; fi
exit 1

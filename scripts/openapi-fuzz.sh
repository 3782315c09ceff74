#!/usr/bin/env bash
# Usage: scripts/with-test-postgres.sh PORT scripts/openapi-fuzz.sh
# Starts a scheduler on the test cluster's database and lets schemathesis
# (scripts/venv.sh installs it into .venv) generate requests from
# docs/openapi.json against it, with the admin token. Fails on any 5xx,
# undocumented status code, wrong content type or response that violates its
# schema. Two passes: every operation with the admin token, then the agent
# routes with an enrolled agent's credential. Bounded: FUZZ_MAX_EXAMPLES per
# operation (default 30) and FUZZ_TIMEOUT seconds per pass (default 240).
# The last line says PASSED or FAILED.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${ROOST_TEST_DATABASE_URL:?run under scripts/with-test-postgres.sh}"
bin="${ROOST_BIN:-$(swift build --show-bin-path)/roost}"
st="$PWD/.venv/bin/schemathesis"
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
# An enrolled agent (this machine's probe), so the agent half of the API is
# exercised past authentication too.
agent="$("$bin" agent probe --json | python3 -c '
import json, sys, urllib.request
base, admin = sys.argv[1], sys.argv[2]
def post(path, body, token=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"})
    if token: req.add_header("Authorization", "Bearer " + token)
    return json.load(urllib.request.urlopen(req, timeout=10))
enroll = post("/v1/tokens/enroll", {"ttlSeconds": 60}, admin)["token"]
print(post("/v1/agents/enroll", {"token": enroll, "name": "fuzz-agent", "tags": {}, "hardware": json.load(sys.stdin)})["credential"])
' "$base" "$token")" || { echo "openapi fuzz: FAILED — could not enroll the fuzz agent"; exit 1; }
started=$SECONDS
fuzz() {  # fuzz CREDENTIAL LOG [schemathesis options…]
  local credential="$1" log="$2"; shift 2
  # From the scratch folder: schemathesis keeps a .schemathesis cache in its working directory.
  # One worker: with two, schemathesis 4.32 on Python 3.11 once failed inside itself (a
  # thread race in its code generation), not against the scheduler.
  (cd "$home" && timeout "${FUZZ_TIMEOUT:-240}" "$st" run "$base/v1/openapi.json" --url "$base" \
    -H "Authorization: Bearer $credential" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --mode "${FUZZ_MODE:-positive}" --phases examples,coverage,fuzzing \
    --max-examples "${FUZZ_MAX_EXAMPLES:-30}" --seed "${FUZZ_SEED:-2026}" --workers 1 \
    --request-timeout 35 --no-color "$@" >"$log" 2>&1)
}
fuzz "$token" "$home/schemathesis.log"
rc=$?
cat "$home/schemathesis.log"
if [ "$rc" -eq 0 ]; then
  echo "--- the agent routes, with the agent's credential ---"
  # Without the lease long-poll: with no jobs queued each call waits up to its
  # waitSeconds (≤ 30 s); the integration tests lease for real.
  fuzz "$agent" "$home/schemathesis-agent.log" --include-tag agent --exclude-path /v1/jobs/lease
  rc=$?
  cat "$home/schemathesis-agent.log"
fi
errors="$(grep -c 'request failed' "$home/scheduler.log" || true)"
if [ "$rc" -eq 0 ]; then
  echo "openapi fuzz: PASSED — 0 server errors, 0 schema violations against docs/openapi.json, as admin and as an agent ($((SECONDS - started)) s)"
  exit 0
fi
if grep -q "Fatal error\|Crash" "$home/scheduler.log"; then
  echo "--- the scheduler crashed ---"; grep -m1 -B3 -A25 "Fatal error\|Crash" "$home/scheduler.log"
else
  echo "--- scheduler log (last 40 lines) ---"; tail -n 40 "$home/scheduler.log"
fi
if [ "$rc" -eq 124 ]; then echo "openapi fuzz: FAILED — schemathesis ran past ${FUZZ_TIMEOUT:-240} s"; else
  echo "openapi fuzz: FAILED — schemathesis exit $rc; see its failures above ($errors scheduler error lines)"; fi
exit 1

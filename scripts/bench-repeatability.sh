#!/usr/bin/env bash
# `make bench-repeatability`: the same model twice on this (idle) machine with the
# agents' harness and the standard profile; passes when the two p50s are within
# 2 % of each other. Writes bench-repeatability.json. A benchmark-suite check,
# not a unit test: it needs a quiet machine and a few minutes.
#   MODEL=path/model.onnx  ENGINE=native|onnxruntime  THREADS=1  PROFILE=standard
#   LIMIT=0.02  ROOST_BIN=path/to/roost  OUT=bench-repeatability.json
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${ROOST_BIN:-$(swift build -c release --show-bin-path)/roost}"
profile="${PROFILE:-standard}"
engine="${ENGINE:-native}"
threads="${THREADS:-1}"
limit="${LIMIT:-0.02}"
out="${OUT:-bench-repeatability.json}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
model="${MODEL:-}"
if [ -z "$model" ]; then
  "$bin" models generate --out "$tmp/models" >/dev/null
  model="$(ls "$tmp"/models/*/model.onnx | head -n 1)"
fi
export ROOST_ORT_PYTHON="${ROOST_ORT_PYTHON:-$PWD/.venv/bin/python}"
for run in 1 2; do
  echo "== run $run: $model $engine ${threads}t $profile" >&2
  "$bin" bench local "$model" --engine "$engine" --threads "$threads" --profile "$profile" --json > "$tmp/run-$run.json"
done
python3 - "$tmp" "$out" "$model" "$engine" "$threads" "$profile" "$limit" <<'PY'
import json, os, sys
tmp, out, model, engine, threads, profile, limit = sys.argv[1:]
limit = float(limit)
runs = []
for n in (1, 2):
    r = json.load(open(os.path.join(tmp, "run-%d.json" % n)))
    s = r.get("statistics") or {}
    v = r.get("validity") or {"valid": True, "reasons": []}
    e = r.get("environment") or {}
    runs.append({"p50_ms": s.get("p50"), "p50_ci": s.get("p50CI"), "p99_ms": s.get("p99"), "samples": s.get("count"),
                 "dispersion": s.get("dispersion"), "valid": v.get("valid"), "invalid_reasons": v.get("reasons"),
                 "tries": len((r.get("tries") or {}).get("tries") or [1]),
                 "other_cpu_fraction": e.get("otherCPUFraction")})
a, b = runs[0]["p50_ms"], runs[1]["p50_ms"]
diff = abs(a - b) / min(a, b) if a and b else None
passed = diff is not None and diff <= limit
json.dump({"model": model, "engine": engine, "threads": int(threads), "profile": profile, "runs": runs,
           "p50_difference": diff, "limit": limit, "passed": passed}, open(out, "w"), indent=2)
for i, r in enumerate(runs, 1):
    print("run %d: p50 %.4f ms  p99 %.4f ms  n %d  %s  tries %d  other-CPU %s" % (
        i, r["p50_ms"], r["p99_ms"], r["samples"], "VALID" if r["valid"] else "INVALID: " + "; ".join(r["invalid_reasons"]),
        r["tries"], "%.1f%%" % (100 * r["other_cpu_fraction"]) if r["other_cpu_fraction"] is not None else "n/a"))
print("p50 difference %s (limit %.1f %%): %s" % ("%.2f %%" % (100 * diff) if diff is not None else "n/a", 100 * limit, "PASS" if passed else "FAIL"))
print("wrote", out)
sys.exit(0 if passed else 1)
PY

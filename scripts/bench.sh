#!/usr/bin/env bash
# `make bench`: `roost bench local` on every reference model (../shared/models when
# present, else the shipped suite) with both engines at 1 and 2 threads, side by
# side in one run, into bench-results.json. PROFILE=standard for decision-grade runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(swift build -c release --show-bin-path)/roost"
profile="${PROFILE:-quick}"
out="${OUT:-bench-results.json}"
models_dir="../shared/models"
if [ ! -d "$models_dir" ]; then
  echo "../shared/models is absent: benchmarking the shipped suite instead" >&2
  models_dir="$(mktemp -d)"
  "$bin" models generate --out "$models_dir" >/dev/null
fi
export ROOST_ORT_PYTHON="${ROOST_ORT_PYTHON:-$PWD/.venv/bin/python}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for model in "$models_dir"/*/model.onnx; do
  name="$(basename "$(dirname "$model")")"
  for threads in 1 2; do
    for engine in native onnxruntime; do
      echo "== $name $engine ${threads}t" >&2
      if "$bin" bench local "$model" --engine "$engine" --threads "$threads" --profile "$profile" --json > "$tmp/$name-$engine-$threads.json" 2> "$tmp/$name-$engine-$threads.err"; then :; else
        echo "   failed: $(tail -n 1 "$tmp/$name-$engine-$threads.err")" >&2
      fi
    done
  done
done
python3 - "$tmp" "$out" <<'PY'
import glob, json, os, sys
tmp, out = sys.argv[1], sys.argv[2]
rows = []
for f in sorted(glob.glob(os.path.join(tmp, "*.json"))):
    name, engine, threads = os.path.basename(f)[:-5].rsplit("-", 2)
    try:
        r = json.load(open(f))
    except Exception:
        rows.append({"model": name, "engine": engine, "threads": int(threads), "status": "error",
                     "error": open(f[:-5] + ".err").read().strip()[-300:]})
        continue
    s = r.get("statistics") or {}
    rows.append({"model": name, "engine": engine, "threads": int(threads), "status": r["status"],
                 "p50_ms": s.get("p50"), "p99_ms": s.get("p99"), "p50_ci": s.get("p50CI"), "throughput_qps": s.get("throughput"),
                 "samples": s.get("count"), "valid": (r.get("validity") or {}).get("valid"),
                 "invalid_reasons": (r.get("validity") or {}).get("reasons"),
                 "accuracy_passed": (r.get("accuracy") or {}).get("passed"), "blas_core": r["environment"].get("blasCore"),
                 "other_cpu_fraction": r["environment"].get("otherCPUFraction"), "error": r.get("errorMessage")})
json.dump({"results": rows}, open(out, "w"), indent=2)
print("%-14s %-12s %3s %10s %10s  %s" % ("model", "engine", "thr", "p50 ms", "p99 ms", "validity"))
for x in rows:
    p50 = "%.3f" % x["p50_ms"] if x.get("p50_ms") else "-"
    p99 = "%.3f" % x["p99_ms"] if x.get("p99_ms") else "-"
    print("%-14s %-12s %3d %10s %10s  %s" % (x["model"], x["engine"], x["threads"], p50, p99,
          x["status"] if x["status"] != "succeeded" else ("VALID" if x.get("valid") else "INVALID")))
print("wrote", out)
PY

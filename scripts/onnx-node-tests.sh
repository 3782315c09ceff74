#!/usr/bin/env bash
# Usage: onnx-node-tests.sh [OUTDIR]
# Generates the ONNX backend node test cases (OUTDIR/node/test_*/model.onnx and
# test_data_set_*/{input,output}_*.pb) that `roost-conformance` runs. The `onnx`
# wheel ships the case generators, not the data, so we run them once in a venv
# (.venv in the repository root) pinned to the ONNX version the protobuf code
# was generated from (scripts/gen-onnx-proto.sh). Idempotent: a marker file
# records the version generated, and a finished tree is never regenerated.
set -euo pipefail
# OUTDIR is relative to the caller's directory; the default lives in the repository root.
out="${1:-}"
case "$out" in "" | /*) ;; *) out="$PWD/$out" ;; esac
cd "$(dirname "$0")/.."
ONNX_VERSION="${ONNX_VERSION:-1.23.2}"
out="${out:-.build-onnx-node-tests}"
marker="$out/.generated-onnx-$ONNX_VERSION"

if [ -f "$marker" ]; then
  exit 0
fi

scripts/venv.sh

# Generate into a scratch folder beside OUTDIR and move it into place at the end,
# so an interrupted run never leaves a half-written tree that looks finished.
mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d "${out%/}.tmp-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
# `cmd_tools generate-data` only writes the model cases in this ONNX version, so
# drive its writer with the node cases (`case.node.collect_testcases`) instead.
.venv/bin/python - "$tmp" >"$tmp/generate.log" 2>&1 <<'PY' || {
import argparse, sys
import onnx.backend.test.case.node as node_cases
import onnx.backend.test.cmd_tools as cmd_tools
cmd_tools.model_test.collect_testcases = node_cases.collect_testcases
cmd_tools.generate_data(argparse.Namespace(output=sys.argv[1]))
PY
  tail -n 40 "$tmp/generate.log" >&2
  echo "error: generating the ONNX node tests failed" >&2
  exit 1
}
rm -f "$tmp/generate.log"
touch "$tmp/.generated-onnx-$ONNX_VERSION"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "generated $(ls "$out/node" | wc -l) ONNX $ONNX_VERSION node test cases in $out ($((SECONDS - start))s, $(du -sh "$out" | cut -f1))"

#!/usr/bin/env bash
# Creates or completes .venv in the repository root: the `onnx` wheel (node-test
# generators, pinned to the version scripts/gen-onnx-proto.sh used) and
# `onnxruntime` + `numpy` for the ONNX Runtime engine's adapter, and `openvino`
# for the OpenVINO engine's adapter. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
ONNX_VERSION="${ONNX_VERSION:-1.23.2}"
[ -x .venv/bin/python ] || python3 -m venv .venv
if ! .venv/bin/python -c "import onnx, onnxruntime, numpy, sys; sys.exit(onnx.__version__ != '$ONNX_VERSION')" 2>/dev/null; then
  .venv/bin/pip install -q "onnx==$ONNX_VERSION" onnxruntime numpy
fi
# openvino: the OpenVINO CPU engine (Sources/RoostBench/Engines/OpenVINOEngine.swift).
OPENVINO_VERSION="${OPENVINO_VERSION:-2026.4.1}"
if ! .venv/bin/python -c "import openvino, sys; sys.exit(not openvino.__version__.startswith('$OPENVINO_VERSION'))" 2>/dev/null; then
  .venv/bin/pip install -q "openvino==$OPENVINO_VERSION"
fi
# schemathesis: `make test` fuzzes a live scheduler against docs/openapi.json (scripts/openapi-fuzz.sh).
SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
if ! .venv/bin/python -c "import schemathesis, sys; sys.exit(schemathesis.__version__ != '$SCHEMATHESIS_VERSION')" 2>/dev/null; then
  .venv/bin/pip install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

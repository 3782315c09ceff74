#!/usr/bin/env bash
# Regenerates Sources/RoostONNX/Generated/onnx.pb.swift from the onnx.proto that
# ships in the `onnx` Python wheel. Run by hand when the ONNX version changes;
# the output is committed so normal builds never need protoc or the plugin.
set -euo pipefail
cd "$(dirname "$0")/.."
ONNX_VERSION="${ONNX_VERSION:-1.23.2}"
PROTOBUF_VERSION="${PROTOBUF_VERSION:-1.39.0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v protoc >/dev/null || apt-get install -y protobuf-compiler
python3 -m pip download --no-deps --only-binary=:all: "onnx==${ONNX_VERSION}" -d "$work" -q
python3 - "$work" <<'PY'
import glob, sys, zipfile
work = sys.argv[1]
with zipfile.ZipFile(glob.glob(f"{work}/onnx-*.whl")[0]) as z:
    open(f"{work}/onnx.proto", "wb").write(z.read("onnx/onnx.proto"))
PY

plugin="${PROTOC_GEN_SWIFT:-}"
if [ -z "$plugin" ]; then
  git clone -q --branch "$PROTOBUF_VERSION" https://github.com/apple/swift-protobuf.git "$work/swift-protobuf"
  (cd "$work/swift-protobuf" && swift build -c release --product protoc-gen-swift)
  plugin="$work/swift-protobuf/.build/release/protoc-gen-swift"
fi

protoc --plugin=protoc-gen-swift="$plugin" -I "$work" \
  --swift_opt=Visibility=Public --swift_out=Sources/RoostONNX/Generated "$work/onnx.proto"
echo "regenerated Sources/RoostONNX/Generated/onnx.pb.swift from onnx ${ONNX_VERSION}"

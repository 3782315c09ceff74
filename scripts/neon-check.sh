#!/usr/bin/env bash
# The AArch64 NEON GEMM against the portable reference (Tests/CRoostKernelsCross/
# neon_check.c). On an AArch64 machine it builds and runs natively; elsewhere it
# cross-compiles with aarch64-linux-gnu-gcc and runs under qemu-user, which
# checks what the kernels compute, not how fast they are. Missing tools are
# installed like the other system packages (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
K=Sources/CRoostKernels
SOURCES=("$K/Gemm.c" "$K/GemmPortable.c" "$K/GemmNEON.c" "$K/ThreadPool.c" "$K/FMAPeak.c" Tests/CRoostKernelsCross/neon_check.c)
OUT=${NEON_CHECK_OUT:-.build-neon}
mkdir -p "$OUT"
if [ "$(uname -m)" = aarch64 ]; then
  CC=${CC:-cc}
  RUN=()
else
  scripts/install-deps.sh gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
  CC=aarch64-linux-gnu-gcc
  RUN=(qemu-aarch64)
fi
# Every kernel source must also build for AArch64 without warnings (the x86 ones
# compile to nothing there) and link with nothing undefined; the check runs the GEMM's.
rm -f "$OUT"/*.o
for f in "$K"/*.c; do
  "$CC" -O2 -std=gnu11 -Wall -Wextra -Werror -fPIC -I"$K/include" -I"$K" -c "$f" -o "$OUT/$(basename "$f" .c).o"
done
"$CC" -shared -Wl,--no-undefined -pthread "$OUT"/*.o -lm -o "$OUT/libCRoostKernels.so"
"$CC" -O2 -std=gnu11 -Wall -Wextra -Werror -pthread -static -I"$K/include" -I"$K" "${SOURCES[@]}" -lm -o "$OUT/neon_check"
"${RUN[@]}" "$OUT/neon_check"

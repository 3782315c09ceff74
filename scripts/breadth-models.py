#!/usr/bin/env python3
"""Six ONNX models in shapes the reference models do not cover, for `make bench-breadth`.

SiLU and squeeze-excite MBConv blocks (effnet-lite), a plain 3x3 stack with max
pools and channel counts off the 16 grid (vgg-small), ResNeXt's 32-group 3x3s at
batch 2 (resnext-tiny), a 384-wide post-LN encoder with erf GELU (bert-mini), an
MLP with odd sizes and tanh at batch 8 (mlp-odd) and 1-D convs (conv1d-audio).
Random weights from a fixed seed; each model gets test_data_set_0 with ONNX
Runtime's output as its reference, so `roost bench local` checks accuracy.

usage: breadth-models.py OUT_DIR   (needs numpy, onnx and onnxruntime: `make venv`)
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper as h, TensorProto as T, numpy_helper as nh

if len(sys.argv) != 2:
    sys.exit(__doc__.strip().splitlines()[-1])
rng = np.random.default_rng(7)
out = sys.argv[1]

class G:
    def __init__(s): s.nodes, s.inits, s.n = [], [], 0
    def name(s, p): s.n += 1; return "%s%d" % (p, s.n)
    def w(s, shape, scale=None):
        fan = int(np.prod(shape[1:])) if len(shape) > 1 else shape[0]
        a = (rng.standard_normal(shape) * (scale or (1.0 / np.sqrt(fan)))).astype(np.float32)
        n = s.name("w"); s.inits.append(nh.from_array(a, n)); return n
    def c(s, arr):
        n = s.name("c"); s.inits.append(nh.from_array(np.asarray(arr), n)); return n
    def op(s, t, ins, **kw):
        o = s.name(t.lower()); s.nodes.append(h.make_node(t, ins, [o], **kw)); return o
    def conv(s, x, cin, cout, k, stride=1, group=1, pad=None, bias=True):
        p = k // 2 if pad is None else pad
        ins = [x, s.w([cout, cin // group, k, k])] + ([s.w([cout], 0.1)] if bias else [])
        return s.op("Conv", ins, kernel_shape=[k, k], strides=[stride, stride], pads=[p] * 4, group=group)
    def bn(s, x, c):
        return s.op("BatchNormalization", [x, s.c(rng.uniform(0.5, 1.5, c).astype(np.float32)),
                    s.c(rng.uniform(-.2, .2, c).astype(np.float32)), s.c(rng.uniform(-.2, .2, c).astype(np.float32)),
                    s.c(rng.uniform(0.5, 1.5, c).astype(np.float32))])
    def silu(s, x): return s.op("Mul", [x, s.op("Sigmoid", [x])])
    def save(s, name, inp, ishape, outp):
        g = h.make_graph(s.nodes, name, [h.make_tensor_value_info(inp, T.FLOAT, ishape)], [], s.inits)
        m = h.make_model(g, opset_imports=[h.make_opsetid("", 17)]); m.ir_version = 8
        inf = onnx.shape_inference.infer_shapes(m)
        vi = [v for v in inf.graph.value_info if v.name == outp][0]
        m.graph.output.append(vi)
        onnx.checker.check_model(m)
        d = os.path.join(out, name); os.makedirs(d, exist_ok=True); onnx.save(m, os.path.join(d, "model.onnx"))

def effnet():  # MBConv blocks: SiLU, depthwise 3x3/5x5, squeeze-excite, odd channel counts
    g = G(); x = g.silu(g.bn(g.conv("x", 3, 32, 3, 2, bias=False), 32))
    cin = 32
    for (e, k, s, cout) in [(1, 3, 1, 16), (6, 3, 2, 24), (6, 5, 2, 40), (6, 3, 2, 80), (6, 5, 1, 112)]:
        mid = cin * e; y = x
        if e != 1: y = g.silu(g.bn(g.conv(y, cin, mid, 1, bias=False), mid))
        y = g.silu(g.bn(g.conv(y, mid, mid, k, s, group=mid, bias=False), mid))
        se = g.op("GlobalAveragePool", [y]); r = max(1, cin // 4)
        se = g.silu(g.conv(se, mid, r, 1)); se = g.op("Sigmoid", [g.conv(se, r, mid, 1)])
        y = g.op("Mul", [y, se]); y = g.bn(g.conv(y, mid, cout, 1, bias=False), cout)
        if s == 1 and cin == cout: y = g.op("Add", [y, x])
        x, cin = y, cout
    x = g.op("Flatten", [g.op("GlobalAveragePool", [x])])
    x = g.op("Gemm", [x, g.w([1000, cin]), g.w([1000], .1)], transB=1)
    g.save("effnet-lite", "x", [1, 3, 224, 224], x)

def vgg():  # plain 3x3 stacks with max pools, channel counts off the 16 grid
    g = G(); x, cin = "x", 3
    for cout, n in [(48, 2), (96, 2), (192, 3), (384, 3)]:
        for _ in range(n): x = g.op("Relu", [g.conv(x, cin, cout, 3)]); cin = cout
        x = g.op("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    x = g.op("Flatten", [g.op("GlobalAveragePool", [x])])
    x = g.op("Gemm", [x, g.w([10, cin]), g.w([10], .1)], transB=1)
    g.save("vgg-small", "x", [1, 3, 128, 128], x)

def resnext():  # grouped 3x3 (32 groups), stride-2 downsampling, batch 2
    g = G(); x = g.op("Relu", [g.bn(g.conv("x", 3, 64, 7, 2, bias=False), 64)])
    x = g.op("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]); cin = 64
    for (mid, cout, s) in [(128, 256, 1), (256, 512, 2)]:
        y = g.op("Relu", [g.bn(g.conv(x, cin, mid, 1, bias=False), mid)])
        y = g.op("Relu", [g.bn(g.conv(y, mid, mid, 3, s, group=32, bias=False), mid)])
        y = g.bn(g.conv(y, mid, cout, 1, bias=False), cout)
        sc = g.bn(g.conv(x, cin, cout, 1, s, bias=False), cout)
        x = g.op("Relu", [g.op("Add", [y, sc])]); cin = cout
    x = g.op("Flatten", [g.op("GlobalAveragePool", [x])])
    x = g.op("Gemm", [x, g.w([100, cin]), g.w([100], .1)], transB=1)
    g.save("resnext-tiny", "x", [2, 3, 112, 112], x)

def bert(seq=64, d=384, heads=6, layers=3, ff=1536):  # post-LN encoder, Erf GELU, batch 1
    g = G(); x = "x"; hd = d // heads
    for _ in range(layers):
        def lin(t, i, o): return g.op("Add", [g.op("MatMul", [t, g.w([i, o])]), g.w([o], .1)])
        def heads_of(t):
            t = g.op("Reshape", [t, g.c(np.array([1, seq, heads, hd], np.int64))])
            return g.op("Transpose", [t], perm=[0, 2, 1, 3])
        q, k, v = heads_of(lin(x, d, d)), heads_of(lin(x, d, d)), heads_of(lin(x, d, d))
        s = g.op("Mul", [g.op("MatMul", [q, g.op("Transpose", [k], perm=[0, 1, 3, 2])]), g.c(np.float32(1 / np.sqrt(hd)))])
        a = g.op("MatMul", [g.op("Softmax", [s], axis=-1), v])
        a = g.op("Reshape", [g.op("Transpose", [a], perm=[0, 2, 1, 3]), g.c(np.array([1, seq, d], np.int64))])
        def ln(t): return g.op("LayerNormalization", [t, g.c(rng.uniform(.8, 1.2, d).astype(np.float32)), g.c(np.zeros(d, np.float32))], axis=-1, epsilon=1e-5)
        x = ln(g.op("Add", [x, lin(a, d, d)]))
        f = lin(x, d, ff)
        f = g.op("Mul", [g.op("Mul", [f, g.op("Add", [g.op("Erf", [g.op("Div", [f, g.c(np.float32(np.sqrt(2)))])]), g.c(np.float32(1))])]), g.c(np.float32(.5))])
        x = ln(g.op("Add", [x, lin(f, ff, d)]))
    g.save("bert-mini", "x", [1, seq, d], x)

def mlp_odd():  # batch 8, sizes off every grid, tanh
    g = G(); x, i = "x", 300
    for o in [700, 333, 10]:
        x = g.op("Gemm", [x, g.w([o, i]), g.w([o], .1)], transB=1)
        if o != 10: x = g.op("Tanh", [x])
        i = o
    g.save("mlp-odd", "x", [8, 300], x)

def conv1d():  # audio-style 1-D convs (as Conv over [N, C, L])
    g = G(); x, cin = "x", 40
    for cout, k, s in [(128, 5, 1), (128, 3, 2), (256, 3, 1), (256, 3, 2)]:
        x = g.op("Relu", [g.op("Conv", [x, g.w([cout, cin, k]), g.w([cout], .1)], kernel_shape=[k], strides=[s], pads=[k // 2] * 2)]); cin = cout
    g.save("conv1d-audio", "x", [1, 40, 1000], x)

for f in [effnet, vgg, resnext, bert, mlp_odd, conv1d]:
    f()

for name in sorted(os.listdir(out)):
    d = os.path.join(out, name); m = onnx.load(os.path.join(d, "model.onnx"))
    i = m.graph.input[0]; shape = [x.dim_value for x in i.type.tensor_type.shape.dim]
    x = np.random.default_rng(3).standard_normal(shape).astype(np.float32)
    s = ort.InferenceSession(os.path.join(d, "model.onnx"), providers=["CPUExecutionProvider"])
    y = s.run(None, {i.name: x})[0]
    t = os.path.join(d, "test_data_set_0"); os.makedirs(t, exist_ok=True)
    open(os.path.join(t, "input_0.pb"), "wb").write(nh.from_array(x, i.name).SerializeToString())
    open(os.path.join(t, "output_0.pb"), "wb").write(nh.from_array(y, m.graph.output[0].name).SerializeToString())
print("wrote %d models to %s" % (len(os.listdir(out)), out))

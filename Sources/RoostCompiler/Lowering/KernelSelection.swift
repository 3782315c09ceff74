import CRoostKernels
import RoostCore

/// Chooses the code each compute step runs on the target, from its ISA and the
/// step's shape (no search, no timing), and records it in the step:
/// - matrix products (`conv` on im2col/1×1, `gemm`, `matmul`): Roost's packed
///   GEMM or OpenBLAS (attribute `gemm`), with each constant operand of a Roost
///   step packed into the micro-kernel's panel layout (`packedWeights`: `a` or
///   `b`) — once, here, so a query never repacks weights; the weight blob is
///   rebuilt without the unpacked originals;
/// - convs with a window whose output channels fill 16-channel panels, and (on
///   AVX2 targets) stride-1 pointwise convs on small images: the direct kernel (`convKernel`
///   `direct`), pixels × channels straight from a padded copy of the image with
///   the weights packed as B; the others run the GEMM (packing patches block by
///   block, or multiplying a pointwise conv's image as it is);
/// - direct depthwise and grouped convs: the AVX2 + FMA inner loop where the ISA has it, the
///   AVX-512 one for a channels-last conv on an AVX-512 target (`simd`);
/// - softmax rows, the sigmoid, SiLU and GELU passes and 3-wide max pools: the AVX2 (+ FMA) routines where the ISA has them (`simd`).
public struct KernelSelection: Sendable {
    public let target: TargetSpec
    public init(target: TargetSpec) { self.target = target }

    /// The implementation for an M×N×K product on this target, nil for OpenBLAS.
    ///
    /// AVX2 targets run everything on Roost's 6×16 AVX2 kernels, AVX-512 targets
    /// on its 6×32 AVX-512 tile (within ±10 % of OpenBLAS's Cooperlake kernels on
    /// the conv and MLP products measured on a Zen 4, with the epilogue fused and
    /// no OpenBLAS thread state); one-row products on either take the packed-panel
    /// GEMV. AArch64 targets run the NEON 6×16 tile over the same panels (checked
    /// under qemu against the portable kernel; no Arm machine has timed it against
    /// OpenBLAS yet). SSE-only and 32-bit Arm targets keep OpenBLAS.
    public func implementation(m: Int, n: Int, k: Int) -> String? {
        switch target.isa {
        case .x86_64_avx2: "roost-avx2"
        case .x86_64_avx512: "roost-avx512"
        case .aarch64_neon, .aarch64_sve: "roost-neon"
        default: nil
        }
    }

    /// Rows × columns of the GEMM's register tile on this target (the AVX-512 tile
    /// spans two of the 16-column panels the weights are packed in).
    public var registerTile: String {
        let mr = Int(ROOST_GEMM_MR), nr = Int(ROOST_GEMM_NR)
        return target.isa == .x86_64_avx512 ? "\(mr)x\(2 * nr)" : "\(mr)x\(nr)"
    }

    /// Max pools with an 8-lane form (`roost_max_pool3_avx2`): 3 wide, undilated
    /// columns, stride 1 or 2 across (ResNet's and ResNeXt's 3 × 3 / 2 stem pool).
    static func vectorMaxPool(_ step: PlanStep) -> Bool {
        let a = step.attributes
        guard let kernel = a["kernel"]?.ints, let strides = a["strides"]?.ints, let dilations = a["dilations"]?.ints,
              kernel.count == 2, strides.count == 2, dilations.count == 2 else { return false }
        return kernel[1] == 3 && dilations[1] == 1 && (1...2).contains(strides[1])
    }

    /// Unary ops with an 8-lane pass (the transcendental activations the fused epilogues compute).
    static let vectorUnaryOps: Set<String> = ["sigmoid", "silu", "gelu"]

    /// The vector family of Roost's direct kernels on this target, nil for the portable loops.
    public var simdFamily: String? {
        switch target.isa {
        case .x86_64_avx2, .x86_64_avx512: "avx2"
        default: nil
        }
    }

    public func apply(plan: inout ExecutionPlan, weights: inout [Float]) {
        let packableIDs = Self.packableWeights(in: plan)
        func packable(_ id: Int) -> Bool { packableIDs.contains(id) }

        var packed: [Int: Repack] = [:]
        for i in plan.steps.indices {
            var step = plan.steps[i]
            if step.kernel == "softmax", let simd = simdFamily {
                plan.steps[i].attributes["simd"] = .string(simd)
                continue
            }
            if step.kernel == "unary", let op = step.attributes["op"]?.string, Self.vectorUnaryOps.contains(op),
               (step.attributes["alpha"]?.float ?? 1) == 1, let simd = simdFamily {
                plan.steps[i].attributes["simd"] = .string(simd)
                continue
            }
            if step.kernel == "max_pool", let simd = simdFamily, Self.vectorMaxPool(step) {
                plan.steps[i].attributes["simd"] = .string(simd)
                continue
            }
            if step.kernel == "conv", step.attributes["algorithm"]?.string == "direct-grouped", let simd = simdFamily {
                plan.steps[i].attributes["simd"] = .string(simd)
                continue
            }
            if step.kernel == "conv", step.attributes["algorithm"]?.string == "direct-depthwise", let simd = simdFamily {
                // The channels-last depthwise kernel has an AVX-512 form (whole cache lines, lane-masked tails).
                let channelsLast = TensorLayout.of(step, TensorLayout.inputAttribute) == .nhwc
                plan.steps[i].attributes["simd"] = .string(channelsLast && target.isa == .x86_64_avx512 ? "avx512" : simd)
                continue
            }
            guard var choice = choose(step, plan), [choice.m, choice.n, choice.k, choice.groups].allSatisfy({ (1..<(1 << 30)).contains($0) })
            else { continue }
            // The direct kernel reads its weights packed; a weight it cannot pack here
            // (shared, or computed at run time) keeps the patch GEMM with plain rows.
            if choice.direct || choice.winograd, !packable(step.inputs[1]) {
                choice.direct = false
                choice.winograd = false
                choice.packable = "a"
            }
            step.attributes["gemm"] = .string(choice.implementation)
            if choice.direct { step.attributes["convKernel"] = .string("direct") }
            if choice.winograd { step.attributes["convKernel"] = .string("winograd") }
            if let operand = choice.packable, packable(step.inputs[1]),
               plan.values[step.inputs[1]].elementCount == (step.kernel == "conv" ? choice.groups * choice.m * choice.k : choice.k * choice.n),
               plan.values[step.inputs[1]].offset + plan.values[step.inputs[1]].elementCount <= weights.count {
                // A weight whose size disagrees with the step is left for the kernel's own checks to refuse.
                let w = plan.values[step.inputs[1]]
                let layout: Repack.Layout = choice.winograd ? .winograd : operand == "a" ? .a : choice.direct || choice.channelsLast ? .convB : .b
                let repack = Repack(source: w.offset, layout: layout, choice: choice)
                let id = plan.values.count
                plan.values.append(PlanValue(id: id, name: w.name + ".packed", shape: [repack.floats], storage: .weights, offset: 0))
                packed[id] = repack
                step.inputs[1] = id
                step.attributes["packedWeights"] = .string(choice.winograd ? "winograd" : String(operand))
            }
            plan.steps[i] = step
        }
        guard !packed.isEmpty else { return }
        rebuildWeights(&plan, &weights, packed)
    }

    /// One weight to pack: where its plain values start in the old blob and the
    /// panel layout it goes into. Packing happens once the new blob is laid out,
    /// straight into it (a 46 MB model's weights are copied once, not three times).
    struct Repack {
        enum Layout { case a, b, convB, winograd }
        let source: Int
        let layout: Layout
        let choice: Choice

        var floats: Int {
            let c = choice
            switch layout {
            case .a: return roost_packed_a_floats(c.m, c.k) * c.groups
            case .convB: return roost_packed_b_floats(c.k, c.m) * c.groups
            case .b: return roost_packed_b_floats(c.k, c.n)
            case .winograd: return roost_winograd_weights_floats(c.m, c.k / 9)
            }
        }

        /// Writes all `floats` values at `out`, padding included.
        func pack(_ w: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
            let c = choice
            switch layout {
            case .a:
                // Conv weights, one [M/g, C/g·kh·kw] matrix per group, each packed as A.
                let per = roost_packed_a_floats(c.m, c.k)
                for g in 0..<c.groups { roost_pack_a(c.m, c.k, w + g * c.m * c.k, c.k, 0, out + g * per) }
            case .convB:
                // Each group's [M/g, K] matrix is the transposed B of pixels × channels, in 16-channel panels.
                let per = roost_packed_b_floats(c.k, c.m)
                for g in 0..<c.groups { roost_pack_b(c.k, c.m, w + g * c.m * c.k, c.k, 1, out + g * per) }
            case .b:
                // A constant B[K,N] (stored [N,K] when transposed) in NR-column panels.
                roost_pack_b(c.k, c.n, w, c.transB ? c.k : c.n, c.transB ? 1 : 0, out)
            case .winograd:
                // 3×3 weights [M, C, 3, 3]: U = G g Gᵀ as 16 [M, C] matrices packed as A.
                roost_winograd_pack_weights(c.m, c.k / 9, w, out)
            }
        }
    }

    /// The weight values this pass may repack: constants read by one step only
    /// (values that share storage — views of one constant — move together and are never packed).
    static func packableWeights(in plan: ExecutionPlan) -> Set<Int> {
        var uses: [Int: Int] = [:]
        for step in plan.steps { for id in step.inputs where id >= 0 { uses[id, default: 0] += 1 } }
        var sharers: [Int: Int] = [:]
        for v in plan.values where v.storage == .weights { sharers[v.offset, default: 0] += 1 }
        return Set(plan.values.filter { $0.storage == .weights && uses[$0.id] == 1 && sharers[$0.offset] == 1 }.map(\.id))
    }

    /// Whether a conv step will run on the direct kernel (which can also write channels-last).
    func runsDirect(_ step: PlanStep, _ plan: ExecutionPlan, packable: Set<Int>) -> Bool {
        guard let choice = choose(step, plan) else { return false }
        return choice.direct && packable.contains(step.inputs[1])
    }

    /// What a step would run and which of its operands could be packed.
    struct Choice {
        var implementation: String
        var packable: Character?
        var m: Int, n: Int, k: Int, groups: Int = 1, transB: Bool = false
        /// A conv on the direct kernel: its weights are packed as B, 16 channels a panel.
        var direct = false
        /// A 3×3 conv on Winograd F(2×2, 3×3): its weights are transformed and packed as 16 A matrices.
        var winograd = false
        /// A pointwise conv writing channels-last: its weights are the GEMM's B, packed in 16-channel panels.
        var channelsLast = false
    }

    /// For a stride-1, undilated, ungrouped 3×3 conv: whether Winograd F(2×2, 3×3)
    /// wins over the direct kernel. It does 16/36 of the multiplies but pays for two
    /// transforms per channel and tile, which only enough channels on both sides
    /// and enough work amortize (measured on resnet18's layers: 1.6–1.7× faster from
    /// 64 channels; 16–24 channels, or 32 on a 13×13 image, lose).
    static func favoursWinograd(kernel: [Int], strides: [Int], dilations: [Int], group: Int,
                                inputChannels: Int, outputChannels: Int, pixels: Int) -> Bool {
        guard kernel == [3, 3], strides == [1, 1], dilations == [1, 1], group == 1 else { return false }
        guard min(inputChannels, outputChannels) >= 32 else { return false }
        let work = Double(inputChannels) * Double(outputChannels) * Double(pixels)
        return work >= 800_000
    }

    /// For a stride-1 1×1 conv (which the GEMM multiplies without packing patches):
    /// whether the direct kernel keeps more lanes busy. The GEMM tile is 6 channels
    /// × 16 pixels, the direct one 16 channels × 6 pixels, which also pays about 24
    /// taps' worth per tile turning its result around — so a small image (7×7: 49
    /// pixels fill 16-pixel panels to 77 %) with enough K goes direct.
    static func pointwiseFavoursDirect(m: Int, n: Int, k: Int) -> Bool {
        func share(_ v: Int, _ tile: Int) -> Double { Double(v) / Double((v + tile - 1) / tile * tile) }
        let mr = Int(ROOST_GEMM_MR), nr = Int(ROOST_GEMM_NR), pixels = Int(ROOST_CONV_PIXELS)
        let gemm = share(m, mr) * share(n, nr)
        let direct = share(m, nr) * share(n, pixels) * Double(k) / Double(k + 24)
        return fillsChannelPanels(m) && direct > gemm
    }

    /// Whether m output channels fill 16-channel panels well enough for the direct
    /// kernel (at most 1/8 of its lanes idle); below that, the GEMM's 6-row panels waste less.
    static func fillsChannelPanels(_ m: Int) -> Bool {
        let panel = Int(ROOST_GEMM_NR)
        return m >= panel && ((m + panel - 1) / panel * panel - m) * 8 <= m
    }

    func choose(_ step: PlanStep, _ plan: ExecutionPlan) -> Choice? {
        let a = step.attributes
        switch step.kernel {
        case "conv":
            guard let algorithm = a["algorithm"]?.string, algorithm == "im2col-gemm" || algorithm == "gemm-1x1",
                  let group = a["group"]?.int, group > 0, let out = a["outChannels"]?.int, out % group == 0,
                  step.inputs.count > 1, step.inputs[1] >= 0, step.outputs.first.map({ $0 >= 0 }) == true else { return nil }
            let w = plan.values[step.inputs[1]].shape, y = plan.values[step.outputs[0]].shape
            guard w.count >= 3, y.count >= 3 else { return nil }
            // Pixels per image, whichever layout Y has.
            guard let batch = a["batch"]?.int, batch > 0 else { return nil }
            let m = out / group, k = w.dropFirst().reduce(1, *), n = y.reduce(1, *) / (batch * out)
            guard let impl = implementation(m: m, n: n, k: k) else { return nil }
            if TensorLayout.of(step, TensorLayout.outputAttribute) == .nhwc, algorithm == "gemm-1x1" {
                // Channels-last: pixels × channels on the GEMM, the weights its B.
                guard group == 1 else { return nil }
                return Choice(implementation: impl, packable: "b", m: m, n: n, k: k, channelsLast: true)
            }
            // The direct and Winograd convs have vector forms only in the x86 family
            // (simdFamily); elsewhere their portable loops would lose to the GEMM's tile.
            if simdFamily != nil, algorithm == "im2col-gemm", group == 1, w.count == 4,
               Self.favoursWinograd(kernel: a["kernel"]?.ints ?? [], strides: a["strides"]?.ints ?? [], dilations: a["dilations"]?.ints ?? [],
                                    group: group, inputChannels: w[1], outputChannels: m, pixels: n) {
                return Choice(implementation: impl, packable: "a", m: m, n: n, k: k, groups: group, winograd: true)
            }
            // The direct kernel is AVX2: a pointwise conv on an AVX-512 target keeps the
            // 512-bit GEMM (measured faster on mobilenet_v2's small images, Zen 4).
            let direct: Bool
            if algorithm == "im2col-gemm" {
                // A strided 1×1 conv (a ResNet shortcut) reads one value per channel per
                // pixel: its patch matrix is the subsampled image, which the GEMM then
                // multiplies from L2, where the direct kernel's pixel rows stream every
                // channel plane from L3 for each 16-channel panel (Zen 3, fastest of 30
                // passes: 256 → 512 at 14 × 14, batch 2, 1.78 → 1.36 ms; resnet18's three
                // downsample convs 374 / 327 / 323 → 288 / 246 / 245 µs).
                direct = Self.fillsChannelPanels(m) && (a["kernel"]?.ints ?? []).contains { $0 != 1 }
            } else {
                direct = impl == "roost-avx2" && Self.pointwiseFavoursDirect(m: m, n: n, k: k)
            }
            if simdFamily != nil, direct {
                return Choice(implementation: impl, packable: "b", m: m, n: n, k: k, groups: group, direct: true)
            }
            return Choice(implementation: impl, packable: "a", m: m, n: n, k: k, groups: group)
        case "gemm":
            guard let m = a["m"]?.int, let n = a["n"]?.int, let k = a["k"]?.int else { return nil }
            // Roost's epilogue adds an unscaled bias that is a row, a column or the whole output.
            if step.inputs.count > 2, step.inputs[2] >= 0 {
                guard (a["beta"]?.float ?? 1) == 1 else { return nil }
                let bias = plan.values[step.inputs[2]].shape
                let padded = Array(repeating: 1, count: max(0, 2 - bias.count)) + bias.suffix(2)
                let ok = (padded[0] == 1 && padded[1] == n) || (padded[0] == m && padded[1] == 1) || (padded[0] == m && padded[1] == n)
                guard ok, bias.count <= 2 else { return nil }
            }
            guard let impl = implementation(m: m, n: n, k: k) else { return nil }
            return Choice(implementation: impl, packable: "b", m: m, n: n, k: k, transB: a["transB"]?.int == 1)
        case "matmul":
            guard let m = a["m"]?.int, let n = a["n"]?.int, let k = a["k"]?.int, let bBatch = a["bBatch"]?.ints else { return nil }
            guard let impl = implementation(m: m, n: n, k: k) else { return nil }
            let shared = bBatch.allSatisfy { $0 == 1 }
            return Choice(implementation: impl, packable: shared ? "b" : nil, m: m, n: n, k: k, transB: a["transB"]?.int == 1)
        default:
            return nil
        }
    }

    /// Lays the blob out anew: every weight region a step still reads (aligned as
    /// the plan builder aligns), then the packed operands, packed in place; unread
    /// originals go. Values that view one constant share its offset and move together.
    private func rebuildWeights(_ plan: inout ExecutionPlan, _ weights: inout [Float], _ packed: [Int: Repack]) {
        var read = Set<Int>()
        for step in plan.steps { for id in step.inputs where id >= 0 { read.insert(id) } }
        // Per storage offset of the unpacked values: the widest view, and whether any is read.
        var regions: [Int: (extent: Int, read: Bool)] = [:]
        var order: [Int] = []
        for v in plan.values where v.storage == .weights && packed[v.id] == nil {
            var region = regions[v.offset] ?? { order.append(v.offset); return (0, false) }()
            region.extent = max(region.extent, v.elementCount)
            region.read = region.read || read.contains(v.id)
            regions[v.offset] = region
        }
        // The layout first (old offset or packed value → new offset), then one allocation.
        var size = 0
        var gaps: [(at: Int, count: Int)] = []
        func place(_ count: Int) -> Int {
            let pad = (MemoryPlanner.alignment - size % MemoryPlanner.alignment) % MemoryPlanner.alignment
            if pad > 0 { gaps.append((size, pad)) }
            size += pad
            defer { size += count }
            return size
        }
        var moved: [Int: Int] = [:]
        for offset in order {
            guard let region = regions[offset], region.read else { continue }
            moved[offset] = place(region.extent)
        }
        var packedAt: [Int: Int] = [:]
        for i in plan.values.indices where plan.values[i].storage == .weights {
            if let repack = packed[i] { packedAt[i] = place(repack.floats) }
        }
        let blob = [Float](unsafeUninitializedCapacity: size) { buffer, initialized in
            let out = buffer.baseAddress!
            HugePages.advise(out, byteCount: size * MemoryLayout<Float>.size)
            // Every float is written once: the gaps here, each region by its copy or its packer (padding included).
            for gap in gaps { (out + gap.at).initialize(repeating: 0, count: gap.count) }
            weights.withUnsafeBufferPointer { old in
                let src = old.baseAddress!
                for offset in order {
                    guard let region = regions[offset], region.read, let to = moved[offset] else { continue }
                    (out + to).initialize(from: src + offset, count: region.extent)
                }
                // The packing (and the first touch of the new blob's pages) in two halves of
                // about equal size, at the same time: each writes only its own regions.
                let jobs = packedAt.sorted { $0.value < $1.value }.map { (repack: packed[$0.key]!, to: $0.value) }
                let total = jobs.reduce(0) { $0 + $1.repack.floats }
                var half = 0, split = 0
                while split < jobs.count, half * 2 < total { half += jobs[split].repack.floats; split += 1 }
                func pack(_ range: Range<Int>) { for j in range { jobs[j].repack.pack(src + jobs[j].repack.source, into: out + jobs[j].to) } }
                Overlap.run({ pack(0..<split) }, { pack(split..<jobs.count) })
            }
            initialized = size
        }
        for i in plan.values.indices where plan.values[i].storage == .weights {
            if let offset = packedAt[i] {
                plan.values[i].offset = offset
            } else if let offset = moved[plan.values[i].offset] {
                plan.values[i].offset = offset
            } else {
                // An original nothing reads any more: an empty value, so the plan stays dense.
                plan.values[i].shape = [0]
                plan.values[i].offset = 0
            }
        }
        weights = blob
    }
}

/// Assigns arena offsets to intermediate values so buffers whose lifetimes do not
/// overlap share memory. The arena size is fixed at compile time, so the runtime
/// allocates once and never during inference.
public struct MemoryPlanner: Sendable {
    /// A value's lifetime in step indices: written at `first`, last read at `last`.
    public struct Interval: Sendable {
        public var id: Int
        public var elements: Int
        public var first: Int
        public var last: Int
        public init(id: Int, elements: Int, first: Int, last: Int) {
            self.id = id
            self.elements = elements
            self.first = first
            self.last = last
        }
    }

    /// Offsets are aligned to 16 floats (64 bytes, one cache line / AVX-512 vector).
    public static let alignment = 16

    public init() {}

    /// Returns element offsets per value id and the arena size in elements.
    public func plan(_ intervals: [Interval]) -> (offsets: [Int: Int], arenaElements: Int) {
        var offsets: [Int: Int] = [:]
        var active: [(offset: Int, size: Int, last: Int)] = []
        var arena = 0
        for v in intervals.sorted(by: { ($0.first, -$0.elements) < ($1.first, -$1.elements) }) {
            active.removeAll { $0.last < v.first }
            active.sort { $0.offset < $1.offset }
            let size = (v.elements + Self.alignment - 1) / Self.alignment * Self.alignment
            var candidate = 0
            for block in active {
                if block.offset - candidate >= size { break }
                candidate = max(candidate, block.offset + block.size)
            }
            offsets[v.id] = candidate
            active.append((candidate, size, v.last))
            arena = max(arena, candidate + size)
        }
        return (offsets, arena)
    }
}

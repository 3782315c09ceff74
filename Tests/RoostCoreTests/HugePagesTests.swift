import Foundation
import Testing
import RoostCore

@Suite struct HugePagesTests {
    @Test func largeBuffersAreHugePageAlignedAndZeroed() {
        let count = (8 << 20) / 4
        let p = HugePages.allocateFloats(count)
        defer { p.deallocate() }
        #expect(Int(bitPattern: p) % HugePages.pageSize == 0)
        #expect(UnsafeBufferPointer(start: p, count: count).allSatisfy { $0 == 0 })
        let small = HugePages.allocateFloats(100)
        defer { small.deallocate() }
        #expect(Int(bitPattern: small) % 64 == 0)
        #expect(UnsafeBufferPointer(start: small, count: 100).allSatisfy { $0 == 0 })
    }

    @Test func copiedBuffersHoldTheSourceThenZeros() {
        let source = (0..<((5 << 20) / 4)).map { Float($0 % 613) + 1 }
        let p = source.withUnsafeBufferPointer { HugePages.allocateFloats(source.count + 7, copying: $0) }
        defer { p.deallocate() }
        #expect(Int(bitPattern: p) % HugePages.pageSize == 0)
        #expect(source.indices.allSatisfy { p[$0] == source[$0] })
        #expect((source.count..<(source.count + 7)).allSatisfy { p[$0] == 0 })
    }

    @Test func advisedArraysKeepWhatTheirBuilderWrote() {
        for count in [0, 1, 1000, (5 << 20) / 4 + 3] {
            let a = HugePages.floats(count: count) { buffer in
                for i in buffer.indices { buffer[i] = Float(i % 977) }
            }
            #expect(a.count == count)
            #expect(a.indices.allSatisfy { a[$0] == Float($0 % 977) })
        }
        var b: [Float] = [1, 2]
        HugePages.reserve(&b, capacity: (6 << 20) / 4)
        #expect(b == [1, 2] && b.capacity >= (6 << 20) / 4)
        b.append(contentsOf: repeatElement(3, count: 1 << 20))
        #expect(b.count == 2 + (1 << 20) && b[0] == 1 && b.last == 3)
    }

    /// Where the kernel offers transparent huge pages on request, a large session
    /// buffer really lands on them (the point of the advice).
    @Test(.enabled(if: Self.thpOnRequest, "transparent huge pages are off on this kernel (/sys/kernel/mm/transparent_hugepage)"))
    func largeBuffersLandOnHugePages() throws {
        let count = (32 << 20) / 4
        let p = HugePages.allocateFloats(count)
        defer { p.deallocate() }
        let address = UInt(bitPattern: p)
        #expect(try Self.anonHugeKiB(containing: address) > 0)
    }

    static var thpOnRequest: Bool {
        func mode(_ file: String) -> String? {
            guard let text = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/\(file)", encoding: .utf8),
                  let open = text.firstIndex(of: "["), let close = text.firstIndex(of: "]") else { return nil }
            return String(text[text.index(after: open)..<close])
        }
        guard let enabled = mode("enabled"), enabled == "always" || enabled == "madvise" else { return false }
        return mode("defrag") != "never"
    }

    /// AnonHugePages of the mapping holding `address`, from /proc/self/smaps.
    static func anonHugeKiB(containing address: UInt) throws -> Int {
        // Read to the end: /proc files report size 0, and `String(contentsOfFile:)` stops early.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else { throw CocoaError(.fileReadNoSuchFile) }
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var inside = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] <= address && address < bounds[1]
            } else if inside, fields.first == "AnonHugePages:", fields.count > 1 {
                return Int(fields[1]) ?? 0
            }
        }
        return 0
    }
}

import Foundation
import Testing
import RoostCore
@testable import RoostBundle

/// The container both offline files use: it round-trips, and every way a file
/// can be wrong is a clear error, never a crash.
@Suite struct BundleContainerTests {
    func sample() -> BundleContainer {
        var c = BundleContainer(kind: .bundle)
        c.add("manifest.json", Data(#"{"format":1}"#.utf8))
        c.add("artifacts/abc", Data((0..<300).map { UInt8($0 % 256) }))
        c.add("empty", Data())
        return c
    }

    @Test func roundTripsEntriesInOrder() throws {
        let c = sample()
        let bytes = c.encoded()
        #expect(bytes.prefix(8) == Data("ROOSTBUN".utf8))
        let back = try BundleContainer.decode(bytes, expecting: .bundle)
        #expect(back == c)
        #expect(back.entries.map { $0.name } == ["manifest.json", "artifacts/abc", "empty"])
        #expect(back.entry("empty") == Data())
        #expect(back.entry("missing") == nil)
    }

    @Test func everyTruncationIsRefusedWithAMessage() throws {
        let bytes = sample().encoded()
        for length in [0, 3, 8, 11, 16, 40, bytes.count / 2, bytes.count - 1] {
            #expect(throws: RoostError.self, "length \(length)") { try BundleContainer.decode(bytes.prefix(length), expecting: .bundle) }
        }
    }

    @Test func aFlippedByteAnywhereIsCaught() throws {
        let bytes = sample().encoded()
        for offset in stride(from: 16, to: bytes.count, by: 17) {
            var bad = bytes
            bad[offset] ^= 0x40
            do {
                _ = try BundleContainer.decode(bad, expecting: .bundle)
                Issue.record("a flipped byte at \(offset) was not caught")
            } catch let e as RoostError {
                #expect(e.description.contains("corrupt") || e.description.contains("malformed"), "\(e)")
            }
        }
    }

    @Test func theKindAndVersionAreNamed() throws {
        let bytes = sample().encoded()
        do { _ = try BundleContainer.decode(bytes, expecting: .results); Issue.record("a bundle read as results") } catch let e as RoostError {
            #expect(e.description.contains("is a Roost bundle, not a results file"), "\(e)")
        }
        var future = bytes
        future[11] = 9
        do { _ = try BundleContainer.decode(future, expecting: .bundle); Issue.record("version 9 was read") } catch let e as RoostError {
            #expect(e.description.contains("version 9"), "\(e)")
        }
        do { _ = try BundleContainer.decode(Data("PK\u{3}\u{4}not ours at all".utf8), expecting: .bundle); Issue.record("a zip was read") } catch let e as RoostError {
            #expect(e.description.contains("not a Roost bundle"), "\(e)")
        }
    }

    /// A declared length past the end, with a checksum that matches, is malformed rather than a read out of bounds.
    @Test func lengthsPastTheEndAreMalformed() throws {
        var raw = Data("ROOSTBUN".utf8)
        raw.append(contentsOf: [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x61, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
        raw.append(try #require(Data(hex: Digest.sha256Hex(of: raw))))
        do { _ = try BundleContainer.decode(raw, expecting: .bundle); Issue.record("read past the end") } catch let e as RoostError {
            #expect(e.description.contains("malformed"), "\(e)")
        }
    }
}

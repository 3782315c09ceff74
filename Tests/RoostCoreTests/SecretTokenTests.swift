import Foundation
import Testing
@testable import RoostCore

@Suite struct SecretTokenTests {
    @Test func tokensAreLongRandomAndHashedOneWay() {
        let a = SecretToken.generate(prefix: "agent"), b = SecretToken.generate(prefix: "agent")
        #expect(a != b)
        #expect(a.hasPrefix("agent_"))
        // 32 random bytes → 43 base64url characters.
        #expect(a.dropFirst("agent_".count).count == 43)
        let h = SecretToken.hash(a)
        #expect(Digest.isSHA256Hex(h))
        #expect(h == SecretToken.hash(a))
        #expect(!h.contains(a))
    }

    @Test func base64URLMapsTheTwoCharactersAndDropsPadding() {
        #expect(Data([0xfb, 0xff, 0xfe]).base64URLEncoded == "-__-")   // base64: +//+
        #expect(Data([0xff]).base64URLEncoded == "_w")                  // base64: /w==
        #expect(Data("any carnal pleas".utf8).base64URLEncoded == "YW55IGNhcm5hbCBwbGVhcw")
        let token = SecretToken.generate(prefix: "lease").dropFirst("lease_".count)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    @Test func sha256KnownAnswer() {
        #expect(Digest.sha256Hex(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func secretsAreWrittenOwnerOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-secret-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("admin.token")
        try RoostHome.writeSecret("s3cret\n", to: file)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(RoostHome.readTrimmed(file) == "s3cret")
    }
}

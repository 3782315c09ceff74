import Foundation
import Testing
@testable import RoostCore

@Suite struct JSONTextTests {
    @Test func nonFiniteDoublesBecomeNull() {
        var j = JSONText()
        j.raw("["); j.double(.nan); j.raw(","); j.double(1.5); j.raw(","); j.double(1e-7); j.raw("]")
        #expect(String(decoding: j.bytes, as: UTF8.self) == "[null,1.5,1e-07]")
    }

    @Test func nulEscapesBecomeReplacementCharactersAndNothingElseChanges() throws {
        func fixed(_ s: String) -> String {
            var b = Array(s.utf8)
            JSONText.replaceNULEscapes(in: &b)
            return String(decoding: b, as: UTF8.self)
        }
        #expect(fixed(#"["a\u0000b"]"#) == #"["a\ufffdb"]"#)
        #expect(fixed(#"["\\u0000"]"#) == #"["\\u0000"]"#)            // a literal backslash, then text
        #expect(fixed(#"["\\\u0000"]"#) == #"["\\\ufffd"]"#)          // a literal backslash, then U+0000
        #expect(fixed(#"["\u00001", "\u0001", "\u000"]"#) == #"["\ufffd1", "\u0001", "\u000"]"#)
        // Whatever JSONEncoder writes for U+0000 decodes, after the rewrite, as U+FFFD.
        var encoded = Array(try JSONEncoder().encode(["x\u{0}y"]))
        JSONText.replaceNULEscapes(in: &encoded)
        #expect(try JSONDecoder().decode([String].self, from: Data(encoded)) == ["x\u{FFFD}y"])
    }
}

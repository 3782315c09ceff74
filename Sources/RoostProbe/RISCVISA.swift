import Foundation

/// Splits a RISC-V ISA string (`rv64imafdc_zicsr_zba`) into extension names.
///
/// RISC-V has no `flags` line; its capabilities live in this string. Single-letter
/// extensions are run together after the base (`imafdc`), multi-letter ones
/// (`z*`, `s*`, `x*`) are separated by underscores, and either may carry a version
/// suffix (`i2p1`). `g` is shorthand for `imafd_zicsr_zifencei` and is expanded so
/// feature checks never need to know about it.
public enum RISCVISA {
    /// `rv64` / `rv32`, or nil when the string is not a RISC-V ISA string.
    public static func base(_ isa: String) -> String? {
        let lower = isa.lowercased()
        guard lower.hasPrefix("rv") else { return nil }
        let bits = lower.dropFirst(2).prefix { $0.isNumber }
        return bits.isEmpty ? nil : "rv" + bits
    }

    /// Extension names, lower case, sorted and unique (`["a","c","d","f","i","m","zba"]`).
    public static func extensions(_ isa: String) -> [String] {
        guard let base = base(isa) else { return [] }
        let lower = isa.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        var result = Set<String>()
        for (index, token) in lower.dropFirst(base.count).split(separator: "_").enumerated() {
            if index == 0 {
                result.formUnion(singleLetters(token))
            } else if let name = withoutVersion(token) {
                result.insert(name)
            }
        }
        if result.remove("g") != nil {
            result.formUnion(["i", "m", "a", "f", "d", "zicsr", "zifencei"])
        }
        return result.sorted()
    }

    /// Letters of the first token. A `z`/`x` (or `s` plus two letters, as in `sstc`)
    /// starts a multi-letter name that runs to the token's end; old kernels print
    /// `su` as two single letters, which this keeps.
    private static func singleLetters(_ token: Substring) -> [String] {
        var names: [String] = []
        var rest = token
        while let char = rest.first {
            let startsLongName = char == "z" || char == "x"
                || (char == "s" && rest.dropFirst().prefix(2).count == 2 && rest.dropFirst().prefix(2).allSatisfy(\.isLetter))
            if startsLongName {
                if let name = withoutVersion(rest) { names.append(name) }
                break
            }
            rest = dropVersion(rest.dropFirst())
            if char.isLetter { names.append(String(char)) }
        }
        return names
    }

    /// Drops a leading version (`2`, `2p1`).
    private static func dropVersion(_ text: Substring) -> Substring {
        let afterMajor = text.drop(while: \.isNumber)
        guard afterMajor.count < text.count, afterMajor.first == "p",
              afterMajor.dropFirst().first?.isNumber == true else { return afterMajor }
        return afterMajor.dropFirst().drop(while: \.isNumber)
    }

    /// A multi-letter extension name without a trailing `NpM` version.
    private static func withoutVersion(_ token: Substring) -> String? {
        var name = token
        let minor = name.reversed().prefix(while: \.isNumber).count
        if minor > 0 {
            let beforeMinor = name.dropLast(minor)
            if beforeMinor.last == "p", beforeMinor.dropLast().last?.isNumber == true {
                name = beforeMinor.dropLast()
                while name.last?.isNumber == true { name = name.dropLast() }
            }
        }
        return name.isEmpty ? nil : String(name)
    }
}

import Foundation

/// Escaping for every place a user-controlled string (model, agent and tag
/// names, validity reasons) lands in output. Nothing is written raw.
public enum Escape {
    /// HTML text and attribute values, and SVG text (the same five characters).
    public static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// One path segment of a URL: everything but RFC 3986's unreserved characters is percent-encoded,
    /// so a name with `/`, `?` or `#` stays one segment.
    public static func urlPathSegment(_ s: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A Markdown table cell: pipes and newlines would break the table, angle
    /// brackets would become HTML where the Markdown is rendered (pull requests).
    public static func markdown(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "|": out += "\\|"
            case "<": out += "\\<"
            case ">": out += "\\>"
            case "`": out += "\\`"
            default: if c.isNewline { out += " " } else { out.append(c) }
            }
        }
        return out
    }

    /// A CSV text cell a spreadsheet will show and never evaluate (OWASP's CSV
    /// injection rule): one that begins with `=`, `+`, `-`, `@`, a tab or a CR
    /// gets a leading `'`, then RFC 4180 quoting. For text cells only: Roost's
    /// numeric cells are its own formatted numbers (a `-` there is a sign).
    public static func csvText(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return csv(s) }
        return csv("'" + s)
    }

    /// One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF, quotes doubled.
    public static func csv(_ s: String) -> String {
        // "\r\n" is one Character in Swift, so test isNewline rather than "\n" and "\r".
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation
import RoostCore

/// Compares an engine's outputs with reference outputs: max absolute and relative
/// error and cosine similarity; passes when every element is within
/// atol + rtol·|expected| (NumPy's allclose).
public enum AccuracyCheck {
    public static func compare(_ outputs: [HostTensor], _ expected: [HostTensor], rtol: Double, atol: Double, source: String) -> AccuracyReport {
        var maxAbs = 0.0, maxRel = 0.0, dot = 0.0, na = 0.0, nb = 0.0
        var passed = outputs.count == expected.count
        for (o, e) in zip(outputs, expected) {
            guard o.shape == e.shape || o.elementCount == e.elementCount else { passed = false; maxAbs = .infinity; continue }
            for i in 0..<min(o.data.count, e.data.count) {
                let a = Double(o.data[i]), b = Double(e.data[i])
                let d = abs(a - b)
                if d.isNaN { passed = false; maxAbs = .nan; continue }
                maxAbs = max(maxAbs, d)
                if abs(b) > 0 { maxRel = max(maxRel, d / abs(b)) }
                if d > atol + rtol * abs(b) { passed = false }
                dot += a * b; na += a * a; nb += b * b
            }
        }
        let cosine = na > 0 && nb > 0 ? dot / (na.squareRoot() * nb.squareRoot()) : (na == nb ? 1 : 0)
        return AccuracyReport(maxAbsError: maxAbs, maxRelError: maxRel, cosineSimilarity: cosine, passed: passed, referenceSource: source)
    }
}

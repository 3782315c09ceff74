import Foundation
import RoostCore

/// Reads CPU 0's cache hierarchy from `/sys/devices/system/cpu/cpu0/cache/index*/`.
///
/// The compiler sizes GEMM tiles from L1/L2, so caches come from sysfs (exact,
/// per level and type) rather than cpuinfo's single `cache size` line.
public enum CacheParser {
    public static let cacheDirectory = "/sys/devices/system/cpu/cpu0/cache"

    /// Bytes for a sysfs size (`32K`, `1024K`, `2M`, `1G`, or plain bytes); nil if malformed.
    public static func size(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let unit = trimmed.last, let multiplier = multipliers[unit] {
            return Int(trimmed.dropLast()).map { $0 * multiplier }
        }
        return Int(trimmed)
    }

    /// One cache from an `indexN` folder's `level`, `type` and `size` files; nil when any is
    /// missing (some phone kernels omit `size`, and a cache of unknown size is no use).
    public static func cache(level: String?, type: String?, size sizeText: String?) -> CPUCache? {
        guard let level = level.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
              let type = type?.trimmingCharacters(in: .whitespacesAndNewlines), !type.isEmpty,
              let bytes = sizeText.flatMap(size) else { return nil }
        return CPUCache(level: level, type: type, sizeBytes: bytes)
    }

    /// All of CPU 0's caches with a known size, sorted by level then type.
    public static func caches(from source: any ProbeSource) -> [CPUCache] {
        source.list(cacheDirectory)
            .filter { $0.hasPrefix("index") }
            .compactMap { name in
                let dir = cacheDirectory + "/" + name
                return cache(level: source.read(dir + "/level"), type: source.read(dir + "/type"),
                             size: source.read(dir + "/size"))
            }
            .sorted { ($0.level, $0.type) < ($1.level, $1.type) }
    }
}

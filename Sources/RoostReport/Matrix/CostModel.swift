/// What a million inferences cost on a machine billed by the hour.
public enum CostModel {
    /// 1e6 inferences take 1e6 / throughput seconds; an hour costs `pricePerHour`,
    /// so a second costs pricePerHour / 3600. Nil when either input is unusable.
    public static func costPerMillion(throughput: Double, pricePerHour: Double?) -> Double? {
        guard let pricePerHour, pricePerHour.isFinite, pricePerHour >= 0, throughput.isFinite, throughput > 0 else { return nil }
        return 1e6 / throughput * pricePerHour / 3600
    }
}

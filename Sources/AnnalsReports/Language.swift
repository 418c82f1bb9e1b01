import AnnalsModel

/// The language a report or profile is written in.
public enum ReportLanguage: String, Sendable, CaseIterable, Codable {
    case en, zh
}

/// Numbers as reports write them.
public enum Numbers {
    /// A count stated the way the profiles state them, never rounded up: exact when small or round,
    /// otherwise "more than" the round number below it (512 → "more than 500", 21 → "more than 20").
    public static func honest(_ n: Int, _ language: ReportLanguage = .en) -> String {
        let step = n < 10 ? 1 : n < 100 ? 10 : n < 1000 ? 50 : n < 10000 ? 500 : 5000
        let floor = n / step * step
        if floor == n { return grouped(n, language) }
        return language == .zh ? "\(grouped(floor, language))余" : "more than \(grouped(floor, language))"
    }

    /// 12345 → "12,345" (the same digit grouping in Chinese reports).
    public static func grouped(_ n: Int, _ language: ReportLanguage = .en) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A ratio as a percentage with one decimal: 0.8123 → "81.2%", -0.0286 → "-2.9%", -0.005 → "-0.5%".
    /// Halves round away from zero; a value that rounds to zero is "0.0%", never "-0.0%".
    public static func percent(_ ratio: Double) -> String {
        ratio.isFinite ? fixed(ratio * 100, places: 1) + "%" : "—"
    }

    /// A decimal with two places: 3.456 → "3.46", -0.5 → "-0.50".
    public static func twoPlaces(_ value: Double) -> String {
        fixed(value, places: 2)
    }

    /// `value` with `places` decimals, the sign written once in front of the whole number.
    static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "—" }
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((abs(value) * Double(scale)).rounded())
        let fraction = String(scaled % scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return "\(sign)\(scaled / scale).\(String(repeating: "0", count: places - fraction.count))\(fraction)"
    }
}

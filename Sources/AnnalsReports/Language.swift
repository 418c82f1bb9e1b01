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

    /// A ratio as a percentage with one decimal: 0.8123 → "81.2%".
    public static func percent(_ ratio: Double) -> String {
        let tenths = Int((ratio * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// A decimal with two places: 3.456 → "3.46".
    public static func twoPlaces(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = abs(hundredths % 100)
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

public import AnnalsModel
import AnnalsStatistics

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

    /// An amount of money as a report writes it: in English the currency code and the amount with its
    /// digits grouped ("CNY 1,500,000", "USD 20,000.5"); in Chinese yuan in 万元 ("150万元", "12.3456万元",
    /// exact: never rounded), US dollars in 万美元, and other currencies by their code ("EUR 20,000").
    public static func money(_ amount: DecimalNumber, currency: String, _ language: ReportLanguage = .en) -> String {
        let negative = amount.text.hasPrefix("-")
        let digits = negative ? String(amount.text.dropFirst()) : amount.text
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let sign = negative ? "-" : ""
        if language == .zh, let unit = ["CNY": "万元", "RMB": "万元", "USD": "万美元"][currency] {
            // Shift the decimal point four places left, exactly, on the digits as written.
            let padded = String(repeating: "0", count: max(0, 5 - whole.count)) + whole
            let head = String(padded.dropLast(4)).drop { $0 == "0" }
            var tail = String(padded.suffix(4)) + fraction
            while tail.last == "0" { tail.removeLast() }
            let wan = (head.isEmpty ? "0" : groupedDigits(String(head))) + (tail.isEmpty ? "" : "." + tail)
            return sign + wan + unit
        }
        return "\(currency) \(sign)\(groupedDigits(whole))\(fraction.isEmpty ? "" : "." + fraction)"
    }

    /// "1500000" → "1,500,000" (digits only).
    static func groupedDigits(_ digits: String) -> String {
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// A project's period as Chinese reports write it, by month: "2022.01–2025.12" (a start known to the
    /// year alone is its January, an end its December); an open end is "2022.01–至今" in Chinese, "2022.01–" in English.
    public static func period(_ start: PartialDate?, _ end: PartialDate?, _ language: ReportLanguage = .en) -> String {
        func month(_ day: Day) -> String { "\(day.year).\(day.month < 10 ? "0" : "")\(day.month)" }
        let from = start.map { month($0.firstDay) } ?? "…"
        let to = end.map { month($0.lastDay) } ?? (language == .zh ? "至今" : "")
        return "\(from)–\(to)"
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

/// The label of a row of a case breakdown (`CaseRow.key`, the `group` of `annals cases --by … --format json`) in a
/// report's language: the keys are English words or ids; a page in Chinese shows these.
public enum CaseGroupLabel {
    /// "through 2015-12-31 (baseline)" → "截至 2015-12-31（累计基数）", "laparoscopic" → "腹腔镜", "grade 4" →
    /// "四级手术"; years, months and ids are the same in both languages.
    public static func text(_ key: String, _ language: ReportLanguage) -> String {
        guard language == .zh else { return key }
        if let end = CaseStatistics.baselineEnd(ofKey: key) { return "截至 \(end)（累计基数）" }
        let approaches = [
            "open": "开放", "laparoscopic": "腹腔镜", "robotic": "机器人辅助", "endoscopic": "内镜",
            "interventional": "介入", "hybrid": "杂交", "converted": "中转开放",
        ]
        if let approach = approaches[key] { return approach }
        let grades = ["grade 1": "一级手术", "grade 2": "二级手术", "grade 3": "三级手术", "grade 4": "四级手术"]
        if let grade = grades[key] { return grade }
        return ["(no grade)": "（未分级）", "(unknown)": "（未知）"][key] ?? key
    }
}

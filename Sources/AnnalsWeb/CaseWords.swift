import Foundation

/// A count of `annals cases --format json` said in Chinese: the figure and why it is not exact, from the fields
/// of the answer (the library's own explanation is in English).
enum CaseWords {
    /// "513", "≥ 512", "512 至 530 之间".
    static func figure(_ object: [String: Any]) -> String {
        let count = object["count"] as? Int ?? 0
        if object["exact"] as? Bool == true { return "\(count)" }
        if let most = object["atMost"] as? Int { return "\(count) 至 \(most) 之间" }
        return "≥ \(count)"
    }

    /// Why a count is not exact: no tally, the days the tallies cover, the gaps, tallies over the edge, the
    /// series tallied in part.
    static func why(_ object: [String: Any]) -> String {
        let tallies = object["tallies"] as? Int ?? 0
        let straddling = object["straddling"] as? Int ?? 0
        if tallies == 0 && straddling == 0 { return "没有符合此问题的手术登记。" }
        var parts: [String] = []
        let from = object["coveredFrom"] as? String ?? "最早（含累计基数）"
        parts.append("登记覆盖 \(from) 至 \(object["coveredTo"] as? String ?? "?")")
        if let baseline = object["baseline"] as? Int, baseline > 0 { parts.append("含累计基数 \(baseline) 例") }
        let missing = object["missing"] as? [String] ?? []
        for gap in missing.prefix(5) { parts.append("缺 " + gap.replacingOccurrences(of: " to ", with: " 至 ")) }
        if missing.count > 5 { parts.append("另缺 \(missing.count - 5) 段") }
        if straddling > 0 { parts.append("另有 \(straddling) 例在跨越所问时段边界的登记中") }
        let incomplete = object["incomplete"] as? [Any] ?? []
        if !incomplete.isEmpty { parts.append("\(incomplete.count) 个系列登记不全") }
        return "不精确：" + parts.joined(separator: "；")
    }
}

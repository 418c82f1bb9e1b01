import Foundation

/// A calendar date (and time of day) read from a spreadsheet cell.
public struct SpreadsheetDate: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    /// Seconds since midnight (0 for a date without a time).
    public var seconds: Int

    public init(year: Int, month: Int, day: Int, seconds: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.seconds = seconds
    }

    /// `2024-03-05`, or `2024-03-05T08:30:00` when there is a time of day.
    public var description: String {
        let date = String(format: "%04d-%02d-%02d", year, month, day)
        guard seconds > 0 else { return date }
        return date + String(format: "T%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }
}

/// Excel's dates: a number of days in one of two date systems, shown as a date by its number format.
public enum SpreadsheetDates {
    /// The built-in number formats that show a date or time: 14–22, 45–47 everywhere, and the ones
    /// East Asian Excel writes by default (27–36 and 50–58: `yyyy"年"m"月"d"日"`, `m"月"d"日"`, …).
    public static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// True when a custom format code shows a date or time: it has a y, m, d, h or s outside quotes,
    /// brackets (colours, locales, `[h]` counts as time) and escapes, and is not a plain number format.
    public static func isDateFormat(_ code: String) -> Bool {
        if code.lowercased().contains("general") { return false }
        var inQuote = false
        var inBracket = false
        var escaped = false
        var bracket = ""
        for character in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            if inQuote {
                if character == "\"" { inQuote = false }
                continue
            }
            if inBracket {
                if character == "]" {
                    inBracket = false
                    // [h], [mm], [ss]: elapsed time
                    if !bracket.isEmpty, bracket.allSatisfy({ "hms".contains($0) }) { return true }
                } else {
                    bracket.append(character)
                }
                continue
            }
            switch character {
            case "\\", "_", "*": escaped = true
            case "\"": inQuote = true
            case "[":
                inBracket = true
                bracket = ""
            case ";": return false  // only the first section decides; a date format has one section
            case "y", "d", "h", "s", "m": return true
            case "0", "#", "?", "@": return false
            default: continue
            }
        }
        return false
    }

    /// The date of `serial` days in the 1900 system (Excel's default, which counts a 29 February 1900
    /// that never was: serials before 61 are one day later than the count says) or the 1904 system
    /// (older Mac Excel). Nil for a negative serial or one past the year 9999.
    public static func date(serial: Double, system1904: Bool) -> SpreadsheetDate? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        var base: (Int, Int, Int)
        if system1904 {
            base = (1904, 1, 1)
        } else if days >= 61 {
            base = (1899, 12, 30)
        } else if days == 60 {
            return SpreadsheetDate(year: 1900, month: 2, day: 28, seconds: seconds)  // the 29 February 1900 Excel shows
        } else if days == 0 {
            // 0 in the 1900 system is "1900-01-00": only a time of day.
            return SpreadsheetDate(year: 1899, month: 12, day: 31, seconds: seconds)
        } else {
            base = (1899, 12, 31)
        }
        let (y, m, d) = civil(fromDays: daysFromCivil(base.0, base.1, base.2) + days)
        return SpreadsheetDate(year: y, month: m, day: d, seconds: seconds)
    }

    /// The serial of `date` in the 1900 system (the one Annals writes).
    public static func serial(year: Int, month: Int, day: Int) -> Int {
        let days = daysFromCivil(year, month, day) - daysFromCivil(1899, 12, 30)
        return days < 61 ? days - 1 : days
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// A calendar date known to the year, the month or the day: "2018", "2018-05", "2018-05-03".
///
/// Publication dates, project periods and tally periods are often known only in part; a partial date
/// keeps exactly what is known and no more.
public struct PartialDate: Sendable, Hashable, Comparable, TextCoded {
    public static let textKind = "a date"

    public let year: Int
    public let month: Int?
    public let day: Int?

    /// A date; `day` needs `month`, and both must exist in the calendar.
    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        guard (1...9999).contains(year) else { return nil }
        if let month, !(1...12).contains(month) { return nil }
        if let day {
            guard let month, (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        let numbers = parts.map { Int($0)! }
        self.init(
            year: numbers[0], month: numbers.count > 1 ? numbers[1] : nil, day: numbers.count > 2 ? numbers[2] : nil)
    }

    /// What is known: `.year`, `.month` or `.day`.
    public var precision: Precision {
        day != nil ? .day : month != nil ? .month : .year
    }

    /// How much of a date is known.
    public enum Precision: Sendable, Hashable { case year, month, day }

    /// The first day this date can mean ("2018" → 2018-01-01).
    public var firstDay: Day { Day(year: year, month: month ?? 1, day: day ?? 1) }

    /// The last day this date can mean ("2018-02" → 2018-02-28).
    public var lastDay: Day {
        let m = month ?? 12
        return Day(year: year, month: m, day: day ?? Self.daysIn(month: m, year: year))
    }

    public var description: String {
        var text = padded(year, 4)
        if let month { text += "-" + padded(month, 2) }
        if let day { text += "-" + padded(day, 2) }
        return text
    }

    /// Ordered by first day, then by precision (a year sorts before its months).
    public static func < (a: PartialDate, b: PartialDate) -> Bool {
        if a.firstDay != b.firstDay { return a.firstDay < b.firstDay }
        return a.lastDay > b.lastDay
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// One calendar day, comparable, printed (and encoded) `YYYY-MM-DD`.
public struct Day: Sendable, Hashable, Comparable, TextCoded {
    public static let textKind = "a day (YYYY-MM-DD)"

    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (a: Day, b: Day) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public var description: String {
        guard (0...9999).contains(year), (0...99).contains(month), (0...99).contains(day) else {
            return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
        }
        // Written digit by digit: tally imports and queries print millions of days.
        let zero = UInt8(ascii: "0")
        let dash = UInt8(ascii: "-")
        return String(unsafeUninitializedCapacity: 10) { buffer in
            let digits = [
                year / 1000, year / 100 % 10, year / 10 % 10, year % 10, -1, month / 10, month % 10, -1, day / 10,
                day % 10,
            ]
            for (i, digit) in digits.enumerated() { buffer[i] = digit < 0 ? dash : zero + UInt8(digit) }
            return 10
        }
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        guard let date = PartialDate(text), let month = date.month, let day = date.day else { return nil }
        self.init(year: date.year, month: month, day: day)
    }

    /// 0001-01-01, the first day there is: where a window or tally open at the start begins when days are counted.
    public static let first = Day(year: 1, month: 1, day: 1)
    /// 9999-12-31, the last day a date in the registry can name: `Day.first...Day.last` is the whole of time.
    public static let last = Day(year: 9999, month: 12, day: 31)

    /// Days since 0001-01-01 (proleptic Gregorian), for counting and stepping days.
    ///
    /// Constant time: case questions compute it for every tally of every window they count (a loop over
    /// the months here was a third of a million-tally question's time).
    public var ordinal: Int {
        let y = year - 1
        let days = y * 365 + y / 4 - y / 100 + y / 400
        guard (1...12).contains(month) else {
            // Not a month of the calendar: counted as before, month by month (31 days for a month past December).
            var days = days
            for m in 1..<month { days += PartialDate.daysIn(month: m, year: year) }
            return days + day - 1
        }
        return days + Self.daysBefore(month: month, year: year) + day - 1
    }

    /// The days of `year` before the first of `month` (1...12).
    static func daysBefore(month: Int, year: Int) -> Int {
        if month <= 2 { return month == 1 ? 0 : 31 }
        // From March on, months run 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 days: (153 × m + 2) / 5 counts the
        // days of the m months since March exactly; 59 (60 in a leap year) are January and February.
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return (leap ? 60 : 59) + (153 * (month - 3) + 2) / 5
    }

    /// The day with this ordinal.
    ///
    /// Computed directly (H. Hinnant's civil-from-days): counted from 0000-03-01 the leap day ends a year,
    /// so a 400-year era has 146,097 days and the month follows from the day of the year by (5d + 2) / 153.
    public init(ordinal: Int) {
        // Before 0001-01-01 there is no calendar day: as ever, the "day" of January of year 1 that far back.
        guard ordinal >= 0 else {
            self.init(year: 1, month: 1, day: ordinal + 1)
            return
        }
        let days = ordinal + 306  // 0000-03-01 is 306 days before 0001-01-01
        let era = days / 146_097
        let dayOfEra = days - era * 146_097  // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365  // 0...399
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // 0...365, from March 1
        let monthFromMarch = (5 * dayOfYear + 2) / 153  // 0...11
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        self.init(year: era * 400 + yearOfEra + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The next day.
    public var next: Day { Day(ordinal: ordinal + 1) }
    /// The day before.
    public var previous: Day { Day(ordinal: ordinal - 1) }
}

/// A year known only roughly, as the profiles write it: "early 1960s", "1980s", "2018".
///
/// `text` is what people wrote and is shown back to them; `earliest` and `latest` bound it for sorting
/// and arithmetic ("early 1960s" → 1960...1963).
public struct ApproximateYear: Sendable, Hashable, Codable, CustomStringConvertible {
    public let earliest: Int
    public let latest: Int
    public let text: String

    public init?(earliest: Int, latest: Int, text: String? = nil) {
        guard earliest <= latest, (1...9999).contains(earliest), (1...9999).contains(latest) else { return nil }
        self.earliest = earliest
        self.latest = latest
        self.text = text ?? (earliest == latest ? "\(earliest)" : "\(earliest)–\(latest)")
    }

    /// An exact year.
    public init?(_ year: Int) {
        self.init(earliest: year, latest: year)
    }

    public var isExact: Bool { earliest == latest }
    public var description: String { text }
}

/// Zero-padded decimal digits.
func padded(_ value: Int, _ width: Int) -> String {
    let digits = "\(value)"
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

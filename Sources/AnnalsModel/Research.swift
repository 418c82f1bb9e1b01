/// How high a funder or an award sits, as Chinese research reporting groups them.
public enum Level: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case national
    case ministerial
    case provincial
    case municipal
    case institutional
    case other

    public static func < (a: Level, b: Level) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A decimal number kept exactly as written in canonical form ("1500000", "3.25").
public struct DecimalNumber: Sendable, Hashable, TextCoded {
    public static let textKind = "a number"

    /// Canonical text: optional "-", digits without leading zeros, optional "." and digits without trailing zeros.
    public let text: String

    public init?(_ text: String) {
        var s = Substring(text)
        var negative = false
        if s.first == "-" {
            negative = true
            s = s.dropFirst()
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts.count == 1 || !parts[1].isEmpty
        else { return nil }
        var whole = String(parts[0].drop { $0 == "0" })
        if whole.isEmpty { whole = "0" }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        while fraction.last == "0" { fraction.removeLast() }
        let body = fraction.isEmpty ? whole : whole + "." + fraction
        self.text = negative && body != "0" ? "-" + body : body
    }

    public var description: String { text }
    /// The value as a Double, for statistics and charts (not for storage).
    public var doubleValue: Double { Double(text) ?? 0 }
}

/// An amount of money in an ISO 4217 currency.
public struct Money: Sendable, Hashable, Codable {
    public var amount: DecimalNumber
    /// "CNY", "USD".
    public var currency: String

    public init(amount: DecimalNumber, currency: String) {
        self.amount = amount
        self.currency = currency
    }
}

/// A funded research project.
public struct Project: Sendable, Hashable, Codable, Identifiable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case applied, ongoing, completed, terminated
    }

    /// A department's part in a project.
    public struct DepartmentRole: Sendable, Hashable, Codable {
        public enum Role: String, Sendable, Hashable, Codable, CaseIterable { case lead, participant }
        public var departmentID: String
        public var role: Role
        public init(departmentID: String, role: Role) {
            self.departmentID = departmentID
            self.role = role
        }
    }

    public var id: String
    public var title: String
    /// The title in Chinese, when recorded.
    public var titleZH: String?
    /// Who pays ("National Natural Science Foundation of China").
    public var funder: String
    /// The funder's name in Chinese, when recorded ("国家自然科学基金").
    public var funderZH: String?
    /// The funder's programme ("General Program", "Major Special Project").
    public var programme: String?
    /// The programme in Chinese ("面上项目", "重大专项").
    public var programmeZH: String?
    public var level: Level
    public var grantNumber: String?
    /// The person id of the principal investigator.
    public var principalInvestigatorID: String?
    public var departments: [DepartmentRole]
    public var start: PartialDate?
    public var end: PartialDate?
    public var amount: Money?
    public var status: Status

    public init(
        id: String, title: String, funder: String, programme: String? = nil, level: Level, grantNumber: String? = nil,
        principalInvestigatorID: String? = nil, departments: [DepartmentRole] = [], start: PartialDate? = nil,
        end: PartialDate? = nil, amount: Money? = nil, status: Status, titleZH: String? = nil, funderZH: String? = nil,
        programmeZH: String? = nil
    ) {
        self.id = id
        self.title = title
        self.titleZH = titleZH
        self.funder = funder
        self.funderZH = funderZH
        self.programme = programme
        self.programmeZH = programmeZH
        self.level = level
        self.grantNumber = grantNumber
        self.principalInvestigatorID = principalInvestigatorID
        self.departments = departments
        self.start = start
        self.end = end
        self.amount = amount
        self.status = status
    }
}

/// Someone credited on a patent or an award: a registry person, or a name alone.
public struct Contributor: Sendable, Hashable, Codable {
    public var name: String
    public var personID: String?

    public init(name: String, personID: String? = nil) {
        self.name = name
        self.personID = personID
    }
}

/// A Chinese patent.
public struct Patent: Sendable, Hashable, Codable, Identifiable {
    /// The three kinds of Chinese patent.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case invention
        case utilityModel = "utility-model"
        case design
    }

    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case filed, granted, lapsed, rejected, withdrawn
    }

    public var id: String
    public var kind: Kind
    public var title: String
    /// The title in Chinese, when recorded.
    public var titleZH: String?
    public var applicationNumber: String?
    public var grantNumber: String?
    public var inventors: [Contributor]
    public var filed: PartialDate?
    public var granted: PartialDate?
    public var status: Status
    public var departmentIDs: [String]

    public init(
        id: String, kind: Kind, title: String, applicationNumber: String? = nil, grantNumber: String? = nil,
        inventors: [Contributor] = [], filed: PartialDate? = nil, granted: PartialDate? = nil, status: Status,
        departmentIDs: [String] = [], titleZH: String? = nil
    ) {
        self.id = id
        self.titleZH = titleZH
        self.kind = kind
        self.title = title
        self.applicationNumber = applicationNumber
        self.grantNumber = grantNumber
        self.inventors = inventors
        self.filed = filed
        self.granted = granted
        self.status = status
        self.departmentIDs = departmentIDs
    }
}

/// A prize ("Zhejiang Science and Technology Progress Award, second prize").
public struct Award: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// The name in Chinese ("浙江省科学技术进步奖").
    public var nameZH: String?
    /// "second prize".
    public var grade: String?
    /// The grade in Chinese ("二等奖").
    public var gradeZH: String?
    public var level: Level
    public var year: Int
    public var recipients: [Contributor]
    /// The project the award was given for, when it is in the registry.
    public var projectID: String?
    public var departmentIDs: [String]

    public init(
        id: String, name: String, grade: String? = nil, level: Level, year: Int, recipients: [Contributor] = [],
        projectID: String? = nil, departmentIDs: [String] = [], nameZH: String? = nil, gradeZH: String? = nil
    ) {
        self.id = id
        self.name = name
        self.nameZH = nameZH
        self.grade = grade
        self.gradeZH = gradeZH
        self.level = level
        self.year = year
        self.recipients = recipients
        self.projectID = projectID
        self.departmentIDs = departmentIDs
    }
}

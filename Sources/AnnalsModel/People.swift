/// A member of staff, named.
public struct Person: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var familyName: String
    public var givenName: String
    /// Other ways the name is written: initials ("Gao Z"), "Given Family" order, Chinese characters.
    public var nameVariants: [NameVariant]
    /// The bare ORCID iD (`0000-0002-1825-0097`).
    public var orcid: String?
    public var clinicalRank: ClinicalRank?
    /// An academic title held besides the clinical rank ("Professor of Pediatrics").
    public var academicTitle: String?
    /// The academic title in Chinese ("教授").
    public var academicTitleZH: String?
    public var degree: Degree?
    public var supervisorRoles: [SupervisorRole]
    public var committees: [CommitteeMembership]
    /// The departments the person belongs to; one person may belong to several.
    public var departmentIDs: [String]

    public init(
        id: String, familyName: String, givenName: String, nameVariants: [NameVariant] = [], orcid: String? = nil,
        clinicalRank: ClinicalRank? = nil, academicTitle: String? = nil, degree: Degree? = nil,
        supervisorRoles: [SupervisorRole] = [], committees: [CommitteeMembership] = [], departmentIDs: [String] = [],
        academicTitleZH: String? = nil
    ) {
        self.id = id
        self.academicTitleZH = academicTitleZH
        self.familyName = familyName
        self.givenName = givenName
        self.nameVariants = nameVariants
        self.orcid = orcid
        self.clinicalRank = clinicalRank
        self.academicTitle = academicTitle
        self.degree = degree
        self.supervisorRoles = supervisorRoles
        self.committees = committees
        self.departmentIDs = departmentIDs
    }

    /// "Gao Zhigang": family name first, as the profiles write Chinese names in English; a name recorded
    /// in characters is written whole ("欧阳明").
    public var displayName: String {
        ChineseName.whole(family: familyName, given: givenName) ?? "\(familyName) \(givenName)"
    }

    /// The name in Chinese characters, when recorded.
    public var chineseName: String? { nameVariants.first { $0.kind == .chinese }?.value }
}

/// One other written form of a person's name.
public struct NameVariant: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// "Gao Z", "Gao ZG".
        case initials
        /// "Zhigang Gao".
        case givenFamily = "given-family"
        /// "高志刚".
        case chinese
        case other
    }

    public var kind: Kind
    public var value: String

    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }
}

/// Clinical ranks of physicians and nurses in Chinese hospitals.
public enum ClinicalRank: String, Sendable, Hashable, Codable, CaseIterable {
    case chiefPhysician = "chief-physician"
    case deputyChiefPhysician = "deputy-chief-physician"
    case attendingPhysician = "attending-physician"
    case residentPhysician = "resident-physician"
    case supervisorNurse = "supervisor-nurse"
    case nursePractitioner = "nurse-practitioner"
    case nurse = "nurse"
}

/// The highest degree held.
public enum Degree: String, Sendable, Hashable, Codable, CaseIterable {
    case doctorate
    case master
    case bachelor
}

/// Postgraduate supervision a person is qualified for.
public enum SupervisorRole: String, Sendable, Hashable, Codable, CaseIterable {
    case doctoral
    case master
}

/// A seat on a professional body ("Pediatric Surgery Branch of the Chinese Medical Association").
public struct CommitteeMembership: Sendable, Hashable, Codable {
    public var body: String
    public var role: String?
    public var since: Int?

    public init(body: String, role: String? = nil, since: Int? = nil) {
        self.body = body
        self.role = role
        self.since = since
    }
}

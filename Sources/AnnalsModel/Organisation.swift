/// A hospital or one of its departments.
public struct OrgUnit: Sendable, Hashable, Codable, Identifiable {
    /// Where the unit sits in the hospital.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case hospital
        case department
    }

    public var id: String
    public var kind: Kind
    public var name: String
    /// The name in Chinese characters, when known.
    public var nameZH: String?
    /// The unit this one belongs to (a department's hospital).
    public var parentID: String?
    /// When it was founded, as precisely as known ("early 1960s").
    public var established: ApproximateYear?
    public var campuses: [Campus]
    /// Beds, per campus where the unit has several; VIP beds counted apart.
    public var beds: [BedCount]
    public var history: [HistoryEvent]
    public var collaborations: [Collaboration]
    public var researchDirections: [String]
    /// Conditions and areas the unit treats, as its profile lists them.
    public var clinicalScope: [String]
    public var equipment: [String]
    /// The same lists as the unit's Chinese page gives them (its own wording and items, not a line-by-line
    /// translation); nil when not recorded.
    public var researchDirectionsZH: [String]?
    public var clinicalScopeZH: [String]?
    public var equipmentZH: [String]?
    /// How the unit is written in authors' affiliations, in English and Chinese ("Children's Hospital,
    /// Zhejiang University School of Medicine", "Department of General Surgery"). For the hospital these
    /// identify the institution; for a department, the department within it.
    public var affiliationPatterns: [String]

    public init(
        id: String, kind: Kind, name: String, nameZH: String? = nil, parentID: String? = nil,
        established: ApproximateYear? = nil, campuses: [Campus] = [], beds: [BedCount] = [],
        history: [HistoryEvent] = [], collaborations: [Collaboration] = [], researchDirections: [String] = [],
        clinicalScope: [String] = [], equipment: [String] = [], affiliationPatterns: [String] = [],
        researchDirectionsZH: [String]? = nil, clinicalScopeZH: [String]? = nil, equipmentZH: [String]? = nil
    ) {
        self.researchDirectionsZH = researchDirectionsZH
        self.clinicalScopeZH = clinicalScopeZH
        self.equipmentZH = equipmentZH
        self.id = id
        self.kind = kind
        self.name = name
        self.nameZH = nameZH
        self.parentID = parentID
        self.established = established
        self.campuses = campuses
        self.beds = beds
        self.history = history
        self.collaborations = collaborations
        self.researchDirections = researchDirections
        self.clinicalScope = clinicalScope
        self.equipment = equipment
        self.affiliationPatterns = affiliationPatterns
    }

    /// Ordinary beds over all campuses (VIP beds not included).
    public var totalBeds: Int { beds.reduce(0) { $0 + $1.beds } }
    /// VIP beds over all campuses.
    public var totalVIPBeds: Int { beds.reduce(0) { $0 + $1.vipBeds } }
}

/// A site of the hospital ("Binjiang Campus").
public struct Campus: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var nameZH: String?

    public init(id: String, name: String, nameZH: String? = nil) {
        self.id = id
        self.name = name
        self.nameZH = nameZH
    }
}

/// The beds a unit has, on one campus or (campusID nil) without a campus named.
public struct BedCount: Sendable, Hashable, Codable {
    public var campusID: String?
    public var beds: Int
    public var vipBeds: Int

    public init(campusID: String? = nil, beds: Int, vipBeds: Int = 0) {
        self.campusID = campusID
        self.beds = beds
        self.vipBeds = vipBeds
    }
}

/// A dated milestone ("1980s: first in the country to introduce laparoscopy").
public struct HistoryEvent: Sendable, Hashable, Codable {
    public var when: ApproximateYear
    public var text: String
    /// The event in Chinese, when recorded.
    public var textZH: String?

    public init(when: ApproximateYear, text: String, textZH: String? = nil) {
        self.when = when
        self.text = text
        self.textZH = textZH
    }
}

/// Work done with another institution ("2017: Children's Liver Transplantation Center, with …").
public struct Collaboration: Sendable, Hashable, Codable {
    public var partner: String
    public var since: ApproximateYear?
    public var text: String?
    /// The partner and the description in Chinese, when recorded.
    public var partnerZH: String?
    public var textZH: String?

    public init(
        partner: String, since: ApproximateYear? = nil, text: String? = nil, partnerZH: String? = nil,
        textZH: String? = nil
    ) {
        self.partner = partner
        self.since = since
        self.text = text
        self.partnerZH = partnerZH
        self.textZH = textZH
    }
}

/// A head count that a department reports without names ("5 chief physicians").
public struct StaffCensus: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var departmentID: String
    public var category: StaffCategory
    public var count: Int
    /// The day (or month, or year) the count was true.
    public var asOf: PartialDate
    public var note: String?

    public init(
        id: String, departmentID: String, category: StaffCategory, count: Int, asOf: PartialDate, note: String? = nil
    ) {
        self.id = id
        self.departmentID = departmentID
        self.category = category
        self.count = count
        self.asOf = asOf
        self.note = note
    }
}

/// What a staff census counts: a clinical rank, a degree, a supervisor role or another group.
public enum StaffCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case chiefPhysician = "chief-physician"
    case deputyChiefPhysician = "deputy-chief-physician"
    case attendingPhysician = "attending-physician"
    case residentPhysician = "resident-physician"
    case specialistDoctor = "specialist-doctor"
    case supervisorNurse = "supervisor-nurse"
    case nursePractitioner = "nurse-practitioner"
    case nurse = "nurse"
    case doctorate = "doctorate"
    case master = "master"
    case doctoralSupervisor = "doctoral-supervisor"
    case masterSupervisor = "master-supervisor"
    case committeeMember = "committee-member"
}

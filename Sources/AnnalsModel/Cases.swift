/// An operation in the procedure vocabulary.
public struct Procedure: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var preferredTerm: String
    /// The name a Chinese department uses for it ("胆总管囊肿切除术"); also a term it is found by.
    public var preferredTermZH: String?
    /// Other names people use for it ("common bile duct cystectomy").
    public var synonyms: [String]
    /// "hepatobiliary", "gastrointestinal", "anorectal", "portal-hypertension", "oncology", …
    public var category: String
    /// Surgical grade 1–4 as Chinese hospitals grade operations (4 is the most complex).
    public var grade: Int?
    public var codes: [Code]

    public init(
        id: String, preferredTerm: String, synonyms: [String] = [], category: String, grade: Int? = nil,
        codes: [Code] = [],
        preferredTermZH: String? = nil
    ) {
        self.id = id
        self.preferredTerm = preferredTerm
        self.preferredTermZH = preferredTermZH
        self.synonyms = synonyms
        self.category = category
        self.grade = grade
        self.codes = codes
    }

    /// Every name it is known by: the preferred term, the Chinese preferred term, then the synonyms (each once).
    public var terms: [String] {
        var seen: Set<String> = []
        return ([preferredTerm] + [preferredTermZH].compactMap { $0 } + synonyms).filter { seen.insert($0).inserted }
    }

    /// A code in a classification ("ICD-9-CM-3" "51.63").
    public struct Code: Sendable, Hashable, Codable {
        public var system: String
        public var value: String
        public init(system: String, value: String) {
            self.system = system
            self.value = value
        }
    }
}

/// How an operation was done. Converted (begun minimally invasive, finished open) is its own approach.
public enum Approach: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case laparoscopic
    /// Da Vinci robot-assisted.
    case robotic
    case endoscopic
    /// DSA-guided and other image-guided procedures.
    case interventional
    case hybrid
    /// Laparoscopic converted to open: counted apart, never as either.
    case converted

    /// Laparoscopic, robotic, endoscopic, interventional and hybrid.
    public var isMinimallyInvasive: Bool {
        switch self {
        case .laparoscopic, .robotic, .endoscopic, .interventional, .hybrid: true
        case .open, .converted: false
        }
    }
}

/// A count of operations done in a period: counts only, never patient data.
public struct CaseTally: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var procedureID: String
    public var approach: Approach
    public var departmentID: String
    public var campusID: String?
    /// The surgeon's person id, when the tally is per surgeon.
    public var surgeonID: String?
    /// The period's start; nil for a cumulative baseline ("since the department began").
    public var from: PartialDate?
    /// The period's end (inclusive, to the precision given).
    public var to: PartialDate
    public var count: Int
    /// Where the number comes from ("department profile", "operating theatre log 2019").
    public var source: String?
    public var note: String?

    public init(
        id: String, procedureID: String, approach: Approach, departmentID: String, campusID: String? = nil,
        surgeonID: String? = nil, from: PartialDate?, to: PartialDate, count: Int, source: String? = nil,
        note: String? = nil
    ) {
        self.id = id
        self.procedureID = procedureID
        self.approach = approach
        self.departmentID = departmentID
        self.campusID = campusID
        self.surgeonID = surgeonID
        self.from = from
        self.to = to
        self.count = count
        self.source = source
        self.note = note
    }

    /// True when `from` is not after `to`.
    public var hasValidPeriod: Bool {
        guard let from else { return true }
        return from.firstDay <= to.lastDay
    }
}

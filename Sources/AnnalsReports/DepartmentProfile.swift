public import AnnalsDiagnostics
public import AnnalsModel
import AnnalsStatistics

/// A profile was asked for a department the registry does not hold.
public struct DepartmentProfileError: Error, Hashable, CustomStringConvertible, DiagnosticConvertible {
    /// The id that was asked for.
    public var departmentID: String
    /// The ids of the departments the registry does hold, sorted.
    public var knownDepartmentIDs: [String]

    /// An error for `departmentID`, naming the departments there are.
    public init(departmentID: String, knownDepartmentIDs: [String]) {
        self.departmentID = departmentID
        self.knownDepartmentIDs = knownDepartmentIDs
    }

    /// "no department 'x' in the registry; its departments are: general-surgery, oncology-surgery".
    public var description: String {
        if knownDepartmentIDs.isEmpty {
            return "no department '\(departmentID)' in the registry: it holds no departments yet"
        }
        return "no department '\(departmentID)' in the registry; its departments are: "
            + knownDepartmentIDs.joined(separator: ", ")
    }

    /// One `query.unknownDepartment` error.
    public var diagnostics: [Diagnostic] { [Diagnostic(.unknownDepartment, at: .init(), message: description)] }
}

/// A department's profile in prose, written from the registry the way the hospital's department
/// profiles are written: founding, campuses and beds, staff, clinical scope, key procedures with
/// their counts, history and collaborations, research (projects by level, papers, patents, awards)
/// and the expert team.
///
/// Every figure comes from the registry and is stated without overstating it: counts of records and
/// of operations go through ``Numbers/honest(_:_:)`` ("more than 500" for 512, never rounded up), and a
/// count of operations the tallies do not cover completely is stated only as a lower bound. Staff and
/// bed counts are censuses and are stated exactly. The text is the same for the same registry: it
/// never mentions today's date, and records are sorted.
public enum DepartmentProfile {
    /// How many procedure series (a procedure by one approach) the profile names by count; every
    /// grade-4 series the department has tallies for is named as well.
    public static let topProcedureCount = 6

    /// The profile of the department `id` in `content`, as plain text with a blank line between
    /// paragraphs.
    ///
    /// - Throws: ``DepartmentProfileError`` when `content` holds no department with that id; its
    ///   message lists the departments it does hold.
    public static func text(department id: String, in content: RegistryContent, language: ReportLanguage) throws
        -> String
    {
        guard let unit = content.orgUnits.first(where: { $0.id == id && $0.kind == .department }) else {
            let known = content.orgUnits.filter { $0.kind == .department }.map(\.id).sorted()
            throw DepartmentProfileError(departmentID: id, knownDepartmentIDs: known)
        }
        // Plain prose that is often pasted into a Markdown tool or a web page: what the registry holds
        // stays text there (MarkdownText); the profile's own sentences use none of the characters escaped.
        return MarkdownText.escaped(ProfileWriter(unit: unit, content: content, language: language).text())
    }
}

/// Writes one profile; each section is a list of paragraphs, empty when the registry has nothing for it.
struct ProfileWriter {
    let unit: OrgUnit
    let content: RegistryContent
    let language: ReportLanguage
    let en: Bool
    /// The latest census of each category.
    let staff: [StaffCategory: StaffCensus]
    let campuses: [String: Campus]
    let people: [Person]

    init(unit: OrgUnit, content: RegistryContent, language: ReportLanguage) {
        self.unit = unit
        self.content = content
        self.language = language
        en = language == .en
        var staff: [StaffCategory: StaffCensus] = [:]
        for census in content.staffCensus where census.departmentID == unit.id {
            if let current = staff[census.category], (current.asOf, current.id) > (census.asOf, census.id) { continue }
            staff[census.category] = census
        }
        self.staff = staff
        var campuses: [String: Campus] = [:]
        for owner in content.orgUnits.sorted(by: { $0.id < $1.id }) {
            for campus in owner.campuses where campuses[campus.id] == nil { campuses[campus.id] = campus }
        }
        self.campuses = campuses
        people = content.people.filter { $0.departmentIDs.contains(unit.id) }.sorted { a, b in
            let ra = a.clinicalRank.flatMap { ClinicalRank.allCases.firstIndex(of: $0) } ?? ClinicalRank.allCases.count
            let rb = b.clinicalRank.flatMap { ClinicalRank.allCases.firstIndex(of: $0) } ?? ClinicalRank.allCases.count
            return (ra, a.displayName, a.id) < (rb, b.displayName, b.id)
        }
    }

    func text() -> String {
        var paragraphs: [String] = [unitName]
        paragraphs.append(opening())
        paragraphs += clinicalScope()
        paragraphs += procedures()
        paragraphs += history()
        paragraphs += research()
        paragraphs += expertTeam()
        return paragraphs.filter { !$0.isEmpty }.joined(separator: "\n\n") + "\n"
    }

    // MARK: Opening paragraph

    func opening() -> String {
        var sentences: [String] = []
        sentences.append(en ? englishLead() : chineseLead())
        sentences += staffSentences()
        sentences += committeeSentences()
        if !unit.equipment.isEmpty {
            sentences.append(
                en
                    ? "The department is equipped with: \(unit.equipment.joined(separator: "; "))."
                    : "科室配备：\((unit.equipmentZH ?? unit.equipment).joined(separator: "、"))。")
        }
        return sentences.joined(separator: en ? " " : "")
    }

    /// "Established in the early 1960s, the General Surgery Department works on 2 campuses, …, with 45 beds …".
    func englishLead() -> String {
        let subject = Self.withArticle(unit.name)
        var lead = unit.established.map { "Established \(inPhrase($0)), \(subject)" } ?? Self.capitalized(subject)
        let named = campusesNamed()
        let beds = bedsSorted()
        if !named.isEmpty {
            let names = named.map(campusName)
            lead += named.count == 1 ? " works on \(names[0])" : " works on \(named.count) campuses, \(list(names))"
            if !beds.isEmpty { lead += ", with " + beds.map(bedPhrase).joined(separator: ", ") }
        } else if unit.totalBeds > 0 || unit.totalVIPBeds > 0 {
            lead += " has " + bedPhrase(BedCount(beds: unit.totalBeds, vipBeds: unit.totalVIPBeds))
        } else if let parent = parentUnit {
            lead += " is a department of \(Self.withArticle(parent.name))"
        } else {
            lead += " is a department of the hospital"
        }
        return lead + "."
    }

    /// "普外科成立于20世纪60年代初。科室设滨江院区、湖滨院区2个院区，滨江院区床位45张、VIP床位2张，…。"
    func chineseLead() -> String {
        var lead = ""
        var subject = unitName
        if let established = unit.established {
            lead += "\(unitName)成立于\(chineseYear(established))。"
            subject = "科室"
        }
        let named = campusesNamed()
        let beds = bedsSorted()
        if !named.isEmpty {
            lead += "\(subject)设\(named.map(campusName).joined(separator: "、"))\(named.count)个院区"
            if !beds.isEmpty { lead += "，" + beds.map(bedPhrase).joined(separator: "，") }
            lead += "。"
        } else if unit.totalBeds > 0 || unit.totalVIPBeds > 0 {
            lead += "\(subject)设" + bedPhrase(BedCount(beds: unit.totalBeds, vipBeds: unit.totalVIPBeds)) + "。"
        } else if unit.established == nil {
            lead += "\(unitName)是\(parentUnit.map { $0.nameZH ?? $0.name } ?? "医院")的科室。"
        }
        return lead
    }

    var parentUnit: OrgUnit? { unit.parentID.flatMap { id in content.orgUnits.first { $0.id == id } } }

    /// The campuses the department names, with beds or as its own, in name order.
    func campusesNamed() -> [String] {
        var ids = Set(unit.campuses.map(\.id))
        for bed in unit.beds { if let id = bed.campusID { ids.insert(id) } }
        // In English name order, whatever the language, so both profiles list the campuses alike.
        func key(_ id: String) -> String { (campuses[id] ?? unit.campuses.first { $0.id == id })?.name ?? id }
        return ids.sorted { (key($0), $0) < (key($1), $1) }
    }

    func bedsSorted() -> [BedCount] {
        let order = campusesNamed()
        func position(_ bed: BedCount) -> Int { bed.campusID.flatMap { order.firstIndex(of: $0) } ?? order.count }
        return unit.beds.sorted { a, b in (position(a), a.beds, a.vipBeds) < (position(b), b.beds, b.vipBeds) }
    }

    func campusName(_ id: String) -> String {
        let campus = campuses[id] ?? unit.campuses.first { $0.id == id }
        guard let campus else { return id }
        return en ? campus.name : campus.nameZH ?? campus.name
    }

    /// "45 beds in Binjiang Campus and 2 VIP beds"; "滨江院区床位45张、VIP床位2张".
    func bedPhrase(_ bed: BedCount) -> String {
        if en {
            var text = counted(bed.beds, "bed", "beds", exact: true)
            if let campus = bed.campusID { text += " in \(campusName(campus))" }
            if bed.vipBeds > 0 { text += " and \(counted(bed.vipBeds, "VIP bed", "VIP beds", exact: true))" }
            return text
        }
        var text = (bed.campusID.map(campusName) ?? "") + "床位\(Numbers.grouped(bed.beds))张"
        if bed.vipBeds > 0 { text += "、VIP床位\(Numbers.grouped(bed.vipBeds))张" }
        return text
    }

    // MARK: Staff

    static let physicianRanks: [StaffCategory] = [
        .chiefPhysician, .deputyChiefPhysician, .attendingPhysician, .residentPhysician,
    ]
    static let nurseRanks: [StaffCategory] = [.supervisorNurse, .nursePractitioner, .nurse]
    static let supervisors: [StaffCategory] = [.doctoralSupervisor, .masterSupervisor]

    /// Physicians with their degrees, supervisors, nurses.
    func staffSentences() -> [String] {
        var sentences: [String] = []
        let ranks = Self.physicianRanks.compactMap { c in staff[c].map { staffPhrase(c, $0.count) } }
        let specialists = staff[.specialistDoctor].map { staffPhrase(.specialistDoctor, $0.count) }
        var degrees: [String] = []
        if let doctorates = staff[.doctorate]?.count {
            degrees.append(
                en
                    ? "\(Numbers.grouped(doctorates)) \(doctorates == 1 ? "holds a doctoral degree" : "hold doctoral degrees")"
                    : "博士\(Numbers.grouped(doctorates))名")
        }
        if let masters = staff[.master]?.count {
            let verb = degrees.isEmpty ? (masters == 1 ? "holds " : "hold ") : ""
            degrees.append(
                en
                    ? "\(Numbers.grouped(masters)) \(verb)\(masters == 1 ? "a master's degree" : "master's degrees")"
                    : "硕士\(Numbers.grouped(masters))名")
        }
        var physicians = ""
        if let specialists {
            physicians = en ? "It has \(specialists)" : "科室现有\(specialists)"
            if !ranks.isEmpty { physicians += en ? ", including \(list(ranks))" : "，包括\(list(ranks))" }
        } else if !ranks.isEmpty {
            physicians = en ? "It has \(list(ranks))" : "科室现有\(list(ranks))"
        }
        if !degrees.isEmpty {
            if physicians.isEmpty {
                physicians = en ? "Of its staff, \(list(degrees))" : "科室现有\(list(degrees))"
            } else {
                physicians += en ? ", among whom \(list(degrees))" : "，其中\(list(degrees))"
            }
        }
        if !physicians.isEmpty { sentences.append(physicians + (en ? "." : "。")) }
        let supervisors = Self.supervisors.compactMap { c in staff[c].map { staffPhrase(c, $0.count) } }
        if !supervisors.isEmpty {
            sentences.append(en ? "Its staff include \(list(supervisors))." : "有\(list(supervisors))。")
        }
        let nurses = Self.nurseRanks.compactMap { c in staff[c].map { staffPhrase(c, $0.count) } }
        if !nurses.isEmpty {
            sentences.append(en ? "Its nursing team includes \(list(nurses))." : "护理团队有\(list(nurses))。")
        }
        return sentences
    }

    /// "5 chief physicians"; "主任医师5名".
    func staffPhrase(_ category: StaffCategory, _ n: Int) -> String {
        let (singular, plural, chinese): (String, String, String) =
            switch category {
            case .chiefPhysician: ("chief physician", "chief physicians", "主任医师")
            case .deputyChiefPhysician: ("deputy chief physician", "deputy chief physicians", "副主任医师")
            case .attendingPhysician: ("attending physician", "attending physicians", "主治医师")
            case .residentPhysician: ("resident physician", "resident physicians", "住院医师")
            case .specialistDoctor: ("specialist doctor", "specialist doctors", "专科医师")
            case .supervisorNurse: ("supervisor nurse", "supervisor nurses", "主管护师")
            case .nursePractitioner: ("nurse practitioner", "nurse practitioners", "护师")
            case .nurse: ("nurse", "nurses", "护士")
            case .doctorate: ("holder of a doctoral degree", "holders of a doctoral degree", "博士")
            case .master: ("holder of a master's degree", "holders of a master's degree", "硕士")
            case .doctoralSupervisor: ("doctoral supervisor", "doctoral supervisors", "博士生导师")
            case .masterSupervisor: ("master supervisor", "master supervisors", "硕士生导师")
            case .committeeMember: ("committee member", "committee members", "专业委员会委员")
            }
        return en ? counted(n, singular, plural, exact: true) : "\(chinese)\(Numbers.grouped(n))名"
    }

    /// The committee-member census with the body its note names, then named people's seats.
    func committeeSentences() -> [String] {
        var sentences: [String] = []
        if let census = staff[.committeeMember] {
            let n = census.count
            // A Chinese profile names the body only from a note written in Chinese.
            let body = census.note.map(Self.firstSentence).flatMap {
                $0.isEmpty || (!en && !ChineseText.containsHan($0)) ? nil : $0
            }
            if en {
                sentences.append(
                    "\(Numbers.grouped(n)) \(n == 1 ? "member of staff serves" : "members of staff serve") on professional committees"
                        + (body.map { " (\($0))" } ?? "") + ".")
            } else {
                sentences.append("\(Numbers.grouped(n))人担任专业委员会委员" + (body.map { "（\($0)）" } ?? "") + "。")
            }
        }
        let seats = people.flatMap { person in
            person.committees.sorted {
                ($0.body, $0.role ?? "", $0.since ?? 0) < ($1.body, $1.role ?? "", $1.since ?? 0)
            }
            .map { (person, $0) }
        }
        for (person, seat) in seats {
            if en {
                let role = seat.role.map { Self.withArticle($0, article: "") } ?? "a member"
                sentences.append(
                    "\(person.displayName) is \(role) of \(Self.withArticle(seat.body))"
                        + (seat.since.map { " (since \($0))" } ?? "") + ".")
            } else {
                sentences.append(
                    "\(personName(person))任\(seat.body)\(seat.role ?? "委员")" + (seat.since.map { "（\($0)年起）" } ?? "")
                        + "。")
            }
        }
        return sentences
    }

    // MARK: Clinical scope

    func clinicalScope() -> [String] {
        let scope = en ? unit.clinicalScope : unit.clinicalScopeZH ?? unit.clinicalScope
        guard !scope.isEmpty else { return [] }
        return [en ? "Clinical Scope" : "诊疗范围", numbered(scope)]
    }

    // MARK: Key procedures

    /// One procedure by one approach, counted over all time.
    struct Series {
        var procedureID: String
        var approach: Approach
        var procedure: Procedure?
        var count: CaseCount
        var term: String { procedure?.preferredTerm ?? procedureID }
        /// The Chinese name: the Chinese preferred term, else the first synonym in characters.
        var termZH: String {
            procedure.map {
                $0.preferredTermZH ?? $0.synonyms.first(where: { ChineseText.containsHan($0) }) ?? $0.preferredTerm
            } ?? procedureID
        }
        var isGrade4: Bool { procedure?.grade == 4 }
    }

    /// Every series of the department's tallies with operations counted, most first.
    func series() -> [Series] {
        let procedures = Dictionary(content.procedures.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var tallies: [String: [CaseTally]] = [:]
        for tally in content.tallies where tally.departmentID == unit.id {
            tallies["\(tally.procedureID)\u{0}\(tally.approach.rawValue)", default: []].append(tally)
        }
        let all = tallies.values.compactMap { list -> Series? in
            let first = list[0]
            // Exact only when each campus (surgeon) tallied apart is covered too.
            let bySeries = Dictionary(grouping: list) {
                TallySeries(
                    procedureID: $0.procedureID, approach: $0.approach, departmentID: $0.departmentID,
                    campusID: $0.campusID, surgeonID: $0.surgeonID)
            }
            let count = CaseStatistics.count(series: bySeries.mapValues(TallyPeriodSum.of), in: DayWindow())
            guard count.count > 0 else { return nil }
            return Series(
                procedureID: first.procedureID, approach: first.approach, procedure: procedures[first.procedureID],
                count: count)
        }
        return all.sorted { a, b in
            (-a.count.count, a.term.lowercased(), a.approach.rawValue) < (
                -b.count.count, b.term.lowercased(), b.approach.rawValue
            )
        }
    }

    func procedures() -> [String] {
        let all = series()
        let named = all.enumerated().filter { $0.offset < DepartmentProfile.topProcedureCount || $0.element.isGrade4 }
            .map(\.element)
        guard !named.isEmpty else { return [] }
        var paragraph =
            en
            ? "From its case tallies, the department has completed \(list(named.map(seriesPhrase)))."
            : "据手术统计，科室累计完成\(list(named.map(seriesPhrase)))。"
        var grade4: [Procedure] = []
        for s in named where s.isGrade4 {
            if let p = s.procedure, !grade4.contains(where: { $0.id == p.id }) { grade4.append(p) }
        }
        grade4.sort { (Self.runningTerm($0).lowercased(), $0.id) < (Self.runningTerm($1).lowercased(), $1.id) }
        if !grade4.isEmpty {
            if en {
                let terms = grade4.map(Self.runningTerm)
                paragraph +=
                    " "
                    + (terms.count == 1
                        ? "Of these, \(terms[0]) is a grade 4 operation, the most complex grade."
                        : "Of these, \(list(terms)) are grade 4 operations, the most complex grade.")
            } else {
                paragraph +=
                    "其中四级手术：\(list(grade4.map { p in p.preferredTermZH ?? p.synonyms.first(where: { ChineseText.containsHan($0) }) ?? p.preferredTerm }))。"
            }
        }
        return [paragraph]
    }

    /// "more than 500 cases of laparoscopic choledochal cyst excision"; "choledochal cyst excision（腹腔镜）500余例".
    func seriesPhrase(_ s: Series) -> String {
        let n = s.count.count
        var amount = Numbers.honest(n, language)
        // Tallies that do not cover every day give a lower bound: a round figure is then "at least".
        if !s.count.exact && amount == Numbers.grouped(n, language) {
            amount = en ? "at least \(amount)" : "至少\(amount)"
        }
        var since: String?
        if !s.count.exact, s.count.startUnknown, let from = s.count.coveredFrom {
            since = from.month == 1 && from.day == 1 ? "\(from.year)" : "\(from)"
        }
        if en {
            let term = s.procedure.map(Self.runningTerm) ?? s.procedureID
            let what: String
            switch s.approach {
            case .converted: what = "\(term) converted from laparoscopic to open surgery"
            default:
                let adjective = s.approach.rawValue
                what = term.lowercased().contains(adjective) ? term : "\(adjective) \(term)"
            }
            return "\(amount) \(n == 1 ? "case" : "cases") of \(what)" + (since.map { " since \($0)" } ?? "")
        }
        let approach: String =
            switch s.approach {
            case .open: "开放"
            case .laparoscopic: "腹腔镜"
            case .robotic: "机器人辅助"
            case .endoscopic: "内镜"
            case .interventional: "介入"
            case .hybrid: "杂交"
            case .converted: "腹腔镜中转开放"
            }
        // "腹腔镜胆总管囊肿切除术500余例": the approach word first, as a Chinese department writes it.
        let name = s.approach == .converted ? "\(s.termZH)（\(approach)）" : approach + s.termZH
        return "\(name)\(amount)例" + (since.map { "（\($0)年以来）" } ?? "")
    }

    // MARK: History and collaborations

    func history() -> [String] {
        var paragraphs: [String] = []
        let events = unit.history.sorted {
            ($0.when.earliest, $0.when.latest, $0.text) < ($1.when.earliest, $1.when.latest, $1.text)
        }
        if !events.isEmpty {
            paragraphs.append(en ? "History" : "发展历程")
            paragraphs.append(
                events.map {
                    en
                        ? "\($0.when.text): \(Self.sentence($0.text))"
                        : "\(chineseYear($0.when))：\(Self.sentence($0.textZH ?? $0.text))"
                }
                .joined(separator: "\n"))
        }
        let collaborations = unit.collaborations.sorted { a, b in
            (a.since?.earliest ?? Int.max, a.partner, a.text ?? "") < (
                b.since?.earliest ?? Int.max, b.partner, b.text ?? ""
            )
        }
        if !collaborations.isEmpty {
            paragraphs.append(en ? "Collaborations" : "合作")
            paragraphs.append(
                collaborations.map { c in
                    let since = c.since.map { en ? " (since \(yearText($0)))" : "（\(chineseYear($0))起）" } ?? ""
                    let partner = en ? c.partner : c.partnerZH ?? c.partner
                    guard let text = en ? c.text : c.textZH ?? c.text else { return partner + since + (en ? "." : "。") }
                    return partner + since + (en ? ": " : "：") + Self.sentence(text)
                }
                .joined(separator: "\n"))
        }
        return paragraphs
    }

    // MARK: Research

    func research() -> [String] {
        var paragraphs: [String] = []
        let directions = en ? unit.researchDirections : unit.researchDirectionsZH ?? unit.researchDirections
        if !directions.isEmpty {
            paragraphs.append((en ? "Main research directions:" : "主要研究方向：") + "\n" + numbered(directions))
        }
        if let projects = projectsParagraph() { paragraphs.append(projects) }
        let output = [papersSentence(), patentsSentence(), awardsSentence()].compactMap { $0 }
        if !output.isEmpty { paragraphs.append(output.joined(separator: en ? " " : "")) }
        guard !paragraphs.isEmpty else { return [] }
        return [en ? "Research" : "科研"] + paragraphs
    }

    /// Projects by level, and within a level by funder and programme; applications not (yet) funded are left out.
    func projectsParagraph() -> String? {
        let projects = content.projects.filter { p in
            p.status != .applied && p.departments.contains { $0.departmentID == unit.id }
        }
        guard !projects.isEmpty else { return nil }
        var sentences: [String] = [
            en
                ? "The department has won \(counted(projects.count, "research project", "research projects"))."
                : "科室共承担科研项目\(Numbers.grouped(projects.count))项。"
        ]
        for level in Level.allCases {
            let atLevel = projects.filter { $0.level == level }
            guard !atLevel.isEmpty else { continue }
            struct Group: Hashable {
                var funder: String
                var programme: String?
            }
            // Most first; a funder's programmes side by side; one funder however its projects write it
            // (the funder vocabulary's English name stands for it).
            func funder(_ p: Project) -> String { FunderVocabulary.shared.funder(for: p.funder)?.name ?? p.funder }
            let byFunder = Dictionary(grouping: atLevel, by: funder).mapValues(\.count)
            let groups = Dictionary(grouping: atLevel) { Group(funder: funder($0), programme: $0.programme) }
                .map { (group: $0.key, count: $0.value.count) }
                .sorted { a, b in
                    let (fa, fb) = (byFunder[a.group.funder] ?? 0, byFunder[b.group.funder] ?? 0)
                    return (-fa, a.group.funder, -a.count, a.group.programme ?? "")
                        < (-fb, b.group.funder, -b.count, b.group.programme ?? "")
                }
            let phrases = groups.map { group -> String in
                // The Chinese names the projects record for their funder and programme.
                let sample = atLevel.first { funder($0) == group.group.funder && $0.programme == group.group.programme }
                let known = sample.flatMap { FunderVocabulary.shared.funder(for: $0.funder) }
                let funder = en ? group.group.funder : known?.nameZH ?? sample?.funderZH ?? group.group.funder
                let programme = en ? group.group.programme : sample?.programmeZH ?? group.group.programme
                return projectGroupPhrase(group.count, funder: funder, programme: programme)
            }
            let name = levelName(level)
            if en {
                let head =
                    groups.count == 1
                    ? "At the \(name) level"
                    : "At the \(name) level, \(counted(atLevel.count, "project", "projects"))"
                sentences.append("\(head): \(list(phrases)).")
            } else {
                let head = groups.count == 1 ? name : "\(name)\(Numbers.grouped(atLevel.count))项"
                sentences.append("\(head)：\(list(phrases))。")
            }
        }
        return sentences.joined(separator: en ? " " : "")
    }

    /// "1 Major Special Project of the Science and Technology Department of Zhejiang Province",
    /// "more than 10 projects of the National Natural Science Foundation of China".
    func projectGroupPhrase(_ n: Int, funder: String, programme: String?) -> String {
        let amount = Numbers.honest(n, language)
        // A Chinese report states its record counts exactly (16 projects are 16, never "10余项").
        guard en else {
            // "浙江省科学技术厅重大专项1项"; a funder named after its programme ("国家重大专项（…）") says it once.
            let kind = programme.map { funder.hasPrefix($0) ? "" : $0 } ?? "项目"
            return "\(funder)\(kind)\(Numbers.grouped(n))项"
        }
        let of = "of \(Self.withArticle(funder))"
        guard let programme else { return "\(amount) \(n == 1 ? "project" : "projects") \(of)" }
        if programme.lowercased().hasSuffix("project") {
            return "\(amount) \(n == 1 ? programme : programme + "s") \(of)"
        }
        return "\(amount) \(n == 1 ? "project" : "projects") of \(Self.withArticle(programme)) \(of)"
    }

    /// The level as the report labels it, lower case in English ("provincial", "国家级").
    func levelName(_ level: Level) -> String {
        let name = Labels(language).level(level)
        return en ? name.lowercased() : name
    }

    /// SCI papers (SCIE or SSCI journals by the paper's year) and the rest, retracted papers, errata and
    /// retraction notices left out.
    func papersSentence() -> String? {
        var sci = 0
        var other = 0
        for paper in content.publications where paper.departmentIDs.contains(unit.id) && !paper.isRetracted {
            if paper.kind == .erratum || paper.kind == .retractionNotice { continue }
            if SCIRule.isSCI(paper, journals: content.journals) == true { sci += 1 } else { other += 1 }
        }
        let total = sci + other
        guard total > 0 else { return nil }
        if en {
            var parts: [String] = []
            if sci > 0 { parts.append(counted(sci, "SCI paper", "SCI papers")) }
            if other > 0 { parts.append(counted(other, "national journal paper", "national journal papers")) }
            return "It has published \(counted(total, "paper", "papers")), among them \(list(parts))."
        }
        var parts: [String] = []
        if sci > 0 { parts.append("SCI论文\(Numbers.grouped(sci))篇") }
        if other > 0 { parts.append("国内期刊论文\(Numbers.grouped(other))篇") }
        return "发表论文\(Numbers.grouped(total))篇，其中\(list(parts))。"
    }

    func patentsSentence() -> String? {
        let granted = content.patents.filter { $0.status == .granted && $0.departmentIDs.contains(unit.id) }.count
        guard granted > 0 else { return nil }
        if en { return "\(counted(granted, "patent has", "patents have")) been granted." }
        return "获授权专利\(Numbers.grouped(granted))项。"
    }

    func awardsSentence() -> String? {
        let awards = content.awards.filter { $0.departmentIDs.contains(unit.id) }.sorted { a, b in
            (a.level, a.year, a.name, a.grade ?? "", a.id) < (b.level, b.year, b.name, b.grade ?? "", b.id)
        }
        guard !awards.isEmpty else { return nil }
        let phrases = awards.map { award -> String in
            guard en else {
                return "\(award.nameZH ?? award.name)\(award.gradeZH ?? award.grade ?? "")（\(award.year)年）"
            }
            var text = Self.withArticle(award.name)
            if let grade = award.grade, let first = grade.first {
                let article = first.isLowercase ? ("aeiou".contains(first) ? "an " : "a ") : ""
                text = "\(article)\(grade) of \(text)"
            }
            return text + " (\(award.year))"
        }
        return en ? "It has received \(list(phrases))." : "获得\(list(phrases))。"
    }

    // MARK: Expert team

    func expertTeam() -> [String] {
        guard !people.isEmpty else { return [] }
        let lines = people.map { person -> String in
            var titles: [String] = []
            if let rank = person.clinicalRank { titles.append(rankName(rank)) }
            if let title = en ? person.academicTitle : person.academicTitleZH ?? person.academicTitle {
                titles.append(title)
            }
            return personName(person) + (titles.isEmpty ? "" : " — " + titles.joined(separator: en ? ", " : "，"))
        }
        return [en ? "Expert Team" : "专家团队", lines.joined(separator: "\n")]
    }

    func rankName(_ rank: ClinicalRank) -> String {
        switch rank {
        case .chiefPhysician: en ? "Chief Physician" : "主任医师"
        case .deputyChiefPhysician: en ? "Deputy Chief Physician" : "副主任医师"
        case .attendingPhysician: en ? "Attending Physician" : "主治医师"
        case .residentPhysician: en ? "Resident Physician" : "住院医师"
        case .supervisorNurse: en ? "Supervisor Nurse" : "主管护师"
        case .nursePractitioner: en ? "Nurse Practitioner" : "护师"
        case .nurse: en ? "Nurse" : "护士"
        }
    }

    // MARK: Words

    var unitName: String { en ? unit.name : unit.nameZH ?? unit.name }

    func personName(_ person: Person) -> String { en ? person.displayName : person.chineseName ?? person.displayName }

    /// "5 chief physicians"; record counts go through `Numbers.honest` unless `exact` (censuses, beds).
    func counted(_ n: Int, _ singular: String, _ plural: String, exact: Bool = false) -> String {
        "\(exact ? Numbers.grouped(n, language) : Numbers.honest(n, language)) \(n == 1 ? singular : plural)"
    }

    /// "A, B and C" (semicolons when an item has a comma of its own); "A、B、C".
    func list(_ items: [String]) -> String {
        guard en else { return items.joined(separator: "、") }
        guard items.count > 1 else { return items.first ?? "" }
        let separator = items.contains { $0.contains(", ") } ? "; " : ", "
        return items.dropLast().joined(separator: separator) + " and " + items.last!
    }

    /// "(1) …" lines; "（1）…" in Chinese.
    func numbered(_ items: [String]) -> String {
        items.enumerated().map {
            en ? "(\($0.offset + 1)) \(Self.sentence($0.element))" : "（\($0.offset + 1)）\(Self.sentence($0.element))"
        }
        .joined(separator: "\n")
    }

    /// "in the early 1960s", "in the 1980s", "in 2018".
    func inPhrase(_ year: ApproximateYear) -> String { "in " + yearText(year) }

    /// "the early 1960s", "the 1980s", "2018".
    func yearText(_ year: ApproximateYear) -> String {
        let text = year.text
        let isDecade = text.first?.isNumber == true && text.last == "s"
        let isPartOfDecade = ["early ", "mid ", "mid-", "late "].contains { text.hasPrefix($0) }
        return isDecade || isPartOfDecade ? "the " + text : text
    }

    /// "2018年", "20世纪80年代", "20世纪60年代初"; otherwise "1960—1963年".
    func chineseYear(_ year: ApproximateYear) -> String {
        if year.isExact { return "\(year.earliest)年" }
        let decade = year.earliest / 10 * 10
        if year.latest / 10 * 10 == decade, decade % 100 != 0 {
            let name = "\(decade / 100 + 1)世纪\(decade % 100)年代"
            let (start, end) = (year.earliest % 10, year.latest % 10)
            if start == 0 && end == 9 { return name }
            if start == 0 && end <= 3 { return name + "初" }
            if start >= 3 && end <= 6 { return name + "中期" }
            if start >= 6 && end == 9 { return name + "末" }
        }
        return "\(year.earliest)—\(year.latest)年"
    }

    /// The text ending with a full stop: "。" after Chinese text, "." after any other.
    static func sentence(_ text: String) -> String {
        guard let last = text.last else { return text }
        return ".!?。！？".contains(last) ? text : text + (ChineseText.containsHan(text) ? "。" : ".")
    }

    /// The first sentence of a note, without its full stop.
    static func firstSentence(_ note: String) -> String {
        var result = ""
        var index = note.startIndex
        while index < note.endIndex {
            let c = note[index]
            let next = note.index(after: index)
            if c == "." && (next == note.endIndex || note[next] == " ") { break }
            result.append(c)
            index = next
        }
        return result.trimmingSpaces()
    }

    /// "the General Surgery Department"; a name that already begins with an article keeps it, lower-cased.
    static func withArticle(_ name: String, article: String = "the ") -> String {
        if name.hasPrefix("The ") { return "the " + name.dropFirst(4) }
        if name.hasPrefix("the ") || name.hasPrefix("a ") || name.hasPrefix("an ") { return name }
        return article + name
    }

    static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// A procedure's preferred term as it reads inside a sentence: the first letter lower-cased, except
    /// for a name ("Hirschsprung disease pull-through", "Meckel's diverticulectomy", "Meso-Rex bypass"):
    /// a first word with a capital inside it, a possessive, or one the synonyms also write capitalised.
    static func runningTerm(_ procedure: Procedure) -> String {
        let term = procedure.preferredTerm
        guard let first = term.first, first.isUppercase else { return term }
        let word = String(term.prefix { $0 != " " })
        if word.dropFirst().contains(where: \.isUppercase) { return term }
        if word.hasSuffix("'s") || word.hasSuffix("’s") { return term }
        if procedure.synonyms.contains(where: { $0.contains(word) }) { return term }
        return first.lowercased() + term.dropFirst()
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        guard let start = firstIndex(where: { $0 != " " }), let end = lastIndex(where: { $0 != " " }) else { return "" }
        return String(self[start...end])
    }
}

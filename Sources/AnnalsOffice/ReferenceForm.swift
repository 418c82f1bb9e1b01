import AnnalsDiagnostics
public import AnnalsModel
import Foundation

/// The forms for what is not a row of a record sheet: a department's beds (on one campus, or without a campus
/// named) and a procedure of the vocabulary. They check what the registry schema and the imports check (ids,
/// counts of 0 or more, grades 1 to 4, departments and campuses that exist) and say each problem at its field,
/// in Chinese and English; a procedure's names may not already name another procedure, or the tally imports
/// could no longer tell them apart.
public enum ReferenceForm: String, Sendable, CaseIterable {
    /// A department's beds on one campus: the `beds` of its ``OrgUnit``.
    case beds
    /// A procedure of the vocabulary (the research office's).
    case procedures

    /// The kind of registry record the form writes.
    public var entity: EntityKind { self == .beds ? .orgUnit : .procedure }

    /// The fields, in order (`id` first, kept hidden).
    public var fields: [SheetColumn] {
        switch self {
        case .beds:
            return [
                SheetColumn("id", "编号", en: "Kept by Annals.", zh: "系统自动生成。"),
                SheetColumn(
                    "department", "科室", required: true, en: "The department whose beds these are.", zh: "床位所属科室。"),
                SheetColumn(
                    "campus", "院区", en: "Empty when the department has one campus only.", zh: "只有一个院区时可留空。"),
                SheetColumn(
                    "beds", "床位数", .integer, required: true, en: "Ordinary beds open, a whole number.",
                    zh: "开放的普通床位数（整数）。"),
                SheetColumn(
                    "vip_beds", "VIP床位数", .integer, en: "VIP beds, counted apart; empty for none.",
                    zh: "VIP（特需）床位另计；没有请留空。"),
            ]
        case .procedures:
            return [
                SheetColumn("id", "编号", en: "Kept by Annals.", zh: "系统自动生成。"),
                SheetColumn(
                    "name_zh", "中文名称", required: true, en: "The name the departments use, such as 胆总管囊肿切除术.",
                    zh: "科室通用的术式名称，如：胆总管囊肿切除术。"),
                SheetColumn(
                    "name", "英文名称", required: true,
                    en: "The English name reports use, such as choledochal cyst excision.",
                    zh: "英文报告使用的名称，如 choledochal cyst excision。"),
                SheetColumn(
                    "synonyms", "别名", .list,
                    en: "Other names people write, separated by ; or 、 (without an approach: 腹腔镜 is an approach).",
                    zh: "其他常见写法，用；或、分隔（不要带入路，如“腹腔镜”是入路）。"),
                SheetColumn(
                    "category", "类别", .choice(Self.categories), required: true, en: "The group reports list it in.",
                    zh: "报表中的分组。"),
                SheetColumn(
                    "grade", "手术分级", .choice(Self.grades),
                    en: "Surgical grade 1 to 4 as the hospital grades operations (4 is the most complex).",
                    zh: "医院手术分级（一至四级，四级最复杂）。"),
            ]
        }
    }

    /// The procedure categories of the built-in vocabulary.
    static let categories: [Choice] = [
        Choice("hepatobiliary", "hepatobiliary", "肝胆"), Choice("gastrointestinal", "gastrointestinal", "胃肠"),
        Choice("anorectal", "anorectal", "肛肠"), Choice("portal-hypertension", "portal hypertension", "门静脉高压"),
        Choice("spleen", "spleen", "脾脏"), Choice("hernia", "hernia", "疝"), Choice("thyroid", "thyroid", "甲状腺"),
        Choice("vascular", "vascular", "血管"), Choice("trauma", "trauma", "创伤"),
        Choice("body-surface", "body surface", "体表"),
        Choice("oncology", "oncology", "肿瘤"), Choice("interventional-oncology", "interventional oncology", "肿瘤介入"),
        Choice("transplantation", "transplantation", "器官移植"), Choice("other", "other", "其他"),
    ]

    static let grades: [Choice] = [
        Choice("1", "grade 1", "一级", ["1级", "一级手术"]), Choice("2", "grade 2", "二级", ["2级", "二级手术"]),
        Choice("3", "grade 3", "三级", ["3级", "三级手术"]), Choice("4", "grade 4", "四级", ["4级", "四级手术"]),
    ]

    // MARK: ids

    /// The id of the beds of `department` on `campus` (nil: no campus named): `general-surgery` or
    /// `general-surgery@binjiang`.
    public static func bedsID(department: String, campus: String?) -> String {
        campus.map { department + "@" + $0 } ?? department
    }

    /// The department and campus a beds id names.
    static func bedsKey(_ id: String) -> (department: String, campus: String?) {
        guard let at = id.firstIndex(of: "@") else { return (id, nil) }
        return (String(id[..<at]), String(id[id.index(after: at)...]))
    }

    // MARK: reading

    /// The departments a record of this form belongs to: a department's beds, its department; a procedure,
    /// none (it is the hospital's). Nil when there is no such record.
    public func departments(id: String, in registry: some RegistryReading) throws -> [String]? {
        switch self {
        case .beds:
            let (department, campus) = Self.bedsKey(id)
            guard let unit = try registry.orgUnits().first(where: { $0.id == department }),
                unit.beds.contains(where: { $0.campusID == campus })
            else { return nil }
            return [department]
        case .procedures:
            return try registry.procedures().contains { $0.id == id } ? [] : nil
        }
    }

    /// The fields of record `id` as the form shows them; nil when there is no such record.
    public func values(id: String, in registry: some RegistryReading) throws -> [String: String]? {
        switch self {
        case .beds:
            let (department, campus) = Self.bedsKey(id)
            guard let unit = try registry.orgUnits().first(where: { $0.id == department }),
                let count = unit.beds.first(where: { $0.campusID == campus })
            else { return nil }
            var values = ["id": id, "department": department, "beds": String(count.beds)]
            if let campus { values["campus"] = campus }
            if count.vipBeds > 0 { values["vip_beds"] = String(count.vipBeds) }
            return values
        case .procedures:
            guard let p = try registry.procedures().first(where: { $0.id == id }) else { return nil }
            var values = ["id": id, "name": p.preferredTerm, "category": p.category]
            if let zh = p.preferredTermZH { values["name_zh"] = zh }
            if !p.synonyms.isEmpty { values["synonyms"] = p.synonyms.joined(separator: "；") }
            if let grade = p.grade { values["grade"] = String(grade) }
            return values
        }
    }

    /// The records of this form a list shows (one department's beds; the whole vocabulary), each as its id and a
    /// line in `language`.
    public func records(department: String?, in registry: some RegistryReading, language: SheetLanguage) throws
        -> [(id: String, text: String)]
    {
        switch self {
        case .beds:
            let units = try registry.orgUnits()
            let campuses = Dictionary(units.flatMap(\.campuses).map { ($0.id, $0) }) { a, _ in a }
            return units.filter { $0.id == department }.flatMap { unit in
                unit.beds.map { count in
                    let campus = count.campusID.map { id in
                        campuses[id].map { language == .zh ? ($0.nameZH ?? $0.name) : $0.name } ?? id
                    }
                    let text =
                        language == .zh
                        ? "\(campus ?? "（未分院区）")：床位 \(count.beds) 张"
                            + (count.vipBeds > 0 ? "，VIP床位 \(count.vipBeds) 张" : "")
                        : "\(campus ?? "(no campus named)"): \(count.beds) beds"
                            + (count.vipBeds > 0 ? ", \(count.vipBeds) VIP beds" : "")
                    return (Self.bedsID(department: unit.id, campus: count.campusID), text)
                }
            }
        case .procedures:
            // By category (in the order of the list), then by name.
            let order = Dictionary(uniqueKeysWithValues: Self.categories.enumerated().map { ($1.value, $0) })
            return try registry.procedures().sorted {
                (order[$0.category] ?? 99, $0.preferredTermZH ?? $0.preferredTerm)
                    < (order[$1.category] ?? 99, $1.preferredTermZH ?? $1.preferredTerm)
            }.map { p in
                let choice = Self.categories.first { $0.value == p.category }
                let category = "〔\(choice?.label(language) ?? p.category)〕"
                let zh = p.preferredTermZH.map { "\($0) · " } ?? ""
                let grade =
                    p.grade.flatMap { g in Self.grades.first { $0.value == String(g) } }.map {
                        " · " + $0.label(language)
                    }
                    ?? ""
                return (p.id, category + zh + p.preferredTerm + grade)
            }
        }
    }

    // MARK: writing

    /// Checks `typed` (field key → text as typed) and writes it: a new record when `id` is nil, otherwise a
    /// correction of record `id` (beds may move to another campus or department). `departments`, when given,
    /// are the only departments the beds may be a department's (a secretary's). Throws ``FormRejection`` with
    /// every problem at its field, nothing written. Returns the id written. Call it inside one write.
    public func submit(
        _ typed: [String: String], id: String?, departments: Set<String>?, into registry: some RegistryWriting
    ) throws -> String {
        switch self {
        case .beds: return try Self.submitBeds(typed, id: id, departments: departments, into: registry)
        case .procedures: return try Self.submitProcedure(typed, id: id, into: registry)
        }
    }

    /// Deletes record `id`: a department's beds on a campus, or a procedure (refused with `DeleteRefused`
    /// while tallies count it). False when there is no such record.
    public func delete(id: String, from registry: some RegistryWriting, deleting: (EntityKind, String) throws -> Bool)
        throws -> Bool
    {
        switch self {
        case .beds:
            let (department, campus) = Self.bedsKey(id)
            guard var unit = try registry.orgUnits().first(where: { $0.id == department }),
                unit.beds.contains(where: { $0.campusID == campus })
            else { return false }
            unit.beds.removeAll { $0.campusID == campus }
            try registry.upsert(unit)
            return true
        case .procedures:
            return try deleting(.procedure, id)
        }
    }

    static func value(_ typed: [String: String], _ key: String) -> String? {
        guard let text = typed[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            return nil
        }
        return text
    }

    static func required(_ field: String) -> FormProblem {
        FormProblem(
            row: 0, field: field, code: .sheetInvalidValue, english: "This field is required.", chinese: "此项必填。")
    }

    /// A count as people type it: digits (full-width too), optionally followed by 张 or 床.
    static func count(_ text: String) -> Int? {
        var t = String(
            text.unicodeScalars.map { s in
                (0xFF10...0xFF19).contains(s.value) ? Character(UnicodeScalar(s.value - 0xFF10 + 0x30)!) : Character(s)
            })
        for suffix in ["张床", "张", "床"] where t.hasSuffix(suffix) { t = String(t.dropLast(suffix.count)) }
        t = t.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(t), n <= Int(Int32.max) else {
            return nil
        }
        return n
    }

    static func countProblem(_ field: String, _ text: String) -> FormProblem {
        FormProblem(
            row: 0, field: field, code: .sheetInvalidValue,
            english: "'\(text)' is not a number of beds; write a whole number, 0 or more (45).",
            chinese: "「\(text)」不是床位数，请填写 0 或正整数（如 45）。")
    }

    static func submitBeds(
        _ typed: [String: String], id: String?, departments: Set<String>?, into registry: some RegistryWriting
    ) throws -> String {
        var problems: [FormProblem] = []
        let units = try registry.orgUnits()
        var unit: OrgUnit?
        if let text = value(typed, "department") {
            let key = SheetKind.normalise(text)
            unit = units.first {
                $0.id == text || [$0.name, $0.nameZH].compactMap { $0 }.contains { SheetKind.normalise($0) == key }
            }
            if unit == nil {
                problems.append(
                    FormProblem(
                        row: 0, field: "department", code: .unknownDepartment,
                        english: "There is no department '\(text)'; pick one from the list.",
                        chinese: "没有「\(text)」这个科室，请从列表中选择。"))
            } else if let departments, let found = unit, !departments.contains(found.id) {
                problems.append(FormMessages.outOfScope(row: 0, field: "department", departments))
            }
        } else {
            problems.append(required("department"))
        }
        var campus: String?
        if let text = value(typed, "campus") {
            let key = SheetKind.normalise(text)
            campus =
                units.flatMap(\.campuses).first {
                    $0.id == text || [$0.name, $0.nameZH].compactMap { $0 }.contains { SheetKind.normalise($0) == key }
                }?.id
            if campus == nil {
                problems.append(
                    FormProblem(
                        row: 0, field: "campus", code: .unknownReference,
                        english: "There is no campus '\(text)'; pick one from the list, or leave it empty.",
                        chinese: "没有「\(text)」这个院区，请从列表中选择，或留空。"))
            }
        }
        var beds: Int?
        if let text = value(typed, "beds") {
            beds = count(text)
            if beds == nil { problems.append(countProblem("beds", text)) }
        } else {
            problems.append(required("beds"))
        }
        var vip = 0
        if let text = value(typed, "vip_beds") {
            if let n = count(text) { vip = n } else { problems.append(countProblem("vip_beds", text)) }
        }
        if let id, try ReferenceForm.beds.departments(id: id, in: registry) == nil {
            problems.append(
                FormProblem(
                    row: 0, field: nil, code: .sheetInvalidValue,
                    english: "These beds are no longer in the registry (someone deleted them); enter them as new.",
                    chinese: "这条床位记录已不在登记中（可能已被他人删除），请作为新记录录入。"))
        }
        guard problems.isEmpty, var target = unit, let beds else { throw FormRejection(problems) }
        let newID = bedsID(department: target.id, campus: campus)
        if newID != id, let existing = target.beds.first(where: { $0.campusID == campus }) {
            let place = campus.map { c in units.flatMap(\.campuses).first { $0.id == c }?.nameZH ?? c }
            throw FormRejection([
                FormProblem(
                    row: 0, field: "campus", code: .sheetRepeatedRow,
                    english:
                        "The department's beds \(campus.map { "on campus \($0)" } ?? "without a campus") are entered already (\(existing.beds)); correct that entry instead.",
                    chinese: "该科室\(place.map { "在「\($0)」" } ?? "（未分院区）")的床位已登记（\(existing.beds) 张），请修改那一条，不要重复录入。")
            ])
        }
        if let id, id != newID {
            // Moved to another campus or department: the old entry goes.
            let (department, old) = bedsKey(id)
            if department != target.id, var from = units.first(where: { $0.id == department }) {
                from.beds.removeAll { $0.campusID == old }
                try registry.upsert(from)
            } else {
                target.beds.removeAll { $0.campusID == old }
            }
        }
        let entry = BedCount(campusID: campus, beds: beds, vipBeds: vip)
        if let index = target.beds.firstIndex(where: { $0.campusID == campus }) {
            target.beds[index] = entry
        } else {
            target.beds.append(entry)
        }
        try registry.upsert(target)
        return newID
    }

    /// The procedure's id made from its English name (`choledochal-cyst-excision`), or from a digest of the
    /// Chinese one when the English gives none.
    static func procedureID(name: String, nameZH: String, taken: Set<String>) -> String {
        let words = name.lowercased().split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
        var base = String(words.joined(separator: "-").prefix(100))
        if !RecordID.isValid(base) { base = RecordIDs.stable("procedure", [nameZH]) }
        var id = base
        var n = 2
        while taken.contains(id) {
            id = "\(base)-\(n)"
            n += 1
        }
        return id
    }

    static func submitProcedure(_ typed: [String: String], id: String?, into registry: some RegistryWriting) throws
        -> String
    {
        var problems: [FormProblem] = []
        let all = try registry.procedures()
        let old = id.flatMap { id in all.first { $0.id == id } }
        if id != nil && old == nil {
            problems.append(
                FormProblem(
                    row: 0, field: nil, code: .sheetInvalidValue,
                    english: "This procedure is no longer in the vocabulary (someone deleted it); enter it as new.",
                    chinese: "词表中已没有这个术式（可能已被他人删除），请作为新术式录入。"))
        }
        let nameZH = value(typed, "name_zh")
        let name = value(typed, "name")
        if nameZH == nil { problems.append(required("name_zh")) }
        if name == nil { problems.append(required("name")) }
        if let nameZH, !ChineseText.containsHan(nameZH) {
            problems.append(
                FormProblem(
                    row: 0, field: "name_zh", code: .sheetInvalidValue,
                    english: "Write the Chinese name in Chinese characters; the English name has its own field.",
                    chinese: "请用汉字填写中文名称；英文名称另有一栏。"))
        }
        let synonyms = (value(typed, "synonyms") ?? "").split(whereSeparator: { ";；、\n\r".contains($0) }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        var category: String?
        if let text = value(typed, "category") {
            let key = SheetKind.normalise(text)
            category =
                categories.first {
                    ([$0.value, $0.en, $0.zh] + $0.aliases).contains { SheetKind.normalise($0) == key }
                }?
                .value ?? (RecordID.isValid(text) ? text : nil)
            if category == nil {
                problems.append(
                    FormProblem(
                        row: 0, field: "category", code: .sheetInvalidValue,
                        english: "'\(text)' is not one of the choices; pick one from the list.",
                        chinese: "「\(text)」不在可选范围内，请从列表中选择。"))
            }
        } else {
            problems.append(required("category"))
        }
        var grade: Int?
        if let text = value(typed, "grade") {
            let key = SheetKind.normalise(text)
            grade =
                grades.first { ([$0.value, $0.en, $0.zh] + $0.aliases).contains { SheetKind.normalise($0) == key } }
                .flatMap { Int($0.value) }
            if grade == nil {
                problems.append(
                    FormProblem(
                        row: 0, field: "grade", code: .sheetInvalidValue,
                        english: "'\(text)' is not a surgical grade; pick 1, 2, 3 or 4.",
                        chinese: "「\(text)」不是手术分级，请选择一级、二级、三级或四级。"))
            }
        }
        // Each name names this procedure only: otherwise the tally imports could not tell which one is meant.
        let others = ProcedureMatcher(procedures: all.filter { $0.id != id })
        let terms =
            [("name_zh", nameZH), ("name", name)].compactMap { f, t in t.map { (f, $0) } }
            + synonyms.map { ("synonyms", $0) }
        var said = Set<String>()
        for (field, term) in terms {
            switch others.match(term) {
            case .procedure(let other, approach: nil) where said.insert(term).inserted:
                let otherName = other.preferredTermZH.map { "\($0)（\(other.preferredTerm)）" } ?? other.preferredTerm
                problems.append(
                    FormProblem(
                        row: 0, field: field, code: .sheetRepeatedRow,
                        english:
                            "'\(term)' already names the procedure \(other.preferredTerm) (\(other.id)); correct that procedure instead, or write another name.",
                        chinese: "「\(term)」已是术式“\(otherName)”的名称或别名；请修改那个术式，或换一个名称。"))
            case .procedure(_, approach: .some(let approach)) where said.insert(term).inserted:
                let words = ["open": "开放", "laparoscopic": "腹腔镜", "robotic": "机器人", "endoscopic": "内镜"]
                problems.append(
                    FormProblem(
                        row: 0, field: field, code: .sheetInvalidValue,
                        english:
                            "'\(term)' is an existing procedure with an approach (\(approach.rawValue)); the approach is entered with each count, not in the procedure's name.",
                        chinese:
                            "「\(term)」是已有术式加上入路（\(words[approach.rawValue] ?? approach.rawValue)）；入路在录入例数时选择，不写进术式名称。"))
            default: break
            }
        }
        guard problems.isEmpty, let name, let nameZH, let category else { throw FormRejection(problems) }
        let newID = old?.id ?? procedureID(name: name, nameZH: nameZH, taken: Set(all.map(\.id)))
        try registry.upsert(
            Procedure(
                id: newID, preferredTerm: name, synonyms: synonyms, category: category, grade: grade,
                codes: old?.codes ?? [], preferredTermZH: nameZH))
        return newID
    }
}

extension RecordForm {
    /// A department's staff counts, newest first, each as its id and a line in `language` ("主任医师 7 人（截至
    /// 2025-12-31）"); none without a department.
    public static func staffCounts(department: String?, in registry: some RegistryReading, language: SheetLanguage)
        throws -> [(id: String, text: String)]
    {
        guard let department else { return [] }
        // Newest first; within a day, in the order of the categories (chief physicians first).
        let order = Dictionary(uniqueKeysWithValues: Vocabulary.staffCategory.enumerated().map { ($1.value, $0) })
        return try registry.staffCensus().filter { $0.departmentID == department }.sorted {
            ($1.asOf.description, order[$0.category.rawValue] ?? 99) < (
                $0.asOf.description, order[$1.category.rawValue] ?? 99
            )
        }.map { census in
            let choice = Vocabulary.staffCategory.first { $0.value == census.category.rawValue }
            let text =
                language == .zh
                ? "\(choice?.zh ?? census.category.rawValue) \(census.count) 人（截至 \(census.asOf)）"
                : "\(census.count) \(choice?.en ?? census.category.rawValue) (as of \(census.asOf))"
            return (census.id, text)
        }
    }
}

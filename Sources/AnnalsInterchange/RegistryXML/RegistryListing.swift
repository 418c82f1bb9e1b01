public import AnnalsModel
import Foundation

/// A campus as `annals departments` lists it.
public struct CampusRow: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var nameZH: String?
}

/// One organisation unit as `annals departments` lists it (JSON keys as named here).
public struct DepartmentRow: Sendable, Codable, Hashable {
    public var id: String
    /// hospital or department.
    public var kind: String
    public var name: String
    public var nameZH: String?
    public var parent: String?
    /// The unit's own campuses and those it has beds on.
    public var campuses: [CampusRow]
}

/// One person as `annals people` lists them (JSON keys as named here).
public struct PersonRow: Sendable, Codable, Hashable {
    public var id: String
    public var familyName: String
    public var givenName: String
    /// The name in Chinese characters, when the registry has it.
    public var nameZH: String?
    public var clinicalRank: String?
    public var academicTitle: String?
    public var orcid: String?
    public var departments: [String]
}

/// Lists the ids a user needs for questions (`--department`, `--campus`, `--person`, `--surgeon`): the
/// organisation units with their campuses, and the people.
public enum RegistryListing {
    /// Every organisation unit, in id order.
    public static func departments(in registry: some RegistryReading) throws -> [DepartmentRow] {
        let units = try registry.orgUnits()
        var campuses: [String: Campus] = [:]
        for campus in units.flatMap(\.campuses) where campuses[campus.id] == nil { campuses[campus.id] = campus }
        return units.map { unit in
            var ids = unit.campuses.map(\.id)
            for bed in unit.beds { if let c = bed.campusID, !ids.contains(c) { ids.append(c) } }
            return DepartmentRow(
                id: unit.id, kind: unit.kind.rawValue, name: unit.name, nameZH: unit.nameZH, parent: unit.parentID,
                campuses: ids.map { id in
                    campuses[id].map { CampusRow(id: $0.id, name: $0.name, nameZH: $0.nameZH) }
                        ?? CampusRow(id: id, name: id)
                })
        }
    }

    /// Every person, or those of `department` (its id or Chinese name; an unknown one throws
    /// `UnknownReference`), in id order.
    public static func people(in registry: some RegistryReading, department: String? = nil) throws -> [PersonRow] {
        let department = try department.map { try ReferenceCheck.department($0, among: try registry.orgUnits()) }
        return try registry.people().filter { department == nil || $0.departmentIDs.contains(department!) }.map { p in
            PersonRow(
                id: p.id, familyName: p.familyName, givenName: p.givenName,
                nameZH: p.nameVariants.first { $0.kind == .chinese }?.value, clinicalRank: p.clinicalRank?.rawValue,
                academicTitle: p.academicTitle, orcid: p.orcid, departments: p.departmentIDs)
        }
    }

    /// Pretty-printed JSON array, keys sorted.
    public static func json<Row: Encodable>(_ rows: [Row]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(rows), as: UTF8.self)
    }

    /// RFC 4180 CSV with a header row; campuses as ids separated by "; ".
    public static func csv(_ rows: [DepartmentRow]) -> String {
        var out = CSVWriter.line(["id", "kind", "name", "name_zh", "parent", "campuses"])
        for r in rows {
            out += CSVWriter.line([
                r.id, r.kind, r.name, r.nameZH ?? "", r.parent ?? "", r.campuses.map(\.id).joined(separator: "; "),
            ])
        }
        return out
    }

    /// RFC 4180 CSV with a header row; departments separated by "; ".
    public static func csv(_ rows: [PersonRow]) -> String {
        var out = CSVWriter.line([
            "id", "family_name", "given_name", "name_zh", "clinical_rank", "academic_title", "orcid", "departments",
        ])
        for r in rows {
            out += CSVWriter.line([
                r.id, r.familyName, r.givenName, r.nameZH ?? "", r.clinicalRank ?? "", r.academicTitle ?? "",
                r.orcid ?? "",
                r.departments.joined(separator: "; "),
            ])
        }
        return out
    }

    /// A plain table for reading in a terminal, then the campuses with their names.
    public static func table(_ rows: [DepartmentRow]) -> String {
        var lines = columns(
            ["ID", "KIND", "NAME", "中文名", "CAMPUSES"],
            rows.map { [$0.id, $0.kind, $0.name, $0.nameZH ?? "", $0.campuses.map(\.id).joined(separator: ", ")] })
        lines.append("\(rows.count) organisation unit\(rows.count == 1 ? "" : "s")")
        var campuses: [CampusRow] = []
        for campus in rows.flatMap(\.campuses) where !campuses.contains(campus) { campuses.append(campus) }
        if !campuses.isEmpty {
            lines.append("")
            lines.append("Campuses (for --campus):")
            lines += columns(nil, campuses.map { ["  " + $0.id, $0.name, $0.nameZH ?? ""] })
        }
        return lines.joined(separator: "\n")
    }

    /// A plain table for reading in a terminal.
    public static func table(_ rows: [PersonRow]) -> String {
        var lines = columns(
            ["ID", "NAME", "中文名", "RANK", "DEPARTMENTS"],
            rows.map {
                [
                    $0.id, "\($0.familyName) \($0.givenName)", $0.nameZH ?? "", $0.clinicalRank ?? "",
                    $0.departments.joined(separator: ", "),
                ]
            })
        lines.append("\(rows.count) \(rows.count == 1 ? "person" : "people")")
        return lines.joined(separator: "\n")
    }

    /// Lines of left-aligned columns two spaces apart, Chinese characters counted as two columns wide.
    static func columns(_ header: [String]?, _ rows: [[String]]) -> [String] {
        let all = (header.map { [$0] } ?? []) + rows
        guard let count = all.first?.count else { return [] }
        let widths = (0..<count).map { i in all.map { width($0[i]) }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - width(cell) + 2)
            }.joined().trimmingTrailingSpaces()
        }
    }

    /// Terminal columns: East Asian wide characters take two.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, s in
            let v = s.value
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return total + (wide ? 2 : 1)
        }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

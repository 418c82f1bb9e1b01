// The office targets: `xlsx` (a workbook as `annals import xlsx` reads it) and `values` (the tally CSV, the
// record forms and the words and dates they are written in). docs/fuzzing.md says why each input is shaped as
// it is.
import AnnalsInterchange
import AnnalsModel
import AnnalsOffice
import Foundation

enum OfficeFuzz {
    /// The registry rows are read against; set in `LLVMFuzzerInitialize`.
    nonisolated(unsafe) static var registry: FuzzRegistry!
    nonisolated(unsafe) static var matcher: ProcedureMatcher!

    static func initialize() throws {
        registry = try FuzzRegistry.sample()
        matcher = ProcedureMatcher(procedures: registry.content.procedures)
    }

    // MARK: xlsx

    /// One workbook read whole and every sheet's rows turned into records, as `annals import xlsx` does up to
    /// storing (`XLSXImport.read`). An input whose first byte is odd is a list of parts (see `parts`) stored in
    /// a well-formed ZIP archive made here, so that mutations reach the workbook's XML instead of failing the
    /// archive's checksums; any other input is the file itself.
    static func xlsx(_ bytes: UnsafeBufferPointer<UInt8>, scratch: URL) {
        let file: Data
        if let first = bytes.first, first & 1 == 1 {
            file = StoredZIP.archive(parts(bytes.dropFirst()))
        } else {
            file = Data(buffer: bytes)
        }
        write(file, to: scratch)
        _ = try? XLSXImport.read(files: [(scratch, "fuzz.xlsx")], registry: registry!)
    }

    /// The parts of an archive written as `path\ncontent`, parts separated by NUL.
    static func parts(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> [(path: [UInt8], content: [UInt8])] {
        bytes.split(separator: 0, omittingEmptySubsequences: true).map { part in
            guard let newline = part.firstIndex(of: UInt8(ascii: "\n")) else { return (Array(part), []) }
            return (Array(part[..<newline]), Array(part[(newline + 1)...]))
        }
    }

    // MARK: values

    /// The first byte chooses the parser (its value modulo 3): 0, the tally CSV (`TallyImporter.read`: CSV
    /// structure, column names, procedures, approaches, Chinese unit, campus and surgeon names, dates, counts);
    /// 1, a record form (`RecordForm.submit`, stopped before storing: the kind from the next byte, rows on
    /// lines, fields separated by tabs in the form's order); 2, each line through the word and date parsers on
    /// their own.
    static func values(_ bytes: UnsafeBufferPointer<UInt8>, scratch: URL) {
        guard let first = bytes.first else { return }
        let rest = bytes.dropFirst()
        switch first % 3 {
        case 0:
            write(Data(rest), to: scratch)
            _ = try? TallyImporter.read(file: scratch, displayName: "fuzz.csv", registry: registry!)
        case 1:
            guard let selector = rest.first else { return }
            let kind = SheetKind.allCases[Int(selector & 0x7F) % SheetKind.allCases.count]
            let keys = RecordForm.fields(kind).map(\.key)
            let text = String(decoding: rest.dropFirst(), as: UTF8.self)
            let rows = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                var row: [String: String] = [:]
                for (key, value) in zip(keys, line.split(separator: "\t", omittingEmptySubsequences: false)) {
                    row[key] = String(value)
                }
                return row
            }
            // A secretary's form may credit only their own departments.
            let departments: Set<String>? = selector & 0x80 != 0 ? ["general-surgery"] : nil
            _ = try? RecordForm.submit(kind, rows: rows, departments: departments, into: registry!)
        default:
            let text = String(decoding: rest, as: UTF8.self)
            for line in text.split(separator: "\n") {
                words(String(line))
            }
        }
    }

    /// The parsers a form's or a sheet's value goes through, each on `text`.
    static func words(_ text: String) {
        _ = PartialDate(text)
        _ = Day(text)
        _ = DecimalNumber(text)
        _ = ApproachWords.approach(named: text)
        _ = ChineseText.isHanOnly(text)
        _ = ChineseName.split(text)
        _ = TallyColumnNames.canonical(text)
        _ = SheetKind.normalise(text)
        _ = CellReference(text)
        _ = SpreadsheetDates.isDateFormat(text)
        if let serial = Double(text) {
            _ = SpreadsheetDates.date(serial: serial, system1904: false)?.description
            _ = SpreadsheetDates.date(serial: serial, system1904: true)?.description
        }
        _ = matcher.match(text)
        _ = try? ReferenceCheck.department(text, among: registry.content.orgUnits)
        _ = try? ReferenceCheck.campus(text, among: registry.content.orgUnits)
        _ = try? ReferenceCheck.person(text, among: registry.content.people)
        for kind in SheetKind.allCases { _ = kind.column(named: text) }
    }

    static func write(_ data: Data, to url: URL) {
        guard FileManager.default.createFile(atPath: url.path, contents: data) else {
            FileHandle.standardError.write(Data("annals-fuzz: cannot write \(url.path)\n".utf8))
            exit(2)
        }
    }

    // MARK: Seeds the code writes

    /// Writes seeds only Annals itself can make into `folder` (scripts/fuzz.sh): for `xlsx`, the workbooks
    /// Annals writes; for `values`, forms filled with the sample registry's records and with the words
    /// Chinese offices write.
    static func writeSeeds(target: String, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if target == "xlsx" {
            try writeWorkbooks(to: folder)
        } else {
            try writeForms(to: folder)
        }
    }

    /// Values written the way research offices and departments write them, by field.
    static let officeWords: [[String: String]] = [
        [
            "title": "小儿腹腔镜手术的临床研究", "funder": "国家自然科学基金委员会", "programme": "面上项目", "level": "国家级",
            "grant_number": "82070001", "principal_investigator": "高志刚", "departments": "普外科", "start": "2025/3/1",
            "end": "2028年12月", "amount": "52万", "currency": "", "status": "在研",
        ],
        ["title": "重大专项", "funder": "科技部", "level": "省部级", "start": "2025.1", "amount": "1.2亿", "status": "结题"],
        ["title": "横向课题", "funder": "企业", "level": "其他", "start": "2025", "amount": "1,200,000元", "status": "在研"],
        [
            "procedure": "腹腔镜胆总管囊肿切除术", "approach": "腹腔镜", "department": "普外科", "campus": "滨江院区",
            "surgeon": "高志刚", "from": "2025/3/1", "to": "2025年3月31日", "count": "12", "source": "手术室登记",
        ],
        [
            "procedure": "巨结肠根治术", "approach": "中转开腹", "department": "general-surgery", "from": "2025-01",
            "to": "2025-06", "count": "7",
        ],
        [
            "title": "腹腔镜下胆总管囊肿切除", "authors": "高志刚、陈青江", "corresponding_author": "高志刚",
            "journal": "中华小儿外科杂志", "published": "2024年5月", "year": "2024", "type": "论著",
            "departments": "普外科", "doi": "10.3760/cma.j.cn421158-20240101-00001", "pmid": "38000001",
        ],
        [
            "kind": "发明专利", "title": "一种腹腔镜器械", "application_number": "CN202410000001.X", "inventors": "高志刚；陈青江",
            "filed": "2024/3/1", "granted": "2025.6.30", "status": "已授权", "departments": "普外科",
        ],
        [
            "name": "浙江省科学技术进步奖", "grade": "一等奖", "level": "省部级", "year": "2024", "recipients": "高志刚、陈青江",
            "departments": "普外科",
        ],
        [
            "chinese_name": "高志刚", "clinical_rank": "主任医师", "academic_title": "教授", "degree": "博士",
            "supervisor": "博士生导师、硕士生导师", "departments": "普外科", "orcid": "0000-0002-1825-0097",
        ],
        ["department": "普外科", "category": "医师", "count": "45", "as_of": "2025/1/1", "note": "在编"],
    ]

    /// Form seeds: `1`, the kind, then a row per line with the fields in the form's order, separated by tabs.
    static func writeForms(to folder: URL) throws {
        for (index, kind) in SheetKind.allCases.enumerated() {
            let keys = RecordForm.fields(kind).map(\.key)
            func line(_ values: [String: String]) -> String { keys.map { values[$0] ?? "" }.joined(separator: "\t") }
            var rows: [[String: String]] = officeWords.filter { words in words.keys.contains { keys.contains($0) } }
            let ids: [String]
            switch kind {
            case .tallies: ids = content.tallies.prefix(8).map(\.id)
            case .projects: ids = content.projects.prefix(8).map(\.id)
            case .papers: ids = content.publications.prefix(8).map(\.id)
            case .patents: ids = content.patents.prefix(8).map(\.id)
            case .awards: ids = content.awards.prefix(8).map(\.id)
            case .people: ids = content.people.prefix(8).map(\.id)
            case .staff: ids = content.staffCensus.prefix(8).map(\.id)
            }
            for id in ids {
                for language in SheetLanguage.allCases {
                    if let values = try RecordForm.values(of: kind, id: id, in: registry!, language: language) {
                        rows.append(values)
                    }
                }
            }
            for (number, row) in rows.enumerated() {
                let text = "1" + String(UnicodeScalar(UInt8(index))) + line(row)
                try Data(text.utf8).write(to: folder.appendingPathComponent("form-\(kind)-\(number)"))
            }
            // Several rows in one form (a month grid of tallies, a list of people).
            let many = "1" + String(UnicodeScalar(UInt8(index))) + rows.map(line).joined(separator: "\n")
            try Data(many.utf8).write(to: folder.appendingPathComponent("form-\(kind)-rows"))
        }
    }

    static var content: RegistryContent { registry.content }

    /// Writes the workbooks Annals itself writes into `folder`: every template, in both languages, and every
    /// kind's export of the sample registry (seeds for the `xlsx` target; scripts/fuzz.sh).
    static func writeWorkbooks(to folder: URL) throws {
        for kind in SheetKind.allCases {
            for language in SheetLanguage.allCases {
                let template = try OfficeTables.template(kind, language: language, units: registry.content.orgUnits)
                try template.write(to: folder.appendingPathComponent("template-\(kind)-\(language).xlsx"))
                let export = try OfficeTables.export(
                    kind, from: registry!, selection: OfficeTables.Selection(), language: language)
                try export.write(to: folder.appendingPathComponent("export-\(kind)-\(language).xlsx"))
            }
        }
    }
}

/// A ZIP archive of stored (uncompressed) parts with correct sizes and checksums.
enum StoredZIP {
    static func archive(_ parts: [(path: [UInt8], content: [UInt8])]) -> Data {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func le16(_ v: Int, _ into: inout [UInt8]) { into += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func le32(_ v: UInt32, _ into: inout [UInt8]) { into += (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        for (path, content) in parts.prefix(0xFFFF) {
            let name = Array(path.prefix(0xFFFF))
            let crc = crc32(content)
            let offset = UInt32(out.count)
            le32(0x0403_4B50, &out)
            le16(20, &out)  // version needed
            le16(0, &out)  // flags
            le16(0, &out)  // stored
            le16(0, &out)  // time
            le16(0x21, &out)  // 1980-01-01
            le32(crc, &out)
            le32(UInt32(content.count), &out)
            le32(UInt32(content.count), &out)
            le16(name.count, &out)
            le16(0, &out)  // extra
            out += name
            out += content

            le32(0x0201_4B50, &central)
            le16(20, &central)  // made by
            le16(20, &central)  // needed
            le16(0, &central)
            le16(0, &central)
            le16(0, &central)
            le16(0x21, &central)
            le32(crc, &central)
            le32(UInt32(content.count), &central)
            le32(UInt32(content.count), &central)
            le16(name.count, &central)
            le16(0, &central)  // extra
            le16(0, &central)  // comment
            le16(0, &central)  // disk
            le16(0, &central)  // internal attributes
            le32(0, &central)  // external attributes
            le32(offset, &central)
            central += name
        }
        let centralOffset = UInt32(out.count)
        let count = min(parts.count, 0xFFFF)
        out += central
        le32(0x0605_4B50, &out)
        le16(0, &out)
        le16(0, &out)
        le16(count, &out)
        le16(count, &out)
        le32(UInt32(central.count), &out)
        le32(centralOffset, &out)
        le16(0, &out)  // comment
        return Data(out)
    }

    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

extension Diagnostic {
    /// What kind of problem a diagnostic reports, as a stable dotted name (`csv.controlCharacter`).
    ///
    /// Programs (the web front end, scripts) match on the code, never on the message, whose words may
    /// change. Every code is listed in ``all`` and explained in docs/diagnostics.md; a test keeps the two
    /// in step. JSON writes a code as its name.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) { self.rawValue = rawValue }

        private init(_ rawValue: String) { self.rawValue = rawValue }

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        public var description: String { rawValue }

        // MARK: Files

        /// There is no file at the path given.
        public static let fileMissing = Code("file.missing")
        /// The path names a folder, not a file.
        public static let fileIsFolder = Code("file.isFolder")
        /// The file is larger than Annals reads for its kind.
        public static let fileTooLarge = Code("file.tooLarge")
        /// The file could not be opened or read (permissions, a device, a truncated compressed file).
        public static let fileUnreadable = Code("file.unreadable")

        // MARK: XML

        /// libxml2 found the file not well-formed XML (or in an encoding it cannot read).
        public static let xmlMalformed = Code("xml.malformed")
        /// The file is well-formed but not valid against the schema.
        public static let xmlSchema = Code("xml.schema")
        /// The file declares or refers to an entity, which Annals refuses.
        public static let xmlEntity = Code("xml.entity")
        /// A text in the file is longer than Annals accepts in one field.
        public static let xmlTextTooLong = Code("xml.textTooLong")
        /// More problems were found than are shown.
        public static let xmlTooManyProblems = Code("xml.tooManyProblems")
        /// A schema shipped with Annals or given to it could not be compiled.
        public static let xmlSchemaUnusable = Code("xml.schemaUnusable")
        /// XML output could not be written.
        public static let xmlWrite = Code("xml.write")

        // MARK: CSV

        /// The file is not UTF-8.
        public static let csvNotUTF8 = Code("csv.notUTF8")
        /// The file is UTF-16 text (Excel's "Unicode Text"), not CSV in UTF-8.
        public static let csvUTF16 = Code("csv.utf16")
        /// A field holds a control character (or U+FFFE/U+FFFF) the registry cannot keep.
        public static let csvControlCharacter = Code("csv.controlCharacter")
        /// A field is longer than the registry keeps in one field (1,000,000 bytes).
        public static let csvFieldTooLong = Code("csv.fieldTooLong")
        /// A quoted field is never closed.
        public static let csvUnclosedQuote = Code("csv.unclosedQuote")
        /// Text follows the closing quote of a quoted field.
        public static let csvTextAfterQuote = Code("csv.textAfterQuote")
        /// A quote inside a field that does not start with one.
        public static let csvStrayQuote = Code("csv.strayQuote")
        /// The file has no header row.
        public static let csvNoHeader = Code("csv.noHeader")
        /// The header names a column Annals does not know.
        public static let csvUnknownColumn = Code("csv.unknownColumn")
        /// The header names a column twice.
        public static let csvDuplicateColumn = Code("csv.duplicateColumn")
        /// The header lacks a column that is required.
        public static let csvMissingColumn = Code("csv.missingColumn")
        /// A row has more fields than the header, or a value under an unnamed column.
        public static let csvFieldCount = Code("csv.fieldCount")

        // MARK: Case tallies

        /// A value in a tally row is wrong or missing (unknown procedure, department, a bad date or count).
        public static let tallyInvalidValue = Code("tally.invalidValue")
        /// The same tally (id, or series and period) is given twice.
        public static let tallyRepeated = Code("tally.repeated")
        /// A tally would count operations that another already counts.
        public static let tallyOverlap = Code("tally.overlap")
        /// The registry handed the overlap check its tallies out of order: a fault in Annals.
        public static let tallyOrderFault = Code("tally.orderFault")
        /// A tally uploaded by a department secretary is for a department that is not theirs.
        public static let tallyOtherDepartment = Code("tally.otherDepartment")

        // MARK: Journal lists

        /// A value in a journal list row is wrong or missing (ISSN, year, impact factor, quartile, zone).
        public static let journalsInvalidValue = Code("journals.invalidValue")
        /// An entry's ISSNs belong to two registry journals, or its id is taken by another journal.
        public static let journalsConflict = Code("journals.conflict")
        /// The same journal and year are given twice.
        public static let journalsRepeatedYear = Code("journals.repeatedYear")
        /// Warning: an ISSN differs from the one the registry keeps.
        public static let journalsISSNDiffers = Code("journals.issnDiffers")

        // MARK: Registry XML

        /// A record breaks a rule the schema cannot express (a date, an ORCID, a period, a parent).
        public static let registryInvalidRecord = Code("registry.invalidRecord")
        /// A record is defined in two of the files imported together.
        public static let registryDuplicateRecord = Code("registry.duplicateRecord")
        /// A record names another that is neither in the files nor in the registry.
        public static let registryUnknownReference = Code("registry.unknownReference")
        /// A registry record holds a count the registry format cannot hold (export).
        public static let registryCountOutOfBound = Code("registry.countOutOfBound")

        // MARK: Office files (.xlsx, .docx)

        /// The file is not an Office Open XML file (not a ZIP archive).
        public static let officeNotOffice = Code("office.notOffice")
        /// The file is an old binary Excel or Word file (.xls, .doc).
        public static let officeOldFormat = Code("office.oldFormat")
        /// The file is protected with a password.
        public static let officeEncrypted = Code("office.encrypted")
        /// The file would unpack to more than Annals reads, or grows like a ZIP bomb.
        public static let officeTooLarge = Code("office.tooLarge")
        /// The file's archive or one of its parts is damaged or missing.
        public static let officeDamaged = Code("office.damaged")
        /// No sheet of the workbook has a header row Annals knows.
        public static let sheetNoTable = Code("sheet.noTable")
        /// A header cell names a column twice, or a column the kind needs is missing.
        public static let sheetColumn = Code("sheet.column")
        /// A cell holds a value its column cannot take (a date that is not a date, an unknown level).
        public static let sheetInvalidValue = Code("sheet.invalidValue")
        /// Two rows give the same record (the same id).
        public static let sheetRepeatedRow = Code("sheet.repeatedRow")

        // MARK: CERIF

        /// The file is not an OpenAIRE CERIF file.
        public static let cerifNotCerif = Code("cerif.notCerif")
        /// A CERIF record cannot be read into the registry.
        public static let cerifInvalidRecord = Code("cerif.invalidRecord")

        // MARK: PubMed

        /// The file is not a PubMed file.
        public static let pubmedNotPubMed = Code("pubmed.notPubMed")
        /// A PubMed record lacks what a paper needs (PMID, title); it is skipped.
        public static let pubmedIncompleteRecord = Code("pubmed.incompleteRecord")

        // MARK: EndNote

        /// The file is not an EndNote XML export.
        public static let endnoteNotEndNote = Code("endnote.notEndNote")
        /// An EndNote record lacks what a paper needs (title, record number).
        public static let endnoteIncompleteRecord = Code("endnote.incompleteRecord")

        // MARK: Questions

        /// A question names a department, person, surgeon or campus the registry does not hold.
        public static let unknownReference = Code("query.unknownReference")
        /// A question names a year that is not a plausible four-digit year.
        public static let invalidYear = Code("query.invalidYear")
        /// A report or profile was asked for a department the registry does not hold.
        public static let unknownDepartment = Code("query.unknownDepartment")

        // MARK: The store

        /// There is no registry at the path given.
        public static let storeMissing = Code("store.missing")
        /// The registry could not be opened.
        public static let storeCannotOpen = Code("store.cannotOpen")
        /// The file or database is not an Annals registry.
        public static let storeNotARegistry = Code("store.notARegistry")
        /// The registry was written by a newer Annals.
        public static let storeTooNew = Code("store.tooNew")
        /// The registry is busy (another write is running).
        public static let storeBusy = Code("store.busy")
        /// A write would break a rule of the registry (a reference, a unique key).
        public static let storeConstraint = Code("store.constraint")
        /// The registry is damaged.
        public static let storeDamaged = Code("store.damaged")
        /// The disk is full.
        public static let storeDiskFull = Code("store.diskFull")
        /// Another problem of the store.
        public static let storeOther = Code("store.other")

        // MARK: Annals itself

        /// An error Annals has no code for; its message says what it is.
        public static let unexpected = Code("internal.unexpected")

        /// Every code Annals uses, in the order docs/diagnostics.md lists them.
        public static let all: [Code] = [
            .fileMissing, .fileIsFolder, .fileTooLarge, .fileUnreadable,
            .xmlMalformed, .xmlSchema, .xmlEntity, .xmlTextTooLong, .xmlTooManyProblems, .xmlSchemaUnusable, .xmlWrite,
            .csvNotUTF8, .csvUTF16, .csvControlCharacter, .csvFieldTooLong, .csvUnclosedQuote, .csvTextAfterQuote,
            .csvStrayQuote, .csvNoHeader, .csvUnknownColumn, .csvDuplicateColumn, .csvMissingColumn, .csvFieldCount,
            .tallyInvalidValue, .tallyRepeated, .tallyOverlap, .tallyOrderFault, .tallyOtherDepartment,
            .journalsInvalidValue, .journalsConflict, .journalsRepeatedYear, .journalsISSNDiffers,
            .registryInvalidRecord, .registryDuplicateRecord, .registryUnknownReference, .registryCountOutOfBound,
            .officeNotOffice, .officeOldFormat, .officeEncrypted, .officeTooLarge, .officeDamaged,
            .sheetNoTable, .sheetColumn, .sheetInvalidValue, .sheetRepeatedRow,
            .cerifNotCerif, .cerifInvalidRecord,
            .pubmedNotPubMed, .pubmedIncompleteRecord,
            .endnoteNotEndNote, .endnoteIncompleteRecord,
            .unknownReference, .invalidYear, .unknownDepartment,
            .storeMissing, .storeCannotOpen, .storeNotARegistry, .storeTooNew, .storeBusy, .storeConstraint,
            .storeDamaged, .storeDiskFull, .storeOther,
            .unexpected,
        ]
    }
}

import AnnalsModel
import Foundation

/// The OpenAIRE Guidelines for CRIS Managers 1.2 (CERIF-XML): namespaces, the COAR and OpenAIRE
/// vocabularies Annals maps to, and how Annals ids become CERIF ids and back.
/// What maps to what, and what is left out, is in `docs/cerif-mapping.md`.
public enum Cerif {
    /// The namespace of the CERIF entities.
    public static let namespace = "https://www.openaire.eu/cerif-profile/1.2/"
    /// The entity namespaces Annals reads: profile 1.2 (what it writes) and 1.1 (what many CRISs still serve,
    /// DSpace-CRIS among them). The entities Annals reads are the same in both.
    public static let namespaces: Set<String> = [namespace, "https://www.openaire.eu/cerif-profile/1.1/"]
    /// The namespace of the OAI-PMH envelope the entities travel in.
    public static let oaiNamespace = "http://www.openarchives.org/OAI/2.0/"
    static let publicationTypes = "https://www.openaire.eu/cerif-profile/vocab/COAR_Publication_Types"
    static let patentTypes = "https://www.openaire.eu/cerif-profile/vocab/COAR_Patent_Types"
    static let fundingTypes = "https://www.openaire.eu/cerif-profile/vocab/OpenAIRE_Funding_Types"
    static let issnPrint = "http://issn.org/vocabularies/Medium#Print"
    static let issnOnline = "http://issn.org/vocabularies/Medium#Online"
    static let projectReference = "https://w3id.org/cerif/vocab/IdentifierTypes#ProjectReference"
    static let coar = "http://purl.org/coar/resource_type/"
    static let pubmedURL = "https://pubmed.ncbi.nlm.nih.gov/"

    /// The CERIF entity kinds Annals reads and writes, with their id prefix and OAI-PMH set.
    enum Entity: String, CaseIterable {
        case orgUnit = "OrgUnit"
        case person = "Person"
        case project = "Project"
        case funding = "Funding"
        case publication = "Publication"
        case patent = "Patent"

        var idPrefix: String {
            switch self {
            case .orgUnit: "OrgUnits/"
            case .person: "Persons/"
            case .project: "Projects/"
            case .funding: "Fundings/"
            case .publication: "Publications/"
            case .patent: "Patents/"
            }
        }

        var set: String {
            switch self {
            case .orgUnit: "openaire_cris_orgunits"
            case .person: "openaire_cris_persons"
            case .project: "openaire_cris_projects"
            case .funding: "openaire_cris_funding"
            case .publication: "openaire_cris_publications"
            case .patent: "openaire_cris_patents"
            }
        }
    }

    /// The CERIF id of an Annals record: `Persons/gao-zhigang`. CERIF ids have at most 128 characters;
    /// a longer one keeps its start and ends in a digest of the whole Annals id, so it stays unique.
    static func id(_ entity: Entity, _ annalsID: String) -> String {
        let id = entity.idPrefix + annalsID
        guard id.count > 128 else { return id }
        var digest = SHA256()
        digest.update(Array(annalsID.utf8))
        return String(id.prefix(128 - 17)) + "-" + digest.finalize().prefix(16)
    }

    /// The Annals id for a CERIF id: the part after the entity's prefix when it is already a valid
    /// Annals id (so exported records come back under their own ids), otherwise that part lower-cased
    /// with every other character replaced by "-" ("Persons/2123451" → "2123451",
    /// "OrgUnits/ABC 12" → "abc-12"); nil when nothing usable is left.
    static func annalsID(_ cerifID: String, _ entity: Entity) -> String? {
        var rest = Substring(cerifID)
        if rest.hasPrefix(entity.idPrefix) { rest = rest.dropFirst(entity.idPrefix.count) }
        if RecordID.isValid(String(rest)) { return String(rest) }
        var out = ""
        for scalar in rest.lowercased().unicodeScalars {
            let ok =
                (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || scalar == "." || scalar == "_"
            if ok {
                out.unicodeScalars.append(scalar)
            } else if out.last != "-" {
                out += "-"
            }
        }
        while let first = out.first, !(first.isASCII && (first.isLetter || first.isNumber)) { out.removeFirst() }
        while out.last == "-" { out.removeLast() }
        if out.count > 128 { out = String(out.prefix(128)) }
        return RecordID.isValid(out) ? out : nil
    }

    // MARK: - COAR publication types

    /// The COAR resource type a publication kind is written as. A case report has no COAR type of its
    /// own and is written as a journal article; a retraction notice or "other" as "text".
    static func coarType(_ kind: Publication.Kind) -> String {
        let code: String =
            switch kind {
            case .journalArticle, .caseReport: "c_6501"  // journal article
            case .review: "c_dcae04bc"  // review article
            case .editorial: "c_b239"  // editorial
            case .letter: "c_545b"  // letter to the editor
            case .conferencePaper: "c_5794"  // conference paper
            case .book: "c_2f33"  // book
            case .bookChapter: "c_3248"  // book part
            case .erratum: "c_7acd"  // corrigendum
            case .retractionNotice, .other: "c_18cf"  // text
            }
        return coar + code
    }

    /// What a COAR publication type means to Annals: a publication kind, a journal (a record of its
    /// own in Annals), or nil for a type Annals keeps as "other".
    enum PublicationType: Equatable {
        case publication(Publication.Kind)
        case journal
    }

    static func publicationType(_ uri: String) -> PublicationType {
        guard uri.hasPrefix(coar) else { return .publication(.other) }
        switch String(uri.dropFirst(coar.count)) {
        case "c_0640": return .journal
        case "c_6501", "c_2df8fbb1", "c_beb9", "c_7877": return .publication(.journalArticle)
        case "c_dcae04bc", "c_efa0": return .publication(.review)
        case "c_b239": return .publication(.editorial)
        case "c_545b", "c_0857": return .publication(.letter)
        case "c_5794", "c_18cp": return .publication(.conferencePaper)
        case "c_2f33": return .publication(.book)
        case "c_3248": return .publication(.bookChapter)
        case "c_7acd": return .publication(.erratum)
        default: return .publication(.other)
        }
    }

    // MARK: - COAR patent types

    static func coarType(_ kind: Patent.Kind) -> String {
        switch kind {
        case .invention: coar + "c_15cd"  // patent
        case .utilityModel: coar + "9DKX-KSAF"  // utility model
        case .design: coar + "C53B-JCY5"  // design patent
        }
    }

    /// The patent kind for a COAR patent type; other types (PCT application, plant patent, …) are
    /// read as invention patents, the general kind.
    static func patentKind(_ uri: String) -> Patent.Kind {
        switch uri {
        case coar + "9DKX-KSAF": .utilityModel
        case coar + "C53B-JCY5": .design
        default: .invention
        }
    }

    // MARK: - Values

    /// An ORCID iD as the profile writes it, when the profile's pattern accepts it.
    static func orcidURI(_ orcid: String) -> String? {
        let uri = "https://orcid.org/" + orcid
        let digits = Array(orcid.utf8)
        guard digits.count == 19 else { return nil }
        // The profile accepts the blocks ORCID has issued: 0000-0001-5… to 0000-0003-4…, 0000-0003-5000-0001, 0009-00….
        if orcid.hasPrefix("0009-00") { return uri }
        guard orcid.hasPrefix("0000-000") else { return nil }
        let block = digits[8]
        let next = digits[10]
        switch block {
        case UInt8(ascii: "1"): return next >= UInt8(ascii: "5") ? uri : nil
        case UInt8(ascii: "2"): return uri
        case UInt8(ascii: "3"): return next <= UInt8(ascii: "4") || orcid == "0000-0003-5000-0001" ? uri : nil
        default: return nil
        }
    }

    /// True for an ISSN the profile accepts (`1234-567X`).
    static func isISSN(_ text: String) -> Bool {
        let chars = Array(text)
        guard chars.count == 9, chars[4] == "-" else { return false }
        let digits = chars[0..<4] + chars[5..<8]
        return digits.allSatisfy { $0.isASCII && $0.isNumber }
            && (chars[8].isASCII && chars[8].isNumber || chars[8] == "X")
    }

    /// True for a DOI the profile accepts (`10.NNNN/…`, no white space).
    static func isDOI(_ text: String) -> Bool {
        guard text.hasPrefix("10."), let slash = text.firstIndex(of: "/"), !text.contains(where: \.isWhitespace) else {
            return false
        }
        let prefix = text[text.index(text.startIndex, offsetBy: 3)..<slash].split(
            separator: ".", omittingEmptySubsequences: false)
        guard let registrant = prefix.first, registrant.count >= 4, text.index(after: slash) < text.endIndex else {
            return false
        }
        return prefix.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}

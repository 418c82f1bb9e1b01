import AnnalsDiagnostics
import AnnalsModel
import AnnalsXML
import Foundation

/// Reads a PubMed file as XML events, gathering each `PubmedArticle` straight into its parts without
/// building the whole record as a tree: the authors, MeSH headings, keywords and identifiers of a
/// baseline file are most of its elements, and as trees they cost more than the parse itself.
/// Titles, abstracts and other small parts with markup or structure are still taken as trees, and
/// made into a publication by the same code as `PubMedReader.article` (`PubMedReader.publication`).
/// Books, chapters and deletions are read as trees. The tests check that both ways give the same
/// items for every corpus file.
final class PubMedEvents: XMLEventHandler {
    private let fileName: String
    private let displayName: String
    private let emit: (PubMedItem) throws -> Void

    /// What an element read as events is, for the elements inside it.
    private enum Frame {
        case articleSet, article, citation, articleBody,
            /// A `MedlineCitation` standing alone in a `MedlineCitationSet` (leased MEDLINE files before 2017): the
            /// citation is the whole record, without PubmedData.
            bareCitation, authorList, author, affiliationInfo, meshList, meshHeading
        case keywordList, publicationTypeList, pubmedData, articleIDList
        /// An element whose text is wanted; elements inside it add their text.
        case field(Field)
    }

    /// Elements whose text makes one value.
    private enum Field {
        case pmid, lastName, foreName, initials, affiliation, legacyAffiliation, orcid, descriptorName, keyword
        case publicationType, language
        case articleID(type: String?)
    }

    /// What changes while reading, behind a pointer: the callbacks touch it for every tag, and a class's
    /// stored properties would cost a dynamic exclusivity check on each access.
    private struct State {
        var frames: [Frame] = []
        /// The text of the innermost field being read, and how many elements deep inside it the reader is.
        var text: [UInt8] = []
        var fieldDepth = 0
        var parts: PubMedReader.ArticleParts?
        /// Singular parts already taken (the first of each name counts, as `XMLElement.child` finds it).
        var taken: Set<String> = []
        var authors: [Author] = []
        var author = AuthorParts()
        var meshHeadingName: String??
        /// DateRevised, DateCompleted and DateCreated, in the order they are preferred.
        var revised: [XMLElement?] = [nil, nil, nil]
    }

    private let s: UnsafeMutablePointer<State>

    private struct AuthorParts {
        var valid = true
        var equalContribution = false
        var familyName: String??
        var givenName: String??
        var initials: String??
        var collectiveName: XMLElement?
        var orcid: String?
        var affiliations: [String] = []
        /// The first Affiliation of the AffiliationInfo being read, once seen.
        var affiliationInfo: String??
    }

    init(fileName: String, displayName: String, emit: @escaping (PubMedItem) throws -> Void) {
        self.fileName = fileName
        self.displayName = displayName
        self.emit = emit
        s = UnsafeMutablePointer<State>.allocate(capacity: 1)
        s.initialize(to: State())
    }

    deinit {
        s.deinitialize(count: 1)
        s.deallocate()
    }

    // MARK: - Events

    func startElement(_ element: XMLStartTag) throws -> XMLElementHandling {
        let name = element.name
        guard let frame = s.pointee.frames.last else { return try rootElement(element) }
        switch frame {
        case .field:
            s.pointee.fieldDepth += 1
            return .events
        case .articleSet:
            switch name {
            case "PubmedArticle": return beginArticle(element)
            case "MedlineCitation": return beginBareCitation(element)
            case "PubmedBookArticle", "DeleteCitation": return .tree
            default: return .skip
            }
        case .article:
            switch name {
            case "MedlineCitation": return once(name, .citation)
            case "PubmedData": return once(name, .pubmedData)
            default: return .skip
            }
        case .citation, .bareCitation:
            switch name {
            case "PMID": return s.pointee.taken.insert("PMID").inserted ? field(.pmid) : .skip
            case "Article": return once(name, .articleBody)
            case "KeywordList": return push(.keywordList)
            case "MeshHeadingList": return once(name, .meshList)
            case "DateRevised", "DateCompleted", "DateCreated", "MedlineJournalInfo", "CommentsCorrectionsList":
                return s.pointee.taken.contains(name) ? .skip : .tree
            default: return .skip
            }
        case .articleBody:
            switch name {
            case "AuthorList": return once(name, .authorList)
            case "PublicationTypeList": return once(name, .publicationTypeList)
            case "Language": return field(.language)
            case "Affiliation":
                return s.pointee.taken.insert("Article/Affiliation").inserted ? field(.legacyAffiliation) : .skip
            case "ELocationID": return .tree
            case "Journal", "ArticleTitle", "VernacularTitle", "Pagination", "Abstract", "GrantList":
                return s.pointee.taken.contains(name) ? .skip : .tree
            default: return .skip
            }
        case .authorList:
            guard name == "Author" else { return .skip }
            s.pointee.author = AuthorParts(
                valid: element.attribute("ValidYN") != "N", equalContribution: element.attribute("EqualContrib") == "Y")
            return push(.author)
        case .author:
            switch name {
            case "LastName": return s.pointee.author.familyName == nil ? field(.lastName) : .skip
            case "ForeName": return s.pointee.author.givenName == nil ? field(.foreName) : .skip
            case "Initials": return s.pointee.author.initials == nil ? field(.initials) : .skip
            case "CollectiveName": return s.pointee.author.collectiveName == nil ? .tree : .skip
            case "Identifier":
                return s.pointee.author.orcid == nil && element.attribute("Source") == "ORCID" ? field(.orcid) : .skip
            case "AffiliationInfo":
                s.pointee.author.affiliationInfo = nil
                return push(.affiliationInfo)
            default: return .skip
            }
        case .affiliationInfo:
            return name == "Affiliation" && s.pointee.author.affiliationInfo == nil ? field(.affiliation) : .skip
        case .meshList:
            guard name == "MeshHeading" else { return .skip }
            s.pointee.meshHeadingName = nil
            return push(.meshHeading)
        case .meshHeading:
            return name == "DescriptorName" && s.pointee.meshHeadingName == nil ? field(.descriptorName) : .skip
        case .keywordList:
            return name == "Keyword" ? field(.keyword) : .skip
        case .publicationTypeList:
            return name == "PublicationType" ? field(.publicationType) : .skip
        case .pubmedData:
            return name == "ArticleIdList" ? once(name, .articleIDList) : .skip
        case .articleIDList:
            return name == "ArticleId" ? field(.articleID(type: element.attribute("IdType"))) : .skip
        }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if case .field? = s.pointee.frames.last { s.pointee.text.append(contentsOf: bytes) }
    }

    func endElement() throws {
        guard let frame = s.pointee.frames.last else { return }
        if case .field(let field) = frame {
            if s.pointee.fieldDepth > 0 {
                s.pointee.fieldDepth -= 1
                return
            }
            s.pointee.frames.removeLast()
            finish(field, String(decoding: s.pointee.text, as: UTF8.self))
            s.pointee.text.removeAll(keepingCapacity: true)
            return
        }
        s.pointee.frames.removeLast()
        switch frame {
        case .article, .bareCitation:
            try endArticle()
        case .author:
            let author = s.pointee.author
            if author.valid {
                s.pointee.authors.append(
                    PubMedReader.author(
                        familyName: author.familyName ?? nil, givenName: author.givenName ?? nil,
                        initials: author.initials ?? nil,
                        collectiveName: author.collectiveName, orcid: author.orcid, affiliations: author.affiliations,
                        equalContribution: author.equalContribution))
            }
        case .affiliationInfo:
            if let affiliation = s.pointee.author.affiliationInfo ?? nil {
                s.pointee.author.affiliations.append(affiliation)
            }
        case .authorList:
            PubMedReader.markFirstAuthors(&s.pointee.authors)
            s.pointee.parts?.authors = s.pointee.authors
        case .meshHeading:
            if let descriptor = s.pointee.meshHeadingName ?? nil { s.pointee.parts?.meshHeadings.append(descriptor) }
        default:
            break
        }
    }

    func element(_ element: XMLElement) throws {
        guard let frame = s.pointee.frames.last else {
            try record(element)  // the root element itself, when a file holds one record
            return
        }
        switch (frame, element.name) {
        case (.articleSet, _):
            try record(element)
        case (.author, "CollectiveName"):
            s.pointee.author.collectiveName = element
        case (.articleBody, "ELocationID"):
            s.pointee.parts?.eLocationIDs.append((element[attribute: "EIdType"], element.text))
        case (.articleBody, let name), (.citation, let name), (.bareCitation, let name):
            guard s.pointee.taken.insert(name).inserted else { return }
            switch name {
            case "Journal": s.pointee.parts?.journal = element
            case "ArticleTitle": s.pointee.parts?.title = element
            case "VernacularTitle": s.pointee.parts?.vernacularTitle = element
            case "Pagination": s.pointee.parts?.medlinePages = element.childText("MedlinePgn")
            case "Abstract": s.pointee.parts?.abstract = element
            case "GrantList": s.pointee.parts?.grantList = element
            case "MedlineJournalInfo": s.pointee.parts?.issnLinking = element.childText("ISSNLinking")
            case "CommentsCorrectionsList": s.pointee.parts?.commentsCorrections = element
            case "DateRevised": s.pointee.revised[0] = element
            case "DateCompleted": s.pointee.revised[1] = element
            case "DateCreated": s.pointee.revised[2] = element
            default: break
            }
        default:
            break
        }
    }

    // MARK: - Records

    private func rootElement(_ element: XMLStartTag) throws -> XMLElementHandling {
        switch element.name {
        case "PubmedArticleSet", "PubmedBookArticleSet", "MedlineCitationSet": return push(.articleSet)
        case "PubmedArticle": return beginArticle(element)
        case "MedlineCitation": return beginBareCitation(element)
        case "PubmedBookArticle": return .tree
        default:
            throw DiagnosticError(
                Diagnostic(
                    .pubmedNotPubMed, file: displayName, line: element.line, column: 1,
                    message: PubMedReader.notPubMedMessage(element.name)))
        }
    }

    private func beginArticle(_ element: XMLStartTag) -> XMLElementHandling {
        s.pointee.parts = PubMedReader.ArticleParts(line: element.line)
        s.pointee.taken.removeAll(keepingCapacity: true)
        s.pointee.authors.removeAll(keepingCapacity: true)
        s.pointee.revised = [nil, nil, nil]
        return push(.article)
    }

    /// A `MedlineCitation` that is a record by itself (a `MedlineCitationSet`): read as an article whose
    /// citation has already begun.
    private func beginBareCitation(_ element: XMLStartTag) -> XMLElementHandling {
        s.pointee.parts = PubMedReader.ArticleParts(line: element.line)
        s.pointee.taken.removeAll(keepingCapacity: true)
        s.pointee.taken.insert("MedlineCitation")
        s.pointee.authors.removeAll(keepingCapacity: true)
        s.pointee.revised = [nil, nil, nil]
        return push(.bareCitation)
    }

    private func endArticle() throws {
        guard var parts = s.pointee.parts else { return }
        s.pointee.parts = nil
        parts.hasCitation = s.pointee.taken.contains("MedlineCitation")
        parts.hasArticle = s.pointee.taken.contains("Article")
        parts.revised = s.pointee.revised[0] ?? s.pointee.revised[1] ?? s.pointee.revised[2]
        do {
            try emit(.publication(try PubMedReader.publication(parts, fileName: fileName, displayName: displayName)))
        } catch let error as DiagnosticError where error.code == .pubmedIncompleteRecord {
            let skipped = error.skippedPubMedRecord!
            try emit(.skipped(reason: skipped.reason, line: skipped.line))
        }
    }

    /// A book, a chapter or a deletion, read as a tree.
    private func record(_ element: XMLElement) throws {
        do {
            switch element.name {
            case "PubmedBookArticle":
                try emit(
                    .publication(try PubMedReader.bookArticle(element, fileName: fileName, displayName: displayName)))
            case "DeleteCitation":
                try emit(.deletion(pmids: element.texts("PMID"), line: element.line))
            default:
                break
            }
        } catch let error as DiagnosticError where error.code == .pubmedIncompleteRecord {
            let skipped = error.skippedPubMedRecord!
            try emit(.skipped(reason: skipped.reason, line: skipped.line))
        }
    }

    // MARK: - Fields

    private func push(_ frame: Frame) -> XMLElementHandling {
        s.pointee.frames.append(frame)
        return .events
    }

    /// The first element of its name read as `frame`; later ones skipped.
    private func once(_ name: String, _ frame: Frame) -> XMLElementHandling {
        guard s.pointee.taken.insert(name).inserted else { return .skip }
        return push(frame)
    }

    private func field(_ field: Field) -> XMLElementHandling {
        s.pointee.text.removeAll(keepingCapacity: true)
        s.pointee.fieldDepth = 0
        return push(.field(field))
    }

    /// Stores a field's s.pointee.text as the tree code would read it (`childText`: trimmed, nil when empty;
    /// `texts`: trimmed, empty ones left out).
    private func finish(_ field: Field, _ raw: String) {
        let trimmed = raw.trimmingXMLWhitespace()
        let value = trimmed.isEmpty ? nil : trimmed
        switch field {
        case .pmid: s.pointee.parts?.pmid = value
        case .lastName: s.pointee.author.familyName = .some(value)
        case .foreName: s.pointee.author.givenName = .some(value)
        case .initials: s.pointee.author.initials = .some(value)
        case .orcid: s.pointee.author.orcid = raw
        case .affiliation: s.pointee.author.affiliationInfo = .some(value)
        case .legacyAffiliation: s.pointee.parts?.legacyAffiliation = value
        case .descriptorName: s.pointee.meshHeadingName = .some(value)
        case .keyword: if let value { s.pointee.parts?.keywords.append(value) }
        case .publicationType: if let value { s.pointee.parts?.publicationTypes.append(value) }
        case .language: if let value { s.pointee.parts?.languages.append(value) }
        case .articleID(let type):
            if let type, s.pointee.parts?.articleIDs[type] == nil { s.pointee.parts?.articleIDs[type] = trimmed }
        }
    }
}

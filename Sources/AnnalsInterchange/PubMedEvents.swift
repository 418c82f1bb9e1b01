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
        case articleSet, article, citation, articleBody, authorList, author, affiliationInfo, meshList, meshHeading
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

    private var frames: [Frame] = []
    /// The text of the innermost field being read, and how many elements deep inside it the reader is.
    private var text: [UInt8] = []
    private var fieldDepth = 0

    private var parts: PubMedReader.ArticleParts?
    /// Singular parts already taken (the first of each name counts, as `XMLElement.child` finds it).
    private var taken: Set<String> = []
    private var authors: [Author] = []
    private var author = AuthorParts()
    private var meshHeadingName: String??

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
    }

    // MARK: - Events

    func startElement(_ element: XMLStartTag) throws -> XMLElementHandling {
        let name = element.name
        guard let frame = frames.last else { return try rootElement(element) }
        switch frame {
        case .field:
            fieldDepth += 1
            return .events
        case .articleSet:
            switch name {
            case "PubmedArticle": return beginArticle(element)
            case "PubmedBookArticle", "DeleteCitation": return .tree
            default: return .skip
            }
        case .article:
            return once(name, in: ["MedlineCitation": .citation, "PubmedData": .pubmedData])
        case .citation:
            switch name {
            case "PMID": return taken.insert("PMID").inserted ? field(.pmid) : .skip
            case "Article": return once(name, in: ["Article": .articleBody])
            case "KeywordList": return push(.keywordList)
            case "MeshHeadingList": return once(name, in: ["MeshHeadingList": .meshList])
            case "DateRevised", "DateCompleted", "DateCreated", "MedlineJournalInfo", "CommentsCorrectionsList":
                return taken.contains(name) ? .skip : .tree
            default: return .skip
            }
        case .articleBody:
            switch name {
            case "AuthorList": return once(name, in: ["AuthorList": .authorList])
            case "PublicationTypeList": return once(name, in: ["PublicationTypeList": .publicationTypeList])
            case "Language": return field(.language)
            case "Affiliation": return taken.insert("Article/Affiliation").inserted ? field(.legacyAffiliation) : .skip
            case "ELocationID": return .tree
            case "Journal", "ArticleTitle", "VernacularTitle", "Pagination", "Abstract", "GrantList":
                return taken.contains(name) ? .skip : .tree
            default: return .skip
            }
        case .authorList:
            guard name == "Author" else { return .skip }
            author = AuthorParts(
                valid: element.attribute("ValidYN") != "N", equalContribution: element.attribute("EqualContrib") == "Y")
            return push(.author)
        case .author:
            switch name {
            case "LastName": return author.familyName == nil ? field(.lastName) : .skip
            case "ForeName": return author.givenName == nil ? field(.foreName) : .skip
            case "Initials": return author.initials == nil ? field(.initials) : .skip
            case "CollectiveName": return author.collectiveName == nil ? .tree : .skip
            case "Identifier":
                return author.orcid == nil && element.attribute("Source") == "ORCID" ? field(.orcid) : .skip
            case "AffiliationInfo":
                author.affiliationInfo = nil
                return push(.affiliationInfo)
            default: return .skip
            }
        case .affiliationInfo:
            return name == "Affiliation" && author.affiliationInfo == nil ? field(.affiliation) : .skip
        case .meshList:
            guard name == "MeshHeading" else { return .skip }
            meshHeadingName = nil
            return push(.meshHeading)
        case .meshHeading:
            return name == "DescriptorName" && meshHeadingName == nil ? field(.descriptorName) : .skip
        case .keywordList:
            return name == "Keyword" ? field(.keyword) : .skip
        case .publicationTypeList:
            return name == "PublicationType" ? field(.publicationType) : .skip
        case .pubmedData:
            return once(name, in: ["ArticleIdList": .articleIDList])
        case .articleIDList:
            return name == "ArticleId" ? field(.articleID(type: element.attribute("IdType"))) : .skip
        }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if case .field? = frames.last { text.append(contentsOf: bytes) }
    }

    func endElement() throws {
        guard let frame = frames.last else { return }
        if case .field(let field) = frame {
            if fieldDepth > 0 {
                fieldDepth -= 1
                return
            }
            frames.removeLast()
            finish(field, String(decoding: text, as: UTF8.self))
            text.removeAll(keepingCapacity: true)
            return
        }
        frames.removeLast()
        switch frame {
        case .article:
            try endArticle()
        case .author:
            if author.valid {
                authors.append(
                    PubMedReader.author(
                        familyName: author.familyName ?? nil, givenName: author.givenName ?? nil, initials: author.initials ?? nil,
                        collectiveName: author.collectiveName, orcid: author.orcid, affiliations: author.affiliations,
                        equalContribution: author.equalContribution))
            }
        case .affiliationInfo:
            if let affiliation = author.affiliationInfo ?? nil { author.affiliations.append(affiliation) }
        case .authorList:
            PubMedReader.markFirstAuthors(&authors)
            parts?.authors = authors
        case .meshHeading:
            if let descriptor = meshHeadingName ?? nil { parts?.meshHeadings.append(descriptor) }
        default:
            break
        }
    }

    func element(_ element: XMLElement) throws {
        guard let frame = frames.last else {
            try record(element)  // the root element itself, when a file holds one record
            return
        }
        switch (frame, element.name) {
        case (.articleSet, _):
            try record(element)
        case (.author, "CollectiveName"):
            author.collectiveName = element
        case (.articleBody, "ELocationID"):
            parts?.eLocationIDs.append((element[attribute: "EIdType"], element.text))
        case (.articleBody, let name), (.citation, let name):
            guard taken.insert(name).inserted else { return }
            switch name {
            case "Journal": parts?.journal = element
            case "ArticleTitle": parts?.title = element
            case "VernacularTitle": parts?.vernacularTitle = element
            case "Pagination": parts?.medlinePages = element.childText("MedlinePgn")
            case "Abstract": parts?.abstract = element
            case "GrantList": parts?.grantList = element
            case "MedlineJournalInfo": parts?.issnLinking = element.childText("ISSNLinking")
            case "CommentsCorrectionsList": parts?.commentsCorrections = element
            case "DateRevised": revised[0] = element
            case "DateCompleted": revised[1] = element
            case "DateCreated": revised[2] = element
            default: break
            }
        default:
            break
        }
    }

    /// DateRevised, DateCompleted and DateCreated, in the order they are preferred.
    private var revised: [XMLElement?] = [nil, nil, nil]

    // MARK: - Records

    private func rootElement(_ element: XMLStartTag) throws -> XMLElementHandling {
        switch element.name {
        case "PubmedArticleSet", "PubmedBookArticleSet": return push(.articleSet)
        case "PubmedArticle": return beginArticle(element)
        case "PubmedBookArticle": return .tree
        default:
            throw PubMedRecordError(
                file: displayName, line: 1,
                message: "this is not a PubMed file: its root element is <\(element.name)>, not <PubmedArticleSet>")
        }
    }

    private func beginArticle(_ element: XMLStartTag) -> XMLElementHandling {
        parts = PubMedReader.ArticleParts(line: element.line)
        taken.removeAll(keepingCapacity: true)
        authors.removeAll(keepingCapacity: true)
        revised = [nil, nil, nil]
        return push(.article)
    }

    private func endArticle() throws {
        guard var parts else { return }
        self.parts = nil
        parts.hasCitation = taken.contains("MedlineCitation")
        parts.hasArticle = taken.contains("Article")
        parts.revised = revised[0] ?? revised[1] ?? revised[2]
        do {
            try emit(.publication(try PubMedReader.publication(parts, fileName: fileName, displayName: displayName)))
        } catch let incomplete as PubMedRecordError {
            try emit(.skipped(reason: "line \(incomplete.line): \(incomplete.message)", line: incomplete.line))
        }
    }

    /// A book, a chapter or a deletion, read as a tree.
    private func record(_ element: XMLElement) throws {
        do {
            switch element.name {
            case "PubmedBookArticle":
                try emit(.publication(try PubMedReader.bookArticle(element, fileName: fileName, displayName: displayName)))
            case "DeleteCitation":
                try emit(.deletion(pmids: element.texts("PMID"), line: element.line))
            default:
                break
            }
        } catch let incomplete as PubMedRecordError {
            try emit(.skipped(reason: "line \(incomplete.line): \(incomplete.message)", line: incomplete.line))
        }
    }

    // MARK: - Fields

    private func push(_ frame: Frame) -> XMLElementHandling {
        frames.append(frame)
        return .events
    }

    /// The first element of each name read as `frames[name]`; later ones skipped.
    private func once(_ name: String, in frames: [String: Frame]) -> XMLElementHandling {
        guard let frame = frames[name], taken.insert(name).inserted else { return .skip }
        return push(frame)
    }

    private func field(_ field: Field) -> XMLElementHandling {
        text.removeAll(keepingCapacity: true)
        fieldDepth = 0
        return push(.field(field))
    }

    /// Stores a field's text as the tree code would read it (`childText`: trimmed, nil when empty;
    /// `texts`: trimmed, empty ones left out).
    private func finish(_ field: Field, _ raw: String) {
        let trimmed = raw.trimmingXMLWhitespace()
        let value = trimmed.isEmpty ? nil : trimmed
        switch field {
        case .pmid: parts?.pmid = value
        case .lastName: author.familyName = .some(value)
        case .foreName: author.givenName = .some(value)
        case .initials: author.initials = .some(value)
        case .orcid: author.orcid = raw
        case .affiliation: author.affiliationInfo = .some(value)
        case .legacyAffiliation: parts?.legacyAffiliation = value
        case .descriptorName: meshHeadingName = .some(value)
        case .keyword: if let value { parts?.keywords.append(value) }
        case .publicationType: if let value { parts?.publicationTypes.append(value) }
        case .language: if let value { parts?.languages.append(value) }
        case .articleID(let type):
            if let type, parts?.articleIDs[type] == nil { parts?.articleIDs[type] = trimmed }
        }
    }
}

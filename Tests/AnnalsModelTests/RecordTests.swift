import Testing

@testable import AnnalsModel

@Suite struct RecordTests {
    @Test func markupTextKeepsMarkupAndGivesPlainText() {
        let title = MarkupText(markup: "Variants at the <i>TERT</i> gene &amp; <sup>18</sup>F uptake")
        #expect(title.plain == "Variants at the TERT gene & 18F uptake")
        #expect(MarkupText(plain: "a < b & c").markup == "a &lt; b &amp; c")
        #expect(MarkupText(plain: "a < b & c").plain == "a < b & c")
        #expect(MarkupText(markup: "&#x3b1;-fetoprotein").plain == "α-fetoprotein")
    }

    @Test func plainTextPutsBackSpacesLostAroundItalicsButNotAroundSubscripts() {
        #expect(MarkupText(markup: "variants at the<i>TERT</i>gene region").plain == "variants at the TERT gene region")
        #expect(MarkupText(markup: "H<sub>2</sub>O and <sup>18</sup>F-FDG").plain == "H2O and 18F-FDG")
        #expect(MarkupText(markup: "<i>E. coli</i>-induced").plain == "E. coli-induced")
        #expect(
            MarkupText(markup: "chromosome 19 and the\n     <i>APOE</i> locus.\n  ").plain
                == "chromosome 19 and the APOE locus.")
    }

    @Test func minimallyInvasiveApproachesExcludeOpenAndConverted() {
        #expect(
            Approach.allCases.filter(\.isMinimallyInvasive) == [
                .laparoscopic, .robotic, .endoscopic, .interventional, .hybrid,
            ])
    }

    @Test func bedsAreCountedApartFromVIPBeds() {
        let unit = OrgUnit(
            id: "general-surgery", kind: .department, name: "General Surgery", parentID: "hospital",
            beds: [
                BedCount(campusID: "binjiang", beds: 45, vipBeds: 2), BedCount(campusID: "hubin", beds: 42, vipBeds: 2),
            ])
        #expect(unit.totalBeds == 87)
        #expect(unit.totalVIPBeds == 4)
    }

    @Test func referencesListEveryLinkBetweenRecords() throws {
        var content = RegistryContent()
        content.tallies = [
            CaseTally(
                id: "t1", procedureID: "lccs", approach: .laparoscopic, departmentID: "gs", campusID: "binjiang",
                surgeonID: "gao", from: nil, to: try #require(PartialDate("2015-12-31")), count: 300)
        ]
        content.publications = [
            Publication(
                id: "p1", kind: .journalArticle, title: MarkupText(plain: "T"),
                journal: JournalReference(journalID: "jps", title: "J Pediatr Surg"),
                authors: [Author(familyName: "Gao", personID: "gao"), Author(familyName: "Other")],
                departmentIDs: ["gs"])
        ]
        let targets = Set(content.references.map { "\($0.kind.rawValue)→\($0.targetKind.rawValue):\($0.targetID)" })
        #expect(
            targets == [
                "tally→procedure:lccs", "tally→org-unit:gs", "tally→campus:binjiang", "tally→person:gao",
                "publication→journal:jps", "publication→person:gao", "publication→org-unit:gs",
            ])
    }

    @Test func periodsThatRunBackwardsAreProblems() throws {
        var content = RegistryContent()
        content.tallies = [
            CaseTally(
                id: "backwards", procedureID: "p", approach: .open, departmentID: "d", from: PartialDate("2019"),
                to: try #require(PartialDate("2018")), count: 1),
            CaseTally(
                id: "same-year", procedureID: "p", approach: .open, departmentID: "d", from: PartialDate("2018-03"),
                to: try #require(PartialDate("2018")), count: 1),
        ]
        #expect(content.recordProblems.map(\.id) == ["backwards"])
    }

    @Test func departmentOverviewCountsSCIPapersByJournalYear() throws {
        var content = RegistryContent()
        content.orgUnits = [OrgUnit(id: "gs", kind: .department, name: "GS", parentID: "h")]
        content.journals = [
            Journal(id: "sci", title: "S", metrics: [JournalMetrics(year: 2020, indexes: [.scie])]),
            Journal(id: "esci", title: "E", metrics: [JournalMetrics(year: 2020, indexes: [.esci])]),
        ]
        func paper(_ id: String, _ journal: String, retracted: Bool = false) -> Publication {
            Publication(
                id: id, kind: .journalArticle, title: MarkupText(plain: id),
                journal: JournalReference(journalID: journal, title: journal),
                published: PartialDate("2021"), departmentIDs: ["gs"],
                notices: retracted ? [.init(kind: .retractedBy, reference: "PMID 1")] : [])
        }
        content.publications = [paper("a", "sci"), paper("b", "esci"), paper("c", "sci", retracted: true)]
        let overview = try #require(DepartmentOverview(department: "gs", in: content))
        #expect(overview.sciPapers == 1)
        #expect(overview.otherPapers == 1)
    }
}

@Suite struct ProcedureMatcherTests {
    static let vocabulary = [
        Procedure(
            id: "choledochal-cyst-excision", preferredTerm: "Choledochal cyst excision",
            synonyms: ["common bile duct cystectomy", "congenital choledochal cyst excision"],
            category: "hepatobiliary", grade: 4),
        Procedure(
            id: "hirschsprung-pull-through", preferredTerm: "Hirschsprung disease pull-through",
            synonyms: ["congenital megacolon radical surgery"], category: "gastrointestinal", grade: 4),
        Procedure(
            id: "meso-rex-bypass", preferredTerm: "Meso-Rex bypass", synonyms: ["REX surgery"],
            category: "portal-hypertension", grade: 4),
    ]
    let matcher = ProcedureMatcher(procedures: vocabulary)

    func id(_ term: String) -> String? {
        if case .procedure(let p, _) = matcher.match(term) { return p.id }
        return nil
    }

    @Test func caseHyphenAndWordOrderDoNotMatter() {
        #expect(id("COMMON BILE-DUCT CYSTECTOMY") == "choledochal-cyst-excision")
        #expect(id("cystectomy common bile duct") == "choledochal-cyst-excision")
        #expect(id("Meso Rex bypass") == "meso-rex-bypass")
        #expect(id("meso-rex-bypass") == "meso-rex-bypass")
        #expect(id("rex surgery") == "meso-rex-bypass")
        #expect(id("choledochal cyst excisions") == "choledochal-cyst-excision")
    }

    @Test func approachWordsAreReadOffTheTerm() {
        #expect(
            matcher.match("laparoscopic common bile duct cystectomy")
                == .procedure(Self.vocabulary[0], approach: .laparoscopic))
        #expect(
            matcher.match("Da Vinci choledochal cyst excision") == .procedure(Self.vocabulary[0], approach: .robotic))
        #expect(
            matcher.match("laparoscopic converted to open choledochal cyst excision")
                == .procedure(Self.vocabulary[0], approach: .converted))
    }

    @Test func unknownTermsGetTheClosestSuggestions() {
        guard case .unknown(let suggestions) = matcher.match("choledocal cyst excison") else {
            Issue.record("should not match")
            return
        }
        #expect(suggestions.first == "Choledochal cyst excision")
        guard case .unknown(let swapped) = matcher.match("exicsion") else {
            Issue.record("should not match")
            return
        }
        #expect(
            swapped.first == "Choledochal cyst excision",
            "two letters swapped are one typo, as in the did-you-mean of ids")
        guard case .unknown(let none) = matcher.match("tonsillectomy") else {
            Issue.record("should not match")
            return
        }
        #expect(none.isEmpty)
    }
}

/// The byte-wise plain text of ASCII markup must equal the character-wise one it stands in for.
@Suite struct PlainTextTests {
    static let markups = [
        "variants at the<i>TERT</i>gene region", "H<sub>2</sub>O and <sup>18</sup>F-FDG",
        "a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;",
        "  spaced \t\r\n out \n ", "<b>Background:</b> text\n<b>Methods:</b>more", "x<I>Y</I>z<EM>w</EM>v",
        "a<br/>b<i/>c",
        "&#65;&#x42;c &#x3b1; &#999999999; &unknown; &amp", "unclosed < tag",
        "<mml:math xmlns:mml=\"m\"><mml:mi>x</mml:mi></mml:math>y",
        "1<i>2</i>3", "end<i>.</i>x", "", "<i></i>", "a\u{0B}b<i\u{0C}x>c</i>d", "&#38;&#60;",
    ]

    @Test(arguments: markups)
    func asciiAndCharacterRulesAgree(_ markup: String) {
        let text = MarkupText(markup: markup)
        if let ascii = text.asciiPlain() {
            #expect(ascii == text.characterPlain(), "\(markup)")
        } else {
            #expect(
                markup.contains("&#x3b1;") || markup.contains("&#999999999;"), "left to the character rule: \(markup)")
        }
    }
}

/// ORCID iDs are checked byte by byte when they are ASCII; the result must be the character-wise one.
@Suite struct ORCIDTests {
    @Test(arguments: [
        "0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097", "http://orcid.org/0000-0001-5109-3700",
        " HTTPS://ORCID.ORG/0000-0002-1694-233x ",
        "orcid.org/0000000218250097", "https://www.orcid.org/0000-0002-1825-0097\n", "0000-0002-1825-0098",
        "0000-0002-1825-009", "",
        "   ", "0000-0002-1825-00971", "abcd-0002-1825-0097", "https://orcid.org/", "\t0000-0002-1694-233X\r\n",
        "https://example.org/0000-0002-1825-0097",
        "0000--0002-1825-0097", "x0000-0002-1825-0097",
    ])
    func asciiAndCharacterChecksAgree(_ text: String) {
        let ascii = ORCID.normalizeASCII(text)
        #expect(ascii != nil)
        #expect((ascii == "" ? nil : ascii) == ORCID.normalizeCharacters(text), "\(text)")
    }

    @Test func knownIDsNormalise() {
        #expect(ORCID.normalize("https://orcid.org/0000-0002-1694-233x") == "0000-0002-1694-233X")
        #expect(ORCID.normalize("0000-0002-1825-0098") == nil)
        #expect(ORCID.normalize("０000-0002-1825-0097") == ORCID.normalizeCharacters("０000-0002-1825-0097"))
    }
}

@Suite struct IdentifierWhitespaceTests {
    /// A line break on its own (not only CR LF) around an identifier is white space.
    @Test func loneLineBreaksAreTrimmed() {
        #expect(ORCID.normalizeCharacters("https://www.orcid.org/0000-0002-1825-0097\n") == "0000-0002-1825-0097")
        #expect(DOI.normalize("\n10.5555/ABC\r") == "10.5555/abc")
    }
}

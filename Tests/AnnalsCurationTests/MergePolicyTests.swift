import AnnalsCuration
import AnnalsModel
import Testing

/// The one merge policy, as imports and a reviewer's confirmed merge both apply it.
@Suite struct MergePolicyTests {
    static func paper(
        _ id: String, doi: String? = nil, pmid: String? = nil, authors: [Author] = [], departments: [String] = []
    ) -> Publication {
        Publication(
            id: id, kind: .journalArticle, title: MarkupText(plain: "Laparoscopic choledochal cyst excision"),
            published: PartialDate(year: 2024), doi: doi, pmid: pmid, authors: authors, departmentIDs: departments)
    }

    @Test func twoDifferentDOIsOrTwoDifferentPMIDsAreTwoPapers() {
        let disagree = MergePolicy.identifiersDisagree
        #expect(disagree(.init(doi: "10.1/a", pmid: nil), .init(doi: "10.1/b", pmid: nil)))
        #expect(disagree(.init(doi: nil, pmid: "1"), .init(doi: nil, pmid: "2")))
        #expect(!disagree(.init(doi: "10.1/ABC", pmid: nil), .init(doi: "10.1/abc", pmid: nil)), "DOIs ignore case")
        #expect(!disagree(.init(doi: "10.1/a", pmid: nil), .init(doi: nil, pmid: "2")), "nothing to compare")
        #expect(!disagree(.init(doi: nil, pmid: nil), .init(doi: nil, pmid: nil)))
    }

    @Test func candidatesAreTriedStrongestFirst() {
        let ranked = MergePolicy.ranked(SameRecordCandidates(byPMID: "p", byDOI: "d", byTitle: ["t1", "t2"]))
        #expect(ranked.map(\.id) == ["p", "d", "t1", "t2"])
        #expect(
            ranked.map(\.reason) == [
                MergePolicy.samePMID, MergePolicy.sameDOI, MergePolicy.sameTitle, MergePolicy.sameTitle,
            ])
    }

    @Test func theKeptRecordGainsWhatItLacksAndEveryCreditOfEither() {
        let kept = Self.paper(
            "pubmed-1", pmid: "1",
            authors: [Author(familyName: "Gao", personID: "gao"), Author(familyName: "Li")], departments: ["gs"])
        let other = Self.paper(
            "endnote-7", doi: "10.1/x", pmid: "1",
            authors: [Author(familyName: "Gao"), Author(familyName: "Li", personID: "li")], departments: ["uro"])
        let combined = MergePolicy.combine(kept, with: other)
        #expect(combined.id == "pubmed-1")
        #expect(combined.doi == "10.1/x")
        #expect(combined.departmentIDs == ["gs", "uro"])
        #expect(combined.authors.map(\.personID) == ["gao", "li"])
    }

    @Test func aPersonIsCarriedOnlyToTheSameAuthor() {
        let existing = Self.paper("a", authors: [Author(familyName: "Gao", personID: "gao")], departments: ["gs"])
        let incoming = Self.paper("a", authors: [Author(familyName: "Wang")])
        let kept = MergePolicy.keepingCredits(of: existing, in: incoming)
        #expect(kept.authors.map(\.personID) == [nil], "another family name at that place is another person")
        #expect(kept.departmentIDs == ["gs"])
    }
}

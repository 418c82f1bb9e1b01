import Testing

@testable import AnnalsModel

/// Procedure terms written in Chinese, with the approach read off them as in English.
@Suite struct ChineseProcedureTermTests {
    static let cyst = Procedure(
        id: "choledochal-cyst-excision", preferredTerm: "Choledochal cyst excision",
        synonyms: ["common bile duct cystectomy", "胆总管囊肿切除术", "先天性胆总管囊肿切除术"], category: "hepatobiliary", grade: 4)
    static let rex = Procedure(
        id: "meso-rex-bypass", preferredTerm: "Meso-Rex bypass", synonyms: ["REX surgery", "Rex手术"],
        category: "portal-hypertension")
    static let spleen = Procedure(
        id: "splenic-artery-embolization", preferredTerm: "Splenic artery embolization", synonyms: ["脾动脉栓塞术"],
        category: "spleen")
    static let hybrid = Procedure(
        id: "splenectomy-with-splenic-artery-embolization",
        preferredTerm: "Splenectomy with preoperative splenic artery embolization",
        synonyms: ["giant spleen hybrid surgery", "巨脾杂交手术"], category: "spleen")
    let matcher = ProcedureMatcher(procedures: [cyst, rex, spleen, hybrid])

    @Test func aChineseTermMatchesWithoutAnApproach() {
        #expect(matcher.match("胆总管囊肿切除术") == .procedure(Self.cyst, approach: nil))
        #expect(matcher.match("胆总管囊肿切除") == .procedure(Self.cyst, approach: nil), "术 may be left off")
        #expect(matcher.match(" 胆总管 囊肿切除术 ") == .procedure(Self.cyst, approach: nil), "spaces mean nothing in Chinese")
        #expect(matcher.match("Rex手术") == .procedure(Self.rex, approach: nil))
        #expect(matcher.match("REX 手术") == .procedure(Self.rex, approach: nil))
    }

    @Test(arguments: [
        ("腹腔镜胆总管囊肿切除术", Approach.laparoscopic), ("腹腔镜下胆总管囊肿切除术", .laparoscopic), ("腹腔镜辅助胆总管囊肿切除术", .laparoscopic),
        ("机器人胆总管囊肿切除术", .robotic), ("达芬奇机器人辅助胆总管囊肿切除术", .robotic), ("达芬奇胆总管囊肿切除术", .robotic),
        ("机器人辅助腹腔镜胆总管囊肿切除术", .robotic), ("开放胆总管囊肿切除术", .open), ("开腹胆总管囊肿切除术", .open),
        ("内镜胆总管囊肿切除术", .endoscopic), ("介入胆总管囊肿切除术", .interventional), ("杂交胆总管囊肿切除术", .hybrid),
        ("腹腔镜胆总管囊肿切除术中转开腹", .converted), ("腹腔镜中转开腹胆总管囊肿切除术", .converted), ("中转开腹胆总管囊肿切除术", .converted),
        ("laparoscopic 胆总管囊肿切除术", .laparoscopic), ("腹腔镜先天性胆总管囊肿切除术", .laparoscopic),
    ])
    func theApproachIsReadOffAChineseTerm(_ term: String, _ approach: Approach) {
        #expect(matcher.match(term) == .procedure(Self.cyst, approach: approach), "\(term)")
    }

    @Test func dsaGuidedIsInterventional() {
        #expect(matcher.match("DSA引导下脾动脉栓塞术") == .procedure(Self.spleen, approach: .interventional))
    }

    @Test func aSynonymWithAnApproachWordNeverAnswersForAllApproaches() {
        // The vocabulary's own exception, and a synonym someone added by hand with an approach in it.
        #expect(matcher.match("巨脾杂交手术") == .procedure(Self.hybrid, approach: .hybrid))
        #expect(matcher.match("giant spleen hybrid surgery") == .procedure(Self.hybrid, approach: .hybrid))
        var added = Self.cyst
        added.synonyms.append("腹腔镜胆总管囊肿切除术")
        added.synonyms.append("laparoscopic common bile duct cyst surgery")
        let byHand = ProcedureMatcher(procedures: [added])
        #expect(byHand.match("腹腔镜胆总管囊肿切除术") == .procedure(added, approach: .laparoscopic))
        #expect(
            byHand.match("laparoscopic common bile duct cyst surgery") == .procedure(added, approach: .laparoscopic))
    }

    @Test func twoApproachesThatCannotBothBeAreRefused() {
        #expect(matcher.match("开腹介入胆总管囊肿切除术") == .conflictingApproaches([.open, .interventional]))
        #expect(
            ProcedureMatcher.conflictMessage("开腹介入胆总管囊肿切除术", [.open, .interventional]).contains(
                "names more than one approach (open and interventional)"))
    }

    @Test func anApproachWithAnUnknownOperationIsUnknownNotEverything() {
        guard case .unknown(let suggestions) = matcher.match("腹腔镜胆总管囊肿") else {
            Issue.record("a near miss must not match")
            return
        }
        #expect(suggestions.first == "胆总管囊肿切除术")
        guard case .unknown(let none) = matcher.match("腹腔镜阑尾切除术") else {
            Issue.record("not in this vocabulary")
            return
        }
        #expect(none.isEmpty)
    }

    @Test func searchFindsPartsOfChineseNames() {
        #expect(matcher.search("胆总管").map(\.id) == ["choledochal-cyst-excision"])
        #expect(matcher.search("腹腔镜 胆总管").map(\.id) == ["choledochal-cyst-excision"], "approach words are left out")
        #expect(
            matcher.search("脾").map(\.id) == [
                "splenic-artery-embolization", "splenectomy-with-splenic-artery-embolization",
            ])
        #expect(matcher.search("bile duct").map(\.id) == ["choledochal-cyst-excision"])
        #expect(matcher.search("阑尾").isEmpty)
    }

    @Test(arguments: [
        ("腹腔镜", Approach.laparoscopic), ("腹腔镜手术", .laparoscopic), ("机器人", .robotic), ("达芬奇", .robotic), ("开放", .open),
        ("开腹", .open),
        ("内镜", .endoscopic), ("介入", .interventional), ("杂交", .hybrid), ("中转开腹", .converted),
        ("Laparoscopic", .laparoscopic),
        ("da Vinci", .robotic), ("converted to open", .converted), ("open", .open),
    ])
    func anApproachByItsWord(_ word: String, _ approach: Approach) {
        #expect(ApproachWords.approach(named: word) == approach, "\(word)")
    }

    @Test func notAnApproach() {
        #expect(ApproachWords.approach(named: "胆总管") == nil)
        #expect(ApproachWords.approach(named: "") == nil)
        #expect(ApproachWords.approach(named: "laser") == nil)
    }
}

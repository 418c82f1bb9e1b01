import AnnalsInterchange
import AnnalsModel
import Testing

/// The built-in vocabulary's Chinese terms: each names its own procedure, none names two, and none
/// carries an approach word that would be read off it (the vocabulary's one exception aside).
@Suite struct ChineseVocabularyTests {
    let vocabulary: [Procedure]
    let matcher: ProcedureMatcher

    init() throws {
        vocabulary = try ProcedureVocabulary.builtIn()
        matcher = ProcedureMatcher(procedures: vocabulary)
    }

    @Test func theTermsADepartmentUsesAreThere() throws {
        let expected = [
            "胆总管囊肿切除术": "choledochal-cyst-excision", "巨结肠根治术": "hirschsprung-pull-through",
            "肠重复畸形切除术": "intestinal-duplication-resection", "脾肾分流术": "splenorenal-shunt", "Rex手术": "meso-rex-bypass",
            "经导管动脉化疗栓塞术": "tace", "葛西手术": "kasai-portoenterostomy", "疝囊高位结扎术": "inguinal-hernia-sac-high-ligation",
            "神经母细胞瘤切除术": "neuroblastoma-resection", "肝移植术": "liver-transplantation",
        ]
        for (term, id) in expected {
            guard case .procedure(let procedure, let approach) = matcher.match(term) else {
                Issue.record("'\(term)' is not in the vocabulary")
                continue
            }
            #expect(procedure.id == id, "\(term)")
            #expect(approach == nil, "\(term)")
        }
    }

    @Test func everyProcedureHasAChineseNameAndEachNamesOnlyItsOwn() throws {
        var owners: [String: String] = [:]
        for procedure in vocabulary {
            let chinese = procedure.synonyms.filter(ChineseText.containsHan)
            #expect(!chinese.isEmpty, "\(procedure.id) has no Chinese name")
            for term in chinese {
                let key = TextKey.compact(term)
                if let other = owners[key], other != procedure.id {
                    Issue.record("'\(term)' names both \(other) and \(procedure.id)")
                }
                owners[key] = procedure.id
                guard case .procedure(let found, let approach) = matcher.match(term) else {
                    Issue.record("'\(term)' does not match")
                    continue
                }
                #expect(found.id == procedure.id, "'\(term)' answers for \(found.id), not \(procedure.id)")
                if term == "巨脾杂交手术" {
                    #expect(approach == .hybrid, "the profile's own name says hybrid")
                } else {
                    #expect(approach == nil, "'\(term)' carries an approach word: synonyms must not")
                }
            }
        }
    }

    @Test func aChineseTermWithAnApproachFindsTheSameProcedureAsTheEnglish() throws {
        let pairs: [(String, String)] = [
            ("腹腔镜胆总管囊肿切除术", "laparoscopic choledochal cyst excision"),
            ("腹腔镜巨结肠根治术", "laparoscopic congenital megacolon radical surgery"),
            ("腹腔镜巨脾切除术", "laparoscopic giant splenectomy"), ("腹腔镜部分脾切除术", "laparoscopic partial splenectomy"),
            ("DSA引导下脾动脉栓塞术", "DSA-guided splenic artery embolization"), ("腹腔镜阑尾切除术", "laparoscopic appendectomy"),
            ("达芬奇机器人胆总管囊肿切除术", "Da Vinci choledochal cyst excision"), ("介入经导管动脉化疗栓塞术", "interventional TACE"),
        ]
        for (chinese, english) in pairs {
            #expect(matcher.match(chinese) == matcher.match(english), "\(chinese) / \(english)")
            guard case .procedure(_, let approach) = matcher.match(chinese) else {
                Issue.record("'\(chinese)' does not match")
                continue
            }
            #expect(approach != nil, "\(chinese)")
        }
    }
}

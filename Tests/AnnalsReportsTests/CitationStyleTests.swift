import AnnalsModel
import AnnalsReports
import Testing

/// Citations checked by hand against the rules: GB/T 7714-2015 for Chinese reports (著录规则: at most
/// three authors then "等" / "et al", the document type after the title, "刊名, 年, 卷(期): 页码"),
/// Vancouver (ICMJE/NLM: six authors then "et al", "Journal. Year;Vol(Issue):Pages.") for English ones.
@Suite struct CitationStyleTests {
    static let chineseJournal = Journal(
        id: "chin-j-pediatr-surg", title: "Chinese Journal of Pediatric Surgery",
        isoAbbreviation: "Zhonghua Xiao Er Wai Ke Za Zhi", issnPrint: "0253-3006", titleZH: "中华小儿外科杂志")
    static let foreignJournal = Journal(
        id: "j-pediatr-surg", title: "Journal of Pediatric Surgery", isoAbbreviation: "J Pediatr Surg",
        issnPrint: "0022-3468")

    static func author(_ family: String, _ given: String) -> Author { Author(familyName: family, givenName: given) }

    /// A Chinese paper with four authors, in characters.
    static let chinesePaper = Publication(
        id: "zh", kind: .journalArticle, title: MarkupText(plain: "腹腔镜胆总管囊肿切除术的学习曲线"),
        journal: JournalReference(journalID: "chin-j-pediatr-surg", title: "中华小儿外科杂志"), published: PartialDate("2023"),
        volume: "44", issue: "3", pages: "201-205", languages: ["chi"],
        authors: [author("高", "志刚"), author("陈", "青江"), author("欧阳", "明"), author("王", "金湖")])

    /// An English paper with seven authors and a DOI.
    static let englishPaper = Publication(
        id: "en", kind: .journalArticle,
        title: MarkupText(plain: "Laparoscopic excision of choledochal cysts in children."),
        journal: JournalReference(journalID: "j-pediatr-surg", title: "Journal of Pediatric Surgery"),
        published: PartialDate("2024-01"),
        volume: "59", issue: "1", pages: "101-107", doi: "10.5555/annals.sample.1", languages: ["eng"],
        authors: [
            author("Gao", "Zhigang"), Author(familyName: "Chen", initials: "QJ"), author("Xiong", "Qi-xing"),
            author("Wang", "Jinhu"),
            author("Li", "Minju"), author("Zhou", "Xia"), author("Smith", "John"),
        ])

    @Test func gbChineseArticleThreeAuthorsThenDeng() {
        #expect(
            GBT7714.citation(Self.chinesePaper, journals: [Self.chineseJournal])
                == "高志刚, 陈青江, 欧阳明, 等. 腹腔镜胆总管囊肿切除术的学习曲线[J]. 中华小儿外科杂志, 2023, 44(3): 201-205.")
    }

    @Test func gbForeignArticleCapitalFamilyNamesInitialsEtAlAndDOI() {
        #expect(
            GBT7714.citation(Self.englishPaper, journals: [Self.foreignJournal])
                == "GAO Z, CHEN Q J, XIONG Q X, et al. Laparoscopic excision of choledochal cysts in children[J]. Journal of Pediatric Surgery, 2024, 59(1): 101-107. DOI:10.5555/annals.sample.1."
        )
    }

    @Test func gbThreeAuthorsAreAllNamed() {
        var p = Self.chinesePaper
        p.authors.removeLast()
        #expect(GBT7714.citation(p, journals: [Self.chineseJournal]).hasPrefix("高志刚, 陈青江, 欧阳明. 腹腔镜"))
    }

    @Test func gbChineseJournalByItsChineseTitleEvenWhenThePaperNamesItInEnglish() {
        var p = Self.chinesePaper
        p.journal = JournalReference(journalID: "chin-j-pediatr-surg", title: "Zhonghua Xiao Er Wai Ke Za Zhi")
        #expect(GBT7714.citation(p, journals: [Self.chineseJournal]).contains("[J]. 中华小儿外科杂志, 2023, 44(3): 201-205."))
    }

    @Test func gbBookChapterProceedingsAndThesis() {
        let book = Publication(
            id: "b", kind: .book, title: MarkupText(plain: "小儿外科学"), published: PartialDate("2020"), languages: ["chi"],
            authors: [Self.author("王", "金湖")], publisher: "人民卫生出版社")
        #expect(GBT7714.citation(book, journals: []) == "王金湖. 小儿外科学[M]. 人民卫生出版社, 2020.")
        let chapter = Publication(
            id: "c", kind: .bookChapter, title: MarkupText(plain: "Neuroblastoma"), published: PartialDate("2019"),
            pages: "101-120",
            authors: [Self.author("Wang", "Jinhu")], editors: [Self.author("Li", "Minju")],
            bookTitle: "Pediatric surgical oncology",
            publisher: "Springer")
        #expect(
            GBT7714.citation(chapter, journals: [])
                == "WANG J. Neuroblastoma[M]//LI M. Pediatric surgical oncology. Springer, 2019: 101-120.")
        let paper = Publication(
            id: "p", kind: .conferencePaper, title: MarkupText(plain: "Robotic choledochal cyst excision"),
            published: PartialDate("2021"),
            pages: "12-13", authors: [Self.author("Gao", "Zhigang")],
            bookTitle: "Proceedings of the 2021 Congress of Pediatric Surgery")
        #expect(
            GBT7714.citation(paper, journals: [])
                == "GAO Z. Robotic choledochal cyst excision[C]//Proceedings of the 2021 Congress of Pediatric Surgery. 2021: 12-13."
        )
        let thesis = Publication(
            id: "t", kind: .other, title: MarkupText(plain: "先天性巨结肠的遗传学研究"), published: PartialDate("2018"),
            languages: ["chi"],
            authors: [Self.author("陈", "青江")], publisher: "浙江大学", publicationTypes: ["Thesis"])
        #expect(GBT7714.citation(thesis, journals: []) == "陈青江. 先天性巨结肠的遗传学研究[D]. 浙江大学, 2018.")
    }

    @Test func vancouverSixAuthorsThenEtAl() {
        #expect(
            Vancouver.citation(Self.englishPaper, journals: [Self.foreignJournal])
                == "Gao Z, Chen QJ, Xiong QX, Wang J, Li M, Zhou X, et al. Laparoscopic excision of choledochal cysts in children. J Pediatr Surg. 2024;59(1):101-107. doi:10.5555/annals.sample.1"
        )
    }

    @Test func vancouverKeepsAChineseNameWhole() {
        #expect(
            Vancouver.citation(Self.chinesePaper, journals: [Self.chineseJournal])
                == "高志刚, 陈青江, 欧阳明, 王金湖. 腹腔镜胆总管囊肿切除术的学习曲线. Zhonghua Xiao Er Wai Ke Za Zhi. 2023;44(3):201-205.")
    }
}

/// Money and periods as Chinese and English reports write them.
@Suite struct MoneyAndPeriodTests {
    func money(_ text: String, _ currency: String = "CNY", language: ReportLanguage) -> String {
        Numbers.money(DecimalNumber(text)!, currency: currency, language)
    }

    @Test func yuanInWanExactly() {
        #expect(money("1500000", language: .zh) == "150万元")
        #expect(money("300000", language: .zh) == "30万元")
        #expect(money("123456", language: .zh) == "12.3456万元")
        #expect(money("5000", language: .zh) == "0.5万元")
        #expect(money("12345678.9", language: .zh) == "1,234.56789万元")
        #expect(money("200000", "USD", language: .zh) == "20万美元")
        #expect(money("20000", "EUR", language: .zh) == "EUR 20,000")
    }

    @Test func englishGroupsDigitsAndNamesTheCurrency() {
        #expect(money("1500000", language: .en) == "CNY 1,500,000")
        #expect(money("999.5", language: .en) == "CNY 999.5")
    }

    @Test func periodsByMonth() {
        #expect(Numbers.period(PartialDate("2022"), PartialDate("2025"), .zh) == "2022.01–2025.12")
        #expect(Numbers.period(PartialDate("2022-03-15"), PartialDate("2024-06"), .en) == "2022.03–2024.06")
        #expect(Numbers.period(PartialDate("2021"), nil, .zh) == "2021.01–至今")
        #expect(Numbers.period(PartialDate("2021"), nil, .en) == "2021.01–")
    }
}

import Testing

@testable import AnnalsModel

/// Chinese names are kept Chinese: split by family name (compound ones too), written whole, never initials.
@Suite struct ChineseNameTests {
    @Test(arguments: [
        ("高志刚", "高", "志刚"), ("王金湖", "王", "金湖"), ("欧阳明", "欧阳", "明"), ("欧阳志刚", "欧阳", "志刚"), ("司马光", "司马", "光"),
        ("诸葛亮", "诸葛", "亮"), ("上官婉儿", "上官", "婉儿"), ("皇甫谧", "皇甫", "谧"), ("东方朔", "东方", "朔"), ("慕容复", "慕容", "复"),
        ("司徒雷登", "司徒", "雷登"), ("夏侯惇", "夏侯", "惇"), ("尉迟恭", "尉迟", "恭"), ("长孙无忌", "长孙", "无忌"), ("令狐冲", "令狐", "冲"),
        ("公孙胜", "公孙", "胜"), ("歐陽修", "歐陽", "修"), ("欧阳", "欧", "阳"), ("李明", "李", "明"), ("欧 阳明", "欧", "阳明"),
    ])
    func familyAndGivenName(_ name: String, _ family: String, _ given: String) throws {
        let split = try #require(ChineseName.split(name))
        #expect(split.family == family, "\(name)")
        #expect(split.given == given, "\(name)")
    }

    @Test func namesNotInCharactersAreNotSplit() {
        #expect(ChineseName.split("Gao Zhigang") == nil)
        #expect(ChineseName.split("高") == nil)
        #expect(ChineseName.split("高Z") == nil)
        #expect(ChineseName.split("") == nil)
    }

    @Test func aNameInCharactersIsWrittenWholeNeverAsInitials() {
        #expect(Author(familyName: "高", givenName: "志刚").shortName == "高志刚")
        #expect(Author(familyName: "欧阳", givenName: "明").shortName == "欧阳明")
        #expect(Author(familyName: "高志刚").shortName == "高志刚")
        #expect(Author(familyName: "高", givenName: "志刚").chineseName == "高志刚")
        #expect(Author(familyName: "Gao", givenName: "Zhigang", initials: "Z").shortName == "Gao Z")
        #expect(Author(familyName: "Gao", givenName: "Zhigang").chineseName == nil)
        #expect(Author(familyName: "高", initials: "ZG").shortName == "高 ZG", "initials given: not a name in characters")
        #expect(Author(collectiveName: "中华医学会小儿外科学分会").shortName == "中华医学会小儿外科学分会")
        #expect(Person(id: "ouyang-ming", familyName: "欧阳", givenName: "明").displayName == "欧阳明")
        #expect(Person(id: "gao-zhigang", familyName: "Gao", givenName: "Zhigang").displayName == "Gao Zhigang")
    }

    @Test func hanziAreTold() {
        #expect(ChineseText.isHanOnly("高志刚"))
        #expect(ChineseText.isHanOnly("欧阳 明"))
        #expect(!ChineseText.isHanOnly("Rex手术"))
        #expect(!ChineseText.isHanOnly(""))
        #expect(ChineseText.containsHan("Rex手术"))
        #expect(!ChineseText.containsHan("Gao"))
        #expect(!ChineseText.containsHan("김철수"), "Hangul is not hanzi")
    }
}

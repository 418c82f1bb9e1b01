/// A body that funds research, as a vocabulary entry: its names in Chinese and English, acronyms and the
/// other ways it is written, so that "国家自然科学基金", "NSFC" and "National Natural Science Foundation of
/// China" are one funder.
public struct Funder: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// The English name ("National Natural Science Foundation of China").
    public var name: String
    /// The Chinese name ("国家自然科学基金").
    public var nameZH: String
    /// "NSFC".
    public var acronyms: [String]
    /// Other names it is written by, in either language ("国家自然科学基金委员会", "Natural Science Foundation of China").
    public var aliases: [String]
    public var level: Level

    public init(id: String, name: String, nameZH: String, acronyms: [String] = [], aliases: [String] = [], level: Level)
    {
        self.id = id
        self.name = name
        self.nameZH = nameZH
        self.acronyms = acronyms
        self.aliases = aliases
        self.level = level
    }

    /// Every name it is known by.
    public var names: [String] { [name, nameZH] + acronyms + aliases }
}

/// The funders Annals knows: the national and Zhejiang funders a Chinese children's hospital reports, each
/// once with every name it goes by. A project's funder is written as its source wrote it and kept so; it is
/// matched here (case, punctuation and spacing ignored) for counting "by funder" and for writing its name
/// in the report's language. A funder text that matches none is kept as written and listed for mapping.
public struct FunderVocabulary: Sendable {
    public let funders: [Funder]
    private let byKey: [String: Int]

    /// The built-in vocabulary, made once.
    public static let shared = FunderVocabulary()

    public init(_ funders: [Funder] = FunderVocabulary.builtIn) {
        self.funders = funders
        var byKey: [String: Int] = [:]
        for (index, funder) in funders.enumerated() {
            for name in funder.names where byKey[Self.key(name)] == nil { byKey[Self.key(name)] = index }
        }
        self.byKey = byKey
    }

    /// The funder `text` names, or nil when it names none of the vocabulary.
    public func funder(for text: String) -> Funder? {
        byKey[Self.key(text)].map { funders[$0] }
    }

    /// The funders closest to `text` (sharing the most words or characters with one of its names), best first.
    public func suggestions(for text: String, limit: Int = 2) -> [Funder] {
        let target = Self.grams(Self.key(text))
        guard !target.isEmpty else { return [] }
        let scored = funders.map { funder -> (Funder, Double) in
            let best =
                funder.names.map { name -> Double in
                    let g = Self.grams(Self.key(name))
                    let shared = Double(g.intersection(target).count)
                    return shared / Double(max(g.union(target).count, 1))
                }.max() ?? 0
            return (funder, best)
        }
        return scored.filter { $0.1 >= 0.3 }.sorted { ($1.1, $0.0.id) < ($0.1, $1.0.id) }.prefix(limit).map(\.0)
    }

    static func key(_ text: String) -> String {
        var folded = TextKey.fold(text)
        // "the", "of", "P.R. China" and the like are not what tells funders apart.
        for prefix in ["the "] where folded.hasPrefix(prefix) { folded.removeFirst(prefix.count) }
        return folded.filter { $0 != " " }
    }

    /// Words for Latin text, pairs of characters for Chinese.
    static func grams(_ key: String) -> Set<String> {
        let chars = Array(key)
        guard chars.count > 1 else { return Set(chars.map(String.init)) }
        return Set((0..<(chars.count - 1)).map { String(chars[$0...($0 + 1)]) })
    }

    /// The built-in funders.
    public static let builtIn: [Funder] = [
        Funder(
            id: "nsfc", name: "National Natural Science Foundation of China", nameZH: "国家自然科学基金",
            acronyms: ["NSFC", "NNSFC"],
            aliases: [
                "国家自然科学基金委员会", "国家自科基金", "Natural Science Foundation of China", "National Science Foundation of China",
                "National Natural Science Foundation",
            ], level: .national),
        Funder(
            id: "most", name: "Ministry of Science and Technology of the People's Republic of China",
            nameZH: "中华人民共和国科学技术部",
            acronyms: ["MOST"],
            aliases: [
                "科学技术部", "科技部", "Ministry of Science and Technology", "Ministry of Science and Technology of China",
            ],
            level: .national),
        Funder(
            id: "moe", name: "Ministry of Education of the People's Republic of China", nameZH: "中华人民共和国教育部",
            acronyms: ["MOE"],
            aliases: ["教育部", "Ministry of Education", "Ministry of Education of China"], level: .ministerial),
        Funder(
            id: "nhc", name: "National Health Commission of the People's Republic of China", nameZH: "国家卫生健康委员会",
            acronyms: ["NHC"],
            aliases: [
                "国家卫健委", "National Health Commission", "National Health and Family Planning Commission", "国家卫生和计划生育委员会",
                "国家卫计委",
            ],
            level: .ministerial),
        Funder(
            id: "china-postdoc", name: "China Postdoctoral Science Foundation", nameZH: "中国博士后科学基金", acronyms: ["CPSF"],
            aliases: ["中国博士后科学基金会"], level: .national),
        Funder(
            id: "zj-nsf", name: "Zhejiang Provincial Natural Science Foundation", nameZH: "浙江省自然科学基金",
            acronyms: ["ZJNSF"],
            aliases: [
                "Natural Science Foundation of Zhejiang Province",
                "Zhejiang Provincial Natural Science Foundation of China",
                "Zhejiang Natural Science Foundation", "浙江省自然科学基金委员会", "浙江省自科基金",
            ], level: .provincial),
        Funder(
            id: "zj-most", name: "Science and Technology Department of Zhejiang Province", nameZH: "浙江省科学技术厅",
            aliases: [
                "浙江省科技厅", "Zhejiang Provincial Science and Technology Department",
                "Department of Science and Technology of Zhejiang Province",
                "Zhejiang Science and Technology Department",
                "Zhejiang Provincial Department of Science and Technology",
            ], level: .provincial),
        Funder(
            id: "zj-health", name: "Health Commission of Zhejiang Province", nameZH: "浙江省卫生健康委员会",
            aliases: [
                "浙江省卫健委", "Zhejiang Provincial Health Commission", "Zhejiang Health Commission", "浙江省卫生和计划生育委员会",
            ],
            level: .provincial),
        Funder(
            id: "zj-tcm", name: "Zhejiang Provincial Administration of Traditional Chinese Medicine",
            nameZH: "浙江省中医药管理局",
            aliases: ["Administration of Traditional Chinese Medicine of Zhejiang Province"], level: .provincial),
        Funder(
            id: "hz-st", name: "Hangzhou Science and Technology Bureau", nameZH: "杭州市科学技术局",
            aliases: [
                "杭州市科技局", "Hangzhou Municipal Science and Technology Bureau",
                "Science and Technology Bureau of Hangzhou",
            ],
            level: .municipal),
    ]
}

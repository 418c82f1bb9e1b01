import AnnalsModel
import Testing

@testable import AnnalsInterchange

/// The corresponding author is the one whose affiliation gives an e-mail address. The byte-wise check
/// must agree with the folded-text rule it replaces on every kind of spelling.
@Suite struct CorrespondingAddressTests {
    static let affiliations = [
        "Department of Surgery, Children's Hospital. Electronic address: gao@zju.edu.cn.",
        "Department of Surgery. Electronic address:",
        "electronic address", "ELECTRONIC-ADDRESS", "Electronic  ;  Address", "nonelectronic addresses",
        "electronicaddress", "electronic", "address electronic", "Electronic\taddress", "", "Dept of Surgery",
        "Hangzhou, China; gao@zju.edu.cn", "E-mail: someone @ nowhere", "Électronic address", "電子 electronic address",
    ]

    @Test(arguments: affiliations)
    func byteWiseCheckAgreesWithTheFoldedRule(_ affiliation: String) {
        let folded = TextKey.fold(affiliation).contains("electronic address")
        if let fast = PubMedReader.namesAnElectronicAddress(Array(affiliation.utf8)) {
            #expect(fast == folded, "\(affiliation)")
        } else {
            #expect(affiliation.utf8.contains { $0 >= 0x80 }, "only non-ASCII text is left to the folded rule")
        }
    }

    @Test func anAddressMarksTheCorrespondingAuthor() {
        #expect(PubMedReader.isCorrespondingAddress("Zhejiang University. Electronic address: gao@zju.edu.cn."))
        #expect(PubMedReader.isCorrespondingAddress("Department of Surgery. Electronic address:"))
        #expect(!PubMedReader.isCorrespondingAddress("Department of Surgery, Hangzhou, China."))
        #expect(!PubMedReader.isCorrespondingAddress("Follow us @ the clinic"))
    }
}

import AnnalsModel
import Foundation
import Testing

@Suite struct PartialDateTests {
    @Test(arguments: ["2018", "2018-05", "2018-05-03", "2024-02-29", "0999"])
    func parsesAndPrintsTheSameText(_ text: String) throws {
        let date = try #require(PartialDate(text))
        #expect(date.description == text)
    }

    @Test(arguments: [
        "2023-02-29", "2018-13", "2018-00", "2018-04-31", "18", "2018-5", "2018/05", "", "２０１８", "2018-05-03T00",
    ])
    func refusesWhatIsNotACalendarDate(_ text: String) {
        #expect(PartialDate(text) == nil)
    }

    @Test func yearAndMonthSpanTheirWholePeriod() throws {
        let year = try #require(PartialDate("2016"))
        #expect(year.firstDay.description == "2016-01-01")
        #expect(year.lastDay.description == "2016-12-31")
        let february = try #require(PartialDate("2016-02"))
        #expect(february.lastDay.description == "2016-02-29")
        #expect(try #require(PartialDate("2100-02")).lastDay.day == 28)
        #expect(february.precision == .month)
    }

    @Test func sortsByStartThenWiderFirst() throws {
        let dates = ["2018-05-03", "2018", "2017-12", "2018-05"].compactMap(PartialDate.init)
        #expect(dates.sorted().map(\.description) == ["2017-12", "2018", "2018-05", "2018-05-03"])
    }

    @Test func approximateYearKeepsWhatPeopleWrote() throws {
        let early60s = try #require(ApproximateYear(earliest: 1960, latest: 1963, text: "early 1960s"))
        #expect(early60s.description == "early 1960s")
        #expect(!early60s.isExact)
        #expect(try #require(ApproximateYear(2018)).description == "2018")
        #expect(ApproximateYear(earliest: 1990, latest: 1980) == nil)
    }
}

@Suite struct IdentifierTests {
    @Test(arguments: [
        "0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097", "http://orcid.org/0000-0002-1825-0097",
        "orcid.org/0000000218250097", " 0000-0002-1825-0097 ",
    ])
    func orcidInAnyWrittenFormNormalises(_ text: String) {
        #expect(ORCID.normalize(text) == "0000-0002-1825-0097")
    }

    @Test func orcidWithXCheckDigit() {
        #expect(ORCID.normalize("0000-0002-9079-593x") == "0000-0002-9079-593X")
    }

    @Test(arguments: ["0000-0002-1825-0098", "0000-0002-1825", "abcd-0002-1825-0097", ""])
    func orcidWithWrongCheckDigitOrShapeIsRefused(_ text: String) {
        #expect(ORCID.normalize(text) == nil)
    }

    @Test func doiLosesResolverPrefixAndCase() {
        #expect(DOI.normalize("https://doi.org/10.1016/J.JPEDSURG.2019.01.001") == "10.1016/j.jpedsurg.2019.01.001")
        #expect(DOI.normalize("doi:10.1000/XYZ") == "10.1000/xyz")
        #expect(DOI.normalize("not a doi") == nil)
    }

    @Test func recordIDsFollowTheSchemaPattern() {
        #expect(RecordID.isValid("general-surgery"))
        #expect(RecordID.isValid("tally.2019.lccs_1"))
        #expect(!RecordID.isValid("General-Surgery"))
        #expect(!RecordID.isValid("-lead"))
        #expect(!RecordID.isValid(""))
        #expect(!RecordID.isValid(String(repeating: "a", count: 129)))
    }

    @Test func decimalNumbersAreCanonical() {
        #expect(DecimalNumber("0500000.00")?.text == "500000")
        #expect(DecimalNumber("3.250")?.text == "3.25")
        #expect(DecimalNumber("-0.0")?.text == "0")
        #expect(DecimalNumber("1e5") == nil)
        #expect(DecimalNumber(".5") == nil)
    }
}

@Suite struct DayTests {
    @Test func ordinalsRoundTripAcrossLeapYearsAndCenturies() {
        for text in ["0001-01-01", "1999-12-31", "2000-02-29", "2100-03-01", "2024-12-31"] {
            let day = Day(text)!
            #expect(Day(ordinal: day.ordinal) == day)
            #expect(day.next.previous == day)
        }
        #expect(Day("2000-03-01")!.ordinal - Day("2000-02-28")!.ordinal == 2)
        #expect(Day("2100-03-01")!.ordinal - Day("2100-02-28")!.ordinal == 1)
    }
}

/// Dates, days and exact decimals are JSON strings, read back the same, and a text that is not one is refused
/// saying what it should be.
@Suite struct TextCodedTests {
    struct Box: Codable, Equatable {
        var date: PartialDate
        var day: Day
        var amount: DecimalNumber
    }

    @Test func eachIsItsTextInJSON() throws {
        let box = Box(date: PartialDate("2024-03")!, day: Day("2024-03-05")!, amount: DecimalNumber("1500000.50")!)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(box), as: UTF8.self)
        #expect(json == #"{"amount":"1500000.5","date":"2024-03","day":"2024-03-05"}"#)
        #expect(try JSONDecoder().decode(Box.self, from: Data(json.utf8)) == box)
    }

    @Test func aTextThatIsNotOneIsRefusedSayingWhatItShouldBe() {
        let bad = #"{"amount":"1500000","date":"2024-03","day":"2024-03"}"#
        do {
            _ = try JSONDecoder().decode(Box.self, from: Data(bad.utf8))
            Issue.record("a month was read as a day")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription == "not a day (YYYY-MM-DD): 2024-03")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

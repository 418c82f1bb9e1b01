import AnnalsReports
import Testing

/// Percentages and decimals as reports write them: the sign once in front, zero never negative.
@Suite struct NumbersTests {
    @Test(arguments: [
        (0.8123, "81.2%"), (0.0, "0.0%"), (1.0, "100.0%"), (-1.0 / 35.0, "-2.9%"), (-0.005, "-0.5%"), (-0.0004, "0.0%"),
        (0.0004, "0.0%"), (-0.0005, "-0.1%"), (0.0005, "0.1%"), (-0.1, "-10.0%"), (-0.999, "-99.9%"), (-1.5, "-150.0%"),
        (0.12345, "12.3%"), (0.9996, "100.0%"), (-0.0999, "-10.0%"),
    ])
    func percentKeepsTheSignAndRoundsHalvesAwayFromZero(ratio: Double, expected: String) {
        #expect(Numbers.percent(ratio) == expected)
    }

    @Test(arguments: [
        (3.456, "3.46"), (0.0, "0.00"), (-0.5, "-0.50"), (-0.05, "-0.05"), (-0.004, "0.00"), (-1.999, "-2.00"),
        (-12.3, "-12.30"), (7.5, "7.50"), (0.999, "1.00"), (100.0, "100.00"), (-0.006, "-0.01"),
    ])
    func twoPlacesKeepsTheSign(value: Double, expected: String) {
        #expect(Numbers.twoPlaces(value) == expected)
    }

    @Test func aFallFrom35To34IsMinus2Point9Percent() {
        #expect(Numbers.percent(Double(34 - 35) / 35) == "-2.9%")
        #expect(!Numbers.percent(Double(34 - 35) / 35).contains(".-"))
    }

    @Test func nonFiniteValuesAreADash() {
        #expect(Numbers.percent(.nan) == "—")
        #expect(Numbers.twoPlaces(.infinity) == "—")
    }
}

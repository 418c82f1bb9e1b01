import AnnalsModel

/// Head counts of doctors and nurses from staff censuses, counting each person once.
///
/// A census counts categories that overlap: "11 specialist doctors, including 3 chief and 2 deputy
/// chief physicians" is 11 doctors, not 16; degrees (doctorate, master) and roles (supervisors,
/// committee members) are held by people already counted by rank. So a department's doctors are its
/// specialist doctors when the census gives them (or the physician ranks added up, if that is more),
/// otherwise the physician ranks added up; its nurses are the nursing ranks added up. Degrees and
/// roles are never added in.
enum StaffHeadcount {
    static let physicianRanks: [StaffCategory] = [
        .chiefPhysician, .deputyChiefPhysician, .attendingPhysician, .residentPhysician,
    ]
    static let nurseRanks: [StaffCategory] = [.supervisorNurse, .nursePractitioner, .nurse]

    /// Doctors and nurses over `departments` (id, name), from each one's latest census per category.
    static func of(
        _ latest: [String: [StaffCategory: StaffCensus]], departments: [(id: String, name: String)]
    ) -> (doctors: AnnualReport.HeadCount, nurses: AnnualReport.HeadCount) {
        var doctors: [(name: String, count: Int?)] = []
        var nurses: [(name: String, count: Int?)] = []
        for department in departments {
            let census = latest[department.id] ?? [:]
            let ranks = physicianRanks.compactMap { census[$0]?.count }
            let ranked: Int? = ranks.isEmpty ? nil : ranks.reduce(0, +)
            let specialists = census[.specialistDoctor]?.count
            doctors.append((department.name, specialists.map { max($0, ranked ?? 0) } ?? ranked))
            let nursing = nurseRanks.compactMap { census[$0]?.count }
            nurses.append((department.name, nursing.isEmpty ? nil : nursing.reduce(0, +)))
        }
        return (headCount(doctors), headCount(nurses))
    }

    static func headCount(_ parts: [(name: String, count: Int?)]) -> AnnualReport.HeadCount {
        let known = parts.compactMap(\.count)
        let missing = parts.filter { $0.count == nil }.map(\.name)
        let total = known.reduce(0, +)
        return AnnualReport.HeadCount(
            count: total, exact: !known.isEmpty && missing.isEmpty, given: !known.isEmpty, missing: missing)
    }
}

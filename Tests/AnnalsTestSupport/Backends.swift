import Foundation
public import Testing

/// The two ways of keeping a registry, for tests that run on both.
public enum TestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }

    /// The backend the suites that are not about the store keep their registries on: `ANNALS_TEST_BACKEND`
    /// (`sqlite`, the default, or `postgres`). `.ci/run` runs those suites a second time on PostgreSQL.
    public static var underTest: TestBackend {
        ProcessInfo.processInfo.environment["ANNALS_TEST_BACKEND"].flatMap(TestBackend.init(rawValue:)) ?? .sqlite
    }
}

/// The PostgreSQL server the tests may use: `ANNALS_TEST_POSTGRES_URL` (`postgres://USER:PASSWORD@HOST:PORT/DB`,
/// a throw-away server: the tests create a database per registry there and leave them). `.ci/run` starts one with
/// `scripts/pg-test-server.sh`; without it the PostgreSQL cases are skipped, saying so.
public enum TestPostgres {
    public static var serverURL: String? {
        guard let url = ProcessInfo.processInfo.environment["ANNALS_TEST_POSTGRES_URL"], !url.isEmpty else {
            return nil
        }
        return url
    }

    public static let skipMessage =
        "PostgreSQL case skipped: no test server. Set ANNALS_TEST_POSTGRES_URL=postgres://USER:PASSWORD@127.0.0.1:PORT/postgres (scripts/pg-test-server.sh start DIR prints one) to run it."

    /// A URL naming a new database on the test server (Annals creates it when it opens the URL); cancels
    /// the current test case, with `skipMessage`, when there is no server.
    public static func newDatabaseURL(_ label: String = "t") throws -> String {
        guard let server = serverURL, var components = URLComponents(string: server) else {
            try Test.cancel(Comment(rawValue: skipMessage))
        }
        let name =
            "annals_\(label)_\(UUID().uuidString.prefix(13).lowercased().replacingOccurrences(of: "-", with: ""))"
        components.path = "/" + name
        return components.string!
    }
}

extension TemporaryFolder {
    /// Where a new registry goes on `backend`: a new file in this folder, or a new database on the test server.
    public func registryLocation(_ backend: TestBackend, _ name: String = "annals") throws -> String {
        switch backend {
        case .sqlite: path("\(name)-\(UUID().uuidString).sqlite")
        case .postgres: try TestPostgres.newDatabaseURL()
        }
    }
}

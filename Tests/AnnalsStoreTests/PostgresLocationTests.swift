import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsStore

/// Where the password of a `postgres://` registry comes from, and that it is never part of its name.
@Suite struct PostgresLocationTests {
    let folder = TemporaryFolder()

    func passFile(_ text: String, mode: Int = 0o600) throws -> String {
        let url = folder.write("pgpass", text)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        return url.path
    }

    @Test func theURLsPasswordComesFirstAndIsNeverShown() throws {
        let location = try PostgresLocation(
            url: "postgres://ann%40office:p%3Ass%2Fw@db.hospital.local:6543/annals",
            environment: ["PGPASSWORD": "other"],
            home: folder.url.path)
        #expect(location.user == "ann@office")
        #expect(location.password == "p:ss/w")
        #expect(location.host == "db.hospital.local")
        #expect(location.port == 6543)
        #expect(location.database == "annals")
        #expect(location.description == "postgres://ann@office@db.hospital.local:6543/annals")
        #expect(
            RegistryStore.displayName(for: "postgres://ann:secret@db:5432/annals") == "postgres://ann@db:5432/annals")
        #expect(!RegistryStore.displayName(for: "postgres://ann:secret@db:5432/").contains("secret"))
    }

    @Test func thenPGPASSWORDThenThePassFile() throws {
        let file = try passFile("db:5432:annals:ann:from-file\n")
        let fromEnvironment = try PostgresLocation(
            url: "postgres://ann@db/annals", environment: ["PGPASSWORD": "from-env", "PGPASSFILE": file],
            home: "/nonexistent")
        #expect(fromEnvironment.password == "from-env")
        let fromFile = try PostgresLocation(
            url: "postgres://ann@db/annals", environment: ["PGPASSFILE": file], home: "/nonexistent")
        #expect(fromFile.password == "from-file")
        #expect(fromFile.port == 5432)
    }

    @Test func passFileLinesMatchAsLibpqReadsThem() throws {
        let file = try passFile(
            """
            # comments and lines that do not fit are passed over
            db:5432:other:ann:wrong-database
            *:*:annals:bob:wrong-user
            db\\:x:5432:annals:ann:escaped-host
            db:*:annals:ann:pa\\:ss\\\\word
            *:*:*:*:catch-all
            """)
        let password = { (host: String, port: Int, database: String, user: String) in
            PostgresLocation.passwordFromPassFile(file, host: host, port: port, database: database, user: user)
        }
        #expect(password("db", 5432, "annals", "ann") == "pa:ss\\word")
        #expect(password("db:x", 5432, "annals", "ann") == "escaped-host")
        #expect(password("db", 5432, "other", "ann") == "wrong-database")
        #expect(password("elsewhere", 1, "x", "y") == "catch-all")
    }

    @Test func aPassFileOthersMayReadIsIgnored() throws {
        let file = try passFile("*:*:*:*:secret\n", mode: 0o644)
        #expect(PostgresLocation.passwordFromPassFile(file, host: "db", port: 5432, database: "a", user: "b") == nil)
    }

    @Test func aURLWithoutUserOrDatabaseOrWithUnknownParametersIsRefused() throws {
        for url in [
            "postgres://db:5432/annals", "postgres://ann@db:5432/", "postgres://ann:pw@db/annals?application_name=x",
        ] {
            let error = try #require(throws: StoreError.self) {
                try PostgresLocation(url: url, environment: [:], home: "/nonexistent")
            }
            #expect(!error.message.contains(":pw@"))
        }
        #expect(
            try PostgresLocation(url: "postgresql://ann@db/annals?sslmode=require", environment: [:], home: "/x").tls
                == .require)
        #expect(try PostgresLocation(url: "postgres://ann@db/annals", environment: [:], home: "/x").tls == .prefer)
    }
}

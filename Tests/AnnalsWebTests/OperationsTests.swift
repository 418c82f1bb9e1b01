import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import AnnalsWeb

#if canImport(Glibc)
    import Glibc
#endif

/// What hospital IT runs the server with: `/healthz` that queries the registry, `/metrics` in Prometheus text
/// format (to this machine only), JSON log lines with request ids.
@Suite(.serialized) struct OperationsTests {
    @Test func healthSaysOkWhenTheRegistryAnswers() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            let body =
                try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
            #expect(body?["registry"] as? String == "ok")
        }
    }

    /// The registry gone under a running server (a read-only store opens a connection per read, so the next
    /// read finds no file): /healthz answers 503 with the reason in JSON, and the store error is counted.
    @Test func healthAnswers503WithAReasonWhenTheStoreFails() async throws {
        let folder = TemporaryFolder()
        let path = folder.url.appendingPathComponent("health.sqlite").path
        _ = try RegistryStore(path: path, create: true)
        let store = try RegistryStore(path: path, create: false, readOnly: true)
        let app = WebApp(store: store, configuration: WebConfiguration(bcryptCost: 4), logger: Self.silent)
        try await Application(router: app.router()).test(.router) { client in
            let before = try await client.execute(uri: "/healthz", method: .get)
            #expect(before.status == .ok)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let after = try await client.execute(uri: "/healthz", method: .get)
            #expect(after.status == .serviceUnavailable)
            #expect(after.headers[.contentType]?.hasPrefix("application/json") == true)
            let body = try JSONSerialization.jsonObject(with: Data(String(buffer: after.body).utf8)) as? [String: Any]
            #expect(body?["registry"] as? String == "failing")
            let reason = try #require(body?["error"] as? String)
            #expect(reason.contains("registry"), "\(reason)")
        }
        #expect(app.metrics.exposition().contains("annals_store_errors_total 1\n"))
    }

    /// A real server on 127.0.0.1: requests of several routes, then /metrics, read by a parser of the text
    /// format written here (every line a comment, a blank or a sample of a declared family; histograms
    /// cumulative and ending in +Inf = count).
    @Test func metricsAreValidPrometheusTextByRoutePattern() async throws {
        let fixture = try WebFixture()
        let application = Application(
            router: fixture.app.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            _ = try await browser.get(client, "/people/gao-zhigang")
            _ = try await browser.get(client, "/people/li-minju")
            _ = try await client.execute(uri: "/healthz", method: .get)
            _ = try await client.execute(uri: "/no-such-page/secret-value", method: .get)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            let samples = try PrometheusText.parse(text)
            let requests = samples.filter { $0.name == "annals_http_requests_total" }
            let people = requests.filter { $0.labels["route"] == "/people/{id}" && $0.labels["status"] == "200" }
            #expect(people.map(\.value) == [2], "both people's pages under one pattern:\n\(text)")
            let health = requests.filter { $0.labels["route"] == "/healthz" }
            #expect(health.map(\.value) == [1])
            #expect(requests.contains { $0.labels["route"] == "unmatched" && $0.labels["status"] == "404" })
            #expect(!text.contains("gao-zhigang") && !text.contains("secret-value"), "no path values")
            let count = samples.first {
                $0.name == "annals_http_request_duration_seconds_count" && $0.labels["route"] == "/people/{id}"
            }
            #expect(count?.value == 2)
            #expect(samples.contains { $0.name == "annals_store_errors_total" && $0.value == 0 })
            #expect(text.contains("# TYPE annals_imports_total counter"))
        }
    }

    @Test func metricsAreRefusedThroughAProxyAndToOtherMachines() async throws {
        let fixture = try WebFixture()
        let application = Application(
            router: fixture.app.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let proxied = try await client.execute(
                uri: "/metrics", method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "10.1.2.3"])
            #expect(proxied.status == .forbidden)
            let body = try JSONSerialization.jsonObject(with: Data(String(buffer: proxied.body).utf8)) as? [String: Any]
            #expect((body?["error"] as? String)?.contains("this machine only") == true)
        }
        // In process there is no peer address: refused too.
        try await fixture.test { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .forbidden)
        }
        #expect(RouteGuard.isLocalMachine(remoteAddress: "127.0.0.1", forwarded: false))
        #expect(RouteGuard.isLocalMachine(remoteAddress: "::1", forwarded: false))
        #expect(!RouteGuard.isLocalMachine(remoteAddress: "127.0.0.1", forwarded: true))
        #expect(!RouteGuard.isLocalMachine(remoteAddress: "10.0.0.7", forwarded: false))
        #expect(!RouteGuard.isLocalMachine(remoteAddress: nil, forwarded: false))
    }

    /// Every answer carries a request id, the same as its log line's; a proxy's id (nginx `$request_id`) is
    /// kept, anything else sent as one is replaced.
    @Test func eachRequestHasAnIdInItsAnswerAndItsLogLine() async throws {
        let logs = LogLines()
        let fixture = try WebFixture(logs: logs)
        try await fixture.test { client in
            let first = try await client.execute(uri: "/healthz", method: .get)
            let id = try #require(first.headers[ResponseMiddleware.requestIDHeader])
            #expect(id.count == 32)
            let line = logs.all.compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }.first { $0["request_id"] as? String == id }
            #expect(line?["route"] as? String == "/healthz")
            #expect(line?["status"] as? Int == 200)
            #expect(line?["method"] as? String == "GET")
            #expect(line?["duration_ms"] is Double)
            #expect(line?["role"] as? String == "-")
            #expect((line?["time"] as? String)?.hasSuffix("Z") == true)
            let kept = try await client.execute(
                uri: "/healthz", method: .get, headers: [ResponseMiddleware.requestIDHeader: "3f2a9c-nginx-id"])
            #expect(kept.headers[ResponseMiddleware.requestIDHeader] == "3f2a9c-nginx-id")
            let replaced = try await client.execute(
                uri: "/healthz", method: .get, headers: [ResponseMiddleware.requestIDHeader: "<script>\"x\""])
            #expect(replaced.headers[ResponseMiddleware.requestIDHeader]?.count == 32)
        }
    }

    @Test func jsonLogLinesEscapeWhatTheyCarry() throws {
        let line = JSONLogHandler.line(
            time: Date(timeIntervalSince1970: 0), level: .error, label: "annals.serve", message: "读不到 \"x\"\n",
            metadata: ["status": .stringConvertible(503), "error": .string("a\\b\u{1}"), "message": .string("hidden")])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "读不到 \"x\"\n")
        #expect(object["status"] as? Int == 503)
        #expect(object["error"] as? String == "a\\b\u{1}")
        #expect(object["time"] as? String == "1970-01-01T00:00:00.000Z")
        #expect(!line.contains("\n"))
    }

    /// `annals serve --check`: a sound configuration has no error; each broken piece is an error in words.
    @Test func theServerCheckFindsWhatStopsAStart() throws {
        let fixture = try WebFixture(backend: .sqlite)
        let good = ServerCheck.run(
            location: fixture.location, configuration: WebConfiguration(host: "127.0.0.1", port: 0))
        #expect(good.filter { $0.level == .error }.isEmpty, "\(good)")
        #expect(good.contains { $0.message.contains("up to date") }, "\(good)")
        #expect(good.contains { $0.message.contains("accounts can sign in") }, "\(good)")

        let missing = ServerCheck.run(
            location: fixture.folder.path("nowhere.sqlite"), configuration: WebConfiguration(port: 0))
        #expect(missing.contains { $0.level == .error && $0.message.contains("no registry at") }, "\(missing)")

        let exposed = ServerCheck.proxy(host: "0.0.0.0", behindHTTPS: true)
        #expect(exposed.first?.level == .error && exposed.first?.message.contains("X-Forwarded-For") == true)
        #expect(ServerCheck.proxy(host: "0.0.0.0", behindHTTPS: false).first?.level == .warning)

        // A port another program listens on.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        #expect(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let taken = ServerCheck.port(host: "127.0.0.1", port: port)
        #expect(taken.first?.level == .error && taken.first?.message.contains("already taken") == true, "\(taken)")

        // The PostgreSQL password file: ignored by libpq when others may read it.
        let pgpass = fixture.folder.path("pgpass")
        try "localhost:5432:*:annals:secret\n".write(toFile: pgpass, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pgpass)
        let open = ServerCheck.postgresSecrets(
            "postgres://annals@localhost/annals", environment: ["PGPASSFILE": pgpass])
        #expect(open.first?.level == .error && open.first?.message.contains("chmod 600") == true, "\(open)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pgpass)
        let closed = ServerCheck.postgresSecrets(
            "postgres://annals@localhost/annals", environment: ["PGPASSFILE": pgpass])
        #expect(closed.first?.level == .ok, "\(closed)")
        let inline = ServerCheck.postgresSecrets("postgres://annals:secret@localhost/annals", environment: [:])
        #expect(inline.first?.level == .warning)
        #expect(!"\(open)\(closed)\(inline)".contains("secret"), "no finding shows the password")
    }

    static let silent = Logger(label: "annals.test") { _ in SwiftLogNoOpLogHandler() }
}

/// A parser of Prometheus' text exposition format (0.0.4), strict enough to catch what a scraper would refuse.
enum PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> [Sample] {
        guard text.hasSuffix("\n") else { throw Problem(description: "the text does not end with a line feed") }
        var types: [String: String] = [:]
        var samples: [Sample] = []
        let namePattern = try Regex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let location = "line \(number + 1): \(line)"
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard parts.count >= 3, parts[0] == "#" else { continue }
                if parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3])
                    else { throw Problem(description: "bad TYPE, \(location)") }
                    guard types[parts[2]] == nil else { throw Problem(description: "TYPE twice, \(location)") }
                    guard !samples.contains(where: { family(of: $0.name, types) == parts[2] }) else {
                        throw Problem(description: "TYPE after samples, \(location)")
                    }
                    types[parts[2]] = parts[3]
                }
                continue
            }
            var rest = Substring(line)
            let name = String(rest.prefix { $0 != "{" && $0 != " " })
            rest = rest.dropFirst(name.count)
            guard name.wholeMatch(of: namePattern) != nil else { throw Problem(description: "bad name, \(location)") }
            var labels: [String: String] = [:]
            if rest.first == "{" {
                rest = rest.dropFirst()
                while rest.first != "}" {
                    let key = String(rest.prefix { $0 != "=" })
                    guard key.wholeMatch(of: namePattern) != nil, !key.contains(":") else {
                        throw Problem(description: "bad label name, \(location)")
                    }
                    rest = rest.dropFirst(key.count)
                    guard rest.hasPrefix("=\"") else { throw Problem(description: "label without =\", \(location)") }
                    rest = rest.dropFirst(2)
                    var value = ""
                    while let c = rest.first, c != "\"" {
                        rest = rest.dropFirst()
                        if c == "\\" {
                            guard let escaped = rest.first, "\\\"n".contains(escaped) else {
                                throw Problem(description: "bad escape, \(location)")
                            }
                            value.append(escaped == "n" ? "\n" : escaped)
                            rest = rest.dropFirst()
                        } else {
                            value.append(c)
                        }
                    }
                    guard rest.first == "\"" else { throw Problem(description: "unterminated label, \(location)") }
                    rest = rest.dropFirst()
                    guard labels.updateValue(value, forKey: key) == nil else {
                        throw Problem(description: "label twice, \(location)")
                    }
                    if rest.first == "," { rest = rest.dropFirst() }
                }
                rest = rest.dropFirst()
            }
            guard rest.first == " " else { throw Problem(description: "no space before the value, \(location)") }
            let fields = rest.dropFirst().split(separator: " ")
            guard (1...2).contains(fields.count), let value = Double(fields[0]) ?? special(fields[0]) else {
                throw Problem(description: "bad value, \(location)")
            }
            guard family(of: name, types) != nil else { throw Problem(description: "sample without TYPE, \(location)") }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        try checkHistograms(samples, types)
        return samples
    }

    static func special(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: nil
        }
    }

    /// The declared family a sample belongs to (`x_bucket` of histogram `x`).
    static func family(of name: String, _ types: [String: String]) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || (types[base] == "summary" && suffix != "_bucket") { return base }
        }
        return nil
    }

    /// Per histogram series: buckets by increasing `le`, counts never falling, a `+Inf` bucket equal to `_count`.
    static func checkHistograms(_ samples: [Sample], _ types: [String: String]) throws {
        for (base, type) in types where type == "histogram" {
            let buckets = samples.filter { $0.name == base + "_bucket" }
            let series = Dictionary(grouping: buckets) { $0.labels.filter { $0.key != "le" } }
            for (labels, list) in series {
                let bounds = try list.map { sample -> (Double, Double) in
                    guard let le = sample.labels["le"], let bound = Double(le) ?? special(Substring(le)) else {
                        throw Problem(description: "\(base) bucket without le")
                    }
                    return (bound, sample.value)
                }
                let ordered = bounds.sorted { $0.0 < $1.0 }
                guard ordered.last?.0 == .infinity else { throw Problem(description: "\(base) \(labels) has no +Inf") }
                for (a, b) in zip(ordered, ordered.dropFirst()) where b.1 < a.1 {
                    throw Problem(description: "\(base) \(labels) buckets not cumulative")
                }
                let count = samples.first { $0.name == base + "_count" && $0.labels == labels }
                guard count?.value == ordered.last?.1 else {
                    throw Problem(description: "\(base) \(labels): +Inf bucket differs from _count")
                }
            }
        }
    }
}

import Foundation
internal import PostgresNIO

/// A value bound to a PostgreSQL statement parameter.
enum PGValue: Sendable {
    case null
    case text(String)
    case int(Int)
    case bool(Bool)
    case bytes(Data)

    static func text(_ value: String?) -> PGValue { value.map(PGValue.text) ?? .null }
    static func int(_ value: Int?) -> PGValue { value.map(PGValue.int) ?? .null }
}

/// One result row, read by position.
struct PGRow {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    var count: Int { row.count }

    func string(_ i: Int) throws(StoreError) -> String? { try decode(String?.self, i) }
    func int(_ i: Int) throws(StoreError) -> Int? { try decode(Int?.self, i) }
    func bool(_ i: Int) throws(StoreError) -> Bool? { try decode(Bool?.self, i) }
    func bytes(_ i: Int) throws(StoreError) -> Data? { try decode(Data?.self, i) }
    func strings(_ i: Int) throws(StoreError) -> [String] { try decode([String]?.self, i) ?? [] }

    private func decode<T: PostgresDecodable>(_ type: T.Type, _ i: Int) throws(StoreError) -> T {
        do {
            return try row[i].decode(T.self)
        } catch {
            throw StoreError(.other, "the registry server returned a value Annals cannot read (column \(i + 1))")
        }
    }
}

/// One connection to the server, used synchronously.
///
/// postgres-nio is asynchronous; Annals' commands and its store interface are synchronous. The bridge:
/// connections run on one event loop group of their own (`PostgresSession.group`, a single thread kept for
/// the life of the process), and every call here blocks the calling thread on the result with
/// `EventLoopFuture.wait()`. The caller is never an event-loop thread (commands run on the main thread,
/// tests on their own threads), so the wait cannot deadlock the loop it waits for.
///
/// Statements whose result is not needed can be sent without waiting (`send`): they go down the same
/// connection in order, the server runs them one after the other, and their outcome is collected at the
/// next statement that waits (`query`, `execute`) or at `flush()`. A failure among them is thrown there.
final class PostgresSession {
    /// The event loop thread all Annals' PostgreSQL connections run on.
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Logs nothing below `.critical`, so no statement, parameter or credential reaches a log.
    static let logger: Logger = {
        var logger = Logger(label: "annals.postgres")
        logger.logLevel = .critical
        return logger
    }()

    let connection: PostgresConnection
    let location: PostgresLocation
    /// Statements sent without waiting and not yet known to be answered, oldest first, with their parameters'
    /// count (see `sendNow`).
    private var unanswered: [(answer: EventLoopFuture<PostgresQueryResult>, parameters: Int)] = []
    private var unansweredParameters = 0
    /// The most statements, and parameters, sent and not yet answered. The parameters bound the memory the
    /// queue holds: a bulk import sends statements of up to 30,000 values each, so 512 of them held several
    /// hundred MB of values waiting for the server. 100,000 values are a few MB, and a few statements ahead of the
    /// server keep it as busy as more would.
    static let unansweredLimit = (statements: 512, parameters: 100_000)
    /// The first failure among statements sent without waiting, kept from the event loop's thread.
    private let failures = FirstFailure()

    private init(connection: PostgresConnection, location: PostgresLocation) {
        self.connection = connection
        self.location = location
    }

    static func connect(_ location: PostgresLocation) throws(StoreError) -> PostgresSession {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try tlsContext(verify: false))
            case .require: tls = .require(try tlsContext(verify: false))
            case .verifyFull: tls = .require(try tlsContext(verify: true))
            }
        } catch {
            throw StoreError(.cannotOpen, "cannot set up TLS for \(location): \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        // As long as SQLite waits for a busy registry: a loaded server may be slow to accept.
        configuration.options.connectTimeout = .seconds(30)
        // A client that vanishes in the middle of a transaction (a laptop off the network during an import)
        // would hold the writers' lock until TCP noticed, hours later; the server ends such a session after
        // five silent minutes instead. Annals never pauses that long inside a transaction.
        configuration.options.additionalStartupParameters = [
            ("application_name", "annals"), ("idle_in_transaction_session_timeout", "300000"),
        ]
        do {
            let connection = try bounded(
                PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1, logger: logger),
                location,
                seconds: 60)
            return PostgresSession(connection: connection, location: location)
        } catch {
            throw PostgresSession.storeError(error, location)
        }
    }

    /// The longest Annals waits for the server to answer one statement. No statement Annals sends takes
    /// nearly as long (waiting for another writer is a loop of short questions, see `PostgresBackend`); a
    /// server that says nothing for this long is taken as lost (a network that dropped without a word).
    nonisolated(unsafe) static var answerLimit: Double = 600

    /// True once the connection is closed: by the server (ended, restarted) or by the network.
    var isClosed: Bool { connection.isClosed }

    /// Waits for `future`, at most `seconds`; then closes `connection` (when given) and says so.
    static func bounded<T>(
        _ future: EventLoopFuture<T>, _ location: PostgresLocation, seconds: Double = answerLimit,
        closing connection: PostgresConnection? = nil
    ) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        future.whenComplete { result in
            outcome.set(result)
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success else {
            if let connection {
                let closing: EventLoopFuture<Void> = connection.close()
                _ = closing
            }
            throw StoreError(
                .cannotOpen,
                "the registry server \(location) did not answer for \(Int(seconds)) seconds; the connection was given up and nothing was written. Check the network and the server, then try again"
            )
        }
        return try outcome.get()
    }

    /// Waits for `future` (see `bounded`), on this session's connection.
    private func wait<T>(_ future: EventLoopFuture<T>) throws -> T {
        try Self.bounded(future, location, closing: connection)
    }

    /// A client TLS context: the system's trusted certificates, checked with the host name when `verify`
    /// (verify-full); not checked otherwise (prefer, require), as libpq does.
    private static func tlsContext(verify: Bool) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !verify { configuration.certificateVerification = .none }
        return try NIOSSLContext(configuration: configuration)
    }

    func close() {
        if !connection.isClosed { _ = try? flush() }
        let closing: EventLoopFuture<Void> = connection.close()
        _ = try? Self.bounded(closing, location, seconds: 10)
    }

    /// Runs `sql` and returns its rows.
    func query(_ sql: String, _ arguments: [PGValue] = []) throws(StoreError) -> [PGRow] {
        try run(sql, arguments).rows.map(PGRow.init)
    }

    /// Runs `sql` and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [PGValue] = []) throws(StoreError) -> Int {
        try run(sql, arguments).metadata.rows ?? 0
    }

    /// Rows waiting to be written, one list per table and column list.
    private var batches: [(table: String, columns: [String], rows: [[PGValue]])] = []
    private var batchParameters = 0
    static let tableOrder: [String: Int] = Dictionary(
        uniqueKeysWithValues: StoreTable.all.enumerated().map { ($0.element.name, $0.offset) })
    /// At most this many parameters in one statement (PostgreSQL allows 65,535).
    static let parametersPerStatement = 30000

    /// Adds a row to the multi-row INSERT into `table` that is written before the next statement that is
    /// sent or run, or when enough rows have gathered. Only for rows no earlier statement of the
    /// transaction may conflict with (new papers and their lists).
    func append(into table: String, columns: [String], row: [PGValue]) {
        if let i = batches.firstIndex(where: { $0.table == table && $0.columns == columns }) {
            batches[i].rows.append(row)
        } else {
            batches.append((table, columns, [row]))
        }
        batchParameters += row.count
        if batchParameters >= Self.parametersPerStatement { writeBatches() }
    }

    /// Sends the gathered rows, table by table in order, without waiting.
    private func writeBatches() {
        guard !batches.isEmpty else { return }
        // Parents before children (the order of `StoreTable.all`), whatever order the lists were started in.
        let pending = batches.sorted {
            Self.tableOrder[$0.table, default: .max] < Self.tableOrder[$1.table, default: .max]
        }
        batches = []
        batchParameters = 0
        for batch in pending {
            let perStatement = max(1, Self.parametersPerStatement / max(1, batch.columns.count))
            var start = 0
            while start < batch.rows.count {
                let rows = batch.rows[start..<min(batch.rows.count, start + perStatement)]
                var placeholders: [String] = []
                var arguments: [PGValue] = []
                for row in rows {
                    let first = arguments.count
                    placeholders.append("(" + row.indices.map { "$\(first + $0 + 1)" }.joined(separator: ", ") + ")")
                    arguments += row
                }
                sendNow(
                    "INSERT INTO \(batch.table) (\(batch.columns.joined(separator: ", "))) VALUES \(placeholders.joined(separator: ", "))",
                    arguments)
                start += perStatement
            }
        }
    }

    /// Runs `sql` and waits for it. Statements sent before it need no wait of their own: the server answers
    /// in order, so when this one is answered they have been too.
    private func run(_ sql: String, _ arguments: [PGValue]) throws(StoreError) -> PostgresQueryResult {
        writeBatches()
        if connection.isClosed {
            // postgres-nio may never answer a statement sent on a closed connection.
            throw Self.lostConnection(location, failures.take())
        }
        let result: PostgresQueryResult
        do {
            result = try wait(connection.query(Self.query(sql, arguments), logger: Self.logger))
        } catch {
            // A statement sent earlier that failed has aborted the transaction, and is the real cause.
            try flush()
            throw Self.storeError(error, location)
        }
        unanswered = []
        unansweredParameters = 0
        if let failure = failures.take() { throw Self.storeError(failure, location) }
        return result
    }

    /// Runs a script of several statements (no parameters), one after the other: the migrations.
    func script(_ sql: String) throws(StoreError) {
        for statement in Self.statements(sql) { try execute(statement) }
    }

    /// `sql` split at the semicolons that end statements: not those inside quotes, `$$` bodies or `--` comments.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inQuote = false
        var inDollar = false
        var inComment = false
        var previous: Character = " "
        for character in sql {
            if inComment {
                if character == "\n" { inComment = false }
            } else if inQuote {
                if character == "'" { inQuote = false }
            } else if inDollar {
                if character == "$" && previous == "$" {
                    inDollar = false
                    previous = " "
                    current.append(character)
                    continue
                }
            } else if character == "-" && previous == "-" {
                inComment = true
            } else if character == "'" {
                inQuote = true
            } else if character == "$" && previous == "$" {
                inDollar = true
                previous = " "
                current.append(character)
                continue
            } else if character == ";" {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
                previous = " "
                continue
            }
            current.append(character)
            previous = character
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty
            && !last.split(separator: "\n").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") })
        {
            statements.append(last)
        }
        return statements
    }

    /// Sends `sql` without waiting for it (see the type's notes). When more than `unansweredLimit` is sent and
    /// not yet answered, waits for the oldest statements first, so that the queue (and the memory it holds)
    /// stays bounded while the server always has the next statements at hand.
    func send(_ sql: String, _ arguments: [PGValue] = []) {
        writeBatches()
        sendNow(sql, arguments)
    }

    private func sendNow(_ sql: String, _ arguments: [PGValue]) {
        if connection.isClosed {
            failures.keep(LostConnection())
            return
        }
        let future = connection.query(Self.query(sql, arguments), logger: Self.logger)
        let failures = self.failures
        future.whenFailure { failures.keep($0) }
        unanswered.append((future, arguments.count))
        unansweredParameters += arguments.count
        var answered = 0
        while unanswered.count - answered > Self.unansweredLimit.statements
            || (unansweredParameters > Self.unansweredLimit.parameters && unanswered.count - answered > 1)
        {
            // Its failure, if any, is kept by `failures` and thrown by the next statement that waits.
            _ = try? wait(unanswered[answered].answer)
            unansweredParameters -= unanswered[answered].parameters
            answered += 1
        }
        if answered > 0 { unanswered.removeFirst(answered) }
    }

    /// Waits for every statement sent without waiting; throws the first failure among them.
    func flush() throws(StoreError) {
        writeBatches()
        if let last = unanswered.last?.answer {
            unanswered = []
            unansweredParameters = 0
            if connection.isClosed {
                _ = failures.take()
                throw Self.lostConnection(location, nil)
            }
            do {
                _ = try wait(last)
            } catch let error as StoreError {
                throw error  // no answer in time: the connection has been given up
            } catch {
                // The statement's own failure, kept by `failures` and thrown below.
            }
        }
        if let failure = failures.take() { throw Self.storeError(failure, location) }
    }

    private static func query(_ sql: String, _ arguments: [PGValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: bindings.appendNull()
            case .text(let value): bindings.append(value)
            case .int(let value): bindings.append(value)
            case .bool(let value): bindings.append(value)
            case .bytes(let value): bindings.append(ByteBuffer(bytes: value))
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    /// The connection was lost (ended by the server or an administrator, a restart, the network).
    static func lostConnection(_ location: PostgresLocation, _ cause: (any Error)?) -> StoreError {
        StoreError(
            .cannotOpen,
            "the connection to the registry server \(location) was lost (the server ended it, restarted, or the network failed); nothing was written. Try again when the server is back"
        )
    }

    /// A server or connection error in the user's words, naming the registry without its password.
    static func storeError(_ error: any Error, _ location: PostgresLocation) -> StoreError {
        if let error = error as? StoreError { return error }
        if error is LostConnection { return lostConnection(location, error) }
        if let error = error as? PSQLError,
            [.serverClosedConnection, .clientClosedConnection, .uncleanShutdown].contains(error.code)
        {
            return lostConnection(location, error)
        }
        var state = ""
        var message = ""
        switch error {
        case let error as PSQLError:
            state = error.serverInfo?[.sqlState] ?? ""
            message = error.serverInfo?[.message] ?? ""
            if state.isEmpty {
                switch error.code {
                case .authMechanismRequiresPassword:
                    return StoreError(
                        .cannotOpen,
                        "the registry server \(location) asks for a password: put it in ~/.pgpass or PGPASSWORD (or the URL)"
                    )
                case .sslUnsupported, .failedToAddSSLHandler:
                    return StoreError(.cannotOpen, "cannot use the registry server \(location): TLS is not available")
                default:
                    return StoreError(
                        .cannotOpen, "cannot reach the registry server \(location): \(reachCause(error.underlying))")
                }
            }
        case let error as PostgresError:
            switch error {
            case .server(let info):
                state = info.fields[.sqlState] ?? ""
                message = info.fields[.message] ?? ""
            case .protocol(let text) where text.contains("without password"):
                return StoreError(
                    .cannotOpen,
                    "the registry server \(location) asks for a password: put it in ~/.pgpass or PGPASSWORD (or the URL)"
                )
            case .protocol(let text):
                return StoreError(.cannotOpen, "cannot use the registry server \(location): \(text)")
            case .connectionClosed:
                return StoreError(.cannotOpen, "the registry server \(location) closed the connection")
            }
        default:
            return StoreError(.cannotOpen, "cannot reach the registry server \(location): \(reachCause(error))")
        }
        switch state {
        case "57P01", "57P02", "57P03":
            return lostConnection(location, error)
        case "3D000":
            return StoreError(
                .missing,
                "no registry at \(location): the database \(location.database) does not exist. Create it with `annals init --db \(location)` (as a user who may create databases) or createdb"
            )
        case "28P01", "28000":
            return StoreError(
                .cannotOpen, "the registry server \(location) refused the user \(location.user): \(message)")
        case "40001", "40P01", "55P03":
            return StoreError(
                .busy, "the registry \(location) is busy (another import is changing the same records); try again")
        case let s where s.hasPrefix("23"):
            return StoreError(.constraint, "the registry refused a change that would break its rules: \(message)")
        default:
            return StoreError(.other, "registry error in \(location): \(message) (SQLSTATE \(state))")
        }
    }
}

@available(*, unavailable)
extension PostgresSession: Sendable {}

extension PostgresSession {
    /// Why a server could not be reached, in words (NIO's own texts name the error type and errno).
    static func reachCause(_ error: (any Error)?) -> String {
        guard let error else { return "the connection failed" }
        let text = "\(error)"
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED || text.contains("refused") {
            return
                "nothing answers at that address and port (connection refused); check that the server is running and the port is right"
        }
        if text.contains("connection refused") || text.contains("Connection refused") || text.contains("ECONNREFUSED") {
            return
                "nothing answers at that address and port (connection refused); check that the server is running and the port is right"
        }
        if text.contains("NIOConnectionError") || text.contains("connectTimeout") || text.contains("timed out")
            || text.contains("Timeout")
        {
            if text.contains("refused") {
                return
                    "nothing answers at that address and port (connection refused); check that the server is running and the port is right"
            }
            if text.contains("resolution") || text.contains("dns") || text.contains("DNS") {
                return "the server's name could not be found; check the host in the URL"
            }
            return "the server did not answer in time; check the host, the port and the network"
        }
        if text.contains("certificate") || text.contains("TLS") || text.contains("SSL") {
            return "its TLS certificate could not be verified (\(text))"
        }
        return text
    }
}

/// A statement that could not be sent: the connection was already closed.
struct LostConnection: Error {}

/// The result of a future, handed from the event loop's thread to the waiting one.
final class Outcome<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func set(_ result: Result<T, any Error>) { lock.withLock { self.result = result } }
    func get() throws -> T { try lock.withLock { result! }.get() }
}

/// The first error handed to it, from any thread, until taken.
final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?

    func keep(_ error: any Error) { lock.withLock { if self.error == nil { self.error = error } } }
    func take() -> (any Error)? {
        lock.withLock {
            defer { error = nil }
            return error
        }
    }
}

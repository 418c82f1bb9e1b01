import Foundation

/// A PostgreSQL server and database named by `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.
///
/// The password comes from the URL, else `PGPASSWORD`, else `~/.pgpass` (or the file `PGPASSFILE`
/// names), as libpq finds it. It is never part of `description`, of an error or of a log line.
struct PostgresLocation: Sendable, CustomStringConvertible {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String
    /// `?sslmode=` as libpq reads it: disable, prefer (the default: TLS when the server offers it), require
    /// (TLS, the certificate not checked), verify-full (TLS, certificate and host name checked).
    var tls: TLSMode = .prefer

    enum TLSMode: String, Sendable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    /// Parses `url`; `environment` and `home` are where PGPASSWORD, PGPASSFILE and ~/.pgpass are looked for.
    init(
        url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        home: String = NSHomeDirectory()
    ) throws(StoreError) {
        let redacted = Self.redact(url)
        guard let components = URLComponents(string: url),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw StoreError(
                .cannotOpen, "\(redacted) is not a PostgreSQL URL; write postgres://USER@HOST:PORT/DATABASE")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw StoreError(.cannotOpen, "\(redacted) names no user; write postgres://USER@HOST:PORT/DATABASE")
        }
        let database = String(components.percentEncodedPath.dropFirst()).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError(.cannotOpen, "\(redacted) names no database; write postgres://USER@HOST:PORT/DATABASE")
        }
        self.user = user
        self.host = components.host.map { $0.hasPrefix("[") ? String($0.dropFirst().dropLast()) : $0 } ?? "localhost"
        if self.host.isEmpty { self.host = "localhost" }
        self.port = components.port ?? 5432
        self.database = database
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: item.value ?? "") else {
                    throw StoreError(
                        .cannotOpen, "\(redacted): sslmode must be disable, prefer, require or verify-full")
                }
                tls = mode
            default:
                throw StoreError(
                    .cannotOpen, "\(redacted): Annals reads only sslmode from a URL's parameters, not \(item.name)")
            }
        }
        if let password = components.percentEncodedPassword?.removingPercentEncoding {
            self.password = password
        } else if let password = environment["PGPASSWORD"], !password.isEmpty {
            self.password = password
        } else {
            let file =
                environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (home as NSString).appendingPathComponent(".pgpass")
            self.password = Self.passwordFromPassFile(
                file, host: self.host, port: self.port, database: database, user: user)
        }
    }

    /// The URL as the user may see it: `postgres://USER@HOST:PORT/DATABASE`, never with the password.
    var description: String { "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)" }

    /// The same server and user, another database.
    func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// `url` with any password replaced, for messages about a URL that could not even be parsed.
    static func redact(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://"), scheme.upperBound < at else {
            return url
        }
        let credentials = url[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + String(url[at...])
    }

    /// The password of the first line of a pgpass file (`host:port:database:user:password`, `*` matching
    /// anything, `\:` and `\\` escaped) that fits; nil when none does. As libpq does, a file that group or
    /// others can read is ignored.
    static func passwordFromPassFile(_ path: String, host: String, port: Int, database: String, user: String) -> String?
    {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let permissions = attributes[.posixPermissions] as? Int, permissions & 0o077 == 0,
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = []
            var field = ""
            var escaped = false
            for character in line {
                if escaped {
                    field.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":" && fields.count < 4 {
                    fields.append(field)
                    field = ""
                } else {
                    field.append(character)
                }
            }
            fields.append(field)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            let hostMatches = fields[0] == "*" || fields[0] == host
            if hostMatches, zip(fields[1...3], wanted[1...3]).allSatisfy({ $0 == "*" || $0 == $1 }) {
                return fields[4]
            }
        }
        return nil
    }
}

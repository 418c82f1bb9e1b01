import AnnalsModel
import AnnalsStore
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One finding of `annals serve --check`, said for the IT staff who install the server.
public struct ServerCheckFinding: Sendable, CustomStringConvertible {
    public enum Level: String, Sendable {
        case ok, warning, error
    }

    public var level: Level
    public var message: String

    public var description: String { "\(level.rawValue): \(message)" }
}

/// What `annals serve --check` looks at before a server is started: the registry (there, an Annals registry,
/// up to date, writable by this user, an account that can sign in), the address and port (free, allowed), the
/// HTTPS and proxy settings, and the secrets the server reads (the PostgreSQL password file, the registry
/// file's permissions). Nothing is served, migrated or written.
public enum ServerCheck {
    /// The findings for a server of `configuration` on the registry at `location` (a file path or a
    /// `postgres://` URL), with `environment` the server's environment (PGPASSWORD, PGPASSFILE, HOME).
    public static func run(
        location: String, configuration: WebConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [ServerCheckFinding] {
        var findings: [ServerCheckFinding] = []
        findings += registry(location, environment: environment)
        findings += port(host: configuration.host, port: configuration.port)
        findings += proxy(host: configuration.host, behindHTTPS: configuration.behindHTTPS)
        findings += uploadFolder(configuration.uploadFolder)
        return findings
    }

    // MARK: The registry

    static func registry(_ location: String, environment: [String: String]) -> [ServerCheckFinding] {
        let shown = RegistryStore.displayName(for: location)
        if RegistryStore.isServerURL(location) {
            var findings = postgresSecrets(location, environment: environment)
            do {
                // Opening a server registry brings its tables up to date, as `annals serve` would on start.
                let store = try RegistryStore(path: location, create: false)
                findings += accounts(store, shown)
            } catch {
                findings.append(.init(level: .error, message: "the registry \(shown) cannot be opened: \(error)"))
            }
            return findings
        }
        var findings: [ServerCheckFinding] = []
        let pending: Int
        do {
            pending = try RegistryStore.pendingMigrations(sqlite: location)
        } catch {
            return [.init(level: .error, message: "the registry \(shown) cannot be used: \(error.description)")]
        }
        let user = currentUser
        let folder = (location as NSString).deletingLastPathComponent
        if !FileManager.default.isWritableFile(atPath: location) {
            findings.append(
                .init(
                    level: .error,
                    message:
                        "the user running this check (\(user)) may not change \(shown); the server writes sign-ins and records there. Run the server as the registry's owner (the Debian package's service runs as `annals`), or `chown` the file to that user"
                ))
        } else if !FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) {
            findings.append(
                .init(
                    level: .error,
                    message:
                        "the user running this check (\(user)) may not create files in \(folder.isEmpty ? "." : folder), where SQLite keeps \(shown)-wal and -shm while the server runs"
                ))
        }
        if let mode = permissions(location), mode & 0o007 != 0 {
            findings.append(
                .init(
                    level: .warning,
                    message: String(
                        format:
                            "%@ may be read by every user of this machine (mode %o); it holds staff data and password hashes: `chmod o-rwx %@`",
                        shown, mode, location)))
        }
        if pending > 0 {
            findings.append(
                .init(
                    level: .warning,
                    message:
                        "\(shown) was written by an older Annals: on start the server updates it (\(pending) step\(pending == 1 ? "" : "s")), first copying it beside itself"
                ))
            return findings
        }
        findings.append(.init(level: .ok, message: "the registry \(shown) is an Annals registry, up to date"))
        do {
            findings += accounts(try RegistryStore(path: location, create: false, readOnly: true), shown)
        } catch {
            findings.append(.init(level: .error, message: "the registry \(shown) cannot be read: \(error)"))
        }
        return findings
    }

    static func accounts(_ store: RegistryStore, _ shown: String) -> [ServerCheckFinding] {
        do {
            let accounts = try store.read { try $0.accounts() }
            let usable = accounts.filter { !$0.disabled && $0.passwordHash != nil }
            if usable.isEmpty {
                return [
                    .init(
                        level: .warning,
                        message:
                            "no account of \(shown) can sign in yet: make one with `annals user add NAME --role admin --password-stdin`"
                    )
                ]
            }
            let admins = usable.filter { $0.role == .admin }.count
            return [
                .init(
                    level: .ok,
                    message:
                        "the registry answers: \(usable.count) account\(usable.count == 1 ? "" : "s") can sign in, \(admins) of them admin"
                )
            ]
        } catch {
            return [.init(level: .error, message: "the registry \(shown) does not answer a query: \(error)")]
        }
    }

    /// The PostgreSQL password: from PGPASSWORD, or a password file libpq would accept (owner-only permissions),
    /// not written in the URL (where `ps` and the unit file show it).
    static func postgresSecrets(_ location: String, environment: [String: String]) -> [ServerCheckFinding] {
        if let url = URLComponents(string: location), url.password != nil {
            return [
                .init(
                    level: .warning,
                    message:
                        "the registry URL carries its password, visible to every user of this machine in the process list: put it in a password file (~/.pgpass, or PGPASSFILE) instead"
                )
            ]
        }
        if let password = environment["PGPASSWORD"], !password.isEmpty {
            return [.init(level: .ok, message: "the PostgreSQL password comes from PGPASSWORD")]
        }
        let file =
            environment["PGPASSFILE"]
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString)
            .appendingPathComponent(".pgpass")
        guard FileManager.default.fileExists(atPath: file) else {
            return [
                .init(
                    level: .warning,
                    message:
                        "no PostgreSQL password is given (no PGPASSWORD, no \(file)); the server can sign in to PostgreSQL only if it needs none"
                )
            ]
        }
        guard FileManager.default.isReadableFile(atPath: file) else {
            return [
                .init(
                    level: .error,
                    message: "the PostgreSQL password file \(file) cannot be read by \(currentUser)")
            ]
        }
        if let mode = permissions(file), mode & 0o077 != 0 {
            return [
                .init(
                    level: .error,
                    message: String(
                        format:
                            "the PostgreSQL password file %@ may be read by others (mode %o), so PostgreSQL's client ignores it: `chmod 600 %@`",
                        file, mode, file))
            ]
        }
        return [.init(level: .ok, message: "the PostgreSQL password file \(file) is readable by its owner only")]
    }

    // MARK: The address

    /// The port is free and may be taken: binding it now (and letting it go) is what the server will do.
    static func port(host: String, port: Int) -> [ServerCheckFinding] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            return [
                .init(
                    level: .error,
                    message:
                        "the address \(host) is not one of this machine's (give --host 127.0.0.1 for this machine only, or one of its own addresses)"
                )
            ]
        }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return [.init(level: .error, message: "no socket could be made: \(errorText(errno))")] }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        if bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            let code = errno
            switch code {
            case EADDRINUSE:
                return [
                    .init(
                        level: .error,
                        message:
                            "port \(port) on \(host) is already taken by another program (`ss -ltnp 'sport = :\(port)'` shows which); stop it or give --port another number"
                    )
                ]
            case EACCES:
                return [
                    .init(
                        level: .error,
                        message:
                            "port \(port) is below 1024 and may be taken only by root: give a higher --port (8080) and let nginx serve 443"
                    )
                ]
            case EADDRNOTAVAIL:
                return [.init(level: .error, message: "the address \(host) is not one of this machine's")]
            default:
                return [.init(level: .error, message: "port \(port) on \(host) cannot be taken: \(errorText(code))")]
            }
        }
        return [.init(level: .ok, message: "port \(port) on \(host) is free")]
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// HTTPS and the proxy: behind nginx the server must listen on the loopback address only (otherwise a client
    /// that bypasses nginx could send its own X-Forwarded-For); without HTTPS in front, say what travels in clear.
    static func proxy(host: String, behindHTTPS: Bool) -> [ServerCheckFinding] {
        switch (behindHTTPS, isLoopback(host)) {
        case (true, true):
            return [
                .init(
                    level: .ok,
                    message:
                        "served through an HTTPS proxy on this machine (--behind-https): cookies are Secure, client addresses come from X-Forwarded-For"
                )
            ]
        case (true, false):
            return [
                .init(
                    level: .error,
                    message:
                        "--behind-https trusts X-Forwarded-For, but the server listens on \(host), where other machines can reach it without the proxy and forge that header: give --host 127.0.0.1 and let nginx reach it there"
                )
            ]
        case (false, false):
            return [
                .init(
                    level: .warning,
                    message:
                        "the server listens on \(host) without HTTPS: passwords and session cookies cross the network unencrypted. Put nginx with HTTPS in front (see /usr/share/doc/annals/examples), listen on 127.0.0.1 and pass --behind-https"
                )
            ]
        case (false, true):
            return [
                .init(
                    level: .ok,
                    message:
                        "the server answers this machine only (\(host)); behind an HTTPS proxy, also pass --behind-https"
                )
            ]
        }
    }

    static func uploadFolder(_ folder: URL) -> [ServerCheckFinding] {
        let path = folder.path
        let existing = FileManager.default.fileExists(atPath: path) ? path : folder.deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: existing) else {
            return [
                .init(
                    level: .error,
                    message: "uploaded files cannot be kept in \(path): \(currentUser) may not write there (set TMPDIR)"
                )
            ]
        }
        return [.init(level: .ok, message: "uploaded files wait in \(path)")]
    }

    // MARK: Helpers

    static func permissions(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    static var currentUser: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid \(geteuid())" }
        return String(cString: name)
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}

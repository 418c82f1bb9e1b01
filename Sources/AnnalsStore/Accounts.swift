public import AnnalsModel
public import Foundation

/// The accounts, sessions and API tokens of `annals serve`, the same SQL on both backends (written with `?1`,
/// `?2` …; every value passed and read as text). Account changes are logged in the change log under the
/// write's action, without the password hash; sessions and tokens are not records and leave no line.
extension RegistryReader {
    static let accountColumns = "name, role, departments, password_hash, CAST(disabled AS TEXT), created_at"

    /// The account called `name`; nil when there is none.
    public func account(name: String) throws -> Account? {
        try reading.textRows("SELECT \(Self.accountColumns) FROM account WHERE name = ?1", [name]).first.flatMap(
            Self.account)
    }

    /// Every account, by name.
    public func accounts() throws -> [Account] {
        try reading.textRows("SELECT \(Self.accountColumns) FROM account ORDER BY name", []).compactMap(Self.account)
    }

    /// The session whose id has SHA-256 `idHash`, if it has not expired by `now`.
    public func session(idHash: String, now: Date = Date()) throws -> WebSession? {
        let rows = try reading.textRows(
            "SELECT id_hash, account_name, csrf_token, created_at, expires_at FROM web_session WHERE id_hash = ?1 AND expires_at > ?2",
            [idHash, ChangeEntry.timestamp(now)])
        guard let row = rows.first, let id = row[0], let account = row[1], let csrf = row[2],
            let created = row[3].flatMap(ChangeEntry.date), let expires = row[4].flatMap(ChangeEntry.date)
        else { return nil }
        return WebSession(idHash: id, accountName: account, csrfToken: csrf, createdAt: created, expiresAt: expires)
    }

    /// The token whose secret has SHA-256 `secretHash`, revoked or not.
    public func apiToken(secretHash: String) throws -> APIToken? {
        try reading.textRows(
            "SELECT id, secret_hash, account_name, created_at, revoked_at FROM api_token WHERE secret_hash = ?1",
            [secretHash]
        ).first.flatMap(Self.token)
    }

    /// Every API token (of `account`, when given), oldest first.
    public func apiTokens(account: String? = nil) throws -> [APIToken] {
        let condition = account == nil ? "" : " WHERE account_name = ?1"
        return try reading.textRows(
            "SELECT id, secret_hash, account_name, created_at, revoked_at FROM api_token\(condition) ORDER BY created_at, id",
            account.map { [$0] } ?? []
        ).compactMap(Self.token)
    }

    static func account(_ row: [String?]) -> Account? {
        guard let name = row[0], let role = row[1].flatMap(AccountRole.init(rawValue:)) else { return nil }
        let departments =
            (try? JSONDecoder().decode([String].self, from: Data((row[2] ?? "[]").utf8))) ?? []
        return Account(
            name: name, role: role, departments: departments, passwordHash: row[3], disabled: row[4] == "1",
            createdAt: row[5].flatMap(ChangeEntry.date) ?? Date(timeIntervalSince1970: 0))
    }

    static func token(_ row: [String?]) -> APIToken? {
        guard let id = row[0], let hash = row[1], let account = row[2] else { return nil }
        return APIToken(
            id: id, secretHash: hash, accountName: account,
            createdAt: row[3].flatMap(ChangeEntry.date) ?? Date(timeIntervalSince1970: 0),
            revokedAt: row[4].flatMap(ChangeEntry.date))
    }
}

extension RegistryWriter {
    /// Adds `account`, or replaces the one of the same name; logged (without the hash) when anything changed.
    public func save(_ account: Account) throws {
        let before = try self.account(name: account.name)
        if before == account { return }
        let departments = String(
            decoding: (try? JSONEncoder().encode(account.departments)) ?? Data("[]".utf8), as: UTF8.self)
        if before == nil {
            try writing.execute(
                """
                INSERT INTO account (name, role, departments, password_hash, disabled, created_at)
                VALUES (?1, ?2, ?3, ?4, CAST(?5 AS BIGINT), ?6)
                """,
                [
                    account.name, account.role.rawValue, departments, account.passwordHash,
                    account.disabled ? "1" : "0",
                    ChangeEntry.timestamp(account.createdAt),
                ])
        } else {
            try writing.execute(
                """
                UPDATE account SET role = ?2, departments = ?3, password_hash = ?4, disabled = CAST(?5 AS BIGINT)
                WHERE name = ?1
                """,
                [account.name, account.role.rawValue, departments, account.passwordHash, account.disabled ? "1" : "0"])
        }
        if account.disabled || before?.passwordHash != account.passwordHash {
            // A disabled account, or one whose password changed, is signed out everywhere.
            try writing.execute("DELETE FROM web_session WHERE account_name = ?1", [account.name])
        }
        let passwordChanged = before != nil && before?.passwordHash != account.passwordHash
        try writing.logChanges([
            RecordChange(
                kind: "account", recordID: account.name, operation: before == nil ? .added : .replaced,
                before: before?.logJSON(),
                after: account.logJSON(passwordChanged: passwordChanged))
        ])
    }

    /// Keeps a new session (its id already hashed by the caller).
    public func addSession(_ session: WebSession) throws {
        try writing.execute(
            "INSERT INTO web_session (id_hash, account_name, csrf_token, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            [
                session.idHash, session.accountName, session.csrfToken, ChangeEntry.timestamp(session.createdAt),
                ChangeEntry.timestamp(session.expiresAt),
            ])
    }

    /// Ends the session whose id has SHA-256 `idHash` (signing out, or rotating at sign-in).
    public func removeSession(idHash: String) throws {
        try writing.execute("DELETE FROM web_session WHERE id_hash = ?1", [idHash])
    }

    /// Removes the sessions that expired before `now`.
    public func removeExpiredSessions(now: Date = Date()) throws {
        try writing.execute("DELETE FROM web_session WHERE expires_at <= ?1", [ChangeEntry.timestamp(now)])
    }

    /// Keeps a new API token (its secret already hashed by the caller); logged as a change of its account.
    public func addToken(_ token: APIToken) throws {
        try writing.execute(
            "INSERT INTO api_token (id, secret_hash, account_name, created_at, revoked_at) VALUES (?1, ?2, ?3, ?4, NULL)",
            [token.id, token.secretHash, token.accountName, ChangeEntry.timestamp(token.createdAt)])
        try writing.logChanges([
            RecordChange(
                kind: "api-token", recordID: token.id, operation: .added, before: nil,
                after: #"{"account":"\#(token.accountName)","id":"\#(token.id)"}"#)
        ])
    }

    /// Revokes the token with public id `id`; false when there is no such token or it was revoked already.
    public func revokeToken(id: String, now: Date = Date()) throws -> Bool {
        guard let token = try apiTokens().first(where: { $0.id == id }), token.revokedAt == nil else { return false }
        try writing.execute("UPDATE api_token SET revoked_at = ?2 WHERE id = ?1", [id, ChangeEntry.timestamp(now)])
        try writing.logChanges([
            RecordChange(
                kind: "api-token", recordID: id, operation: .replaced,
                before: #"{"account":"\#(token.accountName)","id":"\#(id)"}"#,
                after: #"{"account":"\#(token.accountName)","id":"\#(id)","revoked":true}"#)
        ])
        return true
    }
}

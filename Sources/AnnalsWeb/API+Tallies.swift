import AnnalsDiagnostics
import AnnalsModel
import AnnalsOffice
import AnnalsRegistry
import Foundation
import Hummingbird

/// `POST /api/tallies`: one case tally entered by a program, by the rules of the tally form and of the tally CSV.
extension API {
    static func createTally(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        guard let object = try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]
        else {
            throw WebError(
                .badRequest,
                "send one JSON object with the tally CSV's fields: \(TallyImporterColumns.names.joined(separator: ", "))"
            )
        }
        let unknown = Set(object.keys).subtracting(TallyImporterColumns.names)
        if !unknown.isEmpty {
            throw WebError(
                .badRequest,
                "unknown field \(unknown.sorted().joined(separator: ", ")); a tally has \(TallyImporterColumns.names.joined(separator: ", "))"
            )
        }
        var row: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case let text as String: row[key] = text
            case let number as NSNumber: row[key] = number.stringValue
            case is NSNull: break
            default: throw WebError(.badRequest, "\(key) takes a string or a number")
            }
        }
        let account = context.account!
        let allowed = Entry.allowed(context)
        let fields = row
        do {
            let ids = try await app.write(as: ChangeActor(account.name), doing: .edit) { registry in
                try RecordForm.submit(.tallies, rows: [fields], departments: allowed, into: registry)
            }
            let id = ids.first?.first ?? ""
            // Where the new tally stands, as the approval chain has it (tallies are outside it today, so
            // "validated": they count once written).
            let state = try await app.registry.perform { try $0.workflowState(kind: .tally, id: id) }
            let answer = try JSONSerialization.data(
                withJSONObject: ["id": id, "status": state.rawValue], options: [.sortedKeys])
            return Reply.json(String(decoding: answer, as: UTF8.self), status: .created)
        } catch let rejection as FormRejection {
            return Reply.json(diagnosticsJSON(rejection.problems), status: .unprocessableContent)
        }
    }

    /// A refused entry as the API's 422 body (docs/diagnostics.md), each diagnostic with the `field` it concerns
    /// and its message in Chinese as well (`messageZH`).
    static func diagnosticsJSON(_ problems: [FormProblem]) -> String {
        let list: [[String: Any]] = problems.map { p in
            var item: [String: Any] = [
                "severity": "error", "code": p.code.rawValue, "location": [String: Any](), "message": p.english,
                "messageZH": p.chinese, "suggestions": [String](),
            ]
            if let field = p.field { item["field"] = field }
            return item
        }
        let data =
            (try? JSONSerialization.data(
                withJSONObject: ["diagnostics": list], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The fields of a tally, as the tally CSV names its columns.
enum TallyImporterColumns {
    static let names = RecordForm.fields(.tallies).map(\.key)
}

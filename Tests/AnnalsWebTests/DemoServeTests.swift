import AnnalsTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `annals demo --serve` as a user runs it: builds the demo, prints the demo account's password once, serves on the
/// port asked, answers a sign-in with that password, and stops cleanly on SIGTERM.
@Suite(.serialized) struct DemoServeTests {
    @Test func demoServeSignsInWithThePrintedPasswordAndStopsOnSIGTERM() async throws {
        let folder = TemporaryFolder()
        let port = Int.random(in: 20000...39000)
        let process = Process()
        process.executableURL = AnnalsCommand.executable
        process.arguments = [
            "demo", "--serve", "--out", folder.path("demo"), "--port", String(port), "--samples", Fixtures.samples.path,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "ANNALS_DB")
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The password line comes before the server starts (standard output is a pipe here, not a terminal).
        var text = ""
        let deadline = Date().addingTimeInterval(120)
        while !text.contains("Password:") && Date() < deadline && process.isRunning {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
            } else {
                text += String(decoding: data, as: UTF8.self)
            }
        }
        let line = try #require(
            text.split(separator: "\n").first { $0.hasPrefix("Password:") }, "printed: \(text.suffix(500))")
        let password = try #require(line.split(separator: " ").dropFirst().first.map(String.init))
        #expect(text.contains("Sign in as: demo"))

        let base = "http://127.0.0.1:\(port)"
        var healthy = false
        for _ in 0..<100 where !healthy {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: base + "/healthz")!),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                healthy = true
            } else {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        #expect(healthy, "the server answers /healthz")

        // Sign in as a browser would: the form's token and cookie, then the form.
        let (formData, formResponse) = try await URLSession.shared.data(from: URL(string: base + "/signin")!)
        let form = String(decoding: formData, as: UTF8.self)
        let token = try #require(Browser.csrf(in: form))
        let cookie =
            ((formResponse as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie") ?? "").split(separator: ";")
            .first.map(String.init) ?? ""
        var request = URLRequest(url: URL(string: base + "/signin")!)
        request.httpMethod = "POST"
        request.setValue(cookie, forHTTPHeaderField: "Cookie")
        request.setValue(base, forHTTPHeaderField: "Origin")
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data("csrf=\(token)&name=demo&password=\(Browser.encode(password))&next=%2F".utf8)
        let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
        let (_, signedIn) = try await session.data(for: request)
        #expect((signedIn as? HTTPURLResponse)?.statusCode == 303, "the printed password signs in")
        #expect(
            ((signedIn as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie") ?? "").contains("annals_session="))

        process.terminate()  // SIGTERM
        let stopped = Date().addingTimeInterval(30)
        while process.isRunning && Date() < stopped { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "the server stops on SIGTERM")
        #expect(process.terminationStatus == 0)
    }
}

/// Keeps a 303 as it is, so the test sees the sign-in's answer itself.
final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

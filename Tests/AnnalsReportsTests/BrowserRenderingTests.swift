import AnnalsReports
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// Renders the sample report in headless Chromium (scripts/render-report.sh) to PNG and PDF, in English
/// and Chinese. CI installs Chromium; without it the test says so and skips.
@Suite(.serialized) struct BrowserRenderingTests {
    let folder = TemporaryFolder()

    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    @Test(arguments: [ReportLanguage.en, .zh])
    func theReportRendersInARealBrowser(_ language: ReportLanguage) throws {
        guard Self.chromium != nil else {
            print("skipped: Chromium is not installed (apt-get install -y chromium); .ci/run installs it")
            return
        }
        let store = try folder.sampleRegistry()
        let report = try store.read {
            try AnnualReportBuilder.build(from: $0, year: 2024, language: language, generatedOn: "2025-01-15")
        }
        let html = folder.write("report-\(language.rawValue).html", ReportRenderer.html(report))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            Fixtures.repository.appendingPathComponent("scripts/render-report.sh").path, html.path,
            folder.path("rendered"),
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
        let png = try Data(contentsOf: URL(fileURLWithPath: folder.path("rendered/report-\(language.rawValue).png")))
        let pdf = try Data(contentsOf: URL(fileURLWithPath: folder.path("rendered/report-\(language.rawValue).pdf")))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(pdf.starts(with: Array("%PDF-".utf8)), "a PDF")
        #expect(pdf.count > 10_000)
    }
}

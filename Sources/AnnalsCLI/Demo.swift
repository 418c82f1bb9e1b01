import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import AnnalsWeb
import ArgumentParser
import Foundation

extension Annals {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Build a registry from the samples in a fresh folder and show what it holds.",
            discussion: """
                Imports Samples/registry.xml (the two sample departments), journals.csv (an illustrative journal \
                list), pubmed-sample.xml and endnote-sample.xml (illustrative papers, credited to departments and \
                people as real imports are) into FOLDER/annals.sqlite; exports it again to FOLDER/registry-export.xml, prints a summary per department, and writes the \
                annual report of the latest year (HTML and Markdown) and each department's profile (English and \
                Chinese) into FOLDER.

                The demo replaces only what an earlier `annals demo` made in FOLDER (it leaves a .annals-demo note \
                there), and only while that registry is exactly as the demo left it. A folder holding any other \
                registry, or a demo registry that has since been changed, is refused and left as it is.
                """)

        @Option(name: .long, help: ArgumentHelp("Where to build the demo registry.", valueName: "folder"))
        var out: String = "annals-demo"

        @Option(
            name: .long,
            help: ArgumentHelp("The samples folder. Default: Samples/ of this Annals.", valueName: "folder"))
        var samples: String?

        @Flag(
            name: .long,
            help: "Then serve the demo registry in the browser, with a demo account whose password is printed once.")
        var serve = false

        @Option(name: .long, help: "With --serve: the address to listen on.")
        var host = "127.0.0.1"

        @Option(name: .long, help: "With --serve: the port to listen on.")
        var port = 8080

        func run() throws {
            let samplesFolder = try DemoRegistry.locateSamples(samples)
            let folder = URL(fileURLWithPath: out).standardizedFileURL
            let registry: Registry
            do {
                registry = try DemoRegistry.build(in: folder, samples: samplesFolder, as: .operatingSystemUser) {
                    print($0)
                }
            } catch let refused as DemoSamplesRefused {
                DiagnosticPrinter.print(refused.underlying)
                throw Failure("the samples in \(refused.folder) could not be imported (see above).")
            }
            print("")
            print(
                "Try: annals cases \"laparoscopic common bile duct cystectomy\" --department general-surgery --db \(registry.store.path)"
            )
            if serve { try serveDemo(registry.store) }
        }

        /// `--serve`: a demo account (the research office's role) with a new password, printed once; then serves.
        private func serveDemo(_ store: RegistryStore) throws {
            let password = Secrets.readablePassword()
            do {
                try AccountService(store: store, actor: .operatingSystemUser)
                    .add(name: "demo", role: .office, departments: [], password: password)
            } catch let error as AccountError { throw Failure(error.message) }
            print("")
            print("Serving the demo registry on http://\(host):\(port)/ (Ctrl-C stops).")
            print("Sign in as: demo")
            print("Password:   \(password)   (shown only now)")
            // Every stream, before serving: standard output may be a file or a pipe, which holds what it gets.
            fflush(nil)
            try WebApp(store: store, configuration: WebConfiguration(host: host, port: port)).runBlocking()
        }
    }
}

// libFuzzer entry for Annals' XML importers. Built with the fuzzer and address sanitizer:
//
//   scripts/fuzz.sh registry|pubmed|endnote [RUNS]
//
// Each input is written to a file and read by one importer (the reading and conversion, without a
// registry), so the fuzzer exercises exactly the code a user's file goes through. Errors are the
// expected outcome for most inputs; a crash, a leak or a hang is a finding.
import AnnalsInterchange
import Foundation

let target = ProcessInfo.processInfo.environment["ANNALS_FUZZ_TARGET"] ?? "registry"
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("annals-fuzz-\(getpid()).xml")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FileManager.default.createFile(atPath: scratch.path, contents: Data(bytes: data, count: size))
    switch target {
    case "pubmed":
        try? PubMedReader.read(file: scratch, displayName: "fuzz.xml") { _ in }
    case "endnote":
        try? EndNoteReader.read(file: scratch, displayName: "fuzz.xml") { _ in }
    default:
        _ = try? RegistryImporter.read(file: scratch, displayName: "fuzz.xml")
    }
    return 0
}

#if ANNALS_FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point under this name; hand control to libFuzzer's driver.
@_cdecl("annals_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzz)
}
#endif
// An ordinary build (swift build) has no libFuzzer and does nothing when run: use scripts/fuzz.sh.

internal import CLibXML2

/// Facts about the libxml2 underneath, and its one-time set-up.
public enum LibXML2 {
    /// The libxml2 version Annals was built against, such as "2.9.14".
    public static var version: String { String(cString: annals_xmlVersion()) }

    /// `xmlInitParser()` exactly once per process; a `static let` initialiser is a thread-safe once.
    private static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    static func ensureInitialised() {
        _ = initialised
    }

    /// Parser options for every document Annals reads: no network, no entity substitution, no DTD
    /// loading or DTD defaults, no XInclude, no recovery, and the default (not "huge") size limits.
    static var secureParseOptions: Int32 {
        Int32(XML_PARSE_NONET.rawValue)
    }
}

import Foundation

/// What `/metrics` tells a Prometheus server: requests by route pattern, method and status, their latencies by
/// route pattern, imports through the web by kind and outcome, and store errors. Kept in memory, per server
/// process, from its start.
///
/// A small registry of its own rather than swift-prometheus: four families, no labels from user input (a route
/// is its pattern from `RouteTable`, never the path asked for), and no new dependency to build in CI.
final class WebMetrics: @unchecked Sendable {
    /// The upper bounds of the latency histogram's buckets, in seconds (Prometheus' defaults, which cover the
    /// issue's targets of 100 and 150 ms).
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct Histogram {
        var counts = [Int](repeating: 0, count: WebMetrics.buckets.count)
        var sum = 0.0
        var count = 0
    }

    private struct ImportKey: Hashable {
        var kind: String
        var outcome: String
    }

    private let lock = NSLock()
    private var requests: [RequestKey: Int] = [:]
    private var latencies: [String: Histogram] = [:]
    private var imports: [ImportKey: Int] = [:]
    private var storeErrors = 0

    /// Counts one answered request: `route` is the pattern it matched (`/people/{id}`), or `unmatched`.
    func request(route: String, method: String, status: Int, seconds: Double) {
        lock.withLock {
            requests[RequestKey(route: route, method: method, status: status), default: 0] += 1
            var histogram = latencies[route] ?? Histogram()
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { histogram.counts[index] += 1 }
            histogram.sum += seconds
            histogram.count += 1
            latencies[route] = histogram
        }
    }

    /// Counts one import through the web: `kind` is the upload kind, `outcome` `imported` or `refused`.
    func imported(kind: String, outcome: String) {
        lock.withLock { imports[ImportKey(kind: kind, outcome: outcome), default: 0] += 1 }
    }

    /// Counts one request the store could not answer (an error of the registry, not a refusal).
    func storeError() {
        lock.withLock { storeErrors += 1 }
    }

    /// The metrics in Prometheus' text exposition format (version 0.0.4).
    func exposition() -> String {
        let (requests, latencies, imports, storeErrors) = lock.withLock {
            (self.requests, self.latencies, self.imports, self.storeErrors)
        }
        var out = ""
        out += "# HELP annals_http_requests_total Requests answered, by route pattern, method and status.\n"
        out += "# TYPE annals_http_requests_total counter\n"
        for (key, count) in requests.sorted(by: {
            ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status)
        }) {
            out +=
                "annals_http_requests_total{route=\"\(Self.escape(key.route))\",method=\"\(Self.escape(key.method))\",status=\"\(key.status)\"} \(count)\n"
        }
        out += "# HELP annals_http_request_duration_seconds Time to answer a request, by route pattern.\n"
        out += "# TYPE annals_http_request_duration_seconds histogram\n"
        for (route, histogram) in latencies.sorted(by: { $0.key < $1.key }) {
            let label = "route=\"\(Self.escape(route))\""
            for (index, bound) in Self.buckets.enumerated() {
                out +=
                    "annals_http_request_duration_seconds_bucket{\(label),le=\"\(Self.number(bound))\"} \(histogram.counts[index])\n"
            }
            out += "annals_http_request_duration_seconds_bucket{\(label),le=\"+Inf\"} \(histogram.count)\n"
            out += "annals_http_request_duration_seconds_sum{\(label)} \(Self.number(histogram.sum))\n"
            out += "annals_http_request_duration_seconds_count{\(label)} \(histogram.count)\n"
        }
        out += "# HELP annals_imports_total Files imported through the web (uploads confirmed), by kind and outcome.\n"
        out += "# TYPE annals_imports_total counter\n"
        for (key, count) in imports.sorted(by: { ($0.key.kind, $0.key.outcome) < ($1.key.kind, $1.key.outcome) }) {
            out +=
                "annals_imports_total{kind=\"\(Self.escape(key.kind))\",outcome=\"\(Self.escape(key.outcome))\"} \(count)\n"
        }
        out += "# HELP annals_store_errors_total Requests the registry could not answer (store errors).\n"
        out += "# TYPE annals_store_errors_total counter\n"
        out += "annals_store_errors_total \(storeErrors)\n"
        return out
    }

    /// A label value escaped as the text format asks: backslash, double quote and line feed.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A number as Go's strconv would write it for Prometheus: integers without a fraction, others in full.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}

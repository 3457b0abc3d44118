import Foundation

/// Where the monitor may be shown inside an `<iframe>` (issue 22): origins a beheerder lists, written into the card's
/// `Content-Security-Policy: frame-ancestors`. Everything else keeps `frame-ancestors 'none'`.
public enum EmbedOrigin {
    /// The origin as CSP wants it (`https://www.gemeente.nl`, `https://*.ggd.nl`, `http://localhost:8080`): scheme, host and
    /// an optional port, in lower case, without a path; or why it is not one, in the visitor's language.
    public static func normalise(_ text: String) -> Result<String, EmbedOriginProblem> {
        let trimmed = text.trimmedWhitespace
        guard !trimmed.isEmpty else { return .failure(EmbedOriginProblem(tr("leeg"))) }
        let lower = trimmed.lowercased()
        let withoutSlash = lower.hasSuffix("/") ? String(lower.dropLast()) : lower
        guard let schemeEnd = withoutSlash.range(of: "://") else {
            return .failure(EmbedOriginProblem(tr("‘{0}’ begint niet met https:// of http://", trimmed)))
        }
        let scheme = String(withoutSlash[..<schemeEnd.lowerBound])
        guard scheme == "https" || scheme == "http" else {
            return .failure(EmbedOriginProblem(tr("‘{0}’ begint niet met https:// of http://", trimmed)))
        }
        let rest = String(withoutSlash[schemeEnd.upperBound...])
        guard !rest.contains("/"), !rest.contains("?"), !rest.contains("#"), !rest.contains("@") else {
            return .failure(EmbedOriginProblem(tr("‘{0}’ is meer dan een herkomst: laat het pad weg (alleen https://host of https://host:poort)", trimmed)))
        }
        var host = rest, port: String?
        if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            port = String(rest[rest.index(after: colon)...])
        }
        if let port, port.isEmpty || port.count > 5 || !port.allSatisfy(\.isASCIIDigit) || (Int(port) ?? 0) == 0 || (Int(port) ?? 0) > 65_535 {
            return .failure(EmbedOriginProblem(tr("‘{0}’ heeft geen geldige poort", trimmed)))
        }
        // A host: labels of letters, digits and hyphens, or `*.` before at least two labels; no bare wildcard.
        var labels = host.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if labels.first == "*" {
            labels.removeFirst()
            guard labels.count >= 2 else { return .failure(EmbedOriginProblem(tr("‘{0}’ is te ruim: een * mag alleen vóór een domein als *.gemeente.nl", trimmed))) }
        }
        let isLabel = { (label: String) in
            !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isASCIIDigit || ("a"..."z").contains($0) || $0 == "-" }
                && !label.hasPrefix("-") && !label.hasSuffix("-")
        }
        guard !labels.isEmpty, labels.allSatisfy(isLabel) else {
            return .failure(EmbedOriginProblem(tr("‘{0}’ heeft geen geldige hostnaam", trimmed)))
        }
        return .success("\(scheme)://\(host)\(port.map { ":\($0)" } ?? "")")
    }

    /// The `frame-ancestors` directive for these origins (`'none'` when there are none).
    public static func frameAncestors(_ origins: [String]) -> String {
        origins.isEmpty ? "frame-ancestors 'none'" : "frame-ancestors " + origins.joined(separator: " ")
    }
}

public struct EmbedOriginProblem: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

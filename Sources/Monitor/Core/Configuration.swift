import Foundation

/// All settings, read in one place: command-line flags, then `PBMONITOR_*` environment variables, then these defaults.
/// The list ``keys`` is the only description: `pbmonitor serve --help` and the README's settings table are made from it
/// (a test keeps the README in step), and the two helper programs are found through ``tool(_:names:environment:)``.
/// It lives in `Monitor/Core` so that every layer reads settings the same way; the environment itself is read only by
/// the command line (`PBMONITOR_*` into ``resolve(flags:environment:)``) and by ``tool(_:names:environment:)``.
public struct MonitorConfiguration: Sendable {
    /// One setting: its flag, environment variable, default and help.
    public struct Key: Sendable {
        public let name: String
        public let environment: String
        public let defaultValue: String
        public let help: String
    }

    /// Every setting, documented once.
    public static let keys: [Key] = [
        Key(name: "host", environment: "PBMONITOR_HOST", defaultValue: "127.0.0.1", help: "Adres waarop de server luistert."),
        Key(name: "port", environment: "PBMONITOR_PORT", defaultValue: "8080", help: "Poort waarop de server luistert."),
        Key(name: "database", environment: "PBMONITOR_DATABASE", defaultValue: "pbmonitor-data/pbmonitor.sqlite",
            help: "Pad naar het SQLite-bestand (wordt aangemaakt als het niet bestaat)."),
        Key(name: "catalog", environment: "PBMONITOR_CATALOG", defaultValue: "catalog", help: "Map met de indicatorcatalogus (YAML)."),
        Key(name: "data", environment: "PBMONITOR_DATA", defaultValue: "data", help: "Map met de gebundelde open data (CBS/PDOK)."),
        Key(name: "secure-cookies", environment: "PBMONITOR_SECURE_COOKIES", defaultValue: "nee",
            help: "ja: sessiecookies alleen over HTTPS (achter een TLS-proxy; X-Forwarded-Proto: https doet dit per verzoek)."),
        Key(name: "public-url", environment: "PBMONITOR_PUBLIC_URL", defaultValue: "",
            help: "Het openbare adres van de installatie, bijvoorbeeld https://monitor.gemeente.nl (voor vragenlijstlinks; leeg: http://host:poort)."),
        Key(name: "trusted-proxies", environment: "PBMONITOR_TRUSTED_PROXIES", defaultValue: "",
            help: "IP-adressen van eigen proxies (komma's ertussen) waarvan X-Forwarded-For geloofd wordt voor de inlogbeperking."),
        Key(name: "upload-limit", environment: "PBMONITOR_UPLOAD_LIMIT", defaultValue: "20",
            help: "Grootste upload in MB (cijfers, voorzieningen, documenten, studies); 1 tot 200."),
        Key(name: "cache-mb", environment: "PBMONITOR_CACHE_MB", defaultValue: "64",
            help: "Geheugen in MB voor kant-en-klare antwoorden aan anonieme bezoekers (per datageneratie; 0: geen); 0 tot 4096."),
        Key(name: "request-log", environment: "PBMONITOR_REQUEST_LOG", defaultValue: "ja",
            help: "ja: één logregel per verzoek (methode, route, status, duur, cache, bytes); nee: alleen waarschuwingen en fouten."),
        Key(name: "metrics-token", environment: "PBMONITOR_METRICS_TOKEN", defaultValue: "",
            help: "Geheim voor /-/metrics (Authorization: Bearer …); leeg: /-/metrics is open (scherm het dan af in de proxy)."),
        Key(name: "contact", environment: "PBMONITOR_CONTACT", defaultValue: "",
            help: "Contactregel van wie deze installatie beheert (naam, e-mail, telefoon), op /contact, /toegankelijkheid en /privacy."),
        Key(name: "pdftotext", environment: "PBMONITOR_PDFTOTEXT", defaultValue: "",
            help: "Pad naar pdftotext (poppler-utils) om PDF-documenten te lezen; leeg: zoeken op het pad."),
        Key(name: "chromium", environment: "PBMONITOR_CHROMIUM", defaultValue: "",
            help: "Pad naar headless Chromium voor `pbmonitor report … --out rapport.pdf`; leeg: zoeken op het pad."),
    ]

    /// The settings as lines for `--help`.
    public static var helpText: String {
        "Instellingen (omgevingsvariabele [standaard]; waar de opdracht een vlag met dezelfde naam heeft, gaat die voor):\n"
            + keys.map { key in "  \(key.environment) [\(key.defaultValue.isEmpty ? "leeg" : key.defaultValue)]\n      \(key.help)" }.joined(separator: "\n")
    }

    /// The settings as the README's Markdown table.
    public static var markdownTable: String {
        (["| omgeving | standaard | wat |", "|---|---|---|"] + keys.map { key in
            "| `\(key.environment)` | \(key.defaultValue.isEmpty ? "(leeg)" : "`\(key.defaultValue)`") | \(key.help.replacingOccurrences(of: "|", with: "\\|")) |"
        }).joined(separator: "\n")
    }

    /// Where a helper program is: the setting's environment variable when it names an executable, else the first of
    /// `names` on the `PATH` or, after it, in `alsoIn` (nginx lives in /usr/sbin, which a user's PATH may lack).
    public static func tool(_ setting: String, names: [String], alsoIn extra: [String] = [],
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let variable = keys.first(where: { $0.name == setting })?.environment, let path = environment[variable], !path.isEmpty,
           FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + extra
        for name in names {
            for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") { return "\(directory)/\(name)" }
        }
        return nil
    }

    /// Adres en poort.
    public var host: String
    public var port: Int
    /// Database location (SQLite path).
    public var databasePath: String
    /// Catalogue folder.
    public var catalogDirectory: URL
    /// The shipped rules of the document analysis (in the catalogue folder).
    public var analysisRulesFile: URL { catalogDirectory.appendingPathComponent("documentanalyse.regels") }
    /// Bundled data folder.
    public var dataDirectory: URL
    /// Session cookies with `Secure` (the site runs behind TLS).
    public var secureCookies: Bool
    /// bcrypt cost for new password hashes (12 ≈ a quarter second; tests use the minimum, 4).
    public var passwordCost: UInt8
    /// The installation's public address without a trailing slash (links sent to people); never the request's Host.
    public var publicURL: String
    /// Proxies whose X-Forwarded-For is believed.
    public var trustedProxies: Set<String>
    /// Largest upload in bytes.
    public var uploadLimit: Int
    /// What time it is (the system clock; tests pass a fixed one).
    public var clock: WallClock
    /// How old this node's idea of the data generation may be before a request reads it again: how soon a write on
    /// another node is seen by HTTP caching here.
    public var generationCheckInterval: Duration = .seconds(1)
    /// Bytes of kept answers for anonymous visitors (0: none).
    public var responseCacheBytes: Int
    /// One log line per request (on for `pbmonitor serve` unless switched off; off in tests).
    public var requestLog = false
    /// The bearer token `/-/metrics` asks for (empty: none).
    public var metricsToken = ""
    /// Who runs this installation, in one line (empty: the pages say that it has not been filled in).
    public var contact = ""

    public init(host: String = "127.0.0.1", port: Int = 8080, databasePath: String = "pbmonitor-data/pbmonitor.sqlite",
                catalogDirectory: URL = URL(fileURLWithPath: "catalog"), dataDirectory: URL = URL(fileURLWithPath: "data"),
                secureCookies: Bool = false, passwordCost: UInt8 = 12, publicURL: String = "",
                trustedProxies: Set<String> = [], uploadLimit: Int = 20 << 20, responseCacheBytes: Int = 64 << 20,
                clock: WallClock = .system) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.catalogDirectory = catalogDirectory
        self.dataDirectory = dataDirectory
        self.secureCookies = secureCookies
        self.passwordCost = passwordCost
        let trimmed = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.publicURL = trimmed.isEmpty ? "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)" : trimmed
        self.trustedProxies = trustedProxies
        self.uploadLimit = uploadLimit
        self.responseCacheBytes = responseCacheBytes
        self.clock = clock
    }

    /// Builds the configuration: flags win over environment, environment over defaults.
    /// - Parameters:
    ///   - flags: values given on the command line, by key name.
    ///   - environment: the process environment.
    public static func resolve(flags: [String: String], environment: [String: String]) throws -> MonitorConfiguration {
        func value(_ name: String) -> String {
            let key = keys.first { $0.name == name }!
            return flags[name] ?? environment[key.environment] ?? key.defaultValue
        }
        guard let port = Int(value("port")), (1...65535).contains(port) else {
            throw ConfigurationError(message: "poort moet een getal van 1 tot 65535 zijn (gekregen: \(value("port")))")
        }
        let secure: Bool
        switch value("secure-cookies").lowercased() {
        case "ja", "yes", "true", "1": secure = true
        case "nee", "no", "false", "0", "": secure = false
        default: throw ConfigurationError(message: "secure-cookies is ja of nee (gekregen: \(value("secure-cookies")))")
        }
        let publicURL = value("public-url")
        if !publicURL.isEmpty {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                  url.query == nil, url.fragment == nil else {
                throw ConfigurationError(message: "public-url is een adres als https://monitor.gemeente.nl (gekregen: \(publicURL))")
            }
        }
        let proxies = Set(value("trusted-proxies").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        guard let megabytes = Int(value("upload-limit")), (1...200).contains(megabytes) else {
            throw ConfigurationError(message: "upload-limit is een aantal MB van 1 tot 200 (gekregen: \(value("upload-limit")))")
        }
        guard let cacheMegabytes = Int(value("cache-mb")), (0...4096).contains(cacheMegabytes) else {
            throw ConfigurationError(message: "cache-mb is een aantal MB van 0 tot 4096 (gekregen: \(value("cache-mb")))")
        }
        let requestLog: Bool
        switch value("request-log").lowercased() {
        case "ja", "yes", "true", "1": requestLog = true
        case "nee", "no", "false", "0", "": requestLog = false
        default: throw ConfigurationError(message: "request-log is ja of nee (gekregen: \(value("request-log")))")
        }
        var configuration = MonitorConfiguration(host: value("host"), port: port, databasePath: value("database"),
                                                 catalogDirectory: URL(fileURLWithPath: value("catalog")),
                                                 dataDirectory: URL(fileURLWithPath: value("data")), secureCookies: secure,
                                                 publicURL: publicURL, trustedProxies: proxies, uploadLimit: megabytes << 20,
                                                 responseCacheBytes: cacheMegabytes << 20)
        configuration.requestLog = requestLog
        configuration.metricsToken = value("metrics-token")
        configuration.contact = String(value("contact").trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
        return configuration
    }
}

/// A setting that cannot be used.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { "Ongeldige instelling: \(message)" }
}

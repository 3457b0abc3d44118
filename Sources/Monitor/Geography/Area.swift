import Foundation

/// Gebiedssoort: the kind of a CBS region.
public enum AreaKind: String, CaseIterable, Codable, Sendable {
    /// Land (Nederland, `NL00`).
    case land
    /// Provincie (`PV27`).
    case provincie
    /// GGD-regio (`GG3406`).
    case ggdregio
    /// Gemeente (`GM0363`).
    case gemeente
    /// Wijk (`WK036300`, `WK0363AA`).
    case wijk
    /// Buurt (`BU03630000`, `BU0363AA01`).
    case buurt

    /// The Dutch label shown to users.
    public var label: String {
        switch self {
        case .land: tr("land")
        case .provincie: tr("provincie")
        case .ggdregio: tr("GGD-regio")
        case .gemeente: tr("gemeente")
        case .wijk: tr("wijk")
        case .buurt: tr("buurt")
        }
    }

    /// The label at the start of a sentence or as a heading ("GGD-regio", "Gemeente").
    public var title: String {
        self == .ggdregio ? tr("GGD-regio") : label.prefix(1).uppercased() + label.dropFirst()
    }
}

/// Gebiedscode: a validated CBS region code.
///
/// The gemeente of a wijk or buurt follows from its code: `GM` + characters
/// 3–6; the wijk of a buurt is `WK` + characters 3–8. Wijk and buurt codes can
/// contain capital letters (`WK0363AA`).
public struct AreaCode: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The code as CBS writes it, e.g. `GM0363`.
    public let rawValue: String
    /// The kind of region the code denotes.
    public let kind: AreaKind

    /// Parses a code; returns nil when its shape is not a CBS region code.
    /// Surrounding spaces are trimmed (CBS pads codes with spaces).
    public init?(_ text: String) {
        let code = text.trimmedWhitespace
        let chars = Array(code.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { chars[$0] >= 48 && chars[$0] <= 57 } }
        func alnum(_ range: Range<Int>) -> Bool {
            range.allSatisfy { (chars[$0] >= 48 && chars[$0] <= 57) || (chars[$0] >= 65 && chars[$0] <= 90) }
        }
        let kind: AreaKind
        switch (code.prefix(2), chars.count) {
        case ("NL", 4) where code == "NL00": kind = .land
        case ("PV", 4) where digits(2..<4): kind = .provincie
        case ("GG", 6) where digits(2..<6): kind = .ggdregio
        case ("GM", 6) where digits(2..<6): kind = .gemeente
        case ("WK", 8) where digits(2..<6) && alnum(6..<8): kind = .wijk
        case ("BU", 10) where digits(2..<6) && alnum(6..<10): kind = .buurt
        default: return nil
        }
        self.rawValue = code
        self.kind = kind
    }

    /// The gemeente a wijk or buurt lies in (nil for other kinds; itself for a gemeente).
    public var gemeente: AreaCode? {
        switch kind {
        case .gemeente: self
        case .wijk, .buurt: AreaCode("GM" + rawValue.dropFirst(2).prefix(4))
        default: nil
        }
    }

    /// The wijk a buurt lies in (nil for other kinds; itself for a wijk).
    public var wijk: AreaCode? {
        switch kind {
        case .wijk: self
        case .buurt: AreaCode("WK" + rawValue.dropFirst(2).prefix(6))
        default: nil
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: AreaCode, rhs: AreaCode) -> Bool { lhs.rawValue < rhs.rawValue }

    // The kind follows from the code: equality and hashing need the code alone (areas key every figure map).
    public static func == (lhs: AreaCode, rhs: AreaCode) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = AreaCode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: tr("geen CBS-gebiedscode: {0}", text)))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Nederland.
    public static let nederland = AreaCode("NL00")!
}

/// Gebied: a region with its CBS code, name, kind and parents.
public struct Area: Hashable, Sendable, Codable {
    /// CBS code (key).
    public var code: AreaCode
    /// Naam, as CBS publishes it.
    public var name: String
    /// The kind of region.
    public var kind: AreaKind { code.kind }
    /// Bovenliggende gebieden: a gemeente has a provincie and a GGD-regio, a wijk its
    /// gemeente, a buurt its wijk; a provincie and a GGD-regio have Nederland.
    public var parents: [AreaCode]
    /// Jaar van de gebiedsindeling this code belongs to (the most recent one it appears in).
    public var indelingYear: Int

    public init(code: AreaCode, name: String, parents: [AreaCode] = [], indelingYear: Int) {
        self.code = code
        self.name = name
        self.parents = parents
        self.indelingYear = indelingYear
    }

    /// The gemeente this area lies in, if any.
    public var gemeente: AreaCode? { code.gemeente }

    /// Parents derived from the code alone (wijk → gemeente, buurt → wijk).
    public static func parentsFromCode(_ code: AreaCode) -> [AreaCode] {
        switch code.kind {
        case .wijk: code.gemeente.map { [$0] } ?? []
        case .buurt: code.wijk.map { [$0] } ?? []
        case .provincie, .ggdregio: [.nederland]
        default: []
        }
    }
}

import Foundation

/// Benchlearning, not benchmarking (report §4.1): a gemeente invites one or more of its vergelijkbare gemeenten to interpret
/// the same figures together. One record: the figures (indicators of one period, for every gemeente in it), and per gemeente
/// its own answers to the four duidingsvragen. Its members see it while it is a concept; it is published only when every
/// gemeente in it has said so.
public struct JointDuiding: Sendable, Codable, Hashable, Identifiable {
    public typealias Status = PublicationStatus

    public var id: Int
    /// The gemeente that invited.
    public var host: AreaCode
    /// The invited gemeenten (not the host).
    public var invited: [AreaCode]
    public var title: String
    public var indicators: [String]
    public var period: String
    /// Per gemeente its answers to the four questions.
    public var answers: [String: [String: String]]
    /// Per gemeente when, and by whom, it agreed to publish.
    public var consents: [String: Consent]
    public var status: Status
    public var createdBy: String

    public struct Consent: Sendable, Codable, Hashable {
        public var by: String
        public var at: Date
        public init(by: String, at: Date) {
            self.by = by
            self.at = at
        }
    }

    public init(id: Int = 0, host: AreaCode, invited: [AreaCode], title: String, indicators: [String], period: String,
                answers: [String: [String: String]] = [:], consents: [String: Consent] = [:], status: Status = .concept, createdBy: String = "") {
        self.id = id
        self.host = host
        self.invited = invited
        self.title = title
        self.indicators = indicators
        self.period = period
        self.answers = answers
        self.consents = consents
        self.status = status
        self.createdBy = createdBy
    }

    /// The host first, then the invited gemeenten.
    public var members: [AreaCode] { [host] + invited.filter { $0 != host } }

    public func answer(_ gemeente: AreaCode, _ question: DuidingQuestion) -> String { answers[gemeente.rawValue]?[question.rawValue] ?? "" }

    public func hasConsented(_ gemeente: AreaCode) -> Bool { consents[gemeente.rawValue] != nil }

    /// Every member agreed: the record is published.
    public var everyoneConsented: Bool { members.allSatisfy(hasConsented) }

    /// The part of a record a problem concerns (a form shows the problem there).
    public enum Part: String, Sendable, CaseIterable { case title, invited, indicators, period }

    public func partProblems() -> [(part: Part, message: String)] {
        var problems: [(part: Part, message: String)] = []
        if title.trimmedWhitespace.isEmpty { problems.append((.title, tr("geef het gesprek een titel"))) }
        if title.count > 200 { problems.append((.title, tr("een titel heeft hoogstens 200 tekens"))) }
        if invited.filter({ $0 != host }).isEmpty { problems.append((.invited, tr("nodig ten minste één vergelijkbare gemeente uit"))) }
        if invited.count > 10 { problems.append((.invited, tr("hoogstens tien gemeenten"))) }
        for code in invited where code.kind != .gemeente { problems.append((.invited, tr("{0} is geen gemeente", code.rawValue))) }
        if indicators.isEmpty { problems.append((.indicators, tr("kies ten minste één indicator"))) }
        if indicators.count > 10 { problems.append((.indicators, tr("hoogstens tien indicatoren"))) }
        if period.trimmedWhitespace.isEmpty { problems.append((.period, tr("kies de periode van de cijfers"))) }
        return problems
    }
}

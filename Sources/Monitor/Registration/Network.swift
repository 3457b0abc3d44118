import Foundation

/// The informal network of a wijk as professionals there know it (report §4.2): actors — roles or
/// organisations, never private persons — and their ties, dated, so change over time shows. Relations are
/// the weefsel of the pedagogische basis and the least measured part of it.
public struct NetworkMap: Sendable, Codable, Hashable, Identifiable {
    public typealias Status = PublicationStatus

    public struct Actor: Sendable, Codable, Hashable {
        public enum Kind: String, Sendable, Codable, CaseIterable {
            case rol, organisatie, groep

            public var label: String {
                switch self {
                case .rol: tr("rol")
                case .organisatie: tr("organisatie")
                case .groep: tr("groep (bijv. ouders van een school)")
                }
            }
        }

        /// Short key used by the ties ("1", "2", … from the form).
        public var key: String
        public var name: String
        public var kind: Kind
        /// The first is the actor's own sphere; more when it works in several.
        public var spheres: [Sphere]

        public init(key: String, name: String, kind: Kind, spheres: [Sphere]) {
            self.key = key
            self.name = name
            self.kind = kind
            self.spheres = spheres
        }

        public var sphere: Sphere { spheres.first ?? .gezin }
    }

    public struct Tie: Sendable, Codable, Hashable {
        public enum Kind: String, Sendable, Codable, CaseIterable {
            case samenwerking, verwijzing, informeleSteun = "informele-steun", ontmoeting

            public var label: String {
                switch self {
                case .samenwerking: tr("samenwerking")
                case .verwijzing: tr("verwijzing")
                case .informeleSteun: tr("informele steun")
                case .ontmoeting: tr("ontmoeting")
                }
            }
        }

        public var from: String
        public var to: String
        public var kind: Kind
        /// 1 (zwak) to 3 (sterk).
        public var strength: Int

        public init(from: String, to: String, kind: Kind, strength: Int) {
            self.from = from
            self.to = to
            self.kind = kind
            self.strength = strength
        }
    }

    public var id: Int
    public var gemeente: AreaCode
    /// The wijk (or buurt) the map is about.
    public var area: AreaCode
    public var date: ReferenceDate
    public var title: String
    public var actors: [Actor]
    public var ties: [Tie]
    public var status: Status
    public var createdBy: String

    public init(id: Int = 0, gemeente: AreaCode, area: AreaCode, date: ReferenceDate, title: String, actors: [Actor], ties: [Tie],
                status: Status = .concept, createdBy: String = "") {
        self.id = id
        self.gemeente = gemeente
        self.area = area
        self.date = date
        self.title = title
        self.actors = actors
        self.ties = ties
        self.status = status
        self.createdBy = createdBy
    }

    /// The part of a map a problem concerns (a form shows the problem there).
    public enum Part: String, Sendable, CaseIterable { case title, area, date, actors, ties, other }

    /// What is wrong with it, in Dutch; empty when it can be saved.
    public func problems() -> [String] { partProblems().map(\.message) }

    /// The same problems, each with the part of the map it concerns.
    public func partProblems() -> [(part: Part, message: String)] {
        var problems: [(part: Part, message: String)] = []
        if title.trimmedWhitespace.isEmpty { problems.append((.title, tr("geef de netwerkkaart een titel"))) }
        if area.gemeente != gemeente { problems.append((.area, tr("{0} ligt niet in {1}", area.rawValue, gemeente.rawValue))) }
        if actors.count < 2 { problems.append((.actors, tr("een netwerk heeft ten minste twee actoren"))) }
        let keys = actors.map(\.key)
        if Set(keys).count != keys.count { problems.append((.actors, tr("elke actor heeft een eigen nummer"))) }
        for actor in actors {
            if actor.name.trimmedWhitespace.isEmpty { problems.append((.actors, tr("actor {0} heeft geen naam (een rol of organisatie)", actor.key))) }
            if actor.name.contains("@") || actor.name.filter(\.isNumber).count >= 6 {
                problems.append((.actors, tr("actor {0}: noteer een rol of organisatie, geen contactgegevens van personen", actor.key)))
            }
        }
        var seen = Set<String>()
        for (index, tie) in ties.enumerated() {
            if !keys.contains(tie.from) || !keys.contains(tie.to) { problems.append((.ties, tr("relatie {0} verwijst naar een actor die er niet is", index + 1))) }
            if tie.from == tie.to { problems.append((.ties, tr("relatie {0} verbindt een actor met zichzelf", index + 1))) }
            if !(1...3).contains(tie.strength) { problems.append((.ties, tr("relatie {0}: sterkte is 1, 2 of 3", index + 1))) }
            let pair = [tie.from, tie.to].sorted().joined(separator: "–") + tie.kind.rawValue
            if !seen.insert(pair).inserted { problems.append((.ties, tr("relatie {0} staat er al", index + 1))) }
        }
        return problems
    }
}

/// Measures of a network map: how dense, how much between spheres, who bridges, who is alone.
public struct NetworkMeasures: Sendable, Hashable {
    public struct ActorMeasure: Sendable, Hashable {
        public var key: String
        public var name: String
        public var sphere: Sphere
        public var degree: Int
        /// Normalised betweenness centrality (0…1): the share of shortest paths between others that run through it.
        public var betweenness: Double
        /// The spheres of the actor and its neighbours.
        public var spheresReached: Set<Sphere>
        /// Lies on paths between others and connects actors of at least two spheres.
        public var bridges: Bool
    }

    public var actorCount: Int
    /// Distinct pairs with at least one tie.
    public var pairCount: Int
    /// Pairs with a tie / possible pairs.
    public var density: Double
    public var tiesWithinSpheres: Int
    public var tiesBetweenSpheres: Int
    public var actors: [ActorMeasure]
    public var isolated: [String]

    /// Bridging actors, most between first.
    public var bridging: [ActorMeasure] { actors.filter(\.bridges).sorted { ($0.betweenness, $1.name) > ($1.betweenness, $0.name) } }

    public init(_ map: NetworkMap) {
        let keys = map.actors.map(\.key)
        let index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        let n = keys.count
        var neighbours = [Set<Int>](repeating: [], count: n)
        var within = 0, between = 0
        for tie in map.ties {
            guard let a = index[tie.from], let b = index[tie.to], a != b else { continue }
            if map.actors[a].sphere == map.actors[b].sphere { within += 1 } else { between += 1 }
            neighbours[a].insert(b)
            neighbours[b].insert(a)
        }
        let pairs = neighbours.reduce(0) { $0 + $1.count } / 2
        actorCount = n
        pairCount = pairs
        density = n > 1 ? Double(pairs) / Double(n * (n - 1) / 2) : 0
        tiesWithinSpheres = within
        tiesBetweenSpheres = between
        let centrality = Self.betweenness(neighbours)
        let scale = n > 2 ? 2.0 / Double((n - 1) * (n - 2)) : 0
        actors = map.actors.enumerated().map { i, actor in
            let reached = Set(neighbours[i].map { map.actors[$0].sphere }).union([actor.sphere])
            let value = centrality[i] * scale
            return ActorMeasure(key: actor.key, name: actor.name, sphere: actor.sphere, degree: neighbours[i].count, betweenness: value,
                                spheresReached: reached, bridges: value > 0 && reached.count >= 2)
        }
        isolated = map.actors.enumerated().filter { neighbours[$0.offset].isEmpty }.map(\.element.name)
    }

    /// Brandes' algorithm for unweighted, undirected graphs (each pair counted once).
    static func betweenness(_ neighbours: [Set<Int>]) -> [Double] {
        let n = neighbours.count
        var result = [Double](repeating: 0, count: n)
        let sorted = neighbours.map { $0.sorted() }
        for s in 0..<n {
            var stack: [Int] = []
            var predecessors = [[Int]](repeating: [], count: n)
            var sigma = [Double](repeating: 0, count: n)
            var distance = [Int](repeating: -1, count: n)
            sigma[s] = 1
            distance[s] = 0
            var queue = [s]
            var head = 0
            while head < queue.count {
                let v = queue[head]
                head += 1
                stack.append(v)
                for w in sorted[v] {
                    if distance[w] < 0 { distance[w] = distance[v] + 1; queue.append(w) }
                    if distance[w] == distance[v] + 1 { sigma[w] += sigma[v]; predecessors[w].append(v) }
                }
            }
            var delta = [Double](repeating: 0, count: n)
            while let w = stack.popLast() {
                for v in predecessors[w] { delta[v] += sigma[v] / sigma[w] * (1 + delta[w]) }
                if w != s { result[w] += delta[w] }
            }
        }
        return result.map { $0 / 2 }
    }
}

/// What changed since an earlier map of the same area.
public struct NetworkChange: Sendable, Hashable {
    public var earlierDate: ReferenceDate
    public var actorsAdded: [String]
    public var actorsGone: [String]
    public var tiesAdded: [String]
    public var tiesGone: [String]
    public var densityChange: Double

    /// Actors are matched by name (case-insensitive), ties by the names at both ends and the kind.
    public init(from earlier: NetworkMap, to later: NetworkMap) {
        func names(_ map: NetworkMap) -> [String: String] { Dictionary(map.actors.map { ($0.key, $0.name) }, uniquingKeysWith: { a, _ in a }) }
        func ties(_ map: NetworkMap) -> Set<String> {
            let n = names(map)
            return Set(map.ties.compactMap { tie in
                guard let a = n[tie.from], let b = n[tie.to] else { return nil }
                let ends = [a, b].sorted { $0.lowercased() < $1.lowercased() }
                return "\(ends[0]) – \(ends[1]) (\(tie.kind.label))"
            })
        }
        let before = Set(earlier.actors.map { $0.name.lowercased() }), after = Set(later.actors.map { $0.name.lowercased() })
        earlierDate = earlier.date
        actorsAdded = later.actors.map(\.name).filter { !before.contains($0.lowercased()) }
        actorsGone = earlier.actors.map(\.name).filter { !after.contains($0.lowercased()) }
        let t0 = ties(earlier), t1 = ties(later)
        tiesAdded = t1.subtracting(t0).sorted()
        tiesGone = t0.subtracting(t1).sorted()
        densityChange = NetworkMeasures(later).density - NetworkMeasures(earlier).density
    }
}

/// A deterministic force-directed layout (Fruchterman–Reingold): actors start on a circle in sphere order,
/// and a fixed number of steps with a cooling schedule gives the same drawing for the same map every time.
public enum NetworkLayout {
    public static func positions(_ map: NetworkMap, width: Double, height: Double, iterations: Int = 400) -> [String: (x: Double, y: Double)] {
        let n = map.actors.count
        guard n > 0 else { return [:] }
        let order = map.actors.enumerated().sorted { ($0.element.sphere, $0.offset) < ($1.element.sphere, $1.offset) }.map(\.offset)
        var x = [Double](repeating: 0, count: n), y = [Double](repeating: 0, count: n)
        for (position, i) in order.enumerated() {
            let angle = 2 * Double.pi * Double(position) / Double(n)
            x[i] = width / 2 + width * 0.35 * cos(angle)
            y[i] = height / 2 + height * 0.35 * sin(angle)
        }
        let index = Dictionary(uniqueKeysWithValues: map.actors.enumerated().map { ($1.key, $0) })
        let edges = map.ties.compactMap { tie -> (Int, Int)? in
            guard let a = index[tie.from], let b = index[tie.to], a != b else { return nil }
            return (a, b)
        }
        let k = (width * height / Double(n)).squareRoot() * 0.6
        var temperature = width / 10
        for _ in 0..<iterations {
            var dx = [Double](repeating: 0, count: n), dy = [Double](repeating: 0, count: n)
            for i in 0..<n {
                for j in (i + 1)..<max(n, i + 1) {
                    var ddx = x[i] - x[j], ddy = y[i] - y[j]
                    var d = (ddx * ddx + ddy * ddy).squareRoot()
                    if d < 0.01 { ddx = 0.01 * Double(i - j); ddy = 0.01; d = 0.01 }
                    let force = k * k / d
                    dx[i] += ddx / d * force; dy[i] += ddy / d * force
                    dx[j] -= ddx / d * force; dy[j] -= ddy / d * force
                }
            }
            for (a, b) in edges {
                let ddx = x[a] - x[b], ddy = y[a] - y[b]
                let d = max((ddx * ddx + ddy * ddy).squareRoot(), 0.01)
                let force = d * d / k
                dx[a] -= ddx / d * force; dy[a] -= ddy / d * force
                dx[b] += ddx / d * force; dy[b] += ddy / d * force
            }
            // A weak pull to the centre keeps isolated actors on the canvas.
            for i in 0..<n {
                dx[i] += (width / 2 - x[i]) * 0.02
                dy[i] += (height / 2 - y[i]) * 0.02
                let d = max((dx[i] * dx[i] + dy[i] * dy[i]).squareRoot(), 1e-9)
                x[i] += dx[i] / d * min(d, temperature)
                y[i] += dy[i] / d * min(d, temperature)
            }
            temperature = max(temperature * 0.985, 0.5)
        }
        // Fit the connected actors into the canvas with a margin for the labels; isolated actors go in a row
        // along the bottom, so one actor without ties does not shrink the rest of the drawing.
        let margin = 60.0
        var connected = Set<Int>()
        for (a, b) in edges { connected.insert(a); connected.insert(b) }
        let isolated = (0..<n).filter { !connected.contains($0) }
        let bottom = isolated.isEmpty ? height - margin : height - margin - 50
        let inside = connected.isEmpty ? Array(0..<n) : connected.sorted()
        let minX = inside.map { x[$0] }.min()!, maxX = inside.map { x[$0] }.max()!
        let minY = inside.map { y[$0] }.min()!, maxY = inside.map { y[$0] }.max()!
        let sx = maxX - minX > 1e-9 ? (width - 2 * margin) / (maxX - minX) : 1
        let sy = maxY - minY > 1e-9 ? (bottom - margin) / (maxY - minY) : 1
        for i in inside {
            x[i] = maxX - minX > 1e-9 ? margin + (x[i] - minX) * sx : width / 2
            y[i] = maxY - minY > 1e-9 ? margin + (y[i] - minY) * sy : (margin + bottom) / 2
        }
        if !connected.isEmpty {
            for (position, i) in isolated.enumerated() {
                x[i] = margin + (Double(position) + 0.5) * (width - 2 * margin) / Double(isolated.count)
                y[i] = height - margin * 0.7
            }
        }
        // Then push apart actors that would overlap (circle and label), still deterministically.
        let minimum = min(80.0, min(width, height) / 4)
        for _ in 0..<200 {
            var moved = false
            for i in 0..<n {
                for j in (i + 1)..<max(n, i + 1) {
                    var ddx = x[j] - x[i], ddy = y[j] - y[i]
                    var d = (ddx * ddx + ddy * ddy).squareRoot()
                    guard d < minimum else { continue }
                    if d < 1e-6 { ddx = 1; ddy = Double(j - i) * 0.1; d = (ddx * ddx + ddy * ddy).squareRoot() }
                    let push = (minimum - d) / 2 + 0.5
                    x[i] -= ddx / d * push; y[i] -= ddy / d * push
                    x[j] += ddx / d * push; y[j] += ddy / d * push
                    moved = true
                }
            }
            for i in 0..<n {
                x[i] = min(max(x[i], margin * 0.6), width - margin * 0.6)
                y[i] = min(max(y[i], margin * 0.6), height - margin * 0.6)
            }
            if !moved { break }
        }
        var result: [String: (x: Double, y: Double)] = [:]
        for (i, actor) in map.actors.enumerated() { result[actor.key] = (x[i], y[i]) }
        return result
    }
}

/// A measure of a network map that becomes a figure of its wijk on the map's date (relations over time, report §2.1).
public enum NetworkMeasureKind: String, CaseIterable, Sendable, Hashable {
    /// Pairs with a tie as a percentage of all possible pairs.
    case dichtheid
    case bandenBinnenSferen = "banden_binnen_sferen"
    case bandenTussenSferen = "banden_tussen_sferen"
    /// Actors that lie on paths between others and connect at least two spheres.
    case verbinders
    /// Actors without any tie.
    case geisoleerd

    public func value(of m: NetworkMeasures) -> Double {
        switch self {
        case .dichtheid: (m.density * 1000).rounded() / 10
        case .bandenBinnenSferen: Double(m.tiesWithinSpheres)
        case .bandenTussenSferen: Double(m.tiesBetweenSpheres)
        case .verbinders: Double(m.bridging.count)
        case .geisoleerd: Double(m.isolated.count)
        }
    }
}

extension NetworkMap {
    /// The map's measures as figures of its area on its date, for the catalogue indicators that report them.
    public func figures(for indicators: [Indicator]) -> [Observation] {
        let measures = NetworkMeasures(self)
        return indicators.compactMap { indicator in
            guard let kind = indicator.network else { return nil }
            return Observation(indicator: indicator.id, area: area, period: date.day, status: .waarde, value: kind.value(of: measures),
                               origin: .netwerk)
        }
    }
}

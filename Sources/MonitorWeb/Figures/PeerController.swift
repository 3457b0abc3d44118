import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Vergelijkbare gemeenten: the k nearest gemeenten on standardised context variables, with
/// for each peer why it is similar; plus the fixed groups (provincie, GGD-regio, stedelijkheid).
struct PeerController: Sendable {
    let store: any Store
    let renderer: PageRenderer?
    /// The context variables per selection with their standardised matrix, computed once per generation of the figures
    /// (every profile asks for its peers).
    let cache: GenerationCache<PeerSpace>

    /// The variables of one selection and the matrix the nearest gemeenten are found in.
    struct PeerSpace: Sendable {
        var variables: [PeerFinder.Variable]
        var matrix: PeerFinder.Matrix
    }

    init(store: any Store, renderer: PageRenderer?, cache: GenerationCache<PeerSpace> = GenerationCache()) {
        self.store = store
        self.renderer = renderer
        self.cache = cache
    }

    /// Context variables a user can choose; the first six are the default.
    static let candidates: [(id: String, logarithm: Bool)] = [
        ("inwoners", true), ("omgevingsadressendichtheid", false), ("huishoudens_met_kinderen_pct", false),
        ("gestandaardiseerd_inkomen_hh", false), ("huishoudens_laag_inkomen_pct", false), ("herkomst_buiten_europa_pct", false),
        ("leeftijd_0_15_pct", false), ("leeftijd_65plus_pct", false), ("eenpersoonshuishoudens_pct", false),
        ("bijstand_per_1000", false), ("gem_woz_waarde", false),
    ]
    static let defaultVariables = Array(candidates.prefix(6).map(\.id))
    static let defaultK = 10

    struct Selection: Sendable {
        var variables: [String]
        var k: Int

        init(_ request: Request) throws {
            let q = request.uri.queryParameters
            // A variable named twice counts once (the shares per variable are keyed by it).
            var seen: Set<String> = []
            let chosen = q.getAll("variabelen").flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty && seen.insert($0).inserted }
            for id in chosen where !PeerController.candidates.contains(where: { $0.id == id }) {
                throw AppError.badRequest(parameter: "variabelen", message: tr("'{0}' is geen contextvariabele; kies uit {1}", id, PeerController.candidates.map(\.id).joined(separator: ", ")))
            }
            variables = chosen.isEmpty ? PeerController.defaultVariables : chosen
            k = try ValuesController.Query.integer(q.get("k"), name: "k", default: PeerController.defaultK, range: 1...50)
        }

        init(variables: [String] = PeerController.defaultVariables, k: Int = PeerController.defaultK) {
            self.variables = variables
            self.k = k
        }
    }

    /// The context variables' gemeente values (newest period with gemeente figures each) and their standardised matrix.
    func space(_ ids: [String]) async throws -> PeerSpace {
        let store = self.store
        return try await cache.value(for: try await store.generation(), key: ids.joined(separator: ",")) {
            var variables: [PeerFinder.Variable] = []
            for id in ids {
                let logarithm = Self.candidates.first { $0.id == id }?.logarithm ?? false
                let observations = try await store.observations(ObservationQuery(indicator: id, areaKind: .gemeente)).items
                // Prefer 2023, the year every context variable has; else the newest.
                let periods = Set(observations.filter { $0.status == .waarde }.map(\.period))
                let period = periods.contains("2023") ? "2023" : periods.max()
                var values: [AreaCode: Double] = [:]
                for o in observations where o.period == period { if let v = o.value { values[o.area] = v } }
                variables.append(PeerFinder.Variable(id: id, values: values, logarithm: logarithm))
            }
            return PeerSpace(variables: variables, matrix: PeerFinder.Matrix(PeerFinder.standardised(variables)))
        }
    }

    /// Peers of one gemeente.
    func peers(of code: AreaCode, selection: Selection) async throws -> (peers: [PeerFinder.Peer], variables: [PeerFinder.Variable]) {
        let space = try await space(selection.variables)
        return (space.matrix.nearest(to: code, k: selection.k), space.variables)
    }

    struct Groups: Sendable {
        var provincie: Area?
        var ggd: Area?
        var stedelijkheid: Int?
        var sameProvince: [Area]
        var sameGGD: [Area]
        var sameUrbanity: [Area]
    }

    func groups(of area: Area) async throws -> Groups {
        let all = try await store.areas(kind: .gemeente)
        let provincie = area.parents.first { $0.kind == .provincie }
        let ggd = area.parents.first { $0.kind == .ggdregio }
        let urbanity = try await store.observations(ObservationQuery(indicator: "stedelijkheid", areaKind: .gemeente, period: "2023")).items
        var classes: [AreaCode: Int] = [:]
        for o in urbanity { if let v = o.value, let c = Int(checked: v) { classes[o.area] = c } }
        let own = classes[area.code]
        return Groups(provincie: try await provincie.asyncMap { try await store.area($0) } ?? nil,
                      ggd: try await ggd.asyncMap { try await store.area($0) } ?? nil, stedelijkheid: own,
                      sameProvince: all.filter { $0.code != area.code && provincie != nil && $0.parents.contains(provincie!) },
                      sameGGD: all.filter { $0.code != area.code && ggd != nil && $0.parents.contains(ggd!) },
                      sameUrbanity: all.filter { $0.code != area.code && own != nil && classes[$0.code] == own })
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let area = try await store.gemeente(from: context)
        let selection = try Selection(request)
        let (peers, variables) = try await peers(of: area.code, selection: selection)
        let names = Dictionary(uniqueKeysWithValues: try await store.areas(kind: .gemeente).map { ($0.code, $0.name) })
        var page = PeerPage(area: area, selection: selection, peers: peers, variables: variables, names: names,
                            groups: try await groups(of: area), catalog: context.catalog)
        if context.account?.may(.editGemeente(area.code)) == true {
            page.jointInviteURL = SiteRoute.jointDuidingen(area.code.rawValue)
                .url([("uitnodigen", peers.prefix(3).map(\.area.rawValue).joined(separator: ","))]) + "#nieuw"
        }
        return renderer!.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    struct PeerBody: Codable, Sendable {
        struct PeerDTO: Codable, Sendable { var code: String; var naam: String; var afstand: Double; var aandelen: [String: Double] }
        struct GroupDTO: Codable, Sendable { var naam: String; var gemeenten: [String] }
        var ok = true
        var gemeente: String
        var variabelen: [String]
        var k: Int
        var vergelijkbaar: [PeerDTO]
        var groepen: [String: GroupDTO]
    }

    func showJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let area = try await store.gemeente(from: context)
        let selection = try Selection(request)
        let (peers, _) = try await peers(of: area.code, selection: selection)
        let names = Dictionary(uniqueKeysWithValues: try await store.areas(kind: .gemeente).map { ($0.code, $0.name) })
        let g = try await groups(of: area)
        var groups: [String: PeerBody.GroupDTO] = [:]
        if let p = g.provincie { groups["provincie"] = .init(naam: p.name, gemeenten: g.sameProvince.map(\.code.rawValue)) }
        if let r = g.ggd { groups["ggdregio"] = .init(naam: r.name, gemeenten: g.sameGGD.map(\.code.rawValue)) }
        if let s = g.stedelijkheid { groups["stedelijkheid"] = .init(naam: "stedelijkheidsklasse \(s)", gemeenten: g.sameUrbanity.map(\.code.rawValue)) }
        let body = PeerBody(gemeente: area.code.rawValue, variabelen: selection.variables, k: selection.k,
                            vergelijkbaar: peers.map { peer in
                                .init(code: peer.area.rawValue, naam: names[peer.area] ?? peer.area.rawValue, afstand: peer.distance,
                                      aandelen: Dictionary(uniqueKeysWithValues: zip(selection.variables, peer.shares)))
                            }, groepen: groups)
        return try JSONResponse.make(body, htmlAlternate: SiteRoute.peers(area.code.rawValue).path)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}


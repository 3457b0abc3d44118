import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Profiles of gemeenten, wijken and buurten (HTML and JSON twins).
struct AreaController: Sendable {
    let store: any Store & DialogueStore
    let renderer: PageRenderer
    let peerFinder: PeerController

    /// Everything a profile shows, fetched once and used by both twins.
    struct Profile: Sendable {
        var area: Area
        var references: [(code: AreaCode, name: String)]
        var observations: [Observation]
        var parents: [Area]
        var children: [Area]
        var childKind: AreaKind?
        var childIndicator: Indicator
        var childPeriod: String?
        var childObservations: [AreaCode: Observation]
        var peers: [AreaCode]
        var changes: [CodeChange]
        /// Figures that exist only for a region holding the area (a GGD-regio or provincie), per indicator the latest
        /// one with a value, for indicators the area itself has nothing of: shown as the region's, never as its own.
        var regional: [String: RegionalFigure] = [:]
    }

    /// A figure of a region shown on the profile of an area inside it.
    struct RegionalFigure: Sendable {
        var observation: Observation
        var regionName: String
        /// "cijfer van GGD Hollands-Noorden, niet van Alkmaar".
        var note: String
    }

    /// For indicators that have figures only for regions (no gemeente, wijk or buurt has one), the latest figure with a
    /// value of the first region holding `area` (GGD-regio before provincie), from the figures the profile read anyway.
    static func regionalFigures(for area: Area, regions: [Area], figures: [Observation],
                                coverage: [String: Set<AreaKind>]) -> [String: RegionalFigure] {
        let local: Set<AreaKind> = [.gemeente, .wijk, .buurt]
        let regionalOnly = Set(coverage.filter { $0.value.isDisjoint(with: local) && !$0.value.isDisjoint(with: [.ggdregio, .provincie]) }.keys)
        let ordered = regions.filter { $0.code.kind == .ggdregio } + regions.filter { $0.code.kind == .provincie }
        guard !regionalOnly.isEmpty, !ordered.isEmpty else { return [:] }
        let hasOwn = Set(figures.filter { $0.area == area.code }.map(\.indicator))
        var result: [String: RegionalFigure] = [:]
        for id in regionalOnly where !hasOwn.contains(id) {
            for region in ordered {
                guard let latest = figures.filter({ $0.indicator == id && $0.area == region.code && $0.status == .waarde })
                    .max(by: { $0.period < $1.period }) else { continue }
                result[id] = RegionalFigure(observation: latest, regionName: region.name,
                                            note: tr("cijfer van {0}, niet van {1}", region.name, area.name))
                break
            }
        }
        return result
    }

    func profile(_ rawCode: String, kind: AreaKind, request: Request, catalog: Catalog) async throws -> Profile {
        let q = request.uri.queryParameters
        return try await profile(rawCode, kind: kind, childIndicator: q.get("indicator"), childPeriod: q.get("periode"), catalog: catalog)
    }

    /// The profile, with the indicator and period of the table of wijken or buurten (nil: the default).
    func profile(_ rawCode: String, kind: AreaKind, childIndicator requested: String?, childPeriod requestedPeriod: String?,
                 catalog: Catalog) async throws -> Profile {
        guard let code = AreaCode(rawCode), code.kind == kind, let area = try await store.area(code) else {
            throw AppError.notFound(tr("Onbekende {0}: {1}. Controleer de CBS-code (bijvoorbeeld GM0363, WK036300, BU03630000).", kind.label, rawCode))
        }
        // Reference areas: the gemeente for a wijk, wijk and gemeente for a buurt, and always Nederland.
        var chain: [AreaCode] = []
        if kind == .buurt, let wijk = code.wijk { chain.append(wijk) }
        if kind != .gemeente, let gemeente = code.gemeente { chain.append(gemeente) }
        var parents: [Area] = []
        for parentCode in chain { if let parent = try await store.area(parentCode) { parents.append(parent) } }
        if kind == .gemeente {
            for parentCode in area.parents { if let parent = try await store.area(parentCode) { parents.append(parent) } }
        }
        // A gemeente is compared with Nederland, its GGD-regio and its peer group; a wijk or buurt with its gemeente (and wijk).
        let references = parents.filter { $0.kind != .provincie && (kind == .gemeente || $0.kind != .ggdregio) }.map { ($0.code, $0.name) }
            + [(AreaCode.nederland, tr("Nederland"))]
        var peers: [AreaCode] = []
        if kind == .gemeente {
            peers = try await peerFinder.peers(of: code, selection: .init()).peers.map(\.area)
        }
        // The regions that hold the area: the gemeente's own GGD-regio and provincie (also for its wijken and buurten).
        var regions = parents.filter { $0.code.kind == .ggdregio || $0.code.kind == .provincie }
        if kind != .gemeente, let gemeenteArea = parents.first(where: { $0.code.kind == .gemeente }) {
            for regionCode in gemeenteArea.parents where regionCode.kind == .ggdregio || regionCode.kind == .provincie {
                if let region = try await store.area(regionCode) { regions.append(region) }
            }
        }
        let changes = try await store.codeChanges()
        let predecessors = changes.filter { $0.new == code }.map(\.old)
        // Nederland, the regions and the peers are in many profiles: the store keeps their figures per data generation.
        let excluded = Set(catalog.hidden(comparedWith: store.catalog))
        let observations = try await store.currentObservations(of: Array(Set([code] + references.map(\.0) + regions.map(\.code) + peers + predecessors)))
            .filter { !excluded.contains($0.indicator) }

        let childKind: AreaKind? = kind == .gemeente ? .wijk : (kind == .wijk ? .buurt : nil)
        var children: [Area] = []
        if let childKind { children = try await store.children(of: code, kind: childKind) }
        let childIndicator: Indicator
        if let requested {
            guard let indicator = catalog[requested] else {
                throw AppError.badRequest(parameter: "indicator", message: tr("onbekende indicator '{0}'; zie /indicatoren", requested))
            }
            childIndicator = indicator
        } else {
            childIndicator = catalog["jeugdzorg_in_natura_pct"] ?? catalog.indicators[0]
        }
        var childObservations: [AreaCode: Observation] = [:]
        var childPeriod: String?
        if !children.isEmpty {
            // The asked period, else the newest with a number for a child, else the newest with any figure: one period at
            // a time, newest first (the primary key's order: a lookup per child instead of every figure of the indicator).
            let codes = children.map(\.code)
            func figures(in period: String) async throws -> [Observation] {
                try await store.observations(ObservationQuery(indicator: childIndicator.id, areas: codes, period: period, countsTotal: false)).items
            }
            var chosen: (period: String, figures: [Observation])?
            if let requestedPeriod {
                chosen = (requestedPeriod, try await figures(in: requestedPeriod))
            } else {
                var newestWithAny: (period: String, figures: [Observation])?
                for period in try await store.periods(indicator: childIndicator.id) {
                    let found = try await figures(in: period)
                    if found.contains(where: { $0.status == .waarde }) { chosen = (period, found); break }
                    if newestWithAny == nil && !found.isEmpty { newestWithAny = (period, found) }
                }
                chosen = chosen ?? newestWithAny
            }
            childPeriod = chosen?.period
            for observation in chosen?.figures ?? [] { childObservations[observation.area] = observation }
        }
        var profile = Profile(area: area, references: references, observations: observations, parents: parents, children: children,
                              childKind: childKind, childIndicator: childIndicator, childPeriod: childPeriod, childObservations: childObservations,
                              peers: peers, changes: changes)
        profile.regional = Self.regionalFigures(for: area, regions: regions, figures: observations, coverage: try await store.coverage())
        return profile
    }

    // MARK: HTML

    func show(kind: AreaKind) -> @Sendable (Request, AppRequestContext) async throws -> Response {
        { request, context in
            let code = try context.parameters.require("code")
            let profile = try await profile(code, kind: kind, request: request, catalog: context.catalog)
            var page = AreaShowPage(profile: profile, catalog: context.catalog)
            let gemeente = profile.area.code.gemeente?.rawValue
            page.dialogue = DialogueBlock(records: try await store.publishedDialogues(indicator: nil, area: profile.area.code),
                                          startURL: gemeente.map { SiteRoute.newDialogue($0).url([("gebied", profile.area.code.rawValue)]) },
                                          listURL: gemeente.map { SiteRoute.dialogues($0).path })
            return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
        }
    }

    // MARK: JSON

    struct AreaBody: Codable, Sendable {
        var ok = true
        var gebied: AreaDTO
        var vergelijking: [AreaDTO]
        var waarden: [ValueDTO]
        var vergelijkbaar: [String]
        var deelgebieden: [AreaDTO]
        /// Figures that exist only for a region holding this area: `gebied` is the region, never this area.
        var cijfers_van_de_regio: [RegionalValueDTO]
        var bron = BundledData.attribution
    }

    struct RegionalValueDTO: Codable, Sendable {
        var waarde: ValueDTO
        var gebied_naam: String
        var toelichting: String
    }

    func showJSON(kind: AreaKind) -> @Sendable (Request, AppRequestContext) async throws -> Response {
        { request, context in
            let code = try context.parameters.require("code")
            let profile = try await profile(code, kind: kind, request: request, catalog: context.catalog)
            let body = AreaBody(gebied: AreaDTO(profile.area), vergelijking: profile.parents.map(AreaDTO.init),
                                waarden: profile.observations.filter { $0.area == profile.area.code }.map(ValueDTO.init),
                                vergelijkbaar: profile.peers.map(\.rawValue),
                                deelgebieden: profile.children.map(AreaDTO.init),
                                cijfers_van_de_regio: profile.regional.values.sorted { $0.observation.indicator < $1.observation.indicator }.map {
                                    RegionalValueDTO(waarde: ValueDTO(observation: $0.observation), gebied_naam: $0.regionName, toelichting: $0.note)
                                })
            return try JSONResponse.make(body, htmlAlternate: SiteRoute.profile(profile.area.code.rawValue)?.path)
        }
    }
}


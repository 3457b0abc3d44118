import Foundation
import Monitor
import MonitorStore

/// Performance targets live here, not in unit tests: `pbmonitor bench` runs these in a release build.
public enum Benchmarks {
    /// One measured task: its median and spread over the runs.
    public struct Result: Sendable {
        public var name: String
        public var runs: Int
        public var median: Double
        public var minimum: Double
        public var maximum: Double
        public var target: Double?
        public var detail: String

        public var line: String {
            let ms = { (v: Double) in String(format: "%.2f ms", v * 1000) }
            var text = "\(name): mediaan \(ms(median)) (min \(ms(minimum)), max \(ms(maximum)), \(runs) runs)"
            if let target { text += median <= target ? " — binnen het doel van \(ms(target))" : " — BOVEN het doel van \(ms(target))" }
            return text + (detail.isEmpty ? "" : " [\(detail)]")
        }
    }

    static func measure(_ name: String, runs: Int, target: Double?, detail: String = "", _ body: () async throws -> Void) async rethrows -> Result {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try await body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return Result(name: name, runs: runs, median: times[times.count / 2], minimum: times.first!, maximum: times.last!, target: target, detail: detail)
    }

    /// Maps and peers on a loaded store. Layer projection is cached by the app, so the map
    /// timings measure what a request costs after the first: colouring, classes, legend, SVG.
    public static func run(store: any Store, runs: Int = 25) async throws -> [Result] {
        let layers = MapLayerCache(store: store)
        let indicator = store.catalog["jeugdzorg_in_natura_pct"]!
        var results: [Result] = []

        let gemeenteQuery = MapQueryFixture(indicator: indicator, level: .gemeente)
        let gemeenteData = try await gemeenteQuery.data(store: store, layers: layers)
        var size = 0
        results.append(await measure("Gemeentekaart (342 gemeenten)", runs: runs, target: 0.010) {
            size = MapController.render(gemeenteData).svg.markup.utf8.count
        })
        results[results.count - 1].detail = "\(size / 1024) kB SVG"

        let wijkData = try await MapQueryFixture(indicator: indicator, level: .wijk).data(store: store, layers: layers)
        results.append(await measure("Wijkkaart van heel Nederland (\(wijkData.layer.paths.count) wijken)", runs: runs, target: 0.060) {
            size = MapController.render(wijkData).svg.markup.utf8.count
        })
        results[results.count - 1].detail = "\(size / 1024) kB SVG"

        let peers = PeerController(store: store, renderer: nil)
        let variables = try await peers.variables(PeerController.defaultVariables)
        let gemeenten = try await store.areas(kind: .gemeente).map(\.code)
        var found = 0
        results.append(await measure("Vergelijkbare gemeenten voor alle \(gemeenten.count) gemeenten (k = 10)", runs: runs, target: 0.005) {
            let matrix = PeerFinder.Matrix(PeerFinder.standardised(variables))
            found = 0
            for code in gemeenten { found += matrix.nearest(to: code, k: 10).count }
        })
        results[results.count - 1].detail = "\(found) buren"

        // Expected versus actual youth care: the model is refitted after every import.
        let state = try await ExpectedCareController.load(store: store, generation: 0)
        results.append(try await measure("Model verwacht jeugdzorggebruik opnieuw schatten (\(state.model?.n ?? 0) wijken)", runs: max(5, runs / 5),
                                         target: 0.200) {
            _ = try ExpectedCareModel.fit(state.inputs)
        })
        results[results.count - 1].detail = "REML, \(state.model?.fit.groupCount ?? 0) gemeenten"

        // End to end: a cold layer (projection of all boundaries) for reference.
        results.append(try await measure("Gemeentekaart met projectie van de grenzen (koud)", runs: 3, target: nil) {
            _ = try await MapQueryFixture(indicator: indicator, level: .gemeente).data(store: store, layers: MapLayerCache(store: store))
        })
        return results
    }
}

/// A map request without HTTP, for the benchmark.
struct MapQueryFixture {
    var indicator: Indicator
    var level: AreaKind

    func data(store: any Store, layers: MapLayerCache) async throws -> MapController.MapData {
        let query = MapController.Query(indicator: indicator, level: level, gemeente: nil, method: .kwantielen, classes: 5, period: nil)
        return try await MapController(store: store, renderer: nil, layers: layers).data(query)
    }
}

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
        let variables = try await peers.space(PeerController.defaultVariables).variables
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

extension Benchmarks {
    /// Council documents of realistic length (300–1,500 words, council language), made the same way every run:
    /// some mention "pedagogische basis", some opvoeding or opvoedondersteuning, most neither.
    public static func syntheticDocuments(count: Int, gemeenten: [AreaCode]) -> [CouncilDocument] {
        var generator = SplitMix(seed: 20261129)
        func pick<T>(_ list: [T]) -> T { list[Int(generator.next() % UInt64(list.count))] }
        let subjects = ["Het college", "De gemeenteraad", "De wethouder jeugd", "Het wijkteam", "De GGD", "Het samenwerkingsverband", "De raad",
                        "Het onderwijs", "De jeugdgezondheidszorg", "Welzijnsorganisatie Buurtwerk", "De bibliotheek", "De sportvereniging"]
        let verbs = ["stelt voor", "wil", "onderzoekt", "bespreekt", "investeert in", "evalueert", "versterkt", "organiseert", "financiert", "monitort"]
        let objects = ["de jeugdhulp in de wijken", "het voorliggend veld", "de samenwerking tussen school en wijkteam", "de speeltuinen en trapveldjes",
                       "het preventief jeugdbeleid", "de kosten van de specialistische jeugdzorg", "laagdrempelige ondersteuning voor ouders",
                       "het welzijnswerk", "de brede school", "het jongerenwerk", "de kinderopvang en voorschoolse educatie", "het armoedebeleid",
                       "de wachttijden in de jeugdzorg", "de inkoop van jeugdhulp", "het sportakkoord", "de buurthuizen", "de huisvesting van statushouders"]
        let tails = ["in het komende jaar", "zodat kinderen gezond en veilig opgroeien", "binnen het beschikbare budget", "in overleg met de partners",
                     "volgens de afspraken in de regio", "met aandacht voor gelijke kansen", "om de instroom in de jeugdhulp te verminderen",
                     "en rapporteert daarover aan de raad", "samen met ouders en vrijwilligers", "als onderdeel van de begroting"]
        let special = ["De pedagogische basis in de wijk moet sterker worden.", "Opvoedondersteuning op school blijkt goed te werken.",
                       "Ouders zoeken steun bij de opvoeding van hun kinderen.", "Wij willen investeren in de pedagogische basis zodat minder kinderen jeugdhulp nodig hebben.",
                       "Het opvoeden van kinderen is een gedeelde verantwoordelijkheid."]
        let kinds = CouncilDocument.Kind.allCases
        return (0..<count).map { i in
            let words = 300 + Int(generator.next() % 1200)
            var text = ""
            var written = 0
            while written < words {
                let sentence = generator.next() % 40 == 0 ? pick(special) : "\(pick(subjects)) \(pick(verbs)) \(pick(objects)) \(pick(tails))."
                text += sentence + (generator.next() % 6 == 0 ? "\n\n" : " ")
                written += sentence.split(separator: " ").count
            }
            let year = 2019 + Int(generator.next() % 7), month = 1 + Int(generator.next() % 12), day = 1 + Int(generator.next() % 28)
            let date = ReferenceDate(String(format: "%04d-%02d-%02d", year, month, day))!
            return CouncilDocument(gemeente: gemeenten[i % gemeenten.count], date: date, kind: kinds[i % kinds.count],
                                   title: "\(pick(["Raadsvoorstel", "Beleidsnota", "Raadsinformatiebrief", "Motie", "Verslag"])) \(pick(objects)) \(i)",
                                   source: "synthetisch:\(i)", text: text)
        }
    }

    /// Full-text search over `count` generated documents in a fresh SQLite database: the search, the documents and
    /// their snippets for the first page of 20, as `/api/v1/zoeken` does. Target: median under 50 ms per query.
    public static func search(in store: any KnowledgeStore, queries: [String] = ["opvoeden", "\"pedagogische basis\"", "jeugdhulp kosten",
                                                                                  "speeltuinen", "gemeenteraad", "opvoedondersteuning school"],
                              runs: Int) async throws -> [Result] {
        var results: [Result] = []
        var all: [Double] = []
        for text in queries {
            let query = SearchQuery(text)
            var total = 0
            let result = try await measure("zoeken \(text)", runs: runs, target: 0.050) {
                let found = try await store.search(query, in: .document, limit: 20, offset: 0)
                total = found.total
                for document in try await store.documents(ids: found.hits.map(\.ref)) {
                    _ = Fragment.snippet(document.title + ". " + document.text, query: query)
                }
            }
            let sqlOnly = try await measure("", runs: runs, target: nil) { _ = try await store.search(query, in: .document, limit: 20, offset: 0) }
            results.append(Result(name: result.name, runs: result.runs, median: result.median, minimum: result.minimum, maximum: result.maximum,
                                  target: result.target, detail: String(format: "%d treffers; de zoekvraag in de database alleen %.1f ms", total, sqlOnly.median * 1000)))
            all.append(result.median)
        }
        all.sort()
        results.append(Result(name: "zoeken, mediaan over de zoekvragen", runs: runs * queries.count, median: all[all.count / 2],
                              minimum: all.first ?? 0, maximum: all.last ?? 0, target: 0.050, detail: ""))
        return results
    }
}

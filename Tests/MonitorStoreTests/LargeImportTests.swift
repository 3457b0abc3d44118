import Foundation
@testable import Monitor
@testable import MonitorStore
import MonitorTestSupport
import SQLKit
import Testing

/// A large first import takes the fast road (the figure table's indexes rebuilt afterwards on SQLite,
/// statements written behind the computation); it must land exactly as the same figures do in small pieces.
@Suite("Grote imports")
struct LargeImportTests {
    static let loaded = ["inwoners", "huishoudens_totaal", "huishoudens_met_kinderen", "huishoudens_eenpersoons", "herkomst_buiten_europa"]
    static let computed = ["huishoudens_met_kinderen_pct", "eenpersoonshuishoudens_pct", "herkomst_buiten_europa_pct"]

    /// A wide file with the five indicators for every area of the test gemeenten and enough years for
    /// more than 100,000 figures: values, CBS markers (`.` unknown, `x` secret) and numbers that are not
    /// round, so every route (sums, formulas, statuses) is taken.
    static func file(areas: [AreaCode]) -> (years: [Int], csv: (Range<Int>) -> Data) {
        let years = Array(2023 - (101_000 / (loaded.count * areas.count)) ... 2023)
        return (years, { range in
            var text = "gebied,periode," + loaded.joined(separator: ",") + "\n"
            for year in years[range] {
                for (a, area) in areas.enumerated() {
                    var cells: [String] = []
                    for (i, _) in loaded.enumerated() {
                        let seed = (a &* 31 &+ i &* 7 &+ year &* 13) % 97
                        cells.append(seed == 0 ? "." : seed == 1 ? "x" : String(Double(100 + seed * (i + 1) * 17 + a) + Double(seed % 4) / 4))
                    }
                    text += "\(area.rawValue),\(year)," + cells.joined(separator: ",") + "\n"
                }
            }
            return Data(text.utf8)
        })
    }

    struct Figure: Hashable { var indicator, area, period, status, origin: String; var value: Double? }

    func figures(_ store: SQLStore) async throws -> Set<Figure> {
        var result = Set<Figure>()
        for indicator in Self.loaded + Self.computed {
            var offset = 0
            while true {
                let page = try await store.observations(ObservationQuery(indicator: indicator, limit: 50_000, offset: offset)).items
                for o in page {
                    result.insert(Figure(indicator: o.indicator, area: o.area.rawValue, period: o.period, status: o.status.rawValue,
                                         origin: o.origin.rawValue, value: o.value))
                }
                if page.count < 50_000 { break }
                offset += page.count
            }
        }
        return result
    }

    @Test(arguments: TestBackend.available)
    func aLargeFirstImportLandsExactlyAsTheSameFiguresInSmallPieces(_ backend: TestBackend) async throws {
        let bundle = BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten)
        let areas = try bundle.areas().map(\.code).filter { [.gemeente, .wijk, .buurt].contains($0.kind) }.sorted()
        let (years, csv) = Self.file(areas: areas)
        let catalog = try Fixtures.catalog()
        let whole = try TidyImporter.parse(csv(0..<years.count), file: "groot.csv", catalog: catalog, period: nil)
        #expect(whole.observations.count > 100_000, "large enough for the fast road")

        let (inOne, indexesInOne) = try await TestStore.withEmptyStore(backend) { store, _ in
            try await store.loadBundledAreas(bundle)
            let report = try await store.importBatch(whole)
            #expect(report.versions.new == whole.observations.count)
            #expect(try await store.integrityCheck() == "ok")
            return (try await figures(store), try await store.figureIndexes())
        }
        let (inPieces, indexesInPieces) = try await TestStore.withEmptyStore(backend) { store, _ in
            try await store.loadBundledAreas(bundle)
            for index in years.indices {
                let piece = try TidyImporter.parse(csv(index..<(index + 1)), file: "jaar-\(years[index]).csv", catalog: catalog, period: nil)
                #expect(piece.observations.count < 100_000)
                _ = try await store.importBatch(piece)
            }
            #expect(try await store.integrityCheck() == "ok")
            return (try await figures(store), try await store.figureIndexes())
        }
        #expect(inOne.count > whole.observations.count, "the formulas and sums are there too")
        #expect(inOne == inPieces)
        #expect(indexesInOne == indexesInPieces, "the indexes dropped for the large import are back as they were")
        #expect(!indexesInOne.isEmpty)
    }

    @Test(arguments: TestBackend.available)
    func aConflictInTheMiddleOfABulkInsertLeavesNothingBehind(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten))
            let areas = try BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten).areas().map(\.code)
            var figures = (1...40).flatMap { year in
                areas.map { Observation(indicator: "inwoners", area: $0, period: String(1980 + year), status: .waarde, value: Double(year)) }
            }
            figures.append(figures[figures.count / 2])   // the same key twice: the database refuses the statement
            let conflicting = figures
            await #expect(throws: (any Error).self) {
                try await store.connector.transaction { db in
                    let importID = try await db.raw("INSERT INTO imports (file_name, sha256, format, imported_at, row_count, value_count) VALUES ('x', \(bind: String(repeating: "0", count: 64)), 'breed', '2026-01-01T00:00:00.000Z', 1, 1) RETURNING id").first()?.decode(column: "id", as: Int.self) ?? 0
                    try await FigureWriter.insert(conflicting.map { var f = $0; f.importID = importID; return f }, on: db)
                }
            }
            let left = try await store.observations(ObservationQuery(indicator: "inwoners", limit: 10)).items
            #expect(left.isEmpty, "the rows before the conflict went with the transaction")
            #expect(try await store.integrityCheck() == "ok")
        }
    }

    /// Runs `body` with a writer behind it, in a write transaction of `store`.
    static func writeBehind(in store: SQLStore, _ body: @escaping @Sendable (WriteBehind) async throws -> Void) async throws {
        try await store.connector.transaction { db in try await WriteBehind.run(on: db, body) }
    }

    @Test func aCancelledImportFailsInsteadOfLandingHalf() async throws {
        try await TestStore.withEmptyStore { store, _ in
            let ran = Counter()
            let task = Task {
                try await Self.writeBehind(in: store) { output in
                    for _ in 0..<50 { output.enqueue { _ in try? await Task.sleep(for: .milliseconds(20)); ran.add() } }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            try await Task.sleep(for: .milliseconds(50))
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(ran.value < 50)
        }
    }

    @Test func aFailingStatementStopsTheWriterAndTheErrorComesOut() async throws {
        struct Broken: Error {}
        try await TestStore.withEmptyStore { store, _ in
            let ran = Counter()
            await #expect(throws: Broken.self) {
                try await Self.writeBehind(in: store) { output in
                    output.enqueue { _ in ran.add() }
                    output.enqueue { _ in throw Broken() }
                    output.enqueue { _ in ran.add() }
                }
            }
            #expect(ran.value == 1, "nothing runs after the failure")
        }
    }

    @Test func aFailingComputationWaitsForTheWriterBeforeTheErrorComesOut() async throws {
        struct Broken: Error {}
        try await TestStore.withEmptyStore { store, _ in
            let ran = Counter()
            await #expect(throws: Broken.self) {
                try await Self.writeBehind(in: store) { output in
                    output.enqueue { _ in try await Task.sleep(for: .milliseconds(200)); ran.add() }
                    throw Broken()
                }
            }
            // The statement in flight finished before the transaction rolled back; none was left running.
            let settled = ran.value
            try await Task.sleep(for: .milliseconds(300))
            #expect(ran.value == settled)
        }
    }
}

extension SQLStore {
    /// The figure table's indexes as the database describes them.
    func figureIndexes() async throws -> [String] {
        try await connector.read { db in
            let query: SQLQueryString = db.isPostgres
                ? "SELECT indexdef AS d FROM pg_indexes WHERE tablename = 'observations' ORDER BY indexname"
                : "SELECT sql AS d FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observations' AND sql IS NOT NULL ORDER BY name"
            return try await db.raw(query).all().map { try $0.decode(column: "d", as: String.self) }
        }
    }
}

/// Counts from several tasks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

@Suite("Getallen lezen")
struct PlainDecimalTests {
    @Test func theFastRouteGivesTheSameDoubleAsTheGeneralOne() {
        var generator = SystemRandomNumberGenerator()
        var texts = ["0", "-0", "1", "12.5", "0.1", "0.3", "862965", "-12.25", "999999999999999", "123456789.012345",
                     "1.", ".5", "-.5", "00012.500", "0.000000000000001", "4503599627370497", "9007199254740993", "1e5", "1,5", "", "-", "."]
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...18, using: &generator)
            var text = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            if Bool.random(using: &generator) { text.insert(".", at: text.index(text.startIndex, offsetBy: Int.random(in: 0...digits, using: &generator))) }
            if Bool.random(using: &generator) { text = "-" + text }
            texts.append(text)
        }
        for text in texts {
            let fast = TidyImporter.plainDecimal(text, separator: UInt8(ascii: "."))
            let general = TidyImporter.isNumberShape(text) ? Double(text) : nil
            if let fast {
                #expect(fast.bitPattern == general?.bitPattern, "\(text)")
            }
        }
        #expect(TidyImporter.plainDecimal("12,5", separator: UInt8(ascii: ",")) == 12.5)
        #expect(TidyImporter.plainDecimal("12.5", separator: UInt8(ascii: ",")) == nil)
        #expect(TidyImporter.plainDecimal("1234567890123456", separator: UInt8(ascii: ".")) == nil, "16 digits take the general route")
    }
}

import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

/// Every file in `Tests/Fixtures/malformed` gets a clear error and leaves the database byte-identical.
@Suite("Corpus van foute bestanden")
struct MalformedCorpusTests {
    /// The part of the message each file must produce.
    static let expected: [String: String] = [
        "01-latin1.csv": "geen UTF-8", "02-utf16.csv": "UTF-16", "03-binary-junk.csv": "binaire gegevens",
        "04-mixed-separators.csv": "gemengde scheidingstekens", "05-unterminated-quote.csv": "afgebroken",
        "06-ragged-long-row.csv": "3 velden", "07-huge-field.csv": "getal", "08-formula-value.csv": "getal",
        "09-formula-area.csv": "CBS-gebiedscode", "10-thousands-dutch-in-comma-file.csv": "duizendtallen",
        "11-thousands-english-in-comma-file.csv": "duizendtallen", "12-thousands-dutch-in-semicolon-file.csv": "duizendtallen",
        "13-duplicate-rows.csv": "dubbele regel", "14-duplicate-columns.csv": "unieke kolomnamen",
        "15-period-with-dash.csv": "periode", "16-period-two-digits.csv": "periode", "17-empty.csv": "leeg",
        "18-header-only-with-bom.csv": "alleen een kopregel", "19-unknown-indicator-long.csv": "indicator-id",
        "20-formula-indicator-long.csv": "formule", "21-no-area-column.csv": "gebiedscode", "22-no-indicator-column.csv": "indicator",
        "23-negative-n.csv": "geheel aantal", "24-interval-upside-down.csv": "ondergrens", "25-code-shape.csv": "CBS-gebiedscode",
        "26-no-period.csv": "--periode", "27-mixed-decimal-marks.csv": "decimaalteken", "28-scientific-notation.csv": "getal",
        "29-not-a-number.csv": "getal", "30-empty-column-name.csv": "kolomnaam", "31-unknown-area.csv": "GM9999",
        "32-statline-unknown-key-only.csv": "CBS-sleutel", "33-huge-n.csv": "geheel aantal",
    ]

    static var directory: URL { Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/malformed") }

    @Test func theCorpusHasAtLeastTwentyFiveFilesAndEachHasAnExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".csv") }
        #expect(files.count >= 25)
        #expect(Set(files) == Set(Self.expected.keys))
    }

    @Test func everyMalformedFileIsRejectedClearlyAndTheDatabaseStaysByteIdentical() async throws {
        try await TestStore.withLoadedStore { store, path async throws in
            let before = try Data(contentsOf: path)
            for (name, fragment) in Self.expected.sorted(by: { $0.key < $1.key }) {
                let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
                do {
                    let batch = try Importer.parse(data, file: name, catalog: store.catalog, period: nil)
                    _ = try await store.importBatch(batch)
                    Issue.record("\(name) werd geïmporteerd")
                } catch let error as ImportError {
                    #expect(error.file == name)
                    #expect(error.description.contains(fragment), "\(name): \(error.description.prefix(300))")
                    #expect(error.description.count < 1000, "\(name): the message stays readable")
                }
                #expect(try Data(contentsOf: path) == before, "\(name) changed the database")
            }
            #expect(try await store.imports().count == 4)
        }
    }
}

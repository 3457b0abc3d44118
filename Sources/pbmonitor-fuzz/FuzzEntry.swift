import Foundation
import Monitor

/// libFuzzer entry for the import readers: every input goes through the CSV reader, the tidy and
/// StatLine importers and the OData v3/v4 JSON readers. A reader may reject an input with an
/// ``ImportError``; it must never crash, hang or run out of memory.
///
/// Fuzz (see README, "Fuzzen"):
///     swift build -c release --product pbmonitor-fuzz --build-path .build-fuzz \
///         -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING
///     .build-fuzz/release/pbmonitor-fuzz Tests/Fixtures/fuzz-corpus -max_total_time=600
/// Without FUZZING this is a replayer: `pbmonitor-fuzz FILE…` runs the same code on files.
enum FuzzTarget {
    static let catalog: Catalog = {
        let source = Source(publisher: "CBS", tableID: "85618NED", title: "Kerncijfers wijken en buurten")
        func indicator(_ id: String, unit: IndicatorUnit, cbs: String, formula: Formula? = nil) -> Indicator {
            var indicator = Indicator(
                id: id, name: id, definition: id, unit: unit, decimals: unit == .procent ? 1 : 0, source: source, referencePeriod: "1 januari",
                polarity: .neutraal, framing: .neutraal, spheres: [.gezin], perspectives: [.aanbod], knowledgeQuestions: [.staat],
                ageGroup: "alle", explanation: "", usageExamples: [], caveats: [],
                derivation: formula.map { .formula($0) } ?? .loaded(columns: [id], numeratorColumn: nil),
                aggregation: unit == .personen ? .som : .geen)
            indicator.cbsKeys = [cbs]
            return indicator
        }
        return try! Catalog(indicators: [
            indicator("inwoners", unit: .personen, cbs: "AantalInwoners"),
            indicator("huishoudens", unit: .aantal, cbs: "HuishoudensTotaal"),
            indicator("jeugdzorg_pct", unit: .procent, cbs: "PercentageJongerenMetJeugdzorg"),
            indicator("afstand_school", unit: .km, cbs: "AfstandTotSchool"),
        ])
    }()

    static func run(_ data: Data) {
        _ = try? CSVReader.read(data, file: "fuzz")
        for format in Importer.Format.allCases {
            _ = try? Importer.parse(data, file: "fuzz", catalog: catalog, period: "2023", format: format)
        }
        _ = try? Importer.parse(data, file: "fuzz", catalog: catalog, period: nil, format: .auto)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzTarget.run(Data(bytes: bytes, count: count))
    return 0
}

#if FUZZING
// SwiftPM links an executable's entry point under the module's name; hand it to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("pbmonitor_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}
#else
@main
struct Replay {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let files = isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 }
                : [path]
            for file in files { FuzzTarget.run(try Data(contentsOf: URL(fileURLWithPath: file))) }
            print("\(files.count) bestanden zonder crash: \(path)")
        }
    }
}
#endif

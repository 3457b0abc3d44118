import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

/// Issue 17, finding 10: a typo in `--database` creates nothing, and a damaged file is refused before anything reads or
/// writes it, with a message that points to `pbmonitor restore`.
@Suite("Opdrachtregel: tikfouten en beschadigde bestanden")
struct HardeningCLITests {
    @Test func aDatabaseInAMissingFolderIsRefusedAndNothingIsCreated() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let typo = directory.appendingPathComponent("pbmonitor-dat/pbmonitor.sqlite").path
        let file = directory.appendingPathComponent("cijfers.csv")
        try "indicator,gebied,periode,waarde\ninwoners,GM0363,2030,1000\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(["import", file.path, "--database", typo])
        #expect(result.status != 0)
        #expect(result.stderr.contains("bestaat niet. Controleer --database"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("pbmonitor-dat").path), "no folder was made")
    }

    @Test func aDamagedDatabaseIsRefusedWithAPointerToRestore() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try await TestStore.database(in: directory, name: "heel.sqlite", figures: true)
        #expect(try CommandRunner.run(["check", "--database", path]).stdout.contains("Database in orde"))
        // Damage pages in the middle of the file (the header stays, so SQLite opens it).
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        for offset in stride(from: size / 3, to: size * 2 / 3, by: 4096 * 7) {
            try handle.seek(toOffset: offset)
            handle.write(Data(repeating: 0xA5, count: 512))
        }
        try handle.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let file = directory.appendingPathComponent("cijfers.csv")
        try "indicator,gebied,periode,waarde\ninwoners,GM0363,2030,1000\n".write(to: file, atomically: true, encoding: .utf8)
        let imported = try CommandRunner.run(["import", file.path, "--database", path])
        #expect(imported.status != 0)
        #expect(imported.stderr.contains("beschadigd") && imported.stderr.contains("pbmonitor restore"), "\(imported.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "nothing was written into the damaged file")
        let checked = try CommandRunner.run(["check", "--database", path])
        #expect(checked.status == 65 && checked.stderr.contains("niet in orde"), "\(checked.stderr)")
    }
}

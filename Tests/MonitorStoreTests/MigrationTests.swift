import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

@Suite("Migraties")
struct MigrationTests {
    /// The committed list: migrations are only ever appended.
    static let committed = ["0001-areas-observations-imports", "0002-indicator-usage", "0003-area-code-changes", "0004-observation-versions",
                            "0005-accounts-sessions-audit", "0006-drafts", "0007-dialogues", "0008-gespreksmodel", "0009-interventions", "0010-networks", "0011-facilities", "0012-facility-usage", "0013-questionnaires", "0014-knowledge", "0015-disclosure-control", "0016-questionnaire-invitations", "0017-network-figures", "0018-ggd-mapping", "0019-local-indicators", "0020-data-generation", "0021-kopgroepen", "0022-embed-origins", "0023-joint-duiding"]

    /// What each shipped migration says, as SHA-256 of its SQL in both dialects: a database migrated yesterday must mean
    /// the same as one migrated tomorrow, so a shipped migration's statements never change (add a new one instead).
    static let checksums: [String] = [
        "8c647a4a377b80dde207a44a0f89a48d77895b02e30956e12e6c1489507a08db", "598dd3a0f75e4d09823d1b005e776e6116f634e4188cbb3eb1289c0eeb996f1a", "f7a8ef8150a26f1bdc36c64d82df0f0c244bee78f0b8e32d0ec79db12cfa2b5f",
        "08bf1f882339055404fff82a240584e93f252150e022d308c3ce984cba4e1b54", "229e08ee49aabe9ae7ce1a417210b4d5edadcfa938b7ad2e4edc0386ed5afc62", "822b264f27d6ac2dfa07ce17be1fdefe170f04bf35567f6727f361ebbc4ff412",
        "06b8faf25cf2698faa9ae358e1e23753b85e92e90241a881eb65688e6f686600", "b558633d3670d69be4c27d41200062b59db13f6aa045190ff24289d07a0e1c05", "12ab61e657945244ebcbb3c984e4c49e634e945e4b0bfa960b043c40e26290a2",
        "a02434a374e7cb79d2a4ee2efcc38910848602e51d33a824bd44e78107dfa5a9", "c2bc2a76121e822e087362aa6d439bbce4a0b240a7c11c7b2ef2d992e356c80c", "e33bbba7ec033d1983cfb61c4bfe9e075c747dfcfcdcd928e0a3be413ebab378",
        "bce8a0290b7ab02da70b7907525c5dfabfb486dea397f01bf9bc7e2d99e87388", "2bd33ba15871f43b4f867ca1a65c1a43d247e308ae7aab2fcaa7b83f3cff5303", "45215fa640ace04020090d9047ad24ab388d931decb73609916c489a0cbae455",
        "ba698cd1cc30ddfb2337da5347ea70dc30fea8d809b2a6cd74402849c6afb439", "65a88059bb211238b4dcf909ba412a29d01ed3654d85af5aa55e8d543cc67564", "baa667c90d8b641e1d023b61290c4ed1171dc9c6b51558584a77b46e685145b0",
        "6d601d56da5dc40360fbab960ac824c8947e22d740539fa2ec1b286ce563aef2",
        "5b94a93c323302e70031a39522113588cf5514b509296642448fccbe0d1a392f",
        "c074c14199c935dec27c52964ef969901a5851ffe6efa074896267cc802233e4",
        "cae4f27569cdd196d498e4669c1250632b9527b46bf6096e781896186ff1f557",
        "f2b961d1125d9569de74f64c824c4d1e704be162db94d9b40e254bf99217b2bc",
    ]

    @Test func migrationIdsAreUniqueSortedAndOnlyAppended() {
        let ids = Migrations.all.map(\.id)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(Array(Migrations.all.map(\.name).prefix(Self.committed.count)) == Self.committed)
    }

    @Test func theSQLOfAShippedMigrationNeverChanges() {
        let actual = Migrations.all.map(\.checksum)
        #expect(Array(actual.prefix(Self.checksums.count)) == Self.checksums, "\(actual.map { "\"\($0)\"" }.joined(separator: ", "))")
        #expect(Self.checksums.count == Self.committed.count, "every committed migration has its checksum: \(actual.map { "\"\($0)\"" }.joined(separator: ", "))")
    }

    @Test(arguments: TestBackend.available) func anEmptyDatabaseMigratesToTheLatestVersionAndThenHasNothingPending(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ async throws in
            #expect(try await store.pendingMigrations().isEmpty)
            #expect(try await store.migrate().isEmpty)
            #expect(try await store.isEmpty())
        }
    }
}

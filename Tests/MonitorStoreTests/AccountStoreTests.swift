import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

@Suite("Gebruikers, sessies en auditlog in de opslag")
struct AccountStoreTests {
    let amsterdam = AreaCode("GM0363")!
    let groningen = AreaCode("GM0014")!

    @Test(arguments: TestBackend.available) func accountsKeepTheirRoleAndGemeentenAndNamesAreUniqueWithoutCase(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            #expect(try await store.accountCount() == 0)
            let anna = try await store.addAccount(username: " Anna@Amsterdam.nl ", displayName: "Anna", role: .analist,
                                                  gemeenten: [amsterdam, groningen], passwordHash: "$2b$04$hash", actor: "test")
            #expect(anna.username == "anna@amsterdam.nl")
            #expect(anna.gemeenten == [groningen, amsterdam])
            await #expect(throws: AccountError.duplicateUsername("anna@amsterdam.nl")) {
                try await store.addAccount(username: "ANNA@amsterdam.nl", displayName: "Nog een Anna", role: .analist, gemeenten: [amsterdam],
                                           passwordHash: "x", actor: "test")
            }
            await #expect(throws: AccountError.self) {
                try await store.addAccount(username: "zonder@gemeente.nl", displayName: "Z", role: .analist, gemeenten: [], passwordHash: "x", actor: "test")
            }
            let found = try #require(try await store.credentials(username: "ANNA@AMSTERDAM.NL"))
            #expect(found.account == anna && found.passwordHash == "$2b$04$hash")
            let changed = try await store.setRole(id: anna.id, role: .deelnemer, gemeenten: [amsterdam], actor: "test")
            #expect(changed.role == .deelnemer && changed.gemeenten == [amsterdam])
            #expect(try await store.accounts().map(\.username) == ["anna@amsterdam.nl"])
        }
    }

    @Test(arguments: TestBackend.available) func sessionsExpireAndEndWithTheAccountOrAPasswordChange(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            let admin = try await store.addAccount(username: "beheer", displayName: "B", role: .beheerder, gemeenten: [], passwordHash: "x", actor: "test")
            let other = try await store.addAccount(username: "beheer2", displayName: "B2", role: .beheerder, gemeenten: [], passwordHash: "x", actor: "test")
            let now = Date()
            let a = String(repeating: "a", count: 64), b = String(repeating: "b", count: 64), c = String(repeating: "c", count: 64)
            try await store.createSession(SessionRecord(tokenHash: a, accountID: admin.id, csrfToken: "t1", createdAt: now, expiresAt: now.addingTimeInterval(60)))
            try await store.createSession(SessionRecord(tokenHash: b, accountID: admin.id, csrfToken: "t2", createdAt: now, expiresAt: now.addingTimeInterval(60)))
            try await store.createSession(SessionRecord(tokenHash: c, accountID: other.id, csrfToken: "t3", createdAt: now, expiresAt: now.addingTimeInterval(60)))
            #expect(try await store.session(tokenHash: a, now: now)?.account == admin)
            #expect(try await store.session(tokenHash: a, now: now)?.session.csrfToken == "t1")
            #expect(try await store.session(tokenHash: a, now: now.addingTimeInterval(61)) == nil, "expired")
            try await store.setPasswordHash(id: admin.id, passwordHash: "y", keepSession: a, actor: "beheer")
            #expect(try await store.session(tokenHash: a, now: now) != nil, "the session that changed it stays")
            #expect(try await store.session(tokenHash: b, now: now) == nil, "other sessions end")
            try await store.removeAccount(id: other.id, actor: "beheer")
            #expect(try await store.session(tokenHash: c, now: now) == nil)
            await #expect(throws: AccountError.lastAdministrator) { try await store.removeAccount(id: admin.id, actor: "beheer") }
        }
    }

    @Test(arguments: TestBackend.available) func everyAccountChangeIsAuditedWithBeforeAndAfterButNeverTheHash(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            _ = try await store.addAccount(username: "beheer", displayName: "B", role: .beheerder, gemeenten: [], passwordHash: "x", actor: "cli")
            let anna = try await store.addAccount(username: "anna", displayName: "Anna", role: .analist, gemeenten: [amsterdam],
                                                  passwordHash: "$2b$12$geheimehash", actor: "beheer")
            _ = try await store.setRole(id: anna.id, role: .analist, gemeenten: [groningen], actor: "beheer")
            try await store.setPasswordHash(id: anna.id, passwordHash: "$2b$12$nieuwehash", keepSession: nil, actor: "anna")
            try await store.removeAccount(id: anna.id, actor: "beheer")
            let (entries, total) = try await store.auditLog(limit: 100, offset: 0)
            #expect(total == 5)
            #expect(entries.map(\.action) == ["gebruiker.verwijderen", "gebruiker.wachtwoord", "gebruiker.rol", "gebruiker.toevoegen", "gebruiker.toevoegen"])
            let role = entries[2]
            #expect(role.actor == "beheer" && role.object == "gebruiker:anna")
            #expect(role.before?.contains(#""gemeenten":["GM0363"]"#) == true)
            #expect(role.after?.contains(#""gemeenten":["GM0014"]"#) == true)
            #expect(entries[0].after == nil && entries[0].before != nil)
            #expect(entries.allSatisfy { !($0.before ?? "").contains("hash") && !($0.after ?? "").contains("hash") })
            #expect(try await store.auditLog(limit: 2, offset: 4).entries.map(\.action) == ["gebruiker.toevoegen"])
        }
    }

    @Test(arguments: TestBackend.available) func loginFailuresAreCountedPerKeyWithinAWindow(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            let now = Date()
            try await store.recordLoginFailure(keys: ["naam:anna", "adres:10.0.0.1"], at: now.addingTimeInterval(-3600))
            try await store.recordLoginFailure(keys: ["naam:anna", "adres:10.0.0.1"], at: now)
            try await store.recordLoginFailure(keys: ["naam:anna"], at: now)
            #expect(try await store.loginFailures(key: "naam:anna", since: now.addingTimeInterval(-900)) == 2)
            #expect(try await store.loginFailures(key: "adres:10.0.0.1", since: now.addingTimeInterval(-900)) == 1)
            try await store.clearLoginFailures(key: "naam:anna")
            #expect(try await store.loginFailures(key: "naam:anna", since: .distantPast) == 0)
        }
    }
}

@Suite("Concepten in de opslag")
struct DraftStoreTests {
    @Test(arguments: TestBackend.available) func aDraftIsPublishedOnceAsAnOrdinaryImportOrWithdrawn(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: ["GM0088"]))
            let gemeente = AreaCode("GM0088")!
            let csv = "indicator,gebied,periode,waarde\ninwoners,GM0088,2031,954\n"
            let draft = try await store.addDraft(gemeente: gemeente, fileName: "schier.csv", format: "auto", period: nil, content: csv, actor: "anna")
            #expect(draft.status == .concept)
            #expect(try await store.observations(ObservationQuery(indicator: "inwoners", areas: [gemeente], period: "2031")).total == 0)
            let batch = try Importer.parse(Data(csv.utf8), file: "schier.csv", catalog: store.catalog, period: nil)
            let report = try await store.publishDraft(id: draft.id, batch: batch, actor: "bea")
            #expect(report.versions.new == 1)
            #expect(try await store.observations(ObservationQuery(indicator: "inwoners", areas: [gemeente], period: "2031")).items.first?.value == 954)
            let stored = try #require(try await store.draft(id: draft.id))
            #expect(stored.draft.status == .gepubliceerd && stored.draft.decidedBy == "bea" && stored.draft.importID == report.record.id)
            #expect(stored.content == csv)
            await #expect(throws: DraftError.notAConcept(id: draft.id, status: .gepubliceerd)) {
                try await store.publishDraft(id: draft.id, batch: batch, actor: "bea")
            }
            await #expect(throws: DraftError.notAConcept(id: draft.id, status: .gepubliceerd)) { try await store.withdrawDraft(id: draft.id, actor: "bea") }
            let second = try await store.addDraft(gemeente: gemeente, fileName: "b.csv", format: "auto", period: nil, content: csv, actor: "anna")
            try await store.withdrawDraft(id: second.id, actor: "anna")
            #expect(try await store.drafts(gemeente: gemeente).map(\.status) == [.ingetrokken, .gepubliceerd])
            await #expect(throws: DraftError.unknown(999)) { try await store.withdrawDraft(id: 999, actor: "x") }
            let log = try await store.auditLog(limit: 10, offset: 0).entries
            #expect(log.map(\.action) == ["concept.intrekken", "concept.toevoegen", "concept.publiceren", "import", "concept.toevoegen"])
            #expect(log[3].actor == "bea" && log[3].after?.contains(#""nieuw":1"#) == true)
            #expect(log[2].after?.contains(#""status":"gepubliceerd""#) == true)
        }
    }

    @Test func localFiguresMayOnlyTouchTheirOwnGemeente() throws {
        let catalog = try Fixtures.catalog()
        let csv = "indicator,gebied,periode,waarde\ninwoners,WK036300,2031,954\ninwoners,BU00140000,2031,12\n"
        let batch = try Importer.parse(Data(csv.utf8), file: "x.csv", catalog: catalog, period: nil)
        #expect(throws: ImportError.self) { try batch.checkWithin(gemeente: AreaCode("GM0363")!) }
        do {
            try batch.checkWithin(gemeente: AreaCode("GM0363")!)
        } catch {
            #expect(error.line == 3 && error.found == "BU00140000")
        }
    }
}

@Suite("Auditlog van elke schrijfactie")
struct WriteAuditTests {
    @Test(arguments: TestBackend.available) func importsAndHerindelingenAreAuditedWithWhatChanged(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: ["GM0088"]))
            let first = try Importer.parse(Data("gebied,periode,inwoners\nGM0088,2023,950\n".utf8), file: "a.csv", catalog: store.catalog, period: nil)
            let report = try await store.importBatch(first)
            let second = try Importer.parse(Data("gebied,periode,inwoners\nGM0088,2023,951\n".utf8), file: "b.csv", catalog: store.catalog, period: nil)
            _ = try await store.importBatch(second)
            try await store.addCodeChange(CodeChange(old: AreaCode("GM0999")!, new: AreaCode("GM0088")!, fromYear: 2019))
            let log = try await store.auditLog(limit: 10, offset: 0).entries
            #expect(log.map(\.action) == ["herindeling", "import", "import"])
            #expect(log[2].object == "import:\(report.record.id)" && log[2].actor == "pbmonitor (opdrachtregel)")
            #expect(log[2].after?.contains(#""nieuw":1"#) == true)
            #expect(log[1].after?.contains(#""herzien":1"#) == true && log[1].after?.contains(#""bestand":"b.csv""#) == true)
            #expect(log[0].object == "herindeling:GM0999->GM0088" && log[0].before == nil && log[0].after == #"{"vanaf":2019}"#)
        }
    }
}

@Suite("Gespreksverslagen in de opslag")
struct DialogueStoreTests {
    static func record(_ gemeente: AreaCode) -> DialogueRecord {
        DialogueRecord(gemeente: gemeente, kind: .duiding, title: "Jeugdzorg in Schiermonnikoog", date: ReferenceDate("2026-11-20")!,
                       figures: [FigureReference(indicator: "jeugdzorg_in_natura_pct", area: gemeente, period: "2023")],
                       participants: [Participant(role: .professional, count: 3, spheres: [.school, .hulp]), Participant(role: .ouder, count: 2)],
                       questions: [QuestionOutcome(question: .herkennen, answers: [RoleAnswer(role: .ouder, text: "Ja, herkenbaar")], agreement: .deels)],
                       conclusions: "Meer praten met scholen.",
                       actions: [AgreedAction(what: "Gesprek met de scholen", who: "beleid", due: ReferenceDate("2027-02-01"), status: .open)])
    }

    @Test(arguments: TestBackend.available) func aRecordIsAConceptUntilPublishedThenShowsOnItsFiguresAndCountsAsUse(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            let schier = AreaCode("GM0088")!
            var record = try await store.saveDialogue(Self.record(schier), actor: "anna")
            #expect(record.id > 0 && record.status == .concept && record.createdBy == "anna")
            #expect(try await store.publishedDialogues(indicator: "jeugdzorg_in_natura_pct", area: nil).isEmpty)
            #expect(try await store.dialogues(gemeente: schier, includeConcepts: false).isEmpty)
            #expect(try await store.dialogues(gemeente: schier, includeConcepts: true).map(\.id) == [record.id])

            record.title = "Jeugdzorg op Schiermonnikoog"
            record = try await store.saveDialogue(record, actor: "anna")
            #expect(try await store.dialogue(id: record.id)?.title == "Jeugdzorg op Schiermonnikoog")
            #expect(try await store.dialogue(id: record.id) == record)

            let published = try await store.changePublication(DialogueRecord.self, id: record.id, to: .gepubliceerd, actor: "bea")
            #expect(published.status == .gepubliceerd && published.publishedAt != nil)
            #expect(try await store.publishedDialogues(indicator: "jeugdzorg_in_natura_pct", area: nil).map(\.id) == [record.id])
            #expect(try await store.publishedDialogues(indicator: nil, area: schier).map(\.id) == [record.id])
            #expect(try await store.publishedDialogues(indicator: "inwoners", area: nil).isEmpty)
            #expect(try await store.usage()["jeugdzorg_in_natura_pct"]?.dialogueReferences == 1)

            await #expect(throws: RecordError.wrongStatus(.dialogue, id: record.id, status: .gepubliceerd, expected: "alleen een concept kan worden gewijzigd")) { try await store.saveDialogue(published, actor: "anna") }
            await #expect(throws: RecordError.wrongStatus(.dialogue, id: record.id, status: .gepubliceerd, expected: "alleen een concept kan worden gepubliceerd")) { try await store.changePublication(DialogueRecord.self, id: record.id, to: .gepubliceerd, actor: "bea") }
            _ = try await store.changePublication(DialogueRecord.self, id: record.id, to: .ingetrokken, actor: "bea")
            #expect(try await store.publishedDialogues(indicator: "jeugdzorg_in_natura_pct", area: nil).isEmpty)

            var nameless = Self.record(schier)
            nameless.participants = []
            nameless.title = " "
            await #expect(throws: RecordError.invalid(.dialogue, ["geef het gesprek een titel", "noteer wie er meedeed (per rol, zonder namen)"])) {
                try await store.saveDialogue(nameless, actor: "anna")
            }
            let log = try await store.auditLog(limit: 10, offset: 0).entries
            #expect(log.map(\.action) == ["gesprek.intrekken", "gesprek.publiceren", "gesprek.wijzigen", "gesprek.toevoegen"])
            #expect(log[2].before?.contains("Jeugdzorg in Schiermonnikoog") == true && log[2].after?.contains("Jeugdzorg op Schiermonnikoog") == true)
        }
    }

    @Test func aSpiegelgesprekNeedsSpeakersAndWhatTheySaid() {
        var record = Self.record(AreaCode("GM0088")!)
        record.kind = .spiegel
        record.participants = [Participant(role: .beleid, count: 2, listening: true)]
        #expect(record.problems().contains("in een spiegelgesprek spreken ouders, jongeren of professionals"))
        #expect(record.problems().contains("noteer wat er gezegd is (thema's per rol)"))
        record.participants.append(Participant(role: .ouder, count: 4))
        record.themes = [Theme(text: "Te weinig plekken om af te spreken", role: .jongere, spheres: [.vrijetijd])]
        #expect(record.problems().isEmpty)
        record.figures.append(FigureReference(indicator: "inwoners", area: AreaCode("WK036300")!, period: nil))
        #expect(record.problems() == ["WK036300 ligt niet in GM0088"])
    }
}

@Suite("Gespreksmodel in de opslag")
struct ConversationBoardStoreTests {
    static let schier = AreaCode("GM0088")!

    @Test(arguments: TestBackend.available) func twoPeopleWhoDisagreeAreBothKeptAndEachCanChangeOnlyTheirOwnAnswer(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            let item = try await store.saveConversationBoardItem(ConversationBoardSuggestion.named("consultatiebureau")!.item(gemeente: Self.schier), actor: "anna")
            #expect(item.id > 0 && item.status == .concept && item.createdBy == "anna" && item.place == .sphere(.hulp))
            #expect(try await store.conversationBoardItems(gemeente: Self.schier, includeConcepts: false).isEmpty)
            #expect(try await store.conversationBoardItems(gemeente: Self.schier, includeConcepts: true).map(\.id) == [item.id])

            _ = try await store.answerConversationBoardItem(id: item.id, answer: ConversationBoardAnswer(account: "anna", role: .professional, function: "jeugdverpleegkundige",
                                                                                 answer: .twijfel, reason: "Vrij toegankelijk, maar het is zorg"))
            var answered = try await store.answerConversationBoardItem(id: item.id, answer: ConversationBoardAnswer(account: "otto", role: .ouder, answer: .ja,
                                                                                            reason: "Daar ontmoet ik andere ouders"))
            #expect(answered.answers.map(\.answer) == [.twijfel, .ja])
            #expect(answered.tally.isContested && answered.tally.summary == "1 × ja, 1 × twijfel — de meningen verschillen")
            // Otto changes his mind: still two answers, not three.
            answered = try await store.answerConversationBoardItem(id: item.id, answer: ConversationBoardAnswer(account: "otto", role: .ouder, answer: .twijfel,
                                                                                        reason: "Toch vooral zorg"))
            #expect(answered.answers.count == 2 && answered.tally.twijfel == 2 && !answered.tally.isContested)
            #expect(answered.answers.first { $0.account == "otto" }?.reason == "Toch vooral zorg")

            let published = try await store.changePublication(ConversationBoardItem.self, id: item.id, to: .gepubliceerd, actor: "bea")
            #expect(published.status == .gepubliceerd && published.publishedAt != nil)
            let board = try await store.conversationBoardItems(gemeente: Self.schier, includeConcepts: false)
            #expect(board.map(\.id) == [item.id] && board[0].answers.count == 2)
            #expect(try await store.conversationBoardItems(gemeente: AreaCode("GM0363")!, includeConcepts: true).isEmpty, "per gemeente")

            await #expect(throws: RecordError.wrongStatus(.conversationBoardItem, id: item.id, status: .gepubliceerd, expected: "alleen een concept kan worden gewijzigd")) {
                try await store.saveConversationBoardItem(published, actor: "anna")
            }
            _ = try await store.changePublication(ConversationBoardItem.self, id: item.id, to: .ingetrokken, actor: "bea")
            #expect(try await store.conversationBoardItems(gemeente: Self.schier, includeConcepts: true).isEmpty)
            await #expect(throws: RecordError.self) {
                try await store.answerConversationBoardItem(id: item.id, answer: ConversationBoardAnswer(account: "otto", role: .ouder, answer: .nee, reason: "te laat"))
            }
            await #expect(throws: RecordError.unknown(.conversationBoardItem, id: 999)) { try await store.changePublication(ConversationBoardItem.self, id: 999, to: .gepubliceerd, actor: "bea") }

            let log = try await store.auditLog(limit: 10, offset: 0).entries
            #expect(log.map(\.action) == ["gespreksmodel.intrekken", "gespreksmodel.publiceren", "gespreksmodel.antwoorden",
                                          "gespreksmodel.antwoorden", "gespreksmodel.antwoorden", "gespreksmodel.toevoegen"])
            #expect(log[2].actor == "otto" && log[2].before?.contains("Daar ontmoet ik andere ouders") == true
                    && log[2].after?.contains("Toch vooral zorg") == true)
        }
    }

    @Test(arguments: TestBackend.available) func theConversationBoardIsInPlaceOrderAndAnItemNeedsAName(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            for (name, place) in [("Wethouder jeugd", ConversationBoardPlace.domain(.sociaaldomein)), ("Huisarts", .sphere(.hulp)),
                                  ("Speeltuin", .sphere(.vrijetijd)), ("Buurtgezinnen", .sphere(.gezin))] {
                _ = try await store.saveConversationBoardItem(ConversationBoardItem(gemeente: Self.schier, name: name, kind: .voorziening, place: place), actor: "anna")
            }
            #expect(try await store.conversationBoardItems(gemeente: Self.schier, includeConcepts: true).map(\.name)
                    == ["Buurtgezinnen", "Speeltuin", "Huisarts", "Wethouder jeugd"])
            await #expect(throws: RecordError.invalid(.conversationBoardItem, ["geef het onderdeel een naam"])) {
                try await store.saveConversationBoardItem(ConversationBoardItem(gemeente: Self.schier, name: "  ", kind: .rol, place: .sphere(.school)), actor: "anna")
            }
        }
    }

    @Test func everyPlaceHasAStableCodeAndTheReportsExamplesAreOnIt() {
        for place in ConversationBoardPlace.allCases { #expect(ConversationBoardPlace(rawValue: place.rawValue) == place) }
        #expect(ConversationBoardPlace(rawValue: "beleid-onbekend") == nil && ConversationBoardPlace(rawValue: "") == nil)
        #expect(ConversationBoardPlace.sphere(.gezin).isInsideBasis && !ConversationBoardPlace.sphere(.hulp).isInsideBasis && !ConversationBoardPlace.domain(.armoede).isInsideBasis)
        let names = ConversationBoardSuggestion.fromReport.map(\.name)
        for expected in ["Consultatiebureau", "Huisarts", "Brugfunctionaris", "Jongerenwerker", "Buurtgezinnen", "Familiescholen", "Mamacafé",
                         "Kantinemoeders"] {
            #expect(names.contains(expected), "\(expected) uit §2.3/§4.6")
        }
        #expect(Set(ConversationBoardSuggestion.fromReport.map(\.id)).count == ConversationBoardSuggestion.fromReport.count)
        #expect(ConversationBoardTally([]).summary == "nog niet beantwoord")
        let same = [ConversationBoardAnswer(account: "a", role: .ouder, answer: .nee, reason: "x"), ConversationBoardAnswer(account: "b", role: .beleid, answer: .nee, reason: "y")]
        #expect(ConversationBoardTally(same).summary == "2 × nee — iedereen nee")
    }
}

@Suite("Interventies in de opslag")
struct InterventionStoreTests {
    @Test(arguments: TestBackend.available) func theBaselineIsFrozenAtRegistrationAndEverySaveIsAVersion(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten))
            let csv = """
                indicator,gebied,periode,waarde,n
                jeugdzorg_in_natura_pct,WK0363AA,2030,10,500
                jeugdzorg_in_natura_pct,WK0363AA,2031,11,500
                jeugdzorg_in_natura_pct,WK0363AB,2030,12,500
                jeugdzorg_in_natura_pct,WK0363AB,2031,12.5,500
                jeugdzorg_in_natura_pct,WK0363AA,2032,8,500

                """
            _ = try await store.importBatch(try TidyImporter.parse(Data(csv.utf8), file: "reeks.csv", catalog: store.catalog, period: nil))
            var item = try await store.saveIntervention(
                Intervention(gemeente: AreaCode("GM0363")!, name: "Buurtgezinnen", targets: [AreaCode("WK0363AA")!], comparison: [AreaCode("WK0363AB")!],
                             indicators: ["jeugdzorg_in_natura_pct"], startPeriod: "2032"), actor: "anna")
            #expect(item.id > 0 && item.version == 1 && item.status == .concept && item.frozenAt != nil)
            #expect(item.baseline.map(\.period).sorted() == ["2030", "2030", "2031", "2031"], "only figures before the start")
            // A later correction of a baseline figure does not change the frozen nulmeting.
            let correction = "indicator,gebied,periode,waarde,n\njeugdzorg_in_natura_pct,WK0363AA,2031,15,500\n"
            _ = try await store.importBatch(try TidyImporter.parse(Data(correction.utf8), file: "correctie.csv", catalog: store.catalog, period: nil))
            #expect(try await store.intervention(id: item.id)?.baseline.first { $0.area.rawValue == "WK0363AA" && $0.period == "2031" }?.value == 11)
            let current = try await store.interventionFigures(item)
            #expect(current.first { $0.area.rawValue == "WK0363AA" && $0.period == "2031" }?.value == 15)
            #expect(item.figures(current: current)["jeugdzorg_in_natura_pct"]?[AreaCode("WK0363AA")!]?["2031"] == 11, "the estimate uses the frozen value")

            item.name = "Buurtgezinnen in Centrum"
            item.costBenefit = CostBenefitAnalysis(items: [.init(stakeholder: .gemeente, kind: .kosten, description: "Coördinator", year: 0, base: 40_000)],
                                                   discountRate: 0.03)
            item = try await store.saveIntervention(item, actor: "anna")
            #expect(item.version == 2 && item.costBenefit?.items.count == 1)
            #expect(try await store.interventions(gemeente: AreaCode("GM0363")!, includeConcepts: false).isEmpty)
            let published = try await store.changePublication(Intervention.self, id: item.id, to: .gepubliceerd, actor: "bea")
            #expect(published.version == 3 && published.status == .gepubliceerd)
            #expect(try await store.interventions(gemeente: AreaCode("GM0363")!, includeConcepts: false).map(\.name) == ["Buurtgezinnen in Centrum"])
            #expect(try await store.interventionVersions(id: item.id).map(\.version) == [1, 2, 3])
            #expect(try await store.interventionVersions(id: item.id).map(\.savedBy) == ["anna", "anna", "bea"])
            await #expect(throws: RecordError.self) { try await store.saveIntervention(published, actor: "anna") }
            await #expect(throws: RecordError.invalid(.intervention, ["kies vergelijkingswijken (zonder vergelijkingsgroep is er geen effectschatting)"])) {
                try await store.saveIntervention(Intervention(gemeente: AreaCode("GM0363")!, name: "x", targets: [AreaCode("WK0363AA")!], comparison: [],
                                                              indicators: ["inwoners"], startPeriod: "2030"), actor: "anna")
            }
            let log = try await store.auditLog(limit: 3, offset: 0).entries.map(\.action)
            #expect(log == ["interventie.publiceren", "interventie.wijzigen", "import"])
        }
    }
}

@Suite("Voorzieningen in de opslag")
struct FacilityStoreTests {
    @Test(arguments: TestBackend.available) func aFileLandsAsConceptsAndIsPublishedTogether(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            let gemeente = AreaCode("GM0088")!
            let items = (1...5).map { Facility(gemeente: gemeente, name: "Voorziening \($0)", kind: .buurthuis, area: AreaCode("WK008800")!) }
            let saved = try await store.addFacilities(items, actor: "anna", source: "vz.csv")
            #expect(saved.map(\.id).allSatisfy { $0 > 0 } && Set(saved.map(\.id)).count == 5)
            #expect(try await store.facilities(gemeente: gemeente, includeConcepts: false).isEmpty)
            #expect(try await store.facilities(gemeente: gemeente, includeConcepts: true).count == 5)
            #expect(try await store.publishFacilities(gemeente: gemeente, actor: "bea").facilities == 5)
            #expect(try await store.publishFacilities(gemeente: gemeente, actor: "bea").facilities == 0)
            try await store.withdrawFacility(id: saved[0].id, gemeente: gemeente, actor: "bea")
            #expect(try await store.facilities(gemeente: gemeente, includeConcepts: false).map(\.name) == (2...5).map { "Voorziening \($0)" })
            let log = try await store.auditLog(limit: 4, offset: 0).entries.map(\.action)
            #expect(log == ["voorziening.intrekken", "voorzieningen.publiceren", "voorzieningen.publiceren", "voorzieningen.toevoegen"])
        }
    }
}

@Suite("Gebruik van voorzieningen in de opslag")
struct FacilityUsageStoreTests {
    @Test(arguments: TestBackend.available) func publishedUsageBecomesFiguresPerWijkForTwoPeriods(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ in
            let gemeente = AreaCode("GM0363")!
            let saved = try await store.addFacilities([
                Facility(gemeente: gemeente, name: "Speeltuin Westerpark", kind: .speeltuin, area: AreaCode("WK0363AA")!),
                Facility(gemeente: gemeente, name: "Buurthuis Jordaan", kind: .buurthuis, area: AreaCode("WK0363AB")!),
            ], actor: "anna", source: "vz.csv")
            let usage = [FacilityUsage(gemeente: gemeente, facilityID: saved[0].id, period: "2024", method: .deurtelling, visits: 1200),
                         FacilityUsage(gemeente: gemeente, facilityID: saved[0].id, period: "2025", method: .deurtelling, visits: 1500),
                         FacilityUsage(gemeente: gemeente, facilityID: saved[1].id, period: "2025", method: .registratie, visits: 50, uniqueVisitors: 8)]
            #expect(try await store.addUsage(usage, actor: "anna", source: "gebruik.csv") == 3)
            // A facility of another gemeente is refused, and nothing of that call lands.
            await #expect(throws: ImportError.self) {
                try await store.addUsage([FacilityUsage(gemeente: gemeente, facilityID: 987_654, period: "2025", method: .beschikking, visits: 10)],
                                         actor: "anna", source: "fout.csv")
            }
            #expect(try await store.usage(gemeente: gemeente, includeConcepts: false).isEmpty)
            let result = try await store.publishFacilities(gemeente: gemeente, actor: "bea")
            #expect(result.facilities == 2 && result.usage == 3 && result.figures.new > 0)
            let visits = try await store.observations(ObservationQuery(indicator: "bezoeken_per_1000_kinderen", areas: [AreaCode("WK0363AA")!, AreaCode("WK0363AB")!])).items
            let haarlemmerbuurt = visits.filter { $0.area.rawValue == "WK0363AA" }.sorted { $0.period < $1.period }
            #expect(haarlemmerbuurt.map(\.period) == ["2024", "2025"])
            // 9,180 inwoners × 9% aged 0–15 in 2024 = 826.2 children (2025 uses the same estimate).
            #expect(abs((haarlemmerbuurt[0].value ?? 0) - 1200 / 826.2 * 1000) < 1e-6 && haarlemmerbuurt[0].origin == .registratie)
            // 2025: the gemeente's 1,550 visits minus Haarlemmerbuurt's 1,500 would give Jordaan's 50 visits by 8 persons,
            // so Haarlemmerbuurt is hidden as its complement (and so is its one facility's record).
            #expect(haarlemmerbuurt[1].status == .geheim && haarlemmerbuurt[1].value == nil)
            #expect(try await store.usage(gemeente: gemeente, includeConcepts: false).filter { $0.period == "2025" }.allSatisfy(\.isSuppressed))
            let jordaan = visits.first { $0.area.rawValue == "WK0363AB" && $0.period == "2025" }
            #expect(jordaan?.status == .geheim && jordaan?.value == nil, "50 visits by 8 persons never leave the server")
            #expect(try await store.usage(gemeente: gemeente, includeConcepts: false).first { $0.facilityID == saved[1].id }?.isSuppressed == true)
            // A correction of one period is a new version, the other period stays as it was.
            _ = try await store.addUsage([FacilityUsage(gemeente: gemeente, facilityID: saved[0].id, period: "2025", method: .deurtelling, visits: 1600)],
                                         actor: "anna", source: "correctie.csv")
            let corrected = try await store.publishFacilities(gemeente: gemeente, actor: "bea")
            #expect(corrected.usage == 1 && corrected.figures.revised >= 2, "the wijk and the gemeente are revised")
            let versions = try await store.observations(ObservationQuery(indicator: "bezoeken_per_1000_kinderen", areas: [AreaCode("WK0363AA")!],
                                                                         versions: .all)).items.filter { $0.period == "2025" }
            #expect(versions.count == 2 && versions.allSatisfy { $0.value == nil }, "hidden in every version")
            #expect(try await store.usage(gemeente: gemeente, includeConcepts: false).filter { $0.facilityID == saved[0].id }.compactMap(\.visits) == [1200])
            let playgrounds = try await store.observations(ObservationQuery(indicator: "speelplekken_per_1000_kinderen", areas: [gemeente])).items
            #expect(playgrounds.count == 1 && abs((playgrounds[0].value ?? 0) - 1 / (931298 * 0.13).rounded() * 1000) < 1e-3)
        }
    }
}

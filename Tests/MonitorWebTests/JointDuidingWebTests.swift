import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

@Suite("Samen duiden met vergelijkbare gemeenten")
struct JointDuidingWebTests {
    static let figures = """
        indicator,gebied,periode,waarde,n
        kindmonitor_speelt_buiten,GM0363,2023,63.25,410
        kindmonitor_speelt_buiten,GM0014,2023,71.5,380
        """ + "\n"

    @Test(arguments: TestBackend.available)
    func twoGemeentenAnswerTheFourQuestionsAndItIsPublishedOnlyWhenBothAgree(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten))
            _ = try await store.importBatch(try TidyImporter.parse(Data(Self.figures.utf8), file: "samen.csv", catalog: store.catalog, period: nil))
            try await KopgroepWebTests.accounts(store)
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
                var anna = try await Browser.loggedIn(client, as: "anna", password: KopgroepWebTests.password)
                try await anna.get(client, "/gemeenten/GM0363/samen-duiden?uitnodigen=GM0014")
                let refused = try await anna.post(client, "/gemeenten/GM0363/samen-duiden", [("titel", "Buiten spelen"), ("uitnodigen", "Atlantis"), ("periode", "2023")])
                #expect(refused.status == .badRequest && refused.text.contains(#"id="uitnodigen-fout""#) && refused.text.contains(#"id="indicator-fout""#))
                let made = try await anna.post(client, "/gemeenten/GM0363/samen-duiden", [
                    ("titel", "Buiten spelen in twee steden"), ("uitnodigen", "Groningen"), ("indicator", "kindmonitor_speelt_buiten"), ("periode", "2023")])
                #expect(made.status == .seeOther)
                let url = try #require(made.headers[.location])
                let id = try #require(Int(url.split(separator: "/").last ?? ""))

                // Concept: the members' users see it, nobody else.
                var anonymous = Browser()
                #expect(try await anonymous.get(client, url).status == .seeOther)
                var sien = try await Browser.loggedIn(client, as: "sien", password: KopgroepWebTests.password)
                #expect(try await sien.get(client, url).status == .notFound)
                var bram = try await Browser.loggedIn(client, as: "bram", password: KopgroepWebTests.password)
                let page = try await bram.get(client, url)
                #expect(page.status == .ok && page.text.contains("63,3%") && page.text.contains("71,5%"), "the same figures for both")
                #expect(page.text.contains("Antwoorden van Groningen") && !page.text.contains("Antwoorden van Amsterdam"), "Bram answers for Groningen only")

                // Each answers for its own gemeente; not for the other.
                #expect(try await bram.post(client, url + "/antwoorden", [("gemeente", "GM0363"), ("vraag-herkennen", "Nee")]).status == .forbidden)
                #expect(try await sien.post(client, url + "/antwoorden", [("gemeente", "GM0088"), ("vraag-herkennen", "Ja")]).status == .badRequest,
                        "Schiermonnikoog is not in it")
                #expect(try await anna.post(client, url + "/antwoorden", [("gemeente", "GM0363"), ("vraag-herkennen", "Ja, vooral in Noord."),
                                                                          ("vraag-verklaren", "Weinig speelruimte.")]).status == .seeOther)
                #expect(try await bram.post(client, url + "/antwoorden", [("gemeente", "GM0014"), ("vraag-herkennen", "Deels."),
                                                                          ("vraag-verbeteren", "Schoolpleinen open na school.")]).status == .seeOther)
                let both = try await anna.get(client, url)
                #expect(both.text.contains("Ja, vooral in Noord.") && both.text.contains("Schoolpleinen open na school."))

                // Published only when both agree.
                #expect(try await anna.submit(client, url + "/publiceren", [("gemeente", "GM0363")]).text.contains("Ingestemd met publiceren"))
                #expect(try await anonymous.get(client, url).status == .seeOther, "one agreement is not enough")
                #expect(try await anna.post(client, url + "/publiceren", [("gemeente", "GM0363")]).status == .conflict)
                #expect(try await bram.post(client, url + "/publiceren", [("gemeente", "GM0014")]).status == .seeOther)
                let published = try await anonymous.get(client, url)
                #expect(published.status == .ok && published.text.contains("Schoolpleinen open na school.") && !published.text.contains("<textarea"))
                #expect(try await anonymous.get(client, "/gemeenten/GM0014/samen-duiden").text.contains("Buiten spelen in twee steden"))
                #expect(try await bram.post(client, url + "/antwoorden", [("gemeente", "GM0014"), ("vraag-herkennen", "Anders")]).status == .conflict)
                let record = try #require(try await store.jointDuiding(id: id))
                #expect(record.status == .gepubliceerd && record.hasConsented(AreaCode("GM0363")!) && record.hasConsented(AreaCode("GM0014")!))
                let actions = try await store.auditLog(limit: 100, offset: 0).entries.map(\.action)
                #expect(actions.contains("samen-duiden.toevoegen") && actions.contains("samen-duiden.antwoorden") && actions.contains("samen-duiden.publiceren"))
            }
        }
    }

    @Test func changedAnswersNeedEveryonesAgreementAgain() async throws {
        try await TestStore.withEmptyStore { store, _ in
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten))
            let record = try await store.createJointDuiding(JointDuiding(host: AreaCode("GM0363")!, invited: [AreaCode("GM0014")!, AreaCode("GM0363")!],
                                                                         title: "Samen", indicators: ["inwoners"], period: "2023"), actor: "a")
            #expect(record.members == [AreaCode("GM0363")!, AreaCode("GM0014")!], "the host is not invited twice")
            _ = try await store.consentJointDuiding(id: record.id, gemeente: AreaCode("GM0363")!, actor: "a")
            let changed = try await store.answerJointDuiding(id: record.id, gemeente: AreaCode("GM0014")!, answers: [.waarderen: "Zorgelijk"], actor: "b")
            #expect(changed.consents.isEmpty && changed.status == .concept)
            _ = try await store.consentJointDuiding(id: record.id, gemeente: AreaCode("GM0363")!, actor: "a")
            let last = try await store.consentJointDuiding(id: record.id, gemeente: AreaCode("GM0014")!, actor: "b")
            #expect(last.status == .gepubliceerd && last.answer(AreaCode("GM0014")!, .waarderen) == "Zorgelijk")
        }
    }
}

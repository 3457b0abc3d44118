import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("Herindeling")
struct CodeChangeWebTests {
    @Test func aMadeUpMergerShowsTheSeriesOnTodaysBorders() async throws {
        try await TestStore.withLoadedStore { store, _ async throws in
            // Pretend Schiermonnikoog (GM0088) went into Groningen (GM0014) from 2024.
            try await store.addCodeChange(CodeChange(old: AreaCode("GM0088")!, new: AreaCode("GM0014")!, fromYear: 2024))
            let app = try await buildApplication(configuration: MonitorConfiguration(), store: store)
            try await app.test(.router) { client in
                try await client.execute(uri: "/gemeenten/GM0014", method: .get) { response in
                    let html = response.text
                    #expect(html.contains("eerdere jaren op de huidige grenzen"))
                    // 2023: Groningen 238,147 + Schiermonnikoog 982 = 239,129; 2024: 243,768.
                    #expect(html.contains("2023: 239.129 (op de huidige grenzen samengesteld)"))
                    #expect(html.contains("+4.639 sinds 2023"))
                }
            }
        }
    }
}

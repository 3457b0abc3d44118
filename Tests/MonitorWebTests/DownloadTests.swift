import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("Downloads")
struct DownloadTests {
    @Test func everyTablePageOffersDownloadsAndTheyReturnTheSameFigures() async throws {
        try await withApp { client in
            try await client.execute(uri: "/indicatoren/jeugdzorg_in_natura_pct", method: .get) { response in
                #expect(response.text.contains("/export/jeugdzorg_in_natura_pct?niveau=gemeente&amp;periode=2023&amp;formaat=excel"))
            }
            try await client.execute(uri: "/gemeenten/GM0363", method: .get) { response in
                #expect(response.text.contains("/export/jeugdzorg_in_natura_pct?niveau=wijk&amp;gemeente=GM0363"))
            }
            try await client.execute(uri: "/export/jeugdzorg_in_natura_pct?niveau=gemeente&periode=2023&formaat=excel", method: .get) { response in
                #expect(response.headers[.contentDisposition]?.contains("pbmonitor-jeugdzorg_in_natura_pct-gemeente-2023.csv") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(";GM0363;Amsterdam;2023;10,7;waarde;"))
            }
            try await client.execute(uri: "/export/inwoners?niveau=buurt&gemeente=GM0088&formaat=json", method: .get) { response in
                let rows = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [[String: Any]])
                #expect(!rows.isEmpty)
                // Small counts never leave the server, also not in exports.
                for row in rows { if let value = row["waarde"] as? Double { #expect(value >= 10) } }
            }
            try await client.execute(uri: "/export/inwoners?formaat=xls", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}

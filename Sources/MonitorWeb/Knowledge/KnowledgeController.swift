import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// Knowledge shared between gemeenten (report §4.3): the evaluatiebank (``EvaluationController``), council documents
/// (``DocumentController``) and one Dutch-aware search over both (``SearchController``). What the three share: the store,
/// who may see which study, the ranked searches and the CSV answer.
protocol KnowledgeController: Sendable {
    var store: any Store & KnowledgeStore { get }
    var renderer: PageRenderer { get }
}

extension KnowledgeController {
    func viewer(_ context: AppRequestContext) -> KnowledgeViewer {
        guard let account = context.account else { return .anonymous }
        return KnowledgeViewer(all: account.may(.reviewKnowledge), gemeenten: Set(account.gemeenten))
    }

    /// The studies the viewer may see, best first for a query (newest first without one).
    func rankedStudies(_ query: SearchQuery, viewer: KnowledgeViewer) async throws -> [EvaluationStudy] {
        let studies = try await store.studies(visibleTo: viewer)
        guard !query.isEmpty else { return studies.sorted { ($0.year, $1.title) > ($1.year, $0.title) } }
        let byID = Dictionary(studies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try await store.search(query, in: .evaluation, limit: 5000, offset: 0).hits.compactMap { byID[$0.ref] }
    }

    /// A page of documents matching the query, best first, with the total.
    func foundDocuments(_ query: SearchQuery, limit: Int, offset: Int) async throws -> (documents: [CouncilDocument], total: Int) {
        let found = try await store.search(query, in: .document, limit: limit, offset: offset)
        return (try await store.documents(ids: found.hits.map(\.ref)), found.total)
    }

    func gemeenteNames() async throws -> [AreaCode: String] {
        Dictionary(try await store.areas(kind: .gemeente).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    func csvResponse(_ text: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

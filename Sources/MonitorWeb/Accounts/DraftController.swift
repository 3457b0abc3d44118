import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// A gemeente's local figures before publication: upload a file (analist of that gemeente, or beheerder),
/// look at the figures (the gemeente's users only), publish or withdraw.
struct DraftController: Sendable {
    let store: any Store & DraftStore
    let renderer: PageRenderer

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.readDrafts(gemeente.code), returnTo: request.uri.path)
        return renderer.response(try await page(gemeente, account: account, context: context), chrome: context.chrome)
    }

    func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        let form = context.form
        var page = try await page(gemeente, account: account, context: context)
        guard let file = form.files["bestand"], !file.data.isEmpty else {
            page.errors = [tr("Kies een bestand (CSV of JSON).")]
            return renderer.response(page, chrome: context.chrome, status: .badRequest)
        }
        let name = file.fileName.isEmpty ? "upload.csv" : (file.fileName as NSString).lastPathComponent
        let period = form["periode"].flatMap { $0.trimmedWhitespace.isEmpty ? nil : $0.trimmedWhitespace }
        let format = Importer.Format(rawValue: form["formaat"] ?? "auto") ?? .auto
        do {
            // Checked now, so a draft is always a file that can be published. A draft of a gemeente reads the catalogue
            // that gemeente sees: its own indicators and shared ones, never another gemeente's (not even for a beheerder).
            let batch = try Importer.parse(file.data, file: name, catalog: store.catalog.visible(toGemeenten: [gemeente.code]), period: period, format: format)
            try batch.checkWithin(gemeente: gemeente.code)
            try await checkAreasExist(batch, in: gemeente)
            guard let text = String(data: file.data, encoding: .utf8) else {
                throw ImportError(file: name, expected: tr("een bestand in UTF-8"))
            }
            let draft = try await store.addDraft(gemeente: gemeente.code, fileName: name, format: format.rawValue, period: period,
                                                 content: text, actor: account.username)
            return Response(status: .seeOther, headers: [.location: SiteRoute.draft(gemeente.code.rawValue, draft.id).path])
        } catch let error as ImportError {
            page.errors = [error.description]
            return renderer.response(page, chrome: context.chrome, status: .badRequest)
        }
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.readDrafts(gemeente.code), returnTo: request.uri.path)
        let (draft, content) = try await draft(context, in: gemeente)
        return renderer.response(try await draftPage(draft, content: content, gemeente: gemeente, account: account, context: context),
                                 chrome: context.chrome)
    }

    /// POST `…/concepten/{id}/publiceren`: the draft becomes an ordinary import (checked again against the catalogue).
    func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.publishGemeente(gemeente.code))
        let (draft, content) = try await draft(context, in: gemeente)
        var page = try await draftPage(draft, content: content, gemeente: gemeente, account: account, context: context)
        do {
            let catalog = store.catalog.visible(toGemeenten: [gemeente.code])
            let batch = try Self.parse(draft, content: content, catalog: catalog)
            try batch.checkWithin(gemeente: gemeente.code)
            let forEveryone = Set(batch.observations.map(\.indicator)).allSatisfy { catalog[$0]?.isForEveryone ?? true }
            let report = try await store.publishDraft(id: draft.id, batch: batch, actor: account.username)
            page = try await draftPage(try await self.draft(context, in: gemeente).0, content: content, gemeente: gemeente,
                                       account: account, context: context)
            page.message = tr("Gepubliceerd als import {0}: {1} nieuwe, {2} herziene en ", report.record.id, report.versions.new, report.versions.revised)
                + tr("{0} ongewijzigde cijfers; {1} berekende cijfers bijgewerkt. ", report.versions.unchanged, report.derivedCount)
                + (forEveryone ? tr("Iedereen ziet ze nu.") : tr("Wie de eigen indicator mag zien (de gebruikers van {0}), ziet ze nu.", gemeente.name))
        } catch let error as DraftError {
            page.errors = [error.description]
            return renderer.response(page, chrome: context.chrome, status: .conflict)
        } catch let error as ImportError {
            page.errors = [error.description]
            return renderer.response(page, chrome: context.chrome, status: .badRequest)
        }
        return renderer.response(page, chrome: context.chrome)
    }

    /// POST `…/concepten/{id}/intrekken`: the draft is set aside (kept, audited); back to the list.
    func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        let (draft, content) = try await draft(context, in: gemeente)
        do {
            try await store.withdrawDraft(id: draft.id, actor: account.username)
            return Response(status: .seeOther, headers: [.location: SiteRoute.drafts(gemeente.code.rawValue).path])
        } catch let error as DraftError {
            var page = try await draftPage(draft, content: content, gemeente: gemeente, account: account, context: context)
            page.errors = [error.description]
            return renderer.response(page, chrome: context.chrome, status: .conflict)
        }
    }

    // MARK: Helpers

    /// Local files do not create areas (CBS files do): an unknown code is a typo, named with its line and column.
    func checkAreasExist(_ batch: ImportBatch, in gemeente: Area) async throws {
        let known = Set(try await store.areas(inGemeente: gemeente.code).map(\.code))
        for (code, position) in batch.areaPositions.sorted(by: { ($0.value.line, $0.key) < ($1.value.line, $1.key) }) where !known.contains(code) {
            throw ImportError(file: batch.file, line: position.line, column: position.column, found: code.rawValue,
                              expected: tr("een gebied dat de monitor kent (de gemeente, haar wijken en buurten volgens de CBS-indeling)"))
        }
    }

    static func parse(_ draft: Draft, content: String, catalog: Catalog) throws(ImportError) -> ImportBatch {
        try Importer.parse(Data(content.utf8), file: draft.fileName, catalog: catalog, period: draft.period,
                           format: Importer.Format(rawValue: draft.format) ?? .auto)
    }

    func draft(_ context: AppRequestContext, in gemeente: Area) async throws -> (Draft, String) {
        guard let id = context.parameters.get("id", as: Int.self), let (draft, content) = try await store.draft(id: id),
              draft.gemeente == gemeente.code else {
            throw AppError.notFound(tr("Dit concept bestaat niet (bij deze gemeente)."))
        }
        return (draft, content)
    }

    func page(_ gemeente: Area, account: Account, context: AppRequestContext) async throws -> DraftsPage {
        DraftsPage(gemeente: gemeente, drafts: try await store.drafts(gemeente: gemeente.code), csrf: context.csrfToken,
                   mayUpload: account.may(.editGemeente(gemeente.code)))
    }

    func draftPage(_ draft: Draft, content: String, gemeente: Area, account: Account, context: AppRequestContext) async throws -> DraftPage {
        var figures: [DraftPage.Row] = []
        var problem: String?
        do {
            let catalog = store.catalog.visible(toGemeenten: [gemeente.code])
            let batch = try Self.parse(draft, content: content, catalog: catalog)
            var names = batch.areaNames
            for area in try await store.areas(inGemeente: gemeente.code) { names[area.code] = area.name }
            // The privacy rule applies to drafts too: their own users see no small numbers either.
            figures = store.privacyGuarded(batch.observations).map { observation in
                let indicator = catalog[observation.indicator]
                return DraftPage.Row(indicator: indicator?.name ?? observation.indicator, area: names[observation.area] ?? observation.area.rawValue,
                                     code: observation.area.rawValue, period: observation.period,
                                     value: indicator.map { FigureText(observation, indicator: $0).value } ?? "—")
            }
        } catch let error as ImportError {
            problem = error.description
        }
        return DraftPage(draft: draft, gemeente: gemeente, rows: figures, problem: problem, csrf: context.csrfToken,
                         mayPublish: draft.status == .concept && account.may(.publishGemeente(gemeente.code)),
                         mayWithdraw: draft.status == .concept && account.may(.editGemeente(gemeente.code)))
    }
}

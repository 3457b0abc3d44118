import Foundation
import Hummingbird
import Logging
import Monitor
import MonitorStore
import NIOCore
import ServiceLifecycle

/// The composition root of the web app: given a configuration and a store, build the application.
/// `metrics`: the registry `/-/metrics` shows; pass the one whose factory the store records into.
public func buildApplication(configuration: MonitorConfiguration, store: any SiteStore, logger: Logger? = nil,
                             metrics: AppMetrics = AppMetrics()) async throws -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "pbmonitor")
    if logger.logLevel > .info { logger.logLevel = .info }
    let renderer = try await PageRenderer.load()
    try await store.refreshCatalog()
    let router = try buildRouter(store: store, renderer: renderer, configuration: configuration, metrics: metrics)
    return Application(
        responder: HeadResponder(base: router.buildResponder()),
        // Idle keep-alive connections are closed after a minute (slowloris and forgotten clients hold nothing for ever).
        server: .http1(configuration: .init(idleTimeout: .seconds(60))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "pbmonitor"),
        services: [CatalogWatcher(store: store, logger: logger)],
        logger: logger
    )
}

/// Keeps the catalogue of this app node in step with the database: once a second it asks whether a gemeente's own
/// indicators changed (one small query) and reloads them if so, so a publication on one node shows on every node
/// without a restart. The node that made the change reloads at once.
struct CatalogWatcher: Service {
    let store: any LocalIndicatorStore
    let logger: Logger
    var interval: Duration = .seconds(1)

    func run() async throws {
        var failing = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if try await store.refreshCatalog() { logger.info("catalogus bijgewerkt: eigen indicatoren van gemeenten gewijzigd") }
                if failing { logger.info("catalogus weer bij te werken") }
                failing = false
            } catch {
                // Once per outage, not once a second (the database being away is already answered with 503 elsewhere).
                if !failing { logger.warning("catalogus niet bij te werken, de vorige blijft in gebruik: \(error)") }
                failing = true
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

/// Registers every route from ``SiteRoute/Pattern``; the error and security middleware wrap them all.
public func buildRouter(store: any SiteStore, renderer: PageRenderer, configuration: MonitorConfiguration,
                        metrics: AppMetrics = AppMetrics()) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let generations = GenerationTracker(store: store, maximumAge: configuration.generationCheckInterval)
    let responses = configuration.responseCacheBytes > 0 ? ResponseCache(budget: configuration.responseCacheBytes) : nil
    // Outermost: every request is timed, counted and logged with its final status.
    router.add(middleware: RequestLogMiddleware(metrics: metrics, logs: configuration.requestLog))
    router.add(middleware: FormQueryMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    // Outside the error middleware, so error pages are compressed too; answers from the response cache come compressed
    // already.
    router.add(middleware: CompressionMiddleware())
    // Outside the error middleware, so error pages speak the visitor's language as well.
    router.add(middleware: LanguageMiddleware(secureCookies: configuration.secureCookies))
    router.add(middleware: ErrorMiddleware(renderer: renderer))
    let translations = CatalogTranslations()
    router.add(middleware: SessionMiddleware(accounts: store, catalogs: store, translations: translations, secureCookies: configuration.secureCookies,
                                             trustedProxies: configuration.trustedProxies, uploadLimit: configuration.uploadLimit,
                                             clock: configuration.clock))
    // After the session (it must know who asks): anonymous pages of figures get an ETag from the data generation, a 304
    // without rendering when the visitor already has them, and the same bytes again from memory until the data change.
    router.add(middleware: PageViewMiddleware(store: store))
    router.add(middleware: HTTPCacheMiddleware(tracker: generations, cache: responses, catalogs: store, translations: translations))
    // Heavy work (exports, unfiltered figure lists) is limited only when it is really done: a cached answer or a 304 is not.
    router.add(middleware: HeavyWorkMiddleware(limiter: HeavyWorkLimiter()))

    let home = HomeController(store: store, renderer: renderer)
    let municipalities = MunicipalityController(store: store, renderer: renderer)
    let peerPages = PeerController(store: store, renderer: renderer)
    let areas = AreaController(store: store, renderer: renderer, peerFinder: peerPages)
    let indicators = IndicatorController(store: store, renderer: renderer)
    let values = ValuesController(store: store)
    let lampposts = LamppostController(store: store, renderer: renderer)
    let burden = BurdenController(store: store, renderer: renderer)
    let contact = ContactLine(configuration.contact)
    let privacy = PrivacyController(store: store, renderer: renderer, contact: contact)
    let about = AboutController(renderer: renderer, contact: contact)
    let exports = ExportController(store: store)
    let maps = MapController(store: store, renderer: renderer, layers: MapLayerCache(store: store))
    let expectedCare = ExpectedCareController(store: store, renderer: renderer, layers: maps.layers)
    let interventionPages = InterventionController(store: store, renderer: renderer, expectedCare: expectedCare)
    let networkPages = NetworkController(store: store, renderer: renderer)
    let facilityPages = FacilityController(store: store, renderer: renderer, layers: maps.layers)
    let questionnairePages = QuestionnaireController(store: store, renderer: renderer, publicURL: configuration.publicURL)
    let evaluationPages = EvaluationController(store: store, renderer: renderer)
    let documentPages = DocumentController(store: store, renderer: renderer, layers: maps.layers,
                                           shippedRules: (try? String(contentsOf: configuration.analysisRulesFile, encoding: .utf8)) ?? "")
    let searchPages = SearchController(store: store, renderer: renderer)
    let reports = ReportController(store: store, renderer: renderer, peerFinder: peerPages, maps: maps)
    let operatorPages = OperatorController(store: store, metrics: metrics, responses: responses, generations: generations,
                                           metricsToken: configuration.metricsToken)
    let draftPages = DraftController(store: store, renderer: renderer)
    let localIndicatorPages = LocalIndicatorController(store: store, renderer: renderer)
    let dialoguePages = DialogueController(store: store, renderer: renderer)
    let conversationBoardPages = ConversationBoardController(store: store, renderer: renderer)
    let ggdMapping = GGDMappingController(store: store, renderer: renderer)
    let kopgroepPages = KopgroepController(store: store, renderer: renderer)
    let interventionTypePages = InterventionTypeController(store: store, renderer: renderer)
    let goodPractices = GoodPracticeController(store: store, renderer: renderer)
    let jointDuidingPages = JointDuidingController(store: store, renderer: renderer)
    let embedPages = EmbedController(store: store, renderer: renderer, publicURL: configuration.publicURL)
    let accountPages = AccountController(store: store, accounts: store, renderer: renderer, passwords: Passwords(cost: configuration.passwordCost))
    let stylesheet = try Stylesheet.load()

    // POST handlers are collected first: an address with actions below it also takes the `actie` forms of earlier versions.
    var posts: [SiteRoute.Pattern: LegacyActions.Handler] = [:]
    func post(_ pattern: SiteRoute.Pattern, _ handler: @escaping LegacyActions.Handler) { posts[pattern] = handler }

    for pattern in SiteRoute.Pattern.allCases {
        let path = RouterPath(pattern.rawValue)
        switch pattern {
        case .home: router.get(path, use: home.index)
        case .municipalities: router.get(path, use: municipalities.index)
        case .municipality: router.get(path, use: areas.show(kind: .gemeente))
        case .district: router.get(path, use: areas.show(kind: .wijk))
        case .neighbourhood: router.get(path, use: areas.show(kind: .buurt))
        case .indicators: router.get(path, use: indicators.index)
        case .indicator: router.get(path, use: indicators.show)
        case .versions:
            router.get(path, use: indicators.versions)
            post(pattern, indicators.withdraw)
        case .health: router.get(path, use: operatorPages.health)
        case .version: router.get(path, use: operatorPages.version)
        case .metrics: router.get(path, use: operatorPages.metrics)
        case .stylesheet: router.get(path) { request, _ in stylesheet.response(request) }
        case .apiMunicipalities: router.get(path, use: municipalities.indexJSON)
        case .apiMunicipality: router.get(path, use: areas.showJSON(kind: .gemeente))
        case .apiDistrict: router.get(path, use: areas.showJSON(kind: .wijk))
        case .apiNeighbourhood: router.get(path, use: areas.showJSON(kind: .buurt))
        case .apiIndicators: router.get(path, use: indicators.indexJSON)
        case .apiIndicator: router.get(path, use: indicators.showJSON)
        case .apiValues: router.get(path, use: values.index)
        case .lamppost: router.get(path, use: lampposts.lamppostPage)
        case .privacy: router.get(path, use: privacy.privacyPage)
        case .accessibility: router.get(path, use: about.accessibilityPage)
        case .contact: router.get(path, use: about.contactPage)
        case .map: router.get(path, use: maps.show)
        case .export: router.get(path, use: exports.download)
        case .longExport: router.get(path, use: exports.long)
        case .goodPractices: router.get(path, use: goodPractices.index)
        case .jointDuidingen:
            router.get(path, use: jointDuidingPages.index)
            post(pattern, jointDuidingPages.create)
        case .jointDuiding: router.get(path, use: jointDuidingPages.show)
        case .jointDuidingAnswer: post(pattern, jointDuidingPages.answer)
        case .jointDuidingPublish: post(pattern, jointDuidingPages.publish)
        case .peers: router.get(path, use: peerPages.show)
        case .apiPeers: router.get(path, use: peerPages.showJSON)
        case .burden: router.get(path, use: burden.burdenPage)
        case .apiLamppost: router.get(path, use: lampposts.lamppostJSON)
        case .apiBurden: router.get(path, use: burden.burdenJSON)
        case .login:
            router.get(path, use: accountPages.loginForm)
            post(pattern, accountPages.login)
        case .logout:
            router.get(path, use: accountPages.logoutForm)
            post(pattern, accountPages.logout)
        case .password:
            router.get(path, use: accountPages.passwordForm)
            post(pattern, accountPages.changePassword)
        case .accounts:
            router.get(path, use: accountPages.index)
            post(pattern, accountPages.add)
        case .account: router.get(path, use: accountPages.show)
        case .accountRole: post(pattern, accountPages.setRole)
        case .accountPassword: post(pattern, accountPages.resetPassword)
        case .accountRemove: post(pattern, accountPages.remove)
        case .audit: router.get(path, use: accountPages.audit)
        case .ggdMapping:
            router.get(path, use: ggdMapping.index)
            post(pattern, ggdMapping.save)
        case .ggdMappingRemove: post(pattern, ggdMapping.remove)
        case .kopgroepen:
            router.get(path, use: kopgroepPages.index)
            post(pattern, kopgroepPages.create)
        case .kopgroep: router.get(path, use: kopgroepPages.show)
        case .kopgroepEdit: post(pattern, kopgroepPages.edit)
        case .kopgroepShare: post(pattern, kopgroepPages.share)
        case .kopgroepUnshare: post(pattern, kopgroepPages.unshare)
        case .kopgroepCopy: post(pattern, kopgroepPages.copy)
        case .interventionTypes:
            router.get(path, use: interventionTypePages.index)
            post(pattern, interventionTypePages.create)
        case .interventionType: router.get(path, use: interventionTypePages.show)
        case .interventionTypeEdit: post(pattern, interventionTypePages.edit)
        case .embedCard: router.get(path, use: embedPages.cardPage)
        case .embedCardImage: router.get(path, use: embedPages.cardImage)
        case .figure: router.get(path, use: embedPages.figurePage)
        case .apiOEmbed: router.get(path, use: embedPages.oembed)
        case .embedOrigins:
            router.get(path, use: embedPages.originsForm)
            post(pattern, embedPages.saveOrigins)
        case .drafts:
            router.get(path, use: draftPages.index)
            post(pattern, draftPages.upload)
        case .draft: router.get(path, use: draftPages.show)
        case .draftPublish: post(pattern, draftPages.publish)
        case .draftWithdraw: post(pattern, draftPages.withdraw)
        case .localIndicators:
            router.get(path, use: localIndicatorPages.index)
            post(pattern, localIndicatorPages.create)
        case .localIndicator: router.get(path, use: localIndicatorPages.show)
        case .localIndicatorEdit: post(pattern, localIndicatorPages.edit)
        case .localIndicatorPublish: post(pattern, localIndicatorPages.publish)
        case .localIndicatorWithdraw: post(pattern, localIndicatorPages.withdraw)
        case .localIndicatorShare: post(pattern, localIndicatorPages.share)
        case .localIndicatorUnshare: post(pattern, localIndicatorPages.unshare)
        case .apiLocalIndicators: router.get(path, use: localIndicatorPages.indexJSON)
        case .dialogues: router.get(path, use: dialoguePages.index)
        case .apiDialogues: router.get(path, use: dialoguePages.indexJSON)
        case .newDialogue:
            router.get(path, use: dialoguePages.newForm)
            post(pattern, dialoguePages.create)
        case .dialogue: router.get(path, use: dialoguePages.show)
        case .dialoguePublish: post(pattern, dialoguePages.publish)
        case .dialogueWithdraw: post(pattern, dialoguePages.withdraw)
        case .editDialogue:
            router.get(path, use: dialoguePages.editForm)
            post(pattern, dialoguePages.update)
        case .conversationBoard:
            router.get(path, use: conversationBoardPages.index)
            post(pattern, conversationBoardPages.create)
        case .conversationBoardItem: router.get(path, use: conversationBoardPages.show)
        case .conversationBoardItemAnswer: post(pattern, conversationBoardPages.answer)
        case .conversationBoardItemEdit: post(pattern, conversationBoardPages.edit)
        case .conversationBoardItemPublish: post(pattern, conversationBoardPages.publish)
        case .conversationBoardItemWithdraw: post(pattern, conversationBoardPages.withdraw)
        case .apiConversationBoard: router.get(path, use: conversationBoardPages.indexJSON)
        case .report: router.get(path, use: reports.show)
        case .expectedCare: router.get(path, use: expectedCare.show)
        case .careModel: router.get(path, use: expectedCare.model)
        case .apiExpectedCare: router.get(path, use: expectedCare.showJSON)
        case .apiCareModel: router.get(path, use: expectedCare.modelJSON)
        case .interventions:
            router.get(path, use: interventionPages.index)
            post(pattern, interventionPages.create)
        case .intervention: router.get(path, use: interventionPages.show)
        case .interventionEdit: post(pattern, interventionPages.edit)
        case .interventionCostBenefit: post(pattern, interventionPages.costBenefit)
        case .interventionPublish: post(pattern, interventionPages.publish)
        case .interventionWithdraw: post(pattern, interventionPages.withdraw)
        case .apiInterventions: router.get(path, use: interventionPages.indexJSON)
        case .networks:
            router.get(path, use: networkPages.index)
            post(pattern, networkPages.create)
        case .network: router.get(path, use: networkPages.show)
        case .networkEdit: post(pattern, networkPages.edit)
        case .networkPublish: post(pattern, networkPages.publish)
        case .networkWithdraw: post(pattern, networkPages.withdraw)
        case .apiNetworks: router.get(path, use: networkPages.indexJSON)
        case .questionnaires:
            router.get(path, use: questionnairePages.index)
            post(pattern, questionnairePages.create)
        case .questionnaire: router.get(path, use: questionnairePages.show)
        case .questionnaireEdit: post(pattern, questionnairePages.edit)
        case .questionnairePublish: post(pattern, questionnairePages.publish)
        case .questionnaireCopy: post(pattern, questionnairePages.copy)
        case .questionnaireInvitations: post(pattern, questionnairePages.invite)
        case .roundOpen: post(pattern, questionnairePages.openRound)
        case .roundClose: post(pattern, questionnairePages.closeRound)
        case .roundPublish: post(pattern, questionnairePages.publishRound)
        case .apiQuestionnaires: router.get(path, use: questionnairePages.indexJSON)
        case .respond:
            router.get(path, use: questionnairePages.respond)
            post(pattern, questionnairePages.answer)
        case .evaluations:
            router.get(path, use: evaluationPages.evaluations)
            post(pattern, evaluationPages.submit)
        case .evaluation: router.get(path, use: evaluationPages.evaluation)
        case .evaluationApprove: post(pattern, evaluationPages.approve)
        case .evaluationReject: post(pattern, evaluationPages.reject)
        case .apiEvaluations: router.get(path, use: evaluationPages.evaluationsJSON)
        case .documents:
            router.get(path, use: documentPages.documents)
            post(pattern, documentPages.upload)
        case .documentRemove: post(pattern, documentPages.remove)
        case .documentRules:
            router.get(path, use: documentPages.rules)
            post(pattern, documentPages.saveRules)
        case .apiDocumentAnalysis: router.get(path, use: documentPages.analysisJSON)
        case .search: router.get(path, use: searchPages.search)
        case .apiSearch: router.get(path, use: searchPages.searchJSON)
        case .facilities: router.get(path, use: facilityPages.index)
        case .facilitiesUpload: post(pattern, facilityPages.upload)
        case .facilitiesAdd: post(pattern, facilityPages.add)
        case .usageUpload: post(pattern, facilityPages.uploadUsage)
        case .usageAdd: post(pattern, facilityPages.addUsage)
        case .facilitiesPublish: post(pattern, facilityPages.publish)
        case .apiFacilities: router.get(path, use: facilityPages.indexJSON)
        case .apiOpenAPI:
            let document = OpenAPIDocument.json()
            router.get(path) { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
            }
        }
    }
    let actions = posts.filter { $0.key.isAction }
    let parents = Set(actions.keys.map(LegacyActions.parent(of:)))
    for (pattern, handler) in posts where !parents.contains(pattern.rawValue) {
        router.post(RouterPath(pattern.rawValue), use: handler)
    }
    for parent in parents {
        let own = SiteRoute.Pattern(rawValue: parent).flatMap { posts[$0] }
        router.post(RouterPath(parent), use: LegacyActions.handler(for: parent, own: own, actions: actions))
    }
    // Anything else: a Dutch 404 page, or the JSON error body under /api/.
    router.get("**") { request, _ -> Response in throw AppError.notFound(tr("Deze pagina bestaat niet: {0}", request.uri.path)) }
    router.post("**") { request, _ -> Response in throw AppError.notFound(tr("Deze pagina bestaat niet: {0}", request.uri.path)) }
    return router
}

/// HEAD on every GET address (RFC 9110 §9.3.2): answered as the GET would be — status, headers, length — without the
/// body. It wraps the router (a router middleware runs after the route was chosen, and no route is registered for
/// HEAD). A streamed export's work is never started: its body is dropped unwritten, which also frees its slot.
struct HeadResponder<Base: HTTPResponder>: HTTPResponder {
    let base: Base

    func respond(to request: Request, context: Base.Context) async throws -> Response {
        guard request.method == .head else { return try await base.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        return try await base.respond(to: Request(head: head, body: request.body), context: context).createHeadResponse()
    }
}

/// Browsers send the spaces of a GET form as "+", and Hummingbird's query parser decodes only %XX: the query's
/// "+" become %20 here, once, so "Bergen op Zoom" in a search box stays three words everywhere.
struct FormQueryMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let path = request.head.path, let mark = path.firstIndex(of: "?"), path[mark...].contains("+") else {
            return try await next(request, context)
        }
        var head = request.head
        head.path = String(path[..<mark]) + path[mark...].replacingOccurrences(of: "+", with: "%20")
        return try await next(Request(head: head, body: request.body), context)
    }
}

/// Security headers on every response: no inline script, no framing, no sniffing.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // A handler that sets its own policy keeps it: only the embeddable card and its image do (the card's
        // `frame-ancestors` names the origins a beheerder allows; the rest of it is this policy).
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicyHeader] = "same-origin"
        return response
    }
}

/// The site's one stylesheet, loaded at startup. Pages link it with its version in the address
/// (`/static/pbmonitor.css?v=<hash of the bytes>`): that address never changes its bytes, so a browser keeps it for a
/// year without asking; a new release is a new address.
struct Stylesheet: Sendable {
    let css: String
    /// FNV-1a of the bytes, in hex.
    let version: String

    init(css: String) {
        self.css = css
        version = fnv1a(css)
    }

    static func load() throws -> Stylesheet {
        guard let path = resourcePath("Static/pbmonitor.css"),
              let css = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError(message: "stylesheet niet gevonden in de programmabundel")
        }
        return Stylesheet(css: css)
    }

    /// The versioned address the pages link to.
    var url: String { SiteRoute.stylesheet.path + "?v=" + version }

    func response(_ request: Request) -> Response {
        let tag = "\"css-\(version)\""
        // The versioned address is immutable; the bare one (or an old version's) is checked again each time.
        let policy = request.uri.queryParameters.get("v") == version ? "public, max-age=31536000, immutable" : "public, no-cache"
        if let condition = request.headers[.ifNoneMatch], HTTPCacheMiddleware.matches(condition, tag) {
            return Response(status: .notModified, headers: [.eTag: tag, .cacheControl: policy])
        }
        return Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: policy, .eTag: tag],
                        body: .init(byteBuffer: ByteBuffer(string: css)))
    }
}

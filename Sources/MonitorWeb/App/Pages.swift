import Foundation
import Mustache

// Every page view model and the template made for it: the one list (a test renders each one through the template audit).

extension AccountPage: Page { static let template = "pages/account" }
extension AccountsPage: Page { static let template = "pages/accounts" }
extension AreaShowPage: Page { static let template = "pages/area-show" }
extension AuditPage: Page { static let template = "pages/audit" }
extension ConversationBoardItemPage: RecordPage { static let template = "pages/conversation-board-item" }
extension ConversationBoardPage: Page { static let template = "pages/conversation-board" }
extension BurdenPage: Page { static let template = "pages/burden" }
extension DialogueFormPage: Page { static let template = "pages/dialogue-form" }
extension DialogueListPage: Page { static let template = "pages/dialogues" }
extension DialoguePage: RecordPage { static let template = "pages/dialogue" }
extension DocumentsPage: Page { static let template = "pages/documents" }
extension DraftPage: Page { static let template = "pages/draft" }
extension DraftsPage: Page { static let template = "pages/drafts" }
extension ErrorPage: Page { static let template = "pages/error" }
extension EvaluationListPage: Page { static let template = "pages/evaluations" }
extension EvaluationPage: Page { static let template = "pages/evaluation" }
extension ExpectedCareModelPage: Page { static let template = "pages/care-model" }
extension ExpectedCarePage: Page { static let template = "pages/expected-care" }
extension FacilityPage: Page { static let template = "pages/facilities" }
extension GGDMappingPage: Page { static let template = "pages/ggd-mapping" }
extension KopgroepListPage: Page { static let template = "pages/kopgroepen" }
extension KopgroepPage: Page { static let template = "pages/kopgroep" }
extension InterventionTypeListPage: Page { static let template = "pages/intervention-types" }
extension InterventionTypePage: Page { static let template = "pages/intervention-type" }
extension FigurePage: Page { static let template = "pages/figure" }
extension GoodPracticePage: Page { static let template = "pages/good-practices" }
extension JointDuidingListPage: Page { static let template = "pages/joint-duidingen" }
extension JointDuidingPage: Page { static let template = "pages/joint-duiding" }
extension EmbedOriginsPage: Page { static let template = "pages/embed-origins" }
extension HomePage: Page { static let template = "pages/home" }
extension IndicatorIndexPage: Page { static let template = "pages/indicator-index" }
extension IndicatorShowPage: Page { static let template = "pages/indicator-show" }
extension InterventionListPage: Page { static let template = "pages/interventions" }
extension InterventionPage: RecordPage { static let template = "pages/intervention" }
extension LamppostPage: Page { static let template = "pages/lamppost" }
extension LocalIndicatorListPage: Page { static let template = "pages/local-indicators" }
extension LocalIndicatorPage: RecordPage { static let template = "pages/local-indicator" }
extension LoginPage: Page { static let template = "pages/login" }
extension LogoutPage: Page { static let template = "pages/logout" }
extension MapPage: Page { static let template = "pages/map" }
extension MunicipalityIndexPage: Page { static let template = "pages/municipality-index" }
extension NetworkListPage: Page { static let template = "pages/networks" }
extension NetworkPage: RecordPage { static let template = "pages/network" }
extension PasswordPage: Page { static let template = "pages/password" }
extension PeerPage: Page { static let template = "pages/peers" }
extension PrivacyPage: Page { static let template = "pages/privacy" }
extension AccessibilityPage: Page { static let template = "pages/accessibility" }
extension ContactPage: Page { static let template = "pages/contact" }
extension QuestionnaireListPage: Page { static let template = "pages/questionnaires" }
extension QuestionnairePage: RecordPage { static let template = "pages/questionnaire" }
extension ReportPage: Page { static let template = "pages/report" }
extension RespondPage: Page { static let template = "pages/respond" }
extension RulesPage: Page { static let template = "pages/document-rules" }
extension SearchPage: Page { static let template = "pages/search" }
extension VersionsPage: Page { static let template = "pages/versions" }

/// The report as one printable file (its own page, not the site's layout): the report's fields, another template.
struct StandaloneReport: Page, MustacheParent {
    static let template = "report-standalone"
    let report: ReportPage

    func child(named name: String) -> Any? { ChromedPage.value(named: name, in: report) }
}

import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

@Suite("Indicatorcatalogus")
struct CatalogTests {
    static let valid = """
        indicatoren:
          - id: voorbeeld
            naam: Voorbeeld
            definitie: Een voorbeeld.
            eenheid: personen
            bron: {uitgever: CBS, tabel: 85618NED, titel: KWB}
            peilmoment: 1 januari
            polariteit: neutraal
            lading: neutraal
            rol: context
            rol_waarom: Beschrijft wie er wonen.
            beeld: [landelijk, lokaal]
            sferen: [gezin]
            perspectieven: [ideaal]
            kennisvragen: [staat]
            leeftijd: alle leeftijden
            toelichting: Waarom het ertoe doet.
            gebruiksvoorbeelden: [een, twee]
            kanttekeningen: [wat het niet zegt]
            kolommen: [voorbeeld]
            meetlast: {producent: register, minuten_per_respondent: 0, respondenten_per_periode: 0, aanname: CBS-register}
        """

    @Test func theShippedCatalogueIsCompleteAndHasTheFoundationIndicators() throws {
        let catalog = try Fixtures.catalog()
        for id in ["inwoners", "huishoudens_met_kinderen_pct", "jeugdzorg_in_natura_pct", "bijstand_per_1000",
                   "gestandaardiseerd_inkomen_hh", "huishoudens_laag_inkomen_pct", "afstand_kinderdagverblijf_km",
                   "afstand_school_km", "scholen_binnen_3km", "stedelijkheid"] {
            let indicator = try #require(catalog[id], "\(id) ontbreekt")
            #expect(!indicator.definition.isEmpty && !indicator.explanation.isEmpty)
            #expect(indicator.usageExamples.count >= 2)
            #expect(!indicator.caveats.isEmpty)
            #expect(!indicator.source.tableID.isEmpty)
        }
        #expect(catalog["bijstand_per_1000"]?.formula == Formula(numerator: "personen_bijstand", denominator: "inwoners", factor: 1000))
    }

    @Test func aValidEntryParses() {
        let (indicators, errors) = CatalogLoader.parse(yaml: Self.valid, file: "catalog/x.yaml")
        #expect(errors.isEmpty)
        #expect(indicators.first?.id == "voorbeeld")
    }

    @Test func anUnknownSphereNamesFileAndKey() {
        let (_, errors) = CatalogLoader.parse(yaml: Self.valid.replacingOccurrences(of: "sferen: [gezin]", with: "sferen: [gezinn]"), file: "catalog/x.yaml")
        #expect(errors.count == 1)
        #expect(errors[0].file == "catalog/x.yaml")
        #expect(errors[0].key == "voorbeeld.sferen")
        #expect(errors[0].message.contains("gezinn"))
    }

    @Test func aMissingFieldNamesTheKey() {
        let (_, errors) = CatalogLoader.parse(yaml: Self.valid.replacingOccurrences(of: "    toelichting: Waarom het ertoe doet.\n", with: ""), file: "catalog/x.yaml")
        #expect(errors.map(\.key) == ["voorbeeld.toelichting"])
    }

    @Test func aDuplicateIdIsAnError() throws {
        let (first, _) = CatalogLoader.parse(yaml: Self.valid, file: "catalog/a.yaml")
        let (second, _) = CatalogLoader.parse(yaml: Self.valid.replacingOccurrences(of: "kolommen: [voorbeeld]", with: "kolommen: [ander]"), file: "catalog/b.yaml")
        #expect(throws: CatalogErrors.self) { try Catalog(indicators: first + second) }
        do { _ = try Catalog(indicators: first + second) } catch let errors as CatalogErrors {
            #expect(errors.errors.first?.file == "catalog/b.yaml")
            #expect(errors.errors.first?.message.contains("dubbele id") == true)
        } catch {}
    }

    @Test func aFormulaNamingAnUnknownIndicatorIsAnError() throws {
        let formula = Self.valid.replacingOccurrences(of: "kolommen: [voorbeeld]", with: "formule: {teller: voorbeeld, noemer: bestaat_niet, factor: 100}")
            .replacingOccurrences(of: "id: voorbeeld", with: "id: afgeleid").replacingOccurrences(of: "eenheid: personen", with: "eenheid: procent")
        let (base, _) = CatalogLoader.parse(yaml: Self.valid, file: "catalog/a.yaml")
        let (derived, errors) = CatalogLoader.parse(yaml: formula, file: "catalog/b.yaml")
        #expect(errors.isEmpty)
        do {
            _ = try Catalog(indicators: base + derived)
            Issue.record("verwacht een fout")
        } catch let errors as CatalogErrors {
            #expect(errors.errors.first?.key == "afgeleid.formule.noemer")
            #expect(errors.errors.first?.message.contains("bestaat_niet") == true)
        }
    }

    @Test func anUnquotedColonInAListIsExplained() {
        let yaml = Self.valid.replacingOccurrences(of: "gebruiksvoorbeelden: [een, twee]", with: "gebruiksvoorbeelden:\n      - een: twee\n      - drie")
        let (_, errors) = CatalogLoader.parse(yaml: yaml, file: "catalog/x.yaml")
        #expect(errors.contains { $0.key == "voorbeeld.gebruiksvoorbeelden[0]" && $0.message.contains("aanhalingstekens") })
    }

    @Test func theShippedCatalogueHasAtLeastThirtyCompleteIndicatorsWithBurden() throws {
        let catalog = try Fixtures.catalog()
        #expect(catalog.indicators.count >= 30)
        #expect(catalog.indicators.filter { $0.source.publisher == "CBS" }.count >= 30)
        for indicator in catalog.indicators {
            #expect(!indicator.burden.assumption.isEmpty, "\(indicator.id)")
            #expect(indicator.usageExamples.count >= 2 && !indicator.caveats.isEmpty, "\(indicator.id)")
        }
        #expect(catalog.indicators.contains { $0.framing == .positief })
        #expect(catalog["kindmonitor_lid_sportvereniging"]?.burden.producer == .enquete)
        #expect(catalog["jeugdzorg_per_1000_inwoners"]?.formula?.denominator == "inwoners")
    }

    @Test func aMissingBurdenIsAnError() {
        let yaml = Self.valid.replacingOccurrences(of: "    meetlast: {producent: register, minuten_per_respondent: 0, respondenten_per_periode: 0, aanname: CBS-register}", with: "")
        let (_, errors) = CatalogLoader.parse(yaml: yaml, file: "catalog/x.yaml")
        #expect(errors.map(\.key) == ["voorbeeld.meetlast"])
        let survey = Self.valid.replacingOccurrences(of: "producent: register, minuten_per_respondent: 0", with: "producent: enquete, minuten_per_respondent: 0")
        let (_, surveyErrors) = CatalogLoader.parse(yaml: survey, file: "catalog/x.yaml")
        #expect(surveyErrors.first?.message.contains("kost tijd") == true)
    }

    @Test func aFileLevelBurdenIsTheDefault() {
        let yaml = "meetlast: {producent: enquete, minuten_per_respondent: 2, respondenten_per_periode: 100, aanname: vragenlijst}\n"
            + Self.valid.replacingOccurrences(of: "    meetlast: {producent: register, minuten_per_respondent: 0, respondenten_per_periode: 0, aanname: CBS-register}", with: "")
        let (indicators, errors) = CatalogLoader.parse(yaml: yaml, file: "catalog/x.yaml")
        #expect(errors.isEmpty)
        #expect(indicators.first?.burden.minutesPerPeriod == 200)
    }

    /// Issue 18: every entry says whether it is the basis, context or use of help, and why; help names its layers.
    @Test func anEntryWithoutARoleIsRefusedWithTheChoices() {
        let (none, errors) = CatalogLoader.parse(yaml: Self.valid.replacingOccurrences(of: "    rol: context\n", with: ""), file: "catalog/x.yaml")
        #expect(none.isEmpty)
        #expect(errors.map(\.description).contains { $0.contains("voorbeeld.rol") && $0.contains("basis") && $0.contains("context") && $0.contains("hulp") })
        let (_, unknown) = CatalogLoader.parse(yaml: Self.valid.replacingOccurrences(of: "rol: context", with: "rol: achtergrond"), file: "catalog/x.yaml")
        #expect(unknown.map(\.description).contains { $0.contains("onbekende rol 'achtergrond'") })
        let (_, why) = CatalogLoader.parse(yaml: Self.valid.replacingOccurrences(of: "    rol_waarom: Beschrijft wie er wonen.\n", with: ""), file: "catalog/x.yaml")
        #expect(why.map(\.description).contains { $0.contains("voorbeeld.rol_waarom") })
        let (_, layers) = CatalogLoader.parse(yaml: Self.valid.replacingOccurrences(of: "rol: context", with: "rol: hulp"), file: "catalog/x.yaml")
        #expect(layers.map(\.description).contains { $0.contains("voorbeeld.hulplagen") && $0.contains("vrij_toegankelijk") })
        let (help, fine) = CatalogLoader.parse(yaml: Self.valid.replacingOccurrences(of: "rol: context", with: "rol: hulp\n    hulplagen: [jeugdhulp, jeugdbescherming]"),
                                               file: "catalog/x.yaml")
        #expect(fine.isEmpty && help.first?.helpLayers == [.jeugdhulp, .jeugdbescherming])
    }

    /// The shipped catalogue tags context apart from the basis: population, income and benefits are never the basis.
    @Test func theShippedCatalogueKeepsContextApartFromTheBasis() throws {
        let catalog = try Fixtures.catalog()
        for id in ["inwoners", "ww_per_1000", "ao_per_1000", "gestandaardiseerd_inkomen_hh", "huishoudens_met_kinderen_pct", "afstand_school_km"] {
            #expect(catalog[id]?.role == .context, "\(id) is context")
        }
        for id in ["kindmonitor_lid_sportvereniging", "kindmonitor_speelt_buiten", "samenwerking_afstemmen", "kindmonitor_opvoeding_moeilijk"] {
            #expect(catalog[id]?.role == .basis, "\(id) is the basis")
        }
        #expect(catalog["jeugdzorg_in_natura_pct"]?.role == .hulp)
        #expect(catalog["jeugdzorg_in_natura_pct"]?.caveats.contains { $0.contains("jeugdbescherming") && $0.contains("vrij toegankelijke") } == true)
        #expect(catalog.indicators.allSatisfy { !$0.roleReason.isEmpty && !$0.pictures.isEmpty })
        #expect(catalog.indicators.filter { !$0.relations.isEmpty }.count >= 3, "the samenwerking scales are about relations between professionals")
    }

    @Test func anUnknownFieldIsReported() {
        let (_, errors) = CatalogLoader.parse(yaml: Self.valid + "\n    kleur: rood\n", file: "catalog/x.yaml")
        #expect(errors.contains { $0.key == "voorbeeld.kleur" })
    }
}

import Foundation
import Mustache

// swift-mustache finds a key by reflecting the whole value (Mirror) on every lookup. Rows that
// appear hundreds of times per page answer by name instead; an unknown name returns nil so the
// lookup climbs to the enclosing context as usual. The view models stay typed structs.

extension FigureRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "indicatorID": indicatorID
        case "indicatorName": indicatorName
        case "indicatorURL": indicatorURL
        case "value": value
        case "hasValue": hasValue
        case "note": note as Any?
        case "period": period
        case "source": source
        case "origin": origin as Any?
        case "comparisons": comparisons
        case "peerSummary": peerSummary as Any?
        case "strip": strip as Any?
        case "trend": trend as Any?
        case "trendText": trendText as Any?
        case "revision": revision as Any?
        case "versionsURL": versionsURL as Any?
        case "regionNote": regionNote as Any?
        case "peerPosition": peerPosition.map(\.rawValue) as Any?
        case "relativeChange": relativeChange as Any?
        default: nil
        }
    }
}

extension ComparisonCell: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "value": value
        case "difference": difference as Any?
        case "wording": wording as Any?
        default: nil
        }
    }
}

extension AreaShowPage.ChildRow: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "url": url
        case "code": code
        case "value": value
        case "hasValue": hasValue
        default: nil
        }
    }
}

extension MunicipalityIndexPage.Row: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "code": code
        case "url": url
        case "provincie": provincie
        case "ggd": ggd
        case "inhabitants": inhabitants
        default: nil
        }
    }
}

extension IndicatorShowPage.Row: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "code": code
        case "url": url
        case "value": value
        case "hasValue": hasValue
        case "origin": origin as Any?
        case "revision": revision as Any?
        case "versionsURL": versionsURL as Any?
        default: nil
        }
    }
}

extension MapPage.Row: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "code": code
        case "url": url as Any?
        case "value": value
        case "hasValue": hasValue
        default: nil
        }
    }
}

extension AreaShowPage: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "pageTitle": pageTitle
        case "subheadings": subheadings
        case "jsonURL": jsonURL
        case "name": name
        case "code": code
        case "kindLabel": kindLabel
        case "breadcrumbs": breadcrumbs
        case "facts": facts
        case "referenceNames": referenceNames
        case "referenceSentence": referenceSentence
        case "sections": sections
        case "summary": summary
        case "changeSummary": changeSummary
        case "childTable": childTable as Any?
        case "dialogue": dialogue as Any?
        case "peersURL": peersURL as Any?
        case "mapURL": mapURL as Any?
        case "conversationBoardURL": conversationBoardURL as Any?
        case "reportURL": reportURL as Any?
        case "expectedCareURL": expectedCareURL as Any?
        case "interventionsURL": interventionsURL as Any?
        case "networksURL": networksURL as Any?
        case "facilitiesURL": facilitiesURL as Any?
        case "hasPeers": hasPeers
        case "lamppostURL": lamppostURL
        case "attribution": attribution
        default: nil
        }
    }
}

extension AreaShowPage.Section: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "label": label
        case "anchor": anchor
        case "rows": rows
        case "missing": missing as Any?
        case "missingItems": missingItems
        default: nil
        }
    }
}

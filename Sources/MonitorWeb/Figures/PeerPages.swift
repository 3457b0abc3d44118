import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// View model of `pages/peers.mustache`.
struct PeerPage: Sendable {
    struct Share: Sendable { var value: String; var share: String }
    struct Row: Sendable { var name: String; var url: String; var code: String; var distance: String; var shares: [Share]; var main: String }
    struct Group: Sendable { var title: String; var members: [LinkItem]; var count: Int }

    var pageTitle: String
    var jsonURL: String
    var name: String
    var code: String
    var profileURL: String
    var formAction: String
    var options: [Option]
    var k: String
    var headers: [String]
    var own: [String]
    var rows: [Row]
    var groups: [Group]
    /// Benchlearning: the joint duidingen of this gemeente, and for its own users the form with the nearest peers invited.
    var jointListURL: String
    var jointInviteURL: String?

    init(area: Area, selection: PeerController.Selection, peers: [PeerFinder.Peer], variables: [PeerFinder.Variable],
         names: [AreaCode: String], groups: PeerController.Groups, catalog: Catalog) {
        name = area.name
        code = area.code.rawValue
        jointListURL = SiteRoute.jointDuidingen(area.code.rawValue).path
        pageTitle = tr("Gemeenten die op {0} lijken — Monitor pedagogische basis", area.name)
        jsonURL = SiteRoute.apiPeers(code).url(selection.variables.map { ("variabelen", $0) } + [("k", String(selection.k))])
        profileURL = SiteRoute.municipality(code).path
        formAction = SiteRoute.peers(code).path
        options = PeerController.candidates.map { Option(value: $0.id, label: catalog[$0.id]?.name ?? $0.id, selected: selection.variables.contains($0.id)) }
        k = String(selection.k)
        headers = selection.variables.map { id in (catalog[id]?.name ?? id) + (PeerController.candidates.first { $0.id == id }?.logarithm == true ? " (log)" : "") }
        func format(_ id: String, _ value: Double?) -> String {
            guard let value, let indicator = catalog[id] else { return tr("geen gegevens") }
            return DutchNumber.format(value, unit: indicator.unit, decimals: indicator.decimals)
        }
        own = zip(selection.variables, variables).map { id, v in format(id, v.values[area.code]) }
        rows = peers.map { peer in
            let shares = zip(selection.variables, zip(variables, peer.shares)).map { id, pair in
                Share(value: format(id, pair.0.values[peer.area]), share: DutchNumber.format(pair.1 * 100, decimals: 0) + "%")
            }
            let top = zip(selection.variables, peer.shares).max { $0.1 < $1.1 }
            let main = top.map { tr("het grootste verschil zit in {0}", (catalog[$0.0]?.name ?? $0.0).lowercased()) } ?? ""
            return Row(name: names[peer.area] ?? peer.area.rawValue, url: SiteRoute.municipality(peer.area.rawValue).path, code: peer.area.rawValue,
                       distance: DutchNumber.format(peer.distance, decimals: 2), shares: shares, main: main)
        }
        func links(_ areas: [Area]) -> [LinkItem] { areas.map { LinkItem(name: $0.name, url: SiteRoute.municipality($0.code.rawValue).path) } }
        var g: [Group] = []
        if let p = groups.provincie { g.append(Group(title: tr("Dezelfde provincie ({0})", p.name), members: links(groups.sameProvince), count: groups.sameProvince.count)) }
        if let r = groups.ggd { g.append(Group(title: tr("Dezelfde GGD-regio ({0})", r.name), members: links(groups.sameGGD), count: groups.sameGGD.count)) }
        if let s = groups.stedelijkheid { g.append(Group(title: tr("Dezelfde stedelijkheidsklasse ({0})", s), members: links(groups.sameUrbanity), count: groups.sameUrbanity.count)) }
        self.groups = g
    }
}

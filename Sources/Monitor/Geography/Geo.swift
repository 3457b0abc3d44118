import Foundation

/// A point in Rijksdriehoeksmeting coordinates (RD New, EPSG:28992), in metres.
public struct RDPoint: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// Projection for maps of the Netherlands: WGS84 longitude/latitude to RD New, with the
/// polynomial approximation of Schreutelkamp and Strang van Hees (accurate to about a metre,
/// far better than the simplified boundaries need).
public enum RDProjection {
    private static let r: [(p: Int, q: Int, c: Double)] = [
        (0, 1, 190094.945), (1, 1, -11832.228), (2, 1, -114.221), (0, 3, -32.391), (1, 0, -0.705),
        (3, 1, -2.340), (1, 3, -0.608), (0, 2, -0.008), (2, 3, 0.148),
    ]
    private static let s: [(p: Int, q: Int, c: Double)] = [
        (1, 0, 309056.544), (0, 2, 3638.893), (2, 0, 73.077), (1, 2, -157.984), (3, 0, 59.788),
        (0, 1, 0.433), (2, 2, -6.439), (1, 1, -0.032), (0, 4, 0.092), (1, 4, -0.054),
    ]

    /// Projects longitude/latitude (degrees) to RD.
    public static func project(longitude: Double, latitude: Double) -> RDPoint {
        let dPhi = 0.36 * (latitude - 52.15517440)
        let dLambda = 0.36 * (longitude - 5.38720621)
        func power(_ v: Double, _ n: Int) -> Double { n == 0 ? 1 : (1..<n).reduce(v) { a, _ in a * v } }
        var x = 155000.0, y = 463000.0
        for term in r { x += term.c * power(dPhi, term.p) * power(dLambda, term.q) }
        for term in s { y += term.c * power(dPhi, term.p) * power(dLambda, term.q) }
        return RDPoint(x: x, y: y)
    }
}

/// A (multi)polygon as rings of RD points; the first ring of each polygon is its outline, later ones holes.
public struct Shape: Sendable {
    public var polygons: [[[RDPoint]]]

    /// Reads a GeoJSON `Polygon` or `MultiPolygon` geometry (WGS84) and projects it to RD.
    public init?(geoJSON: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(geoJSON.utf8)) as? [String: Any],
              let type = object["type"] as? String, let coordinates = object["coordinates"] as? [Any] else { return nil }
        func ring(_ raw: Any) -> [RDPoint] {
            ((raw as? [[Double]]) ?? []).compactMap { $0.count >= 2 ? RDProjection.project(longitude: $0[0], latitude: $0[1]) : nil }
        }
        func polygon(_ raw: Any) -> [[RDPoint]] { ((raw as? [Any]) ?? []).map(ring).filter { $0.count >= 3 } }
        switch type {
        case "Polygon": polygons = [polygon(coordinates)]
        case "MultiPolygon": polygons = coordinates.map(polygon)
        default: return nil
        }
        polygons.removeAll { $0.isEmpty }
        if polygons.isEmpty { return nil }
    }

    /// True when the point lies inside one of the polygons (inside its outline and outside its holes; even–odd rule).
    public func contains(_ p: RDPoint) -> Bool {
        func inside(_ ring: [RDPoint]) -> Bool {
            var result = false
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { result.toggle() }
                j = i
            }
            return result
        }
        return polygons.contains { polygon in
            guard let outline = polygon.first, inside(outline) else { return false }
            return !polygon.dropFirst().contains(where: inside)
        }
    }

    /// Bounding box (minX, minY, maxX, maxY).
    public var bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        var b = (minX: Double.infinity, minY: Double.infinity, maxX: -Double.infinity, maxY: -Double.infinity)
        for polygon in polygons { for ring in polygon { for p in ring {
            b.minX = min(b.minX, p.x); b.minY = min(b.minY, p.y); b.maxX = max(b.maxX, p.x); b.maxY = max(b.maxY, p.y)
        } } }
        return b
    }
}

/// Finds the wijk a point lies in, from the wijk boundaries (simplified: a point within metres of a border may land
/// in the neighbouring wijk).
public struct AreaLocator: Sendable {
    let areas: [(code: AreaCode, shape: Shape, bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double))]

    public init(shapes: [(code: AreaCode, shape: Shape)]) {
        areas = shapes.map { ($0.code, $0.shape, $0.shape.bounds) }
    }

    public func area(containing p: RDPoint) -> AreaCode? {
        areas.first { entry in
            entry.bounds.minX <= p.x && p.x <= entry.bounds.maxX && entry.bounds.minY <= p.y && p.y <= entry.bounds.maxY && entry.shape.contains(p)
        }?.code
    }
}

/// Fits RD coordinates into an SVG viewport (y pointing down) and writes path data.
public struct MapFrame: Sendable {
    public let width: Double
    public let height: Double
    let scale: Double
    let offsetX: Double
    let offsetY: Double
    let maxY: Double

    /// A frame for the given bounds, `width` wide, with the height that keeps the aspect ratio.
    public init(bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double), width: Double, padding: Double = 8) {
        let spanX = max(bounds.maxX - bounds.minX, 1), spanY = max(bounds.maxY - bounds.minY, 1)
        scale = (width - 2 * padding) / spanX
        self.width = width
        height = (spanY * scale + 2 * padding).rounded()
        offsetX = bounds.minX - padding / scale
        offsetY = padding
        maxY = bounds.maxY
    }

    /// A point in the frame's SVG coordinates.
    public func point(_ p: RDPoint) -> (x: Double, y: Double) {
        ((p.x - offsetX) * scale, (maxY - p.y) * scale + offsetY)
    }

    /// SVG path data (`M…L…Z` per ring, even-odd holes), coordinates rounded to 0.1 px; points
    /// closer than half a pixel to the previous one are dropped.
    public func path(_ shape: Shape) -> String {
        var d = ""
        d.reserveCapacity(256)
        for polygon in shape.polygons {
            for ring in polygon {
                var lastX = Int.min, lastY = Int.min, count = 0
                for (index, p) in ring.enumerated() {
                    let x = Int(((p.x - offsetX) * scale * 10).rounded())
                    let y = Int(((maxY - p.y) * scale * 10 + offsetY * 10).rounded())
                    if index > 0 && abs(x - lastX) < 5 && abs(y - lastY) < 5 && index != ring.count - 1 { continue }
                    d += (count == 0 ? "M" : "L") + Self.tenths(x) + " " + Self.tenths(y)
                    lastX = x; lastY = y; count += 1
                }
                d += "Z"
            }
        }
        return d
    }

    static func tenths(_ v: Int) -> String {
        let whole = v / 10, frac = abs(v % 10)
        if frac == 0 { return String(whole) }
        return (v < 0 && whole == 0 ? "-" : "") + String(whole) + "." + String(frac)
    }
}

import CompressNIO
import HTTPTypes
import Hummingbird
import NIOCore

/// gzip for text answers (HTML, JSON, CSV, SVG, CSS) when the client asks for it, with compress-nio (zlib). An answer
/// from the response cache was compressed once when it was kept (``ResponseCache/Entry/gzipped``); any other text
/// answer is compressed on its way out — in one piece when its length is known, as a stream (an export) otherwise.
/// Brotli is not offered: there is no maintained Swift package for it in our package mirror.
enum ContentCoding {
    /// Smaller answers are sent as they are: the gzip header and the work outweigh what is saved.
    static let minimumSize = 1_024

    /// Whether `Accept-Encoding` takes gzip (RFC 9110 §12.5.3): `gzip` or `x-gzip` with a q above 0, or else `*` with a
    /// q above 0. A q that is not a number counts as 0.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var gzip: Double?, any: Double?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = parts.first, !name.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)).flatMap { $0.isFinite ? $0 : nil } ?? 0
            }
            if name == "gzip" || name == "x-gzip" { gzip = max(gzip ?? 0, quality) } else if name == "*" { any = quality }
        }
        return (gzip ?? any ?? 0) > 0
    }

    /// Text worth compressing; images other than SVG, spreadsheets and archives are compressed already.
    static func isCompressible(contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return type.hasPrefix("text/") || type == "application/json" || type.hasSuffix("+json") || type == "image/svg+xml"
            || type == "application/xml" || type.hasSuffix("+xml") || type == "application/javascript"
    }

    /// The gzip form of `body`, or nil when it would not be smaller (or zlib refused).
    static func gzip(_ body: ByteBuffer) -> ByteBuffer? {
        guard body.readableBytes >= minimumSize else { return nil }
        var input = body
        guard let compressed = try? input.compress(with: .gzip()), compressed.readableBytes < body.readableBytes else { return nil }
        return compressed
    }

    /// The strong entity tag of the gzip form: another representation of the same data is another tag (RFC 9110 §8.8.3).
    static func gzipTag(_ tag: String) -> String {
        guard tag.hasSuffix("\""), !tag.hasPrefix("W/") else { return tag }
        return String(tag.dropLast()) + "-gz\""
    }

    /// Adds `token` to the `Vary` header once.
    static func vary(_ headers: inout HTTPFields, on token: String) {
        let present = headers[.vary]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? []
        guard !present.contains(token.lowercased()), !present.contains("*") else { return }
        headers[.vary] = present.isEmpty ? token : headers[.vary]! + ", " + token
    }
}

/// Compresses every text answer that is not compressed yet, for clients that take gzip; registered outside the error
/// middleware so error pages are compressed too, and outside ``HTTPCacheMiddleware``, whose kept answers arrive
/// compressed already.
struct CompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard response.headers[.contentEncoding] == nil, response.status != .notModified, response.status != .noContent,
              request.method != .head, ContentCoding.isCompressible(contentType: response.headers[.contentType]) else {
            return response
        }
        ContentCoding.vary(&response.headers, on: "Accept-Encoding")
        guard ContentCoding.acceptsGzip(request.headers[.acceptEncoding]) else { return response }
        if let length = response.body.contentLength {
            guard length >= ContentCoding.minimumSize else { return response }
            let collector = BodyCollector()
            try await response.body.write(collector)
            guard let compressed = ContentCoding.gzip(collector.buffer) else {
                response.body = ResponseBody(byteBuffer: collector.buffer)
                return response
            }
            response.body = ResponseBody(byteBuffer: compressed)
        } else {
            // A stream (an export): each part is compressed and flushed as it comes, so nothing waits for the whole file.
            let body = response.body
            response.body = ResponseBody { writer in
                let compressor = CompressionAlgorithm.gzip().compressor
                try compressor.startStream()
                do {
                    try await body.write(GzipStreamWriter(parent: writer, compressor: compressor))
                } catch {
                    // zlib's memory is given back also when the export stops half-way (a time limit, a closed connection).
                    try? compressor.finishStream()
                    throw error
                }
            }
        }
        response.headers[.contentEncoding] = "gzip"  // the body's setter wrote the new Content-Length (none for a stream)
        if let tag = response.headers[.eTag] { response.headers[.eTag] = ContentCoding.gzipTag(tag) }
        return response
    }
}

/// Compresses a body part by part (each flushed, so a slow export still reaches the client as it is made).
struct GzipStreamWriter: ResponseBodyWriter {
    var parent: any ResponseBodyWriter
    let compressor: any NIOCompressor

    mutating func write(_ buffer: ByteBuffer) async throws {
        // An empty part would ask zlib to flush nothing, which it refuses; it changes nothing anyway.
        guard buffer.readableBytes > 0 else { return }
        var input = buffer
        // Room for the worst case of this part with its flush marker (deflateBound + 6), so one call takes it all.
        var output = ByteBuffer()
        output.reserveCapacity(compressor.maxSize(from: input))
        try input.compressStream(to: &output, with: compressor, flush: .sync)
        try await parent.write(output)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        // After the flushed parts only the last block and the gzip trailer remain (some tens of bytes).
        var output = ByteBuffer()
        output.reserveCapacity(256)
        try compressor.finishDeflate(to: &output)
        try compressor.finishStream()
        try await parent.write(output)
        try await parent.finish(trailingHeaders)
    }
}

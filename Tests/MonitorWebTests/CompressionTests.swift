import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

/// Issue 20, item 4 (gzip, compressed once and kept compressed) and item 3's versioned stylesheet.
@Suite("Compressie en de stylesheet")
struct CompressionTests {
    static func get(_ client: any TestClientProtocol, _ path: String, encoding: String? = "gzip, deflate, br",
                    ifNoneMatch: String? = nil, as visitor: Browser = Browser()) async throws -> TestResponse {
        var headers = visitor.cookieHeader
        if let encoding { headers[.acceptEncoding] = encoding }
        if let ifNoneMatch { headers[.ifNoneMatch] = ifNoneMatch }
        return try await client.execute(uri: path, method: .get, headers: headers, body: nil)
    }

    static func gunzip(_ buffer: ByteBuffer) throws -> ByteBuffer {
        var compressed = buffer
        return try compressed.decompress(with: .gzip())
    }

    @Test func aKeptAnswerIsSentCompressedAndDecompressesToTheSameBytes() async throws {
        try await withApp { client in
            for path in ["/api/v1/gemeenten/GM0363", "/gemeenten/GM0363", "/kaart/inwoners.svg", "/export/inwoners?formaat=csv&niveau=gemeente"] {
                let plain = try await Self.get(client, path, encoding: nil)
                #expect(plain.status == .ok && plain.headers[.contentEncoding] == nil, "\(path): no gzip when not asked")
                let first = try await Self.get(client, path)
                let second = try await Self.get(client, path)
                #expect(first.headers[.contentEncoding] == "gzip", "\(path)")
                #expect(first.headers[.vary]?.contains("Accept-Encoding") == true && plain.headers[.vary]?.contains("Accept-Encoding") == true,
                        "\(path): a shared cache keeps the forms apart")
                #expect(try Self.gunzip(first.body) == plain.body, "\(path): the same bytes once decompressed")
                #expect(first.body.readableBytes * 2 < plain.body.readableBytes, "\(path): \(plain.body.readableBytes) → \(first.body.readableBytes) bytes")
                if let length = first.headers[.contentLength] { #expect(Int(length) == first.body.readableBytes, "\(path): the length of the bytes sent") }
                if path.hasPrefix("/export") { continue }  // a stream is compressed as it goes and not kept
                #expect(second.headers[.xCache] == "hit" && second.body == first.body, "\(path): kept compressed, sent again as it is")
                let plainTag = try #require(plain.headers[.eTag]), gzipTag = try #require(first.headers[.eTag])
                #expect(plainTag != gzipTag && gzipTag.hasSuffix("-gz\""), "another representation, another strong tag")
                for tag in [plainTag, gzipTag] {
                    #expect(try await Self.get(client, path, ifNoneMatch: tag).status == .notModified, "\(path): either form is up to date")
                }
            }
        }
    }

    @Test func aClientThatRefusesGzipOrSendsSomethingOddGetsPlainBytes() async throws {
        try await withApp { client in
            for encoding in ["gzip;q=0", "identity", "br", "gzip;q=nan", "gzip;q=", ",,;;", "*;q=0"] {
                let response = try await Self.get(client, "/api/v1/gemeenten/GM0363", encoding: encoding)
                #expect(response.status == .ok && response.headers[.contentEncoding] == nil, "\(encoding)")
                #expect(try response.decode(AreaController.AreaBody.self).gebied.code == "GM0363", "\(encoding)")
            }
            for encoding in ["*", "GZIP", "deflate, gzip;q=0.5", "x-gzip"] {
                #expect(try await Self.get(client, "/api/v1/gemeenten/GM0363", encoding: encoding).headers[.contentEncoding] == "gzip", "\(encoding)")
            }
        }
        #expect(!ContentCoding.acceptsGzip(nil) && !ContentCoding.acceptsGzip("gzip;q=0, *;q=1"), "a gzip refused outright stays refused")
    }

    @Test func pagesThatAreNotKeptAreCompressedOnTheWayOut() async throws {
        try await AccountWorld.with { client, world in
            let analist = try await Browser.loggedIn(client, as: world.analist.username)
            let plain = try await Self.get(client, "/gemeenten/GM0363", encoding: nil, as: analist)
            let page = try await Self.get(client, "/gemeenten/GM0363", as: analist)
            #expect(page.headers[.contentEncoding] == "gzip" && page.headers[.eTag] == nil && page.headers[.xCache] == nil)
            let text = String(buffer: try Self.gunzip(page.body))
            #expect(text.contains("Uitloggen") && text.count == plain.text.count, "the logged-in page, whole")
            // A small answer goes as it is.
            let small = try await Self.get(client, "/-/version")
            #expect(small.headers[.contentEncoding] == nil && small.body.readableBytes < ContentCoding.minimumSize)
            // Error pages are compressed too.
            let missing = try await Self.get(client, "/gemeenten/GM9999")
            #expect(missing.status == .notFound)
            let missingText = missing.headers[.contentEncoding] == "gzip" ? String(buffer: try Self.gunzip(missing.body)) : missing.text
            #expect(missingText.contains("GM9999"))
        }
    }

    @Test func theStylesheetHasAVersionedAddressKeptForAYear() async throws {
        try await withApp { client in
            let page = try await Self.get(client, "/", encoding: nil)
            let href = try #require(page.text.firstMatch(of: /href="(\/static\/pbmonitor\.css\?v=[0-9a-f]+)"/)?.1)
            let versioned = try await Self.get(client, String(href), encoding: nil)
            #expect(versioned.status == .ok && versioned.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(versioned.headers[.contentType]?.hasPrefix("text/css") == true)
            let bare = try await Self.get(client, "/static/pbmonitor.css", encoding: nil)
            #expect(bare.headers[.cacheControl] == "public, no-cache" && bare.body == versioned.body, "an old or missing version is checked each time")
            let tag = try #require(bare.headers[.eTag])
            #expect(try await Self.get(client, "/static/pbmonitor.css", ifNoneMatch: tag).status == .notModified)
            let compressed = try await Self.get(client, String(href))
            let unpacked = try Self.gunzip(compressed.body)
            #expect(compressed.headers[.contentEncoding] == "gzip" && unpacked == versioned.body)
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("Formulieren met bestanden")
struct MultipartFormTests {
    static func body(_ disposition: String, content: String = "gebied,periode\n") -> (Data, String) {
        let boundary = "----grens7MA4YWxkTrZu0gW"
        let text = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
            + "--\(boundary)\r\nContent-Disposition: \(disposition)\r\nContent-Type: text/csv\r\n\r\n\(content)\r\n--\(boundary)--\r\n"
        return (Data(text.utf8), "multipart/form-data; boundary=\(boundary)")
    }

    @Test func aFileNameKeepsItsQuotesSemicolonsAndAccents() {
        let cases: [(String, String)] = [
            (#"form-data; name="bestand"; filename="cijfers.csv""#, "cijfers.csv"),
            (#"form-data; name="bestand"; filename="wijk \"Oost\"; 2024.csv""#, #"wijk "Oost"; 2024.csv"#),
            (#"form-data; name="bestand"; filename="wijk %22Oost%22.csv""#, #"wijk "Oost".csv"#),
            (#"form-data; name="bestand"; filename="naief.csv"; filename*=UTF-8''na%C3%AFef%20%E2%80%93%20wijk.csv"#, "naïef – wijk.csv"),
            (#"FORM-DATA; NAME="bestand"; FILENAME="hoofdletters.csv""#, "hoofdletters.csv"),
        ]
        for (disposition, expected) in cases {
            let (data, type) = Self.body(disposition)
            let form = FormData(body: data, contentType: type)
            #expect(form["csrf"] == "abc", "\(disposition)")
            #expect(form.files["bestand"]?.fileName == expected, "\(disposition)")
            #expect(form.files["bestand"].map { String(decoding: $0.data, as: UTF8.self) } == "gebied,periode\n")
        }
    }

    @Test func aBrokenDispositionIsSkippedNotTrusted() {
        let (data, type) = Self.body(#"form-data; filename="zonder-naam.csv""#)
        #expect(FormData(body: data, contentType: type).files.isEmpty, "a part without a name is not a field")
        #expect(FormData.dispositionParameters(#" form-data; name="a;b=c"; x"#)["name"] == "a;b=c")
        #expect(FormData.dispositionParameters("form-data; filename*=KOI8-R''%C1")["filename*"] == nil, "an unknown charset is not guessed")
    }

    @Test func anUploadSplitIntoChunksAnywhereReadsTheSame() throws {
        // CRLF line endings and a line that starts like the boundary must stay in the file, wherever the network cuts.
        let content = "gebied,periode\r\n--grens,2024\r\nGM0363,2024\r\n"
        let (data, type) = Self.body(#"form-data; name="bestand"; filename="cijfers.csv""#, content: content)
        for size in [1, 2, 3, 7, 16, 64, data.count] {
            let reader = try #require(MultipartFormReader(contentType: type))
            var offset = 0
            while offset < data.count {
                try reader.feed(ByteBuffer(bytes: data[offset..<min(offset + size, data.count)]))
                offset += size
            }
            let form = try reader.finish()
            #expect(form["csrf"] == "abc", "chunks of \(size)")
            #expect(form.files["bestand"].map { String(decoding: $0.data, as: UTF8.self) } == content, "chunks of \(size)")
        }
    }

    @Test func aBodyThatIsNotMultipartIsRefusedNotGuessed() throws {
        let type = "multipart/form-data; boundary=grens"
        let reader = try #require(MultipartFormReader(contentType: type))
        #expect(throws: (any Error).self) { try reader.feed(ByteBuffer(string: "--grens\r\nkop zonder dubbele punt\r\n\r\nx\r\n--grens--\r\n")) }
        #expect(MultipartFormReader(contentType: "multipart/form-data") == nil, "no boundary: not read as multipart")
        #expect(MultipartFormReader(contentType: "application/x-www-form-urlencoded") == nil)
    }

    @Test func anEmptyFileInputIsNoUploadAndACutOffPartIsLeftOut() throws {
        let (empty, type) = Self.body(#"form-data; name="bestand"; filename="""#, content: "")
        #expect(FormData(body: empty, contentType: type).files.isEmpty)
        let (whole, _) = Self.body(#"form-data; name="bestand"; filename="a.csv""#)
        let cut = whole.prefix(whole.count - 20)
        let form = FormData(body: cut, contentType: type)
        #expect(form["csrf"] == "abc")
        #expect(form.files["bestand"] == nil, "a file whose end never arrived is not half-imported")
    }
}

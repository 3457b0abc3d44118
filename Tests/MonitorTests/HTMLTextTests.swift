import Foundation
import Monitor
import Testing

/// HTML of council documents to plain text: character references decoded once, left to right, whatever their kind.
@Suite("HTML naar tekst")
struct HTMLTextTests {
    @Test func namedDecimalAndHexadecimalReferencesAreDecoded() {
        #expect(HTMLText.decodeEntities("Caf&eacute; &#233;&#xE9;&#XE9; na&iuml;ef &euro;&nbsp;5 &hellip;") == "Café ééé naïef €\u{A0}5 …")
        #expect(HTMLText.decodeEntities("&yuml;&times;&divide;&THORN;&szlig;&iexcl;") == "ÿ×÷Þß¡", "the whole Latin-1 table lines up")
    }

    @Test func aDecodedAmpersandNeverStartsAnotherReference() {
        #expect(HTMLText.decodeEntities("&amp;lt;script&amp;gt;") == "&lt;script&gt;")
        #expect(HTMLText.decodeEntities("&amp;#233;") == "&#233;")
    }

    @Test func whatIsNoReferenceStaysAsWritten() {
        #expect(HTMLText.decodeEntities("Jansen & Zn; &onbekend; &#0; &#x110000; &#12a; & ;") == "Jansen & Zn; &onbekend; &#0; &#x110000; &#12a; & ;")
        #expect(HTMLText.decodeEntities("geen") == "geen")
    }

    @Test func aDocumentBecomesTextWithItsAccentsAndWithoutMarkup() {
        let html = "<html><head><style>p{}</style><script>var a = '&amp;';</script></head><body><h1>Motie opgroeien</h1>"
            + "<p>De raad vindt het &#233;&#233;n prioriteit: ouders &amp; scholen samen.</p><!-- weg --><p>Caf&eacute;s&nbsp;en <b>pleinen</b>.</p></body></html>"
        #expect(HTMLText.text(html) == "Motie opgroeien\n\nDe raad vindt het één prioriteit: ouders & scholen samen.\n\nCafés en  pleinen .")
    }
}

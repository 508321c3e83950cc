import Testing

@testable import HatifImport

@Suite("report.html")
struct HTMLReportWriterTests {
    @Test("a value holding </script> cannot end the page's data script; other text is left as it is")
    func scriptSafe() {
        #expect(HTMLReportWriter.scriptSafe(#"["x</script><img src=x>"]"#) == #"["x<\/script><img src=x>"]"#)
        #expect(HTMLReportWriter.scriptSafe("a</b</c") == #"a<\/b<\/c"#)
        #expect(HTMLReportWriter.scriptSafe("a < b / c, <<x//") == "a < b / c, <<x//")
        #expect(HTMLReportWriter.scriptSafe("") == "")
    }
}

@testable import SetasideServer
import Testing

@Suite struct PageHTMLTests {
    @Test func textIsEscapedForElementsAndQuotedAttributes() {
        #expect(PageHTML.escaped(#"<script>alert("x&y's")</script>"#)
                == "&lt;script&gt;alert(&quot;x&amp;y&#39;s&quot;)&lt;/script&gt;")
        #expect(PageHTML.escaped("【示例】平鲁区教育局 1,234.50") == "【示例】平鲁区教育局 1,234.50")
        #expect(PageHTML.escaped("") == "")
    }

    @Test func anOverviewRowLinksItsUnitAndEscapesEveryValue() {
        let row = PageOverviewRow(creditCode: "12140603MB0000001X", name: "甲 <b>&", region: "平鲁区",
                                  declarationState: "late", declaration: "逾期申报", overall: "short",
                                  overallLabel: "未达标", shortfall: "1,234.50")
        let html = PageOverviewRow.html([row, row], year: 2024)
        #expect(html.components(separatedBy: "<tr class=\"status-short\">").count == 3)
        #expect(html.contains(#"<a href="/units/12140603MB0000001X?year=2024">甲 &lt;b&gt;&amp;</a>"#))
        #expect(html.contains(#"<span class="badge state-late">逾期申报</span>"#) && html.contains("<td>平鲁区</td>"))
        #expect(html.contains(#"<td class="num">1,234.50</td></tr>"#) && !html.contains("<b>"))
    }
}

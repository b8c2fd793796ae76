import Foundation
import Logging
@testable import SetasideServer
import Testing

@Suite struct LogSinkTests {
    /// The text written to a fresh file through a sink by `body`.
    func written(capacity: Int = 1 << 20, paused: Bool = false, _ body: (LogSink) -> Void) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString)").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(descriptor >= 0)
        defer { close(descriptor); unlink(path) }
        let sink = LogSink(descriptor: descriptor, capacity: capacity, paused: paused)
        body(sink)
        sink.close()
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func everyLineIsWrittenInOrderByTheTimeItCloses() throws {
        let text = try written { sink in
            for i in 0..<5_000 { sink.append("line \(i)\n") }
        }
        #expect(text.split(separator: "\n").map(String.init) == (0..<5_000).map { "line \($0)" })
    }

    @Test func linesBeyondCapacityAreCountedNotWaitedFor() throws {
        // Paused, so that nothing is written out (making room) between the lines.
        let text = try written(capacity: 10, paused: true) { sink in
            sink.append("123456789\n")   // fits exactly
            sink.append("too much\n")
            sink.append("and more\n")
        }
        #expect(text.hasPrefix("123456789\n"))
        #expect(text.contains("2 log lines dropped"))
        #expect(!text.contains("too much"))
    }

    @Test func theHandlerWritesTheStreamFormatWithSortedMetadata() throws {
        let text = try written { sink in
            var logger = Logger(label: "setaside") { BufferedLogHandler(label: $0, sink: sink) }
            logger[metadataKey: "account"] = "wang"
            logger.info("request", metadata: ["status": "201", "method": "POST"])
            logger.debug("not at info")
        }
        let pattern = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000 info setaside: account=wang method=POST status=201 \[\S+\] request\n$/#
        #expect(text.wholeMatch(of: pattern) != nil, "\(text)")
    }
}

/// What the bytes of a file that is not all valid UTF-8 say about its encoding.
///
/// Chinese in UTF-8 is sequences of three bytes. A GB18030 (GBK) file read as UTF-8 has
/// as many runs of invalid bytes as good two-byte sequences (a GBK character with a lead
/// byte C2–DF and a trail byte A1–BF is one), but hardly any good three-byte sequence:
/// none in a 10 000-unit register converted to GBK, against 32 917 invalid runs. A
/// UTF-8 file with a broken character is the other way round: many good three-byte
/// sequences, one bad run. And Chinese text in GB18030 is nearly all in the repertoire of
/// GB2312 (lead and trail bytes A1–FE), where mojibake made of UTF-8 bytes is not:
/// `IMP02B-订单号` with its last byte lost reads as `璁㈠崟鍙`, half of it outside.
struct EncodingEvidence {
    /// Multi-byte sequences that are well-formed UTF-8, and those of three or four bytes.
    var utf8Sequences = 0
    var longUTF8Sequences = 0
    /// Runs of bytes that are not UTF-8.
    var invalidRuns = 0
    /// Characters of two bytes when read as GB18030, and how many of them are in GB2312.
    var gbPairs = 0
    var gb2312Pairs = 0

    init(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buf in
            var i = 0
            var inInvalidRun = false
            while i < buf.count {
                if buf[i] < 0x80 { i += 1; inInvalidRun = false; continue }
                let length = CSVParser.utf8SequenceLength(buf, at: i)
                if length > 0 {
                    utf8Sequences += 1
                    if length > 2 { longUTF8Sequences += 1 }
                    i += length
                    inInvalidRun = false
                } else {
                    if !inInvalidRun { invalidRuns += 1 }
                    inInvalidRun = true
                    i += 1
                }
            }
        }
        var i = 0
        while i + 1 < bytes.count {
            let b0 = bytes[i], b1 = bytes[i + 1]
            if b0 < 0x80 { i += 1; continue }
            if (0x30...0x39).contains(b1) { i += 4; continue }  // a four-byte character
            gbPairs += 1
            if (0xA1...0xF7).contains(b0) && (0xA1...0xFE).contains(b1) { gb2312Pairs += 1 }
            i += 2
        }
    }

    /// At least as many good sequences of three or four bytes as bad runs: a UTF-8 file
    /// with damage.
    var looksLikeDamagedUTF8: Bool { longUTF8Sequences > 0 && longUTF8Sequences >= invalidRuns }

    /// Any good multi-byte UTF-8 at all: the bytes that are not are better named than the
    /// file called "not text".
    var hasUTF8: Bool { utf8Sequences > 0 }

    /// Well-formed GB18030 whose two-byte characters are at least three quarters GB2312.
    var isPlausibleGB18030: Bool { 4 * gb2312Pairs >= 3 * gbPairs }
}

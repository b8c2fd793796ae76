// Foundation is imported for one thing only: decoding GB18030 bytes to Unicode
// (`String(data:encoding:)`), which does no I/O. Everything else is byte-level Swift.
import Foundation

/// Which encoding a file is in, and its bytes as UTF-8 (the parse reads only UTF-8).
extension CSVParser {
    /// The file's text as valid UTF-8, its encoding, and where the text starts (after a
    /// byte-order mark). With `forced`, the bytes must be in that encoding; else UTF-8 is
    /// taken when they are all UTF-8, and GB18030 only when they are not, do not look like
    /// UTF-8 with damage in it, and read as plausible Chinese text in GB18030 (see
    /// `EncodingEvidence`): a UTF-8 file with one broken character is refused, not stored
    /// as mojibake.
    static func decode(_ bytes: [UInt8], as forced: TextEncoding? = nil) throws(CSVError) -> (encoding: TextEncoding, text: [UInt8], start: Int) {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        if forced == .gb18030 { return (.gb18030, try decodeGB18030(bytes), 0) }
        let invalid = bytes.withUnsafeBufferPointer { firstInvalidUTF8($0, from: start) }
        guard let invalid else { return (.utf8, bytes, start) }
        // A UTF-8 byte-order mark, or UTF-8 asked for, says what the file is: bytes that
        // are not UTF-8 are damage to report, not a sign of another encoding.
        if start > 0 || forced == .utf8 { throw invalidUTF8(bytes, at: invalid) }
        let evidence = EncodingEvidence(bytes)
        if evidence.looksLikeDamagedUTF8 { throw invalidUTF8(bytes, at: invalid) }
        guard evidence.isPlausibleGB18030, firstInvalidGB18030(bytes) == nil else {
            throw evidence.hasUTF8 ? invalidUTF8(bytes, at: invalid) : .notText
        }
        return (.gb18030, try decodeGB18030(bytes), 0)
    }

    /// The error naming the line of `bytes[offset]` and its byte within the line (from 1).
    static func invalidUTF8(_ bytes: [UInt8], at offset: Int) -> CSVError {
        let place = Place(bytes, offset)
        return .invalidUTF8(line: place.line, byte: place.byte)
    }

    /// The line (from 1, counting LF) and the byte within it (from 1) of an offset.
    struct Place {
        var line: Int
        var byte: Int
        init(_ bytes: [UInt8], _ offset: Int) {
            let lineStart = bytes[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            line = 1 + bytes[..<offset].lazy.filter { $0 == 0x0A }.count
            byte = offset - lineStart + 1
        }
    }

    /// Whether `buf[from...]` is well-formed UTF-8 (no overlong forms, surrogates or
    /// scalars above U+10FFFF).
    static func isValidUTF8(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        firstInvalidUTF8(buf, from: from) == nil
    }

    /// The length of the well-formed UTF-8 sequence of two to four bytes at `i`, or 0.
    static func utf8SequenceLength(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = buf.count
        let b0 = buf[i]
        @inline(__always) func cont(_ k: Int) -> Bool { i + k < n && buf[i + k] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0...0xEF:
            guard cont(1), cont(2) else { return 0 }
            let b1 = buf[i + 1]
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }   // overlong
            if b0 == 0xED && b1 > 0x9F { return 0 }   // surrogates
            return 3
        case 0xF0...0xF4:
            guard cont(1), cont(2), cont(3) else { return 0 }
            let b1 = buf[i + 1]
            if b0 == 0xF0 && b1 < 0x90 { return 0 }   // overlong
            if b0 == 0xF4 && b1 > 0x8F { return 0 }   // above U+10FFFF
            return 4
        default:
            return 0
        }
    }

    /// The offset of the first byte in `buf[from...]` that is not well-formed UTF-8, or
    /// nil when there is none.
    static func firstInvalidUTF8(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let base = buf.baseAddress else { return nil }
        let n = buf.count
        var i = from
        while i < n {
            // Fast path: eight ASCII bytes at a time.
            while i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            if i >= n { break }
            if buf[i] < 0x80 { i += 1; continue }
            let length = utf8SequenceLength(buf, at: i)
            if length == 0 { return i }
            i += length
        }
        return nil
    }

    /// The offset of the first byte that is not well-formed GB18030, or nil: single bytes
    /// 00–7F, two bytes 81–FE + 40–7E/80–FE, four bytes 81–FE + 30–39 + 81–FE + 30–39.
    static func firstInvalidGB18030(_ bytes: [UInt8]) -> Int? {
        let n = bytes.count
        var i = 0
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            guard b0 >= 0x81 && b0 <= 0xFE, i + 1 < n else { return i }
            let b1 = bytes[i + 1]
            if (b1 >= 0x40 && b1 <= 0x7E) || (b1 >= 0x80 && b1 <= 0xFE) {
                i += 2
            } else if b1 >= 0x30 && b1 <= 0x39 {
                guard i + 3 < n else { return i }
                let b2 = bytes[i + 2], b3 = bytes[i + 3]
                guard b2 >= 0x81 && b2 <= 0xFE && b3 >= 0x30 && b3 <= 0x39 else { return i }
                i += 4
            } else {
                return i
            }
        }
        return nil
    }

    /// GB18030 bytes to UTF-8 bytes. The byte structure is checked here; the mapping to
    /// Unicode (two-byte GBK table, four-byte ranges) is Foundation's, which does no I/O.
    static func decodeGB18030(_ bytes: [UInt8]) throws(CSVError) -> [UInt8] {
        if let invalid = firstInvalidGB18030(bytes) {
            let place = Place(bytes, invalid)
            throw .invalidGB18030(line: place.line, byte: place.byte)
        }
        let gb18030 = String.Encoding(rawValue: 0x8000_0632)  // kCFStringEncodingGB_18030_2000
        guard let text = String(data: Data(bytes), encoding: gb18030) else { throw .notText }
        var utf8 = Array(text.utf8)
        if utf8.count >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF {
            utf8.removeFirst(3)  // GB18030 byte-order mark 84 31 95 33, decoded to U+FEFF
        }
        return utf8
    }
}

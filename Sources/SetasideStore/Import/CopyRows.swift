import NIOCore

/// Builds the text-format rows of a `COPY … FROM STDIN`: tab-separated fields, `\N`
/// for NULL, and backslash, tab, newline and carriage return escaped.
struct CopyRows {
    private(set) var buffer: ByteBuffer
    private var fieldsInRow = 0

    init(capacity: Int = 1 << 20) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    var byteCount: Int { buffer.readableBytes }

    mutating func field(_ text: String?) {
        separate()
        guard let text else { buffer.writeStaticString("\\N"); return }
        var needsEscape = false
        for byte in text.utf8 where byte == UInt8(ascii: "\\") || byte == 9 || byte == 10 || byte == 13 {
            needsEscape = true
            break
        }
        guard needsEscape else { buffer.writeString(text); return }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case 9: buffer.writeStaticString("\\t")
            case 10: buffer.writeStaticString("\\n")
            case 13: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    mutating func field(_ value: Int64) {
        separate()
        buffer.writeString(String(value))
    }

    mutating func field(_ value: Int) { field(Int64(value)) }

    mutating func field(_ value: Bool) {
        separate()
        buffer.writeStaticString(value ? "t" : "f")
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }

    /// Hands over the bytes so far and starts an empty buffer.
    mutating func take() -> ByteBuffer {
        let full = buffer
        buffer = ByteBufferAllocator().buffer(capacity: full.capacity)
        return full
    }

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(9)) }
        fieldsInRow += 1
    }
}

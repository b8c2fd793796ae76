import Hummingbird

/// A response whose body is JSON text written by hand (key order kept).
struct JSONResponse: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var json: String
    var headers: HTTPFields = [:]

    init(_ json: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.json = json
        self.status = status
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}

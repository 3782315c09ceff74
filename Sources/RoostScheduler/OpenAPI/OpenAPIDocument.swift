import Hummingbird

/// The OpenAPI 3.1 description of `/v1`, as committed in `docs/openapi.json`
/// (embedded by `scripts/embed-openapi.sh`), so tools and users can read the
/// contract from a running scheduler. Open to everyone: it holds no secrets.
public enum OpenAPIDocument {
    /// The document's bytes, exactly as in `docs/openapi.json`.
    public static var json: String { text + "\n" }

    static func register(on router: Router<BasicRequestContext>) {
        let bytes = Array(json.utf8)
        router.get("/v1/openapi.json") { _, _ -> Response in
            JSONResponse.bytes(bytes, contentType: "application/json")
        }
    }
}

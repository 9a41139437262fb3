import Crypto
import Foundation
import Formats

/// SAXSDog's request signature (SAXS_py3 `Leash.addauthentication`, `Server.authenticate`): the request with
/// `sign` set to `""`, as `json.dumps(request, sort_keys=True)`, then the secret appended, hashed with SHA-512 and
/// written as lowercase hex. The time is inside the signed text; attachments are not signed.
public enum SAXSDogSignature {
    /// The text that is signed: `request` with `sign` = `""` (added when absent), keys sorted, Python's separators.
    public static func canonicalText(_ request: JSONValue) -> String {
        guard case .object(var members) = request else { return request.pythonSortedDumps }
        members.removeAll { $0.key == "sign" }
        members.append((key: "sign", value: .string("")))
        return JSONValue.object(members).pythonSortedDumps
    }

    /// The hex SHA-512 signature of `request` under `secret` (SAXSDog's rule).
    public static func sign(_ request: JSONValue, secret: String) -> String {
        hex(SHA512.hash(data: Data((canonicalText(request) + secret).utf8)))
    }

    /// The hex HMAC-SHA256 of `text` keyed by `secret`: the native API's rule (live-integration.md §3.3) over the
    /// same canonical text, for clients that sign with a keyed MAC.
    public static func hmacSHA256(_ text: String, secret: String) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8))))
    }

    /// Whether two signatures are equal, in time independent of where they differ: their SHA-256 digests are
    /// compared with swift-crypto's constant-time digest equality.
    public static func matches(_ given: String, _ expected: String) -> Bool {
        SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(expected.utf8))
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

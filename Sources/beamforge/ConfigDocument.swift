import Core
import Foundation
import POSIX
import Yams

/// A YAML configuration as a tree: loaded from a file, edited by command-line overrides, then decoded.
///
/// Decoding is strict: after a value is decoded it is encoded again, and any key of the input that the encoded
/// value lacks is unknown to beamforge, which is reported by name (a typo must not silently fall back to a
/// default).
struct ConfigDocument {
    /// The mapping at the top of the document.
    private(set) var root: Node
    /// Where the document came from, for messages (`configs/saxs.yml`, or `defaults`).
    let source: String
    /// The folder that relative paths in the document are relative to.
    let baseDirectory: String

    /// Loads `path`, or an empty document when nil.
    init(path: String?) throws(ConfigError) {
        guard let path else {
            root = Node.mapping(Node.Mapping([]))
            source = "defaults"
            baseDirectory = FileManager.default.currentDirectoryPath
            return
        }
        source = path
        baseDirectory = PathName.parent(path).isEmpty ? "."
            : PathName.parent(path)
        root = try Self.parse(file: path)
    }

    /// Parses a YAML file whose top level must be a mapping (an empty file is an empty mapping).
    static func parse(file path: String) throws(ConfigError) -> Node {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError("cannot read config file \(path): \(FileSystem.reason(error))")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(key: "", "malformed YAML: \(Self.describe(error))", source: path)
        } catch {
            throw ConfigError(key: "", "malformed YAML: \(error)", source: path)
        }
        guard let node else { return Node.mapping(Node.Mapping([])) }
        guard node.mapping != nil else { throw ConfigError(key: "", "the top level must be a mapping of keys", source: path) }
        return node
    }

    /// One line from a Yams error: the problem and its line and column.
    static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let what = context.map { "\($0.text) " } ?? ""
            return "\(what)\(problem) at line \(mark.line), column \(mark.column)"
        default:
            return String(describing: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        }
    }

    /// The value at `key` (dot-separated path), if any.
    subscript(key: String) -> Node? {
        var node: Node? = root
        for part in key.split(separator: ".") {
            node = node.flatMap { Self.child($0, String(part)) }
        }
        return node
    }

    private static func child(_ node: Node, _ part: String) -> Node? {
        if let index = Int(part), let sequence = node.sequence {
            return sequence.indices.contains(index) ? sequence[index] : nil
        }
        return node.mapping?[part]
    }

    /// Sets `key` (a dot-separated path; numbers index sequences) to `valueText` parsed as YAML.
    mutating func set(_ key: String, to valueText: String, origin: String) throws(ConfigError) {
        let value: Node
        do {
            value = try Yams.compose(yaml: valueText) ?? Node("", Tag(.null))
        } catch let error as YamlError {
            throw ConfigError("\(origin) \(key)=\(valueText): malformed YAML value: \(Self.describe(error))")
        } catch {
            throw ConfigError("\(origin) \(key)=\(valueText): \(error)")
        }
        let parts = key.split(separator: ".").map(String.init)
        guard !parts.isEmpty else { throw ConfigError("\(origin): empty key") }
        root = try Self.setting(root, parts[...], to: value, key: key, origin: origin)
    }

    private static func setting(_ node: Node, _ parts: ArraySlice<String>, to value: Node, key: String,
                                origin: String) throws(ConfigError) -> Node {
        guard let part = parts.first else { return value }
        let rest = parts.dropFirst()
        if var sequence = node.sequence {
            guard let index = Int(part), sequence.indices.contains(index) else {
                throw ConfigError("\(origin) \(key): '\(part)' is not an index of a list of \(sequence.count)")
            }
            sequence[index] = try setting(sequence[index], rest, to: value, key: key, origin: origin)
            return Node.sequence(sequence)
        }
        var mapping = node.mapping ?? Node.Mapping([])
        let current = mapping[part] ?? Node.mapping(Node.Mapping([]))
        mapping[part] = try setting(current, rest, to: value, key: key, origin: origin)
        return Node.mapping(mapping)
    }

    /// Replaces the node at `key` (used to inline referenced files).
    mutating func replace(_ key: String, with node: Node) {
        let parts = key.split(separator: ".").map(String.init)
        if let updated = try? Self.setting(root, parts[...], to: node, key: key, origin: "") { root = updated }
    }

    /// Decodes the document as `T`.
    func decode<T: Decodable>(_ type: T.Type) throws(ConfigError) -> T {
        do {
            return try YAMLDecoder().decode(T.self, from: root)
        } catch let error as DecodingError {
            throw ConfigError(Self.describe(error)).located(in: source)
        } catch {
            throw ConfigError("\(error)").located(in: source)
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [CodingKey]) -> String {
            codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            return "\(path(context.codingPath)): expected \(Self.typeName(type))"
        case let .keyNotFound(key, context):
            return "\(path(context.codingPath + [key])): missing"
        case let .dataCorrupted(context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)".hasPrefix("Array") ? "a list" : "a mapping (\(type))"
        }
    }

    /// Reports the first key of the document that none of `decoded` values has.
    func rejectUnknownKeys(_ decoded: [any Encodable]) throws(ConfigError) {
        var known: [Node] = []
        for value in decoded {
            guard let text = try? YAMLEncoder().encode(value), let node = try? Yams.compose(yaml: text) else { continue }
            known.append(node)
        }
        if let (unknown, siblings) = Self.firstUnknown(root, known: known, prefix: "") {
            let last = String(unknown.split(separator: ".").last ?? "")
            let hint = EditDistance.closest(to: last, among: siblings).map { "; did you mean '\($0)'?" } ?? ""
            throw ConfigError(key: "", "unknown key '\(unknown)'\(hint)", source: source)
        }
    }

    /// The first key of `node` that no `known` node has, with the keys the known nodes have at its level.
    private static func firstUnknown(_ node: Node, known: [Node], prefix: String) -> (String, [String])? {
        if let mapping = node.mapping {
            for (keyNode, value) in mapping {
                let key = keyNode.string ?? "\(keyNode)"
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                let matches = known.compactMap { $0.mapping?[key] }
                // `key: null` is "unset", as if absent: decoded values do not encode their unset optionals, so
                // such a key cannot be told known, and it changes nothing either way.
                if matches.isEmpty, value.null != nil { continue }
                if matches.isEmpty {
                    return (path, known.flatMap { $0.mapping?.keys.compactMap(\.string) ?? [] })
                }
                if let inner = firstUnknown(value, known: matches, prefix: path) { return inner }
            }
        } else if let sequence = node.sequence {
            for (index, element) in sequence.enumerated() {
                let matches = known.compactMap { k -> Node? in
                    guard let s = k.sequence, s.indices.contains(index) else { return nil }
                    return s[index]
                }
                if let inner = firstUnknown(element, known: matches, prefix: "\(prefix).\(index)") { return inner }
            }
        }
        return nil
    }

    /// Canonical YAML of encodable values merged into one mapping (for provenance and resume checks).
    static func canonicalYAML(_ values: [any Encodable]) -> String {
        var pairs: [(Node, Node)] = []
        for value in values {
            guard let text = try? YAMLEncoder().encode(value), let node = try? Yams.compose(yaml: text),
                  let mapping = node.mapping else { continue }
            pairs += mapping.map { ($0.key, $0.value) }
        }
        return (try? Yams.serialize(node: Node.mapping(Node.Mapping(pairs)))) ?? ""
    }
}

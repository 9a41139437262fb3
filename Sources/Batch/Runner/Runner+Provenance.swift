import Core
import Foundation
import HDF5
import Logging
import MPI
import POSIX

extension Runner {
    /// One session's record in the `runs` attribute; keys are snake_case like every other key beamforge writes.
    struct RunRecord: Codable {
        var started: String
        var finished: String
        var ranks: Int
        var itemsComputed: Int
        var status: String

        enum CodingKeys: String, CodingKey {
            case started, finished, ranks, status
            case itemsComputed = "items_computed"
        }

        /// Files before 0.1.1 wrote `itemsComputed`; a resumed run keeps their history.
        struct Legacy: Decodable {
            var started: String, finished: String, ranks: Int, itemsComputed: Int, status: String
        }
    }

    /// Appends this session's record to the file's `runs` attribute (a JSON array).
    func recordRun(_ file: HDF5.File, started: Date, finished: Date, computed: Int, status: String) throws {
        var runs: [RunRecord] = []
        if case .string(let json)? = try file.attribute("runs") {
            let data = Data(json.utf8)
            runs = (try? JSONDecoder().decode([RunRecord].self, from: data))
                ?? (try? JSONDecoder().decode([RunRecord.Legacy].self, from: data))?.map {
                    RunRecord(started: $0.started, finished: $0.finished, ranks: $0.ranks, itemsComputed: $0.itemsComputed,
                              status: $0.status)
                } ?? []
        }
        runs.append(RunRecord(started: Self.iso8601(started), finished: Self.iso8601(finished), ranks: session.size,
                              itemsComputed: computed, status: status))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: (try? encoder.encode(runs)) ?? Data("[]".utf8), as: UTF8.self)
        // Times differ between ranks by microseconds; rank 0's copy is written everywhere.
        try file.setAttribute("runs", .string(session.broadcast(text)))
    }

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

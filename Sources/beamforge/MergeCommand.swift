import ArgumentParser
import Core
import Formats
import Foundation
import Merge
import POSIX

/// `beamforge merge IMAGEDIR [LOGS...]`: SAXSDog's datamerge. Log tables joined onto the images' mid-exposure
/// times; `merged.csv`, `merged.h5` and `sync.svg` in `--out`.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join beamline logs (TSV, Unix or Mac epoch) onto the images' times (SAXSDog's datamerge).",
        discussion: """
            IMAGEDIR: searched recursively for .tif/.tiff images (Pilatus headers: date and exposure time; Pil100k \
            folders are skipped). LOGS: [NAME=]FILE, tab-separated with a header row, the first column seconds since \
            the table's epoch; files of one NAME are one table. Every log value is the last entry at or before the \
            image's mid-exposure time (columns given to --average: the time-weighted mean over the exposure). Writes \
            OUT/merged.csv, OUT/merged.h5 and OUT/sync.svg. Runs on one process.
            """)

    @Argument(help: ArgumentHelp("Folder of the images.", valueName: "IMAGEDIR"))
    var imageDirectory: String

    @Argument(help: ArgumentHelp("Log files, each [NAME=]FILE (NAME: the table; default the file's stem).", valueName: "LOGS"))
    var logs: [String] = []

    @Option(name: [.short, .long], help: ArgumentHelp("Output folder.", valueName: "DIR"))
    var out: String

    @Option(name: .customLong("mac-epoch"), help: ArgumentHelp("A table whose times count from 1904 (repeatable).", valueName: "NAME"))
    var macEpoch: [String] = []

    @Option(name: .customLong("table-offset"), help: ArgumentHelp("Seconds subtracted from a table's times (repeatable).",
                                                                   valueName: "NAME=S"))
    var tableOffsets: [String] = []

    @Option(name: .customLong("time-offset"), help: ArgumentHelp("Seconds subtracted from every log time.", valueName: "S"))
    var timeOffset = 0.0

    @Option(name: [.customShort("1"), .customLong("first-image")],
            help: ArgumentHelp("Synchronise: the first image starts at this table's first entry.", valueName: "NAME"))
    var firstImage: String?

    @Option(name: [.short, .customLong("zero-image")],
            help: ArgumentHelp("Synchronise: the --zero-file image starts at this table's first entry.", valueName: "NAME"))
    var zeroImage: String?

    @Option(name: .customLong("zero-file"), help: ArgumentHelp("The zero image's file name.", valueName: "FILE"))
    var zeroFile = "zero_1M_00000.tif"

    @Option(name: .customLong("average"), help: ArgumentHelp("A merged column ('NAME (TABLE)') averaged over long exposures (repeatable).",
                                                            valueName: "COLUMN"))
    var average: [String] = []

    @Option(name: .customLong("average-from"), help: ArgumentHelp("Exposures this long or longer are averaged over.", valueName: "S"))
    var averageFrom = 5.0

    @Option(name: [.customShort("C"), .customLong("conf")],
            help: ArgumentHelp("SAXSDog's merge configuration (LogDataTables…); replaces LOGS and the table options.",
                               valueName: "conf.json"))
    var conf: String?

    @Option(name: .customLong("sync-plot"), help: ArgumentHelp("The synchronisation plot (default OUT/sync.svg; .svg or .png).",
                                                               valueName: "FILE"))
    var syncPlot: String?

    @Option(name: .customLong("image-time"), help: ArgumentHelp("What the header's date is: end or start of the exposure.",
                                                               valueName: "end|start"))
    var imageTime = "end"

    func run() throws {
        do {
            let merge = try makeMerge()
            try write(merge)
        } catch {
            Launch.reject(error)
        }
    }

    /// The options checked, the images and logs read, synchronised and joined.
    func makeMerge() throws(ConfigError) -> LogMerge {
        guard let stamp = ImageRecord.Stamp(rawValue: imageTime) else {
            throw ConfigError(key: "--image-time", "must be end or start (got '\(imageTime)')")
        }
        guard averageFrom >= 0 else { throw ConfigError(key: "--average-from", "must be 0 or more seconds") }
        if let syncPlot, !["svg", "png"].contains((syncPlot as NSString).pathExtension.lowercased()) {
            throw ConfigError(key: "--sync-plot", "must end in .svg or .png (got '\(syncPlot)')")
        }
        let (specs, sync): ([MergeConfig.Table], Synchronisation)
        if let conf { (specs, sync) = try configured(conf) } else { (specs, sync) = try commandLineTables() }
        let images = try ImageScan.images(in: imageDirectory, stamp: stamp)
        var tables: [LogTable] = []
        for spec in specs {
            tables.append(try LogTable(name: spec.name, files: spec.files, epoch: spec.epoch, offset: spec.offset))
        }
        return try LogMerge(images: images, tables: tables, sync: sync, average: average, averageFrom: averageFrom)
    }

    /// The tables and synchronisation of a SAXSDog merge configuration.
    func configured(_ path: String) throws(ConfigError) -> ([MergeConfig.Table], Synchronisation) {
        let given = [("LOGS", !logs.isEmpty), ("--mac-epoch", !macEpoch.isEmpty), ("--table-offset", !tableOffsets.isEmpty),
                     ("--time-offset", timeOffset != 0), ("--first-image", firstImage != nil), ("--zero-image", zeroImage != nil)]
        if let clash = given.first(where: \.1) {
            throw ConfigError(key: clash.0, "not with --conf, which gives the tables, epochs, offsets and synchronisation")
        }
        let config = try MergeConfig(contentsOf: path)
        let first = config.tables.filter(\.firstImage), zero = config.tables.filter(\.zeroImage)
        guard first.count + zero.count <= 1 else {
            throw ConfigError(key: "\(path): LogDataTables", "at most one table may set FirstImageCorrelation or ZeroImageCorrelation")
        }
        let tables = config.tables.map { t in
            MergeConfig.Table(name: t.name, files: t.files, epoch: t.epoch, offset: t.offset + config.timeOffset,
                              firstImage: t.firstImage, zeroImage: t.zeroImage)
        }
        let sync: Synchronisation = first.first.map { .firstImage(table: $0.name) }
            ?? zero.first.map { .zeroImage(table: $0.name, image: zeroFile) } ?? .none
        return (tables, sync)
    }

    /// The tables and synchronisation of LOGS and the table options.
    func commandLineTables() throws(ConfigError) -> ([MergeConfig.Table], Synchronisation) {
        guard !logs.isEmpty else { throw ConfigError(key: "LOGS", "name at least one log file (or a --conf)") }
        guard timeOffset.isFinite else { throw ConfigError(key: "--time-offset", "must be a number of seconds") }
        if firstImage != nil && zeroImage != nil { throw ConfigError(key: "--first-image", "not both --first-image and --zero-image") }
        // Tables in the order of their first file on the command line.
        var order: [String] = []
        var files: [String: [String]] = [:]
        for log in logs {
            let (name, file) = Self.table(log)
            if files[name] == nil { order.append(name) }
            files[name, default: []].append(file)
        }
        var offsets: [String: Double] = [:]
        for entry in tableOffsets {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let seconds = Double(parts[1]), seconds.isFinite, files[parts[0]] != nil else {
                throw ConfigError(key: "--table-offset", "must be NAME=SECONDS for a table among \(order.joined(separator: ", ")) (got '\(entry)')")
            }
            offsets[parts[0]] = seconds
        }
        for name in macEpoch + [firstImage, zeroImage].compactMap({ $0 }) where files[name] == nil {
            throw ConfigError(key: name, "no log table of that name (tables: \(order.joined(separator: ", ")))")
        }
        let tables = order.map { name in
            MergeConfig.Table(name: name, files: files[name]!, epoch: macEpoch.contains(name) ? .mac : .unix,
                              offset: (offsets[name] ?? 0) + timeOffset, firstImage: name == firstImage, zeroImage: name == zeroImage)
        }
        let sync: Synchronisation = firstImage.map { .firstImage(table: $0) }
            ?? zeroImage.map { .zeroImage(table: $0, image: zeroFile) } ?? .none
        return (tables, sync)
    }

    /// `NAME=FILE`, or FILE named by its stem.
    static func table(_ argument: String) -> (name: String, file: String) {
        if let equals = argument.firstIndex(of: "="), !argument[..<equals].contains("/") {
            return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
        }
        return (((argument as NSString).lastPathComponent as NSString).deletingPathExtension, argument)
    }

    /// The three outputs, each written under a temporary name and renamed.
    func write(_ merge: LogMerge) throws(ConfigError) {
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw ConfigError(key: "--out", "cannot create \(out): \(error.localizedDescription)")
        }
        func place(_ path: String, _ write: (String) throws -> Void) throws(ConfigError) {
            let temporary = path + ".merge.tmp"
            do {
                try write(temporary)
                try FileSystem.rename(temporary, to: path)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw ConfigError(key: path, "cannot write it: \(error)")
            }
        }
        try place(out + "/merged.csv") { path in
            guard FileManager.default.createFile(atPath: path, contents: Data(MergedCSV.text(merge).utf8)) else {
                throw ConfigError("cannot create the file")
            }
        }
        try place(out + "/merged.h5") { path in
            let logs = merge.tables.map { t in
                TimedTable(name: t.name, time: t.times, columns: t.columns.enumerated().map { ($1, t.values[$0]) })
            }
            let merged = TimedTable(name: "merged", time: merge.images.map(\.time),
                                    columns: [("start", merge.images.map(\.start)), ("exposure", merge.images.map(\.exposure))]
                                        + zip(merge.columns, merge.values).map { ($0, $1) })
            try NXlogTables.write(logs: logs, merged: merged, rowNames: merge.images.map(\.path),
                                  creator: "beamforge \(Beamforge.version) merge", to: path)
        }
        let syncTable = merge.tables.first { $0.name == merge.sync.table } ?? merge.tables[0]
        let plotPath = syncPlot ?? out + "/sync.svg"
        try place(plotPath) { path in
            let figure = SyncFigure.figure(merge, table: syncTable)
            if plotPath.lowercased().hasSuffix(".png") { try figure.writePNG(to: path) } else { try figure.writeSVG(to: path) }
        }
        print("merged \(merge.images.count) images with \(merge.tables.count) log table\(merge.tables.count == 1 ? "" : "s") "
              + "(logs shifted by \(merge.delta) s): \(out)/merged.csv, \(out)/merged.h5, \(plotPath)")
    }
}

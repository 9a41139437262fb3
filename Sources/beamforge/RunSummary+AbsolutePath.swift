import Batch
import Foundation

extension RunSummary {
    /// The output file's absolute path (for files that name it: ptypy's parameters, the QC lists).
    var absoluteOutputFile: String {
        outputFile.hasPrefix("/") ? outputFile : FileManager.default.currentDirectoryPath + "/" + outputFile
    }
}

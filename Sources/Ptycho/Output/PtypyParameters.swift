import Foundation

/// The PtyPy `Hdf5Loader` parameters (ptypy/experiment/hdf5_loader.py) that read an ingested file as it is: the
/// patterns are already corrected, oriented and cropped, so no darkfield, flatfield, orientation or multiplier is
/// given; energy in keV, lengths in metres, arrays of shape (1,) that old (`[...][0]`) and new loaders read alike.
public enum PtypyParameters {
    /// The parameters as pretty-printed JSON (sorted keys) for the file `file` written by `job`.
    public static func json(file: String, job: PtychoIngestJob) -> String {
        func entry(_ key: String, _ extra: [String: Any] = [:]) -> [String: Any] {
            extra.merging(["file": file, "key": key]) { a, _ in a }
        }
        let parameters: [String: Any] = [
            "name": "Hdf5Loader",
            "intensities": entry("entry_1/data_1/data"),
            "positions": [
                "file": file, "slow_key": "entry_1/ptypy/posy_m", "fast_key": "entry_1/ptypy/posx_m",
                "slow_multiplier": 1.0, "fast_multiplier": 1.0,
            ],
            "mask": entry("entry_1/ptypy/mask_valid", ["invert": false]),
            "recorded_energy": entry("entry_1/ptypy/energy_keV", ["multiplier": 1.0, "offset": 0.0]),
            "recorded_distance": entry("entry_1/ptypy/distance_m", ["multiplier": 1.0]),
            "recorded_psize": entry("entry_1/ptypy/psize_m", ["multiplier": 1.0]),
            "shape": [job.patternSize.rows, job.patternSize.columns],
            "center": [job.patternCentre.row, job.patternCentre.column],
            "orientation": 0,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: parameters, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

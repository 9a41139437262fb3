import Core
import Formats
import Foundation
import Integration

extension IntegrateCommand {
    /// `--watch DIR`: checks what can be checked before any frame exists (the calibration, the flags that do not
    /// apply), then runs the watch; never returns.
    func runWatch(_ watch: WatchSettings, config: IntegrateConfig, options: IntegrateSettings, settings: RunSettings,
                  configText: String) throws(ConfigError) -> Never {
        guard inputs.isEmpty && config.inputs.isEmpty else {
            throw ConfigError(key: "--watch", "takes no inputs: the frames are those that appear in \(watch.directory)")
        }
        if update { throw ConfigError(key: "--update", "does not apply with --watch (use --resume to continue a watch)") }
        if preview > 0 { throw ConfigError(key: "--preview", "does not apply with --watch") }
        if common.dryRun { throw ConfigError(key: "--dry-run", "does not apply with --watch") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: watch.directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigError(key: "--watch", "\(watch.directory) is not a directory")
        }
        let calibrationPath = config.calibration ?? ""
        let job: IntegrateJob
        let calibrationText: String
        do {
            let calibration = try Calibration.load(calibrationPath, maskOverride: config.mask,
                                                   oversampling: config.oversampling)
            calibrationText = (try? String(contentsOfFile: calibrationPath, encoding: .utf8)) ?? ""
            if Launch.launcherRank == 0 {
                for warning in calibration.warnings {
                    FileHandle.standardError.write(Data("beamforge: warning: \(warning)\n".utf8))
                }
            }
            let none = try FrameInputs(files: [], folder: FrameInputs.absolute(watch.directory), dataPath: config.dataPath)
            job = try IntegrateJob(calibration: calibration, inputs: none, options: options, matrices: nil)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(key: "--calibration", "\(error)")
        }
        // As for batch runs: the frames stay out of the configuration that must match between epochs.
        var recorded = config
        recorded.inputs = []
        let jobConfig = ConfigDocument.canonicalYAML([recorded]) + "# calibration file\n" + calibrationText
        IntegrateWatch.run(job, watch: watch, dataPath: config.dataPath, settings: settings, arguments: common,
                           configText: configText, jobConfigText: jobConfig)
    }
}

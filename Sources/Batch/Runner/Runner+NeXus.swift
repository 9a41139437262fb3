import HDF5

extension Runner {
    /// Makes the file a NeXus file a viewer can open at its plot: the job's group is an `NXentry` unless the job
    /// names another class, the job's ``Job/defaultPlot`` becomes an `NXdata` group of hard links, `default`
    /// attributes chain from the root to it. The runner's own groups (`/progress`, `/stats`) have no NeXus
    /// class: NXroot may hold only NXentry groups, and a viewer skips groups without one.
    /// - Important: Collective.
    func createNeXusStructure<J: Job>(_ file: HDF5.File, job: J) throws {
        let entry = "/\(job.name)"
        let declared = job.groupAttributes
        if declared["NX_class"] == nil { try file.setAttribute("NX_class", .string("NXentry"), on: entry) }
        var entryDefault: String? = nil
        if case .string(let name)? = declared["default"] { entryDefault = name }
        if let plot = job.defaultPlot {
            let group = "\(entry)/\(plot.group)"
            try file.createGroup(group)
            // The signal is one of the job's outputs (a job's own declaration: every run of the job checks it).
            guard let signal = job.outputs.first(where: { $0.name == plot.signal }) else {
                preconditionFailure("\(job.name): the default plot's signal '\(plot.signal)' is not an output")
            }
            for (key, value) in plot.attributes(rank: signal.itemShape.count + 1).sorted(by: { $0.key < $1.key }) {
                try file.setAttribute(key, value, on: group)
            }
            for link in plot.links { try file.createHardLink("\(group)/\(link.name)", to: "\(entry)/\(link.target)") }
            if entryDefault == nil {
                try file.setAttribute("default", .string(plot.group), on: entry)
                entryDefault = plot.group
            }
        }
        let isEntry = declared["NX_class"].map { $0 == .string("NXentry") } ?? true
        if isEntry, entryDefault != nil { try file.setAttribute("default", .string(job.name), on: "/") }
    }
}

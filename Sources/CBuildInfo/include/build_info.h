#ifndef BEAMFORGE_BUILD_INFO_H
#define BEAMFORGE_BUILD_INFO_H

/// The commit this binary was built from (empty when the build was not told: Package.swift reads BEAMFORGE_COMMIT).
const char *bf_build_commit(void);

#endif

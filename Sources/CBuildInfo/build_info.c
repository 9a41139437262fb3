#include "build_info.h"

#ifndef BEAMFORGE_COMMIT
#define BEAMFORGE_COMMIT ""
#endif

const char *bf_build_commit(void) { return BEAMFORGE_COMMIT; }

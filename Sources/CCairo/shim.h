// cairo's image, PNG and SVG surfaces (Debian's libcairo2-dev). No wrappers are needed: every function beamforge
// calls has a fixed signature Swift imports as it is.
#ifndef BEAMFORGE_CCAIRO_SHIM_H
#define BEAMFORGE_CCAIRO_SHIM_H
#include <cairo.h>
#include <cairo-svg.h>
#endif

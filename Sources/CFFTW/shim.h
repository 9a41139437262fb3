// FFTW3 (double precision). FFTW_FORWARD, FFTW_ESTIMATE and friends are plain integer macros and import unchanged,
// so no getters are needed here.
#ifndef BEAMFORGE_CFFTW_SHIM_H
#define BEAMFORGE_CFFTW_SHIM_H
#include <fftw3.h>
#endif

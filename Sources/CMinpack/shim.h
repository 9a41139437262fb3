// cminpack (Debian libcminpack-dev): MINPACK's Levenberg–Marquardt (lmdif), QR factorisation with column pivoting
// (qrfac) and covariance (covar1), double precision. The header's macros select the double-precision names, so no
// getters are needed here.
#ifndef BEAMFORGE_CMINPACK_SHIM_H
#define BEAMFORGE_CMINPACK_SHIM_H
#include <cminpack.h>
#endif

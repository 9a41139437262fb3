// FFTW3 with its MPI interface. fftw3-mpi.h includes mpi.h, so this module takes its include path from ompi-c
// (Package.swift); FFTW-MPI ships no pkg-config file. FFTW_FORWARD, FFTW_ESTIMATE and friends are plain integer
// macros and import unchanged, so no getters are needed here.
#ifndef BEAMFORGE_CFFTW_SHIM_H
#define BEAMFORGE_CFFTW_SHIM_H
#include <fftw3.h>
#include <fftw3-mpi.h>
#endif

// Getters for OpenMPI handles. MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM, ... are macros that cast the address of a
// global of incomplete type; Swift reports them as unavailable ("structure not supported"). Each static inline
// function returns the macro's value, and swift_name makes it a read-only global with the original C name.
#ifndef BEAMFORGE_CMPI_SHIM_H
#define BEAMFORGE_CMPI_SHIM_H
#include <mpi.h>

#define BF_MPI_HANDLE(type, name) \
    static inline __attribute__((always_inline, swift_name("getter:" #name "()"))) type bf_##name(void) { return name; }

BF_MPI_HANDLE(MPI_Comm, MPI_COMM_WORLD)
BF_MPI_HANDLE(MPI_Comm, MPI_COMM_SELF)
BF_MPI_HANDLE(MPI_Comm, MPI_COMM_NULL)
BF_MPI_HANDLE(MPI_Datatype, MPI_DOUBLE)
BF_MPI_HANDLE(MPI_Datatype, MPI_FLOAT)
BF_MPI_HANDLE(MPI_Datatype, MPI_INT)
BF_MPI_HANDLE(MPI_Datatype, MPI_INT32_T)
BF_MPI_HANDLE(MPI_Datatype, MPI_INT64_T)
BF_MPI_HANDLE(MPI_Datatype, MPI_UINT8_T)
BF_MPI_HANDLE(MPI_Datatype, MPI_UINT64_T)
BF_MPI_HANDLE(MPI_Datatype, MPI_BYTE)
BF_MPI_HANDLE(MPI_Op, MPI_SUM)
BF_MPI_HANDLE(MPI_Op, MPI_MAX)
BF_MPI_HANDLE(MPI_Op, MPI_MIN)
BF_MPI_HANDLE(MPI_Op, MPI_LOR)
BF_MPI_HANDLE(MPI_Info, MPI_INFO_NULL)

// MPI_STATUS_IGNORE and MPI_IN_PLACE are casts of integer constants to pointers, which Swift does not import.
static inline __attribute__((swift_name("getter:MPI_STATUS_IGNORE()"))) MPI_Status *bf_MPI_STATUS_IGNORE(void) {
    return MPI_STATUS_IGNORE;
}
static inline __attribute__((swift_name("getter:MPI_IN_PLACE()"))) void *bf_MPI_IN_PLACE(void) { return MPI_IN_PLACE; }

#undef BF_MPI_HANDLE
#endif

// Getters for HDF5 constants. Type, flag and property-class identifiers are macros that call H5open() through a
// comma expression (H5OPEN/H5CHECK), so Swift cannot import them; the *_ID_g globals behind them are mutable
// globals that Swift 6 rejects as shared mutable state. Each getter returns the macro itself (so H5open() runs
// first) under the original C name. hdf5.h here is the openmpi flavour (pkg-config hdf5-openmpi).
#ifndef BEAMFORGE_CHDF5_SHIM_H
#define BEAMFORGE_CHDF5_SHIM_H
#include <hdf5.h>

#define BF_H5_CONST(type, name) \
    static inline __attribute__((always_inline, swift_name("getter:" #name "()"))) type bf_##name(void) { return name; }

BF_H5_CONST(hid_t, H5T_NATIVE_DOUBLE)
BF_H5_CONST(hid_t, H5T_NATIVE_FLOAT)
BF_H5_CONST(hid_t, H5T_NATIVE_INT8)
BF_H5_CONST(hid_t, H5T_NATIVE_INT16)
BF_H5_CONST(hid_t, H5T_NATIVE_INT32)
BF_H5_CONST(hid_t, H5T_NATIVE_INT64)
BF_H5_CONST(hid_t, H5T_NATIVE_UINT8)
BF_H5_CONST(hid_t, H5T_NATIVE_UINT16)
BF_H5_CONST(hid_t, H5T_NATIVE_UINT32)
BF_H5_CONST(hid_t, H5T_NATIVE_UINT64)
BF_H5_CONST(hid_t, H5T_C_S1)
BF_H5_CONST(unsigned, H5F_ACC_TRUNC)
BF_H5_CONST(unsigned, H5F_ACC_EXCL)
BF_H5_CONST(unsigned, H5F_ACC_RDONLY)
BF_H5_CONST(unsigned, H5F_ACC_RDWR)
BF_H5_CONST(hid_t, H5P_FILE_ACCESS)
BF_H5_CONST(hid_t, H5P_FILE_CREATE)
BF_H5_CONST(hid_t, H5P_DATASET_CREATE)
BF_H5_CONST(hid_t, H5P_DATASET_XFER)
BF_H5_CONST(hid_t, H5P_LINK_CREATE)
// H5P_DEFAULT and H5S_ALL import as Int32; give them the hid_t type the API takes.
BF_H5_CONST(hid_t, H5P_DEFAULT)
BF_H5_CONST(hid_t, H5S_ALL)
BF_H5_CONST(hid_t, H5E_DEFAULT)

// H5T_VARIABLE is ((size_t)-1), a cast Swift does not import.
BF_H5_CONST(size_t, H5T_VARIABLE)

#undef BF_H5_CONST
#endif

// libtiff's TIFFSetField/TIFFGetField are C varargs, which Swift cannot call. These fixed-signature wrappers set
// and get the scalar tags beamforge needs (the tag's C type is part of each name).
#ifndef BEAMFORGE_CTIFF_SHIM_H
#define BEAMFORGE_CTIFF_SHIM_H
#include <tiffio.h>

static inline int bf_tiff_set_u32(TIFF *tif, uint32_t tag, uint32_t value) { return TIFFSetField(tif, tag, value); }
static inline int bf_tiff_set_u16(TIFF *tif, uint32_t tag, uint16_t value) { return TIFFSetField(tif, tag, (int)value); }
static inline int bf_tiff_set_string(TIFF *tif, uint32_t tag, const char *value) { return TIFFSetField(tif, tag, value); }
static inline int bf_tiff_get_u32(TIFF *tif, uint32_t tag, uint32_t *value) { return TIFFGetField(tif, tag, value); }
static inline int bf_tiff_get_u16(TIFF *tif, uint32_t tag, uint16_t *value) { return TIFFGetField(tif, tag, value); }
// ASCII tags (ImageDescription, DateTime): the string stays owned by libtiff until the directory changes.
static inline int bf_tiff_get_string(TIFF *tif, uint32_t tag, const char **value) { return TIFFGetField(tif, tag, value); }
// Tags with a default value (SampleFormat, BitsPerSample) need TIFFGetFieldDefaulted to read what a reader assumes.
static inline int bf_tiff_get_u16_defaulted(TIFF *tif, uint32_t tag, uint16_t *value) {
    return TIFFGetFieldDefaulted(tif, tag, value);
}
#endif

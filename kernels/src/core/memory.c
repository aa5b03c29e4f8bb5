#include "vt_internal.h"

#include <stdlib.h>

void* vt_malloc(size_t bytes) {
    void* p = NULL;
    if (bytes == 0) bytes = 64;
    bytes = (bytes + 63) & ~(size_t)63;
    if (posix_memalign(&p, 64, bytes) != 0) return NULL;
    return p;
}

void* vt_calloc(size_t bytes) {
    void* p = vt_malloc(bytes);
    if (p) memset(p, 0, bytes);
    return p;
}

vt_status vt_oom(size_t bytes) {
    return vt_fail(VT_STATUS_OUT_OF_MEMORY, "out of memory allocating %zu bytes", bytes);
}

vt_status vt_alloc(int64_t bytes, void** out) {
    if (!out) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "vt_alloc: out is NULL");
    *out = NULL;
    if (bytes < 0) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "vt_alloc: negative size %lld", (long long)bytes);
    void* p = vt_malloc((size_t)bytes);
    if (!p) return vt_oom((size_t)bytes);
    *out = p;
    return VT_STATUS_OK;
}

void vt_free(void* p) { free(p); }

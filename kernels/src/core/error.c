#include "vt_internal.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char vt_error_message[512];

vt_status vt_fail(vt_status status, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(vt_error_message, sizeof vt_error_message, fmt, ap);
    va_end(ap);
    return status;
}

void vt_clear_error(void) { vt_error_message[0] = 0; }

const char* vt_last_error(void) { return vt_error_message; }

int32_t vt_abi_version(void) { return VT_ABI_VERSION; }

/* The avx512 build of the element-wise inner loops (eltwise_impl.h). */
#define VT_VARIANT avx512
#include "eltwise_impl.h"

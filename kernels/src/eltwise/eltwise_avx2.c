/* The avx2 build of the element-wise inner loops (eltwise_impl.h). */
#define VT_VARIANT avx2
#include "eltwise_impl.h"

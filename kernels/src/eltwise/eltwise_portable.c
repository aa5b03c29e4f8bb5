/* The portable build of the element-wise inner loops (eltwise_impl.h). */
#define VT_VARIANT portable
#include "eltwise_impl.h"

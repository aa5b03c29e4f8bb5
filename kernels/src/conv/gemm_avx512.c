/* AVX-512F fp32 FMA tiles. In bf16 math on a CPU without vdpbf16ps the
   panels hold bf16-rounded values, so products are exact and only the fp32 accumulation rounds. */
#include "gemm_avx512_common.h"

#define VT_SUFFIX f32
#define VT_BF16_PAIRS 0
#define VT_ENTRY vt_gemm_tile_avx512
#include "gemm_avx512_shapes.h"

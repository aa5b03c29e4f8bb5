/* AVX512-BF16 tiles: vdpbf16ps multiplies bf16 pairs exactly and accumulates in fp32. */
#include "gemm_avx512_common.h"

#define VT_SUFFIX bf16
#define VT_BF16_PAIRS 1
#define VT_ENTRY vt_gemm_tile_avx512bf16
#include "gemm_avx512_shapes.h"

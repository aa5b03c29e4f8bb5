/* Every AVX-512 tile shape (rows x 16-channel vectors), instantiated from gemm_avx512_body.h for the
   VT_SUFFIX / VT_BF16_PAIRS of the including file, and the entry point that dispatches on (nv, mr).
   Row counts per width must match mr_max in core/init.c. */
#define VT_CAT3_(a, b, c) a##b##c
#define VT_CAT3(a, b, c) VT_CAT3_(a, b, c)

#define VT_MR 1
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 2
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 3
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 4
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 5
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 6
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 7
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 8
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 9
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 10
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 11
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 12
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 13
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 14
#define VT_NV 1
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 1
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 2
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 3
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 4
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 5
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 6
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 7
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 8
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 9
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 10
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 11
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 12
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 13
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 14
#define VT_NV 2
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 1
#define VT_NV 3
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 2
#define VT_NV 3
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 3
#define VT_NV 3
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 4
#define VT_NV 3
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 5
#define VT_NV 3
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 6
#define VT_NV 3
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 7
#define VT_NV 3
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 8
#define VT_NV 3
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 1
#define VT_NV 4
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 2
#define VT_NV 4
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 3
#define VT_NV 4
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 4
#define VT_NV 4
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 5
#define VT_NV 4
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV
#define VT_MR 6
#define VT_NV 4
#include "gemm_avx512_body.h"
#undef VT_MR
#undef VT_NV

typedef void (*vt_tile_fn)(const vt_gemm_tile*);
static const vt_tile_fn vt_tiles_1[15] = {NULL, VT_CAT3(vt_tile_, VT_SUFFIX, _1x1), VT_CAT3(vt_tile_, VT_SUFFIX, _2x1), VT_CAT3(vt_tile_, VT_SUFFIX, _3x1), VT_CAT3(vt_tile_, VT_SUFFIX, _4x1), VT_CAT3(vt_tile_, VT_SUFFIX, _5x1), VT_CAT3(vt_tile_, VT_SUFFIX, _6x1), VT_CAT3(vt_tile_, VT_SUFFIX, _7x1), VT_CAT3(vt_tile_, VT_SUFFIX, _8x1), VT_CAT3(vt_tile_, VT_SUFFIX, _9x1), VT_CAT3(vt_tile_, VT_SUFFIX, _10x1), VT_CAT3(vt_tile_, VT_SUFFIX, _11x1), VT_CAT3(vt_tile_, VT_SUFFIX, _12x1), VT_CAT3(vt_tile_, VT_SUFFIX, _13x1), VT_CAT3(vt_tile_, VT_SUFFIX, _14x1)};
static const vt_tile_fn vt_tiles_2[15] = {NULL, VT_CAT3(vt_tile_, VT_SUFFIX, _1x2), VT_CAT3(vt_tile_, VT_SUFFIX, _2x2), VT_CAT3(vt_tile_, VT_SUFFIX, _3x2), VT_CAT3(vt_tile_, VT_SUFFIX, _4x2), VT_CAT3(vt_tile_, VT_SUFFIX, _5x2), VT_CAT3(vt_tile_, VT_SUFFIX, _6x2), VT_CAT3(vt_tile_, VT_SUFFIX, _7x2), VT_CAT3(vt_tile_, VT_SUFFIX, _8x2), VT_CAT3(vt_tile_, VT_SUFFIX, _9x2), VT_CAT3(vt_tile_, VT_SUFFIX, _10x2), VT_CAT3(vt_tile_, VT_SUFFIX, _11x2), VT_CAT3(vt_tile_, VT_SUFFIX, _12x2), VT_CAT3(vt_tile_, VT_SUFFIX, _13x2), VT_CAT3(vt_tile_, VT_SUFFIX, _14x2)};
static const vt_tile_fn vt_tiles_3[9] = {NULL, VT_CAT3(vt_tile_, VT_SUFFIX, _1x3), VT_CAT3(vt_tile_, VT_SUFFIX, _2x3), VT_CAT3(vt_tile_, VT_SUFFIX, _3x3), VT_CAT3(vt_tile_, VT_SUFFIX, _4x3), VT_CAT3(vt_tile_, VT_SUFFIX, _5x3), VT_CAT3(vt_tile_, VT_SUFFIX, _6x3), VT_CAT3(vt_tile_, VT_SUFFIX, _7x3), VT_CAT3(vt_tile_, VT_SUFFIX, _8x3)};
static const vt_tile_fn vt_tiles_4[7] = {NULL, VT_CAT3(vt_tile_, VT_SUFFIX, _1x4), VT_CAT3(vt_tile_, VT_SUFFIX, _2x4), VT_CAT3(vt_tile_, VT_SUFFIX, _3x4), VT_CAT3(vt_tile_, VT_SUFFIX, _4x4), VT_CAT3(vt_tile_, VT_SUFFIX, _5x4), VT_CAT3(vt_tile_, VT_SUFFIX, _6x4)};

void VT_ENTRY(const vt_gemm_tile* t) {
    switch (t->nv) {
    case 1: vt_tiles_1[t->mr](t); break;
    case 2: vt_tiles_2[t->mr](t); break;
    case 3: vt_tiles_3[t->mr](t); break;
    case 4: vt_tiles_4[t->mr](t); break;
    default: break;
    }
}

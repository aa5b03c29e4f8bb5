/* Winograd (minimal filtering) 1-D convolution F(m, r) for vt_conv1d's VT_CONV1D_ALGORITHM_FASTEST / VT_CONV1D_ALGORITHM_WINOGRAD. */
#ifndef VT_WINOGRAD_H
#define VT_WINOGRAD_H

#include "vt_internal.h"

struct vt_winograd;

/* the tile m that VT_CONV1D_ALGORITHM_FASTEST takes for these weights and params on the current ISA, 0 for direct */
VT_HIDDEN int32_t vt_winograd_choose(const struct vt_weights* w, const vt_conv1d_params* p);
/* whether F(m, K) runs these weights and params at all (one group, stride 1, a tabulated m and K) */
VT_HIDDEN int vt_winograd_applies(const struct vt_weights* w, const vt_conv1d_params* p, int32_t m);
/* the convolution of problem p (the direct path's, staged from p->stage_src) by F(m, K) */
VT_HIDDEN vt_status vt_winograd_run(const vt_gemm_problem* p, int32_t m);
VT_HIDDEN void vt_winograd_release(struct vt_winograd* list);

#endif

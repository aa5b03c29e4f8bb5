#include "vt_internal.h"

#include <pthread.h>

#include <stdatomic.h>
#include <unistd.h>

static const vt_kernel_table vt_table_portable = {
    .isa = VT_ISA_PORTABLE,
    .gemm_f32 = {vt_gemm_tile_portable, VT_PANEL_F32, 4, {0, 8, 8, 8, 8}},
    .gemm_bf16 = {vt_gemm_tile_portable, VT_PANEL_F32, 4, {0, 8, 8, 8, 8}},
    .unary_f32 = vt_unary_f32_portable,
    .f32_to_bf16 = vt_f32_to_bf16_portable,
    .bf16_to_f32 = vt_bf16_to_f32_portable,
    .stage_row = vt_stage_row_portable,
    .act_f32 = vt_act_f32_portable,
    .gate_f32 = vt_gate_f32_portable,
    .wino_transform_f32 = vt_wino_transform_f32_portable,
};
#if defined(__x86_64__)
static const vt_kernel_table vt_table_avx2 = {
    .isa = VT_ISA_AVX2,
    .gemm_f32 = {vt_gemm_tile_avx2, VT_PANEL_F32, 1, {0, 6}},
    .gemm_bf16 = {vt_gemm_tile_avx2, VT_PANEL_F32, 1, {0, 6}},
    .unary_f32 = vt_unary_f32_avx2,
    .f32_to_bf16 = vt_f32_to_bf16_avx2,
    .bf16_to_f32 = vt_bf16_to_f32_avx2,
    .stage_row = vt_stage_row_avx2,
    .act_f32 = vt_act_f32_avx2,
    .gate_f32 = vt_gate_f32_avx2,
    .wino_transform_f32 = vt_wino_transform_f32_avx2,
};
static const vt_kernel_table vt_table_avx512 = {
    .isa = VT_ISA_AVX512,
    .gemm_f32 = {vt_gemm_tile_avx512, VT_PANEL_F32, 4, {0, 14, 14, 8, 6}},
    .gemm_bf16 = {vt_gemm_tile_avx512, VT_PANEL_F32, 4, {0, 14, 14, 8, 6}},
    .unary_f32 = vt_unary_f32_avx512,
    .f32_to_bf16 = vt_f32_to_bf16_avx512,
    .bf16_to_f32 = vt_bf16_to_f32_avx512,
    .stage_row = vt_stage_row_avx512,
    .act_f32 = vt_act_f32_avx512,
    .gate_f32 = vt_gate_f32_avx512,
    .wino_transform_f32 = vt_wino_transform_f32_avx512,
};
static const vt_kernel_table vt_table_avx512bf16 = {
    .isa = VT_ISA_AVX512_BF16,
    .gemm_f32 = {vt_gemm_tile_avx512, VT_PANEL_F32, 4, {0, 14, 14, 8, 6}},
    .gemm_bf16 = {vt_gemm_tile_avx512bf16, VT_PANEL_BF16, 4, {0, 14, 14, 8, 6}},
    .unary_f32 = vt_unary_f32_avx512,
    .f32_to_bf16 = vt_f32_to_bf16_avx512,
    .bf16_to_f32 = vt_bf16_to_f32_avx512,
    .stage_row = vt_stage_row_avx512,
    .act_f32 = vt_act_f32_avx512,
    .gate_f32 = vt_gate_f32_avx512,
    .wino_transform_f32 = vt_wino_transform_f32_avx512,
};
#endif

static const vt_kernel_table* _Atomic vt_current;
static _Atomic int32_t vt_initialized;
static int32_t vt_threads;

const vt_kernel_table* vt_kernels(void) {
    const vt_kernel_table* t = atomic_load_explicit(&vt_current, memory_order_acquire);
    return t ? t : &vt_table_portable;
}

int32_t vt_isa_supported(vt_isa isa) {
    switch (isa) {
    case VT_ISA_PORTABLE: return 1;
#if defined(__x86_64__)
    case VT_ISA_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case VT_ISA_AVX512:
        return vt_isa_supported(VT_ISA_AVX2) && __builtin_cpu_supports("avx512f") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512dq");
    case VT_ISA_AVX512_BF16: return vt_isa_supported(VT_ISA_AVX512) && __builtin_cpu_supports("avx512bf16");
#endif
    default: return 0;
    }
}

const char* vt_isa_name(vt_isa isa) {
    switch (isa) {
    case VT_ISA_PORTABLE: return "portable";
    case VT_ISA_AVX2: return "avx2";
    case VT_ISA_AVX512: return "avx512";
    case VT_ISA_AVX512_BF16: return "avx512_bf16";
    case VT_ISA_BEST: return "best";
    default: return "unknown";
    }
}

static const vt_kernel_table* vt_table_for(vt_isa isa) {
    switch (isa) {
#if defined(__x86_64__)
    case VT_ISA_AVX2: return &vt_table_avx2;
    case VT_ISA_AVX512: return &vt_table_avx512;
    case VT_ISA_AVX512_BF16: return &vt_table_avx512bf16;
#endif
    default: return &vt_table_portable;
    }
}

vt_status vt_set_isa(vt_isa isa) {
    if (isa == VT_ISA_BEST) {
        vt_isa best = VT_ISA_PORTABLE;
        for (int i = VT_ISA_AVX512_BF16; i > VT_ISA_PORTABLE; --i)
            if (vt_isa_supported((vt_isa)i)) {
                best = (vt_isa)i;
                break;
            }
        isa = best;
    }
    if (isa < VT_ISA_PORTABLE || isa > VT_ISA_AVX512_BF16)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "unknown instruction set %d", (int)isa);
    if (!vt_isa_supported(isa))
        return vt_fail(VT_STATUS_UNSUPPORTED, "this CPU does not support the %s kernels", vt_isa_name(isa));
    atomic_store_explicit(&vt_current, vt_table_for(isa), memory_order_release);
    return VT_STATUS_OK;
}

vt_isa vt_get_isa(void) { return vt_kernels()->isa; }

/* vt_init and vt_shutdown from several threads (two executors starting at once) take turns */
static pthread_mutex_t vt_init_lock = PTHREAD_MUTEX_INITIALIZER;

static vt_status vt_init_locked(int32_t threads) {
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int32_t)n : 1;
    }
    if (threads > 256) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "vt_init: %d threads is too many", threads);
#if defined(__x86_64__)
    __builtin_cpu_init();
#endif
    if (!atomic_load(&vt_initialized)) VT_TRY(vt_set_isa(VT_ISA_BEST));
    if (!atomic_load(&vt_initialized) || threads != vt_threads) {
        VT_TRY(vt_pool_start(threads));
        vt_threads = threads;
    }
    atomic_store(&vt_initialized, 1);
    return VT_STATUS_OK;
}

vt_status vt_init(int32_t threads) {
    pthread_mutex_lock(&vt_init_lock);
    vt_status s = vt_init_locked(threads);
    pthread_mutex_unlock(&vt_init_lock);
    return s;
}

vt_status vt_shutdown(void) {
    pthread_mutex_lock(&vt_init_lock);
    vt_pool_stop();
    vt_threads = 0;
    atomic_store(&vt_initialized, 0);
    pthread_mutex_unlock(&vt_init_lock);
    return VT_STATUS_OK;
}

int32_t vt_thread_count(void) { return atomic_load(&vt_initialized) ? vt_pool_threads() : 0; }

vt_status vt_require_init(void) {
    if (VT_UNLIKELY(!atomic_load_explicit(&vt_initialized, memory_order_acquire)))
        return vt_fail(VT_STATUS_NOT_INITIALIZED, "the kernel library is not initialized: call vt_init first");
    return VT_STATUS_OK;
}

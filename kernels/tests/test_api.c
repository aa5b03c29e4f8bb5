/* The ABI's contract: statuses and messages, init and ISA selection, sizes, weight info, argument checks. */
#include "vt_test.h"

int main(void) {
    int64_t shp[3] = {1, 8, 4};
    float x[32] = {0}, y[32];
    vt_tensor xt = make_tensor(x, VT_DTYPE_F32, 3, shp), yt = make_tensor(y, VT_DTYPE_F32, 3, shp);
    /* before vt_init every kernel refuses with a message */
    EXPECT(vt_unary(VT_UNARY_OP_RELU, 0, &xt, &yt) == VT_STATUS_NOT_INITIALIZED, "kernel ran before vt_init");
    EXPECT(strstr(vt_last_error(), "vt_init") != NULL, "message: %s", vt_last_error());
    EXPECT(vt_abi_version() == VT_ABI_VERSION, "abi version");
    OK(vt_init(0));
    EXPECT(vt_thread_count() >= 1, "threads %d", vt_thread_count());
#if defined(__x86_64__)
    /* any x86-64 core made runs between these; a chain that was optimized away or miscounted would not */
    const double ghz = vt_measure_clock_ghz();
    EXPECT(ghz > 0.3 && ghz < 8.0, "measured clock %.2f GHz", ghz);
    printf("measured clock: %.2f GHz\n", ghz);
#endif
    OK(vt_init(3));
    EXPECT(vt_thread_count() == 3, "resize to 3: %d", vt_thread_count());
    OK(vt_init(2));
    EXPECT(vt_isa_supported(VT_ISA_PORTABLE), "portable always supported");
    for (int v = 0; v < 4; ++v) {
        vt_status s = vt_set_isa(all_isas[v]);
        if (vt_isa_supported(all_isas[v])) {
            EXPECT(s == VT_STATUS_OK && vt_get_isa() == all_isas[v], "set %s", vt_isa_name(all_isas[v]));
        } else {
            EXPECT(s == VT_STATUS_UNSUPPORTED && strstr(vt_last_error(), vt_isa_name(all_isas[v])), "refuse %s",
                   vt_isa_name(all_isas[v]));
        }
    }
    OK(vt_set_isa(VT_ISA_BEST));
    printf("best isa here: %s\n", vt_isa_name(vt_get_isa()));
    EXPECT(vt_set_isa((vt_isa)42) == VT_STATUS_INVALID_ARGUMENT, "unknown isa accepted");
    /* a success clears the message */
    OK(vt_unary(VT_UNARY_OP_RELU, 0, &xt, &yt));
    EXPECT(vt_last_error()[0] == 0, "message after success: %s", vt_last_error());
    /* shape errors name the shapes */
    int64_t other[3] = {1, 8, 5};
    vt_tensor bad = make_tensor(y, VT_DTYPE_F32, 3, other);
    EXPECT(vt_typecast(&xt, &bad) == VT_STATUS_INVALID_ARGUMENT, "typecast shape mismatch accepted");
    EXPECT(strstr(vt_last_error(), "f32[1,8,4]") && strstr(vt_last_error(), "f32[1,8,5]"), "message: %s", vt_last_error());
    vt_tensor rm_bfp = make_tensor(y, VT_DTYPE_BFP8_B, 3, shp);
    EXPECT(vt_unary(VT_UNARY_OP_RELU, 0, &xt, &rm_bfp) == VT_STATUS_INVALID_ARGUMENT, "row-major bfp8 accepted");
    vt_tensor null_data = make_tensor(NULL, VT_DTYPE_F32, 3, shp);
    EXPECT(vt_unary(VT_UNARY_OP_RELU, 0, &null_data, &yt) == VT_STATUS_INVALID_ARGUMENT, "NULL data accepted");
    /* sizes */
    int64_t tb = 0, m[2] = {33, 65};
    vt_tensor t = make_tensor(NULL, VT_DTYPE_BFP4_B, 2, m);
    t.layout = VT_LAYOUT_TILE;
    OK(vt_tensor_bytes(&t, &tb));
    EXPECT(tb == 2 * 3 * 576, "bfp4 bytes %lld", (long long)tb);
    void* p = NULL;
    OK(vt_alloc(1000, &p));
    EXPECT(p && ((uintptr_t)p & 63) == 0, "vt_alloc alignment");
    vt_free(p);
    /* weights */
    float w[6 * 4 * 3];
    for (int i = 0; i < 72; ++i) w[i] = (float)i;
    int64_t ws[3] = {6, 4, 3};
    vt_tensor wt = make_tensor(w, VT_DTYPE_F32, 3, ws);
    vt_weights* wp = NULL;
    EXPECT(vt_weights_create(&wt, 4, VT_DTYPE_BF16, &wp) == VT_STATUS_INVALID_ARGUMENT, "6 channels in 4 groups accepted");
    EXPECT(vt_weights_create(&wt, 1, VT_DTYPE_BFP8_B, &wp) == VT_STATUS_INVALID_ARGUMENT, "bfp8 math accepted");
    OK(vt_weights_create(&wt, 2, VT_DTYPE_BF16, &wp));
    vt_weights_info info;
    OK(vt_weights_get_info(wp, &info));
    EXPECT(info.out_channels == 6 && info.in_channels_per_group == 4 && info.groups == 2 && info.kernel_w == 3 &&
               info.kernel_h == 1 && info.math == VT_DTYPE_BF16,
           "weights info");
    /* conv1d argument checks: channels, output length */
    int64_t xs[3] = {1, 10, 8}, ys[3] = {1, 10, 6};
    float cx[80] = {0}, cy[60];
    vt_tensor cxt = make_tensor(cx, VT_DTYPE_F32, 3, xs), cyt = make_tensor(cy, VT_DTYPE_F32, 3, ys);
    vt_conv1d_params prm = {1, 1, 1, 1, VT_ACTIVATION_NONE, 0, VT_ACTIVATION_NONE, 0, NULL, NULL, VT_CONV1D_ALGORITHM_DIRECT, 0};
    OK(vt_conv1d(&cxt, wp, NULL, NULL, &prm, &cyt));
    prm.pad_right = 0;
    EXPECT(vt_conv1d(&cxt, wp, NULL, NULL, &prm, &cyt) == VT_STATUS_INVALID_ARGUMENT, "wrong output length accepted");
    EXPECT(strstr(vt_last_error(), "[1, 9, 6]") != NULL, "message: %s", vt_last_error());
    prm.pad_right = 1;
    /* a row mask holds one value per row: 10 input rows, 10 output rows */
    float mask[10] = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
    int64_t m9[1] = {9}, m10[3] = {1, 10, 1};
    vt_tensor short_mask = make_tensor(mask, VT_DTYPE_F32, 1, m9), row_mask = make_tensor(mask, VT_DTYPE_F32, 3, m10);
    prm.input_mask = &short_mask;
    EXPECT(vt_conv1d(&cxt, wp, NULL, NULL, &prm, &cyt) == VT_STATUS_INVALID_ARGUMENT, "short input mask accepted");
    EXPECT(strstr(vt_last_error(), "conv1d input mask has 9 values, one per row of 10 rows wanted") != NULL, "message: %s",
           vt_last_error());
    prm.input_mask = &row_mask;
    prm.output_mask = &row_mask;
    for (int i = 0; i < 80; ++i) cx[i] = 1.0f;
    OK(vt_conv1d(&cxt, wp, NULL, NULL, &prm, &cyt));
    EXPECT(cy[6 * 6] != 0.0f && cy[7 * 6] == 0.0f && cy[9 * 6 + 5] == 0.0f, "masked rows: %g %g %g", cy[36], cy[42], cy[59]);
    prm.input_mask = prm.output_mask = NULL;
    prm.activation = VT_ACTIVATION_GATED_TANH_SIGMOID;
    EXPECT(vt_conv1d(&cxt, wp, NULL, NULL, &prm, &cyt) == VT_STATUS_INVALID_ARGUMENT, "gate with groups accepted");
    xs[2] = 7;
    cxt = make_tensor(cx, VT_DTYPE_F32, 3, xs);
    prm.activation = VT_ACTIVATION_NONE;
    EXPECT(vt_conv1d(&cxt, wp, NULL, NULL, &prm, &cyt) == VT_STATUS_INVALID_ARGUMENT, "wrong channels accepted");
    vt_weights_destroy(wp);
    vt_weights_destroy(NULL);
    OK(vt_shutdown());
    EXPECT(vt_thread_count() == 0, "threads after shutdown");
    return vt_test_finish("api");
}

/* The core clock as it runs now, measured: a chain of dependent integer adds takes one cycle per add on every x86
   core since the Pentium Pro, so cycles / seconds of the fastest of a few short chains is the clock (boost included,
   which the nominal clock in /proc/cpuinfo is not). */
#include "vt_internal.h"

#include <time.h>

static double vt_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

double vt_measure_clock_ghz(void) {
#if defined(__x86_64__)
    enum { ADDS = 1000, ROUNDS = 2000 }; /* two million cycles: about a millisecond */
    double best = 0.0;
    for (int trial = 0; trial < 25; ++trial) {
        uint64_t x = 0;
        const double t0 = vt_seconds();
        for (int r = 0; r < ROUNDS; ++r) __asm__ volatile(".rept 1000\n\taddq $1, %0\n\t.endr" : "+r"(x));
        const double dt = vt_seconds() - t0;
        /* the loop's own counter and branch run beside the chain, so the chain alone sets the time */
        const double ghz = (double)ADDS * ROUNDS / dt * 1e-9;
        if (x == (uint64_t)ADDS * ROUNDS && ghz > best) best = ghz;
    }
    return best;
#else
    return 0.0;
#endif
}

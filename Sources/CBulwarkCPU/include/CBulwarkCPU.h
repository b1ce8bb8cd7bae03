#ifndef C_BULWARK_CPU_H
#define C_BULWARK_CPU_H

#include <stdint.h>

/// Starts loading the cache line holding `address` for writing, without waiting for it. Swift has
/// no prefetch of its own, and a plain load would not help: the lock taken right after it is a
/// full barrier on x86 and would wait for the load, while a prefetch is not ordered by it. Never
/// faults, so a stale or out-of-range address only wastes the hint.
static inline __attribute__((always_inline)) void bulwark_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// Tells the core it is in a spin-wait loop (x86 `pause`, Arm `yield`): the loop stops flooding
/// the pipeline with speculative loads of the lock word, and a sibling hyper-thread gets the core.
static inline __attribute__((always_inline)) void bulwark_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/// Whether `bulwark_read_cycle_counter` reads a hardware counter on this architecture.
static inline __attribute__((always_inline)) int bulwark_has_cycle_counter(void) {
#if defined(__x86_64__)
    return 1;
#else
    return 0;
#endif
}

/// The x86 time-stamp counter, without the fence a clock read puts before it (`rdtsc`, not
/// `lfence; rdtsc`): the read may be reordered by a few instructions, which a caller that only
/// needs time to microseconds does not notice, and it costs less than half of `clock_gettime`.
/// Returns 0 where there is no such counter (see `bulwark_has_cycle_counter`).
static inline __attribute__((always_inline)) uint64_t bulwark_read_cycle_counter(void) {
#if defined(__x86_64__)
    return __builtin_ia32_rdtsc();
#else
    return 0;
#endif
}

#endif

#ifndef C_BULWARK_PREFETCH_H
#define C_BULWARK_PREFETCH_H

/// Starts loading the cache line holding `address` for writing, without waiting for it. Swift has
/// no prefetch of its own, and a plain load would not help: the lock taken right after it is a
/// full barrier on x86 and would wait for the load, while a prefetch is not ordered by it. Never
/// faults, so a stale or out-of-range address only wastes the hint.
static inline __attribute__((always_inline)) void bulwark_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * C11 atomics under their <stdatomic.h> names (atomic_int, atomic_flag,
 * atomic_load_explicit, memory_order_*, ...). Under C++ the same names come
 * from <atomic>. ATOMIC_VAR_INIT is supplied where the library dropped it.
 */
#ifndef METAL_ATOMIC_H
#define METAL_ATOMIC_H

#if defined(__cplusplus)
#include <atomic>
using std::atomic_flag;
using std::atomic_int;
using std::atomic_uint;
using std::atomic_uintptr_t;
using std::atomic_ulong;
using std::memory_order;
using std::memory_order_acq_rel;
using std::memory_order_acquire;
using std::memory_order_consume;
using std::memory_order_relaxed;
using std::memory_order_release;
using std::memory_order_seq_cst;
#else
#include <stdatomic.h>
#endif

#ifndef ATOMIC_VAR_INIT
#define ATOMIC_VAR_INIT(value) (value)
#endif

#endif /* METAL_ATOMIC_H */

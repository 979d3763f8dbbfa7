/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Allocation of struct virtqueue with its per-descriptor bookkeeping: from
 * the heap (metal_allocate_memory), or, with AMPLINK_CFG_STATIC_ALLOC, from a
 * static pool of AMPLINK_CFG_MAX_VQS queues of AMPLINK_CFG_MAX_VRING_NUM
 * descriptors each (claimed with an atomic flag per slot, no lock).
 */
#include <stddef.h>
#include <amplink/libc.h>
#include <metal/atomic.h>
#include <metal/log.h>
#include <openamp/virtqueue.h>
#if !AMPLINK_CFG_STATIC_ALLOC
#include <metal/alloc.h>
#endif

#if AMPLINK_CFG_STATIC_ALLOC

#define VQ_POOL_SLOT                                                                               \
	((sizeof(struct virtqueue) + AMPLINK_CFG_MAX_VRING_NUM * sizeof(struct vq_desc_extra) +    \
	  sizeof(max_align_t) - 1) /                                                               \
	 sizeof(max_align_t))

static max_align_t virtqueue_pool[AMPLINK_CFG_MAX_VQS][VQ_POOL_SLOT];
static atomic_int virtqueue_pool_used[AMPLINK_CFG_MAX_VQS];

static struct virtqueue *virtqueue_pool_get(void)
{
	int i;

	for (i = 0; i < AMPLINK_CFG_MAX_VQS; i++) {
		int expected = 0;

		if (atomic_compare_exchange_strong(&virtqueue_pool_used[i], &expected, 1))
			return (struct virtqueue *)(void *)virtqueue_pool[i];
	}
	return NULL;
}

static void virtqueue_pool_put(struct virtqueue *vq)
{
	int i;

	for (i = 0; i < AMPLINK_CFG_MAX_VQS; i++) {
		if ((void *)vq == (void *)virtqueue_pool[i])
			atomic_store(&virtqueue_pool_used[i], 0);
	}
}

#endif

struct virtqueue *virtqueue_allocate(unsigned int num_desc_extra)
{
	size_t size = sizeof(struct virtqueue) + num_desc_extra * sizeof(struct vq_desc_extra);
	struct virtqueue *vq;

	if (num_desc_extra == 0 || num_desc_extra > VQ_RING_DESC_CHAIN_END)
		return NULL;
#if AMPLINK_CFG_STATIC_ALLOC
	if (num_desc_extra > AMPLINK_CFG_MAX_VRING_NUM) {
		metal_log(METAL_LOG_ERROR,
			  "virtqueue: %u descriptors > AMPLINK_CFG_MAX_VRING_NUM\n",
			  num_desc_extra);
		return NULL;
	}
	vq = virtqueue_pool_get();
#else
	vq = metal_allocate_memory((unsigned int)size);
#endif
	if (!vq) {
		metal_log(METAL_LOG_ERROR, "virtqueue: out of memory\n");
		return NULL;
	}
	memset(vq, 0, size);
	vq->vq_alloc_num = (uint16_t)num_desc_extra;
	return vq;
}

void virtqueue_free(struct virtqueue *vq)
{
	if (!vq)
		return;
#if AMPLINK_CFG_STATIC_ALLOC
	virtqueue_pool_put(vq);
#else
	metal_free_memory(vq);
#endif
}

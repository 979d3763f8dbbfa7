/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Randomised hostile peer (deterministic seed): valid traffic is posted,
 * then random bytes of the shared ring memory (descriptors, avail and used
 * rings, an indirect table) are overwritten before each side processes.
 * Whatever the corruption, both sides must stay within bounded work, only
 * ever hand out buffers inside the shared region, never return a cookie that
 * was not posted (or twice), and recover after a reset. Run under ASan/UBSan
 * and valgrind this also proves no access outside the region.
 */
#include "check.h"
#include "vq_fixture.h"

#define ROUNDS 10000
#define POSTS  24

static struct fx f;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static int in_region(const void *p, uint32_t len)
{
	const unsigned char *c = p;

	return c >= f.mem && c <= f.mem + FX_SHM_SIZE && len <= (size_t)(f.mem + FX_SHM_SIZE - c);
}

static unsigned char posted[POSTS]; /* cookie k+1 outstanding */

/* Driver posts up to POSTS chains (some 2-buffer, some indirect). */
static void post_traffic(void)
{
	struct virtqueue_buf b[2];
	int k;

	memset(posted, 0, sizeof(posted));
	for (k = 0; k < POSTS; k++) {
		void *cookie = (void *)(uintptr_t)(k + 1);
		int ret;

		b[0] = (struct virtqueue_buf){fx_buf(&f, (size_t)k * 256), 64};
		b[1] = (struct virtqueue_buf){fx_buf(&f, (size_t)k * 256 + 128), 64};
		if (k % 5 == 4)
			ret = amplink_virtqueue_add_buffer_indirect(
				f.dq[0], b, 1, 1,
				(struct vring_desc *)fx_buf(&f, 0x10000 + (size_t)k * 64), cookie);
		else
			ret = virtqueue_add_buffer(f.dq[0], b, k % 2, 1, cookie);
		if (ret == VQUEUE_SUCCESS)
			posted[k] = 1;
	}
}

/* Overwrite @n random bytes of the ring memory or of an indirect table. */
static void corrupt(int n)
{
	size_t ring = (size_t)vring_size(FX_NUM, FX_RING_ALIGN);

	while (n-- > 0) {
		if (rnd() % 4 == 0)
			f.mem[FX_BUF_OFF + 0x10000 + rnd() % (POSTS * 64)] = (unsigned char)rnd();
		else
			f.mem[rnd() % ring] = (unsigned char)rnd();
	}
}

/* Device: take, walk and return everything; bounded. Returns 0 when sane. */
static int device_side(void)
{
	uint16_t head, idx, next;
	uint32_t len;
	void *p;
	int guard = 0, bad = 0;

	while ((p = virtqueue_get_first_avail_buffer(f.vq[0], &head, &len)) != NULL) {
		if (!in_region(p, len) || ++guard > 4 * FX_NUM)
			return -1;
		idx = f.vq[0]->vq_walk.cur;
		while ((p = virtqueue_get_next_avail_buffer(f.vq[0], idx, &next, &len)) != NULL) {
			if (!in_region(p, len) || ++guard > 4 * FX_NUM * FX_NUM)
				return -1;
			idx = next;
		}
		if (virtqueue_add_consumed_buffer(f.vq[0], head, 0) != VQUEUE_SUCCESS &&
		    !amplink_virtqueue_is_broken(f.vq[0]))
			bad++;
	}
	virtqueue_kick(f.vq[0]);
	return bad ? -1 : 0;
}

/* Driver: collect; every cookie must be outstanding. Returns 0 when sane. */
static int driver_side(void)
{
	uint32_t len;
	void *c;
	int guard = 0;

	while ((c = virtqueue_get_buffer(f.dq[0], &len, NULL)) != NULL) {
		uintptr_t k = (uintptr_t)c - 1;

		if (k >= POSTS || !posted[k] || ++guard > FX_NUM)
			return -1;
		posted[k] = 0;
	}
	return 0;
}

static void test_random_corruption(void)
{
	int round, insane = 0, broke = 0;

	REQUIRE(fx_setup(&f, VIRTIO_RING_F_INDIRECT_DESC | VIRTIO_RING_F_EVENT_IDX) == 0);
	for (round = 0; round < ROUNDS; round++) {
		virtio_reset_device(f.drv);
		virtio_reset_device(f.dev);
		post_traffic();
		corrupt(1 + (int)(rnd() % 6));
		if (device_side() != 0)
			insane++;
		if (rnd() % 2)
			corrupt(1 + (int)(rnd() % 3));
		if (driver_side() != 0)
			insane++;
		broke += amplink_virtqueue_is_broken(f.vq[0]) ||
			 amplink_virtqueue_is_broken(f.dq[0]);
	}
	CHECK_EQ_INT(insane, 0);
	CHECK(broke > ROUNDS / 10); /* the corruption was noticed often */
	printf("%d of %d rounds broke a queue\n", broke, ROUNDS);
	fx_teardown(&f);
}

int main(void)
{
	fx_metal_init();
	RUN(test_random_corruption);
	metal_finish();
	return check_summary();
}

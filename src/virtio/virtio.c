/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio device model: the virtio_* wrappers that reach a device through
 * its transport's struct virtio_dispatch, and the generic creation of the
 * virtqueues of a device whose vrings were placed in vdev->vrings_info
 * (used when the transport supplies no create_virtqueues of its own).
 */
#include <openamp/virtio.h>
#include <metal/errno.h>
#include <metal/log.h>

uint32_t virtio_get_devid(const struct virtio_device *vdev)
{
	return vdev ? vdev->id.device : 0;
}

/* The dispatch table of @vdev, or NULL. */
static const struct virtio_dispatch *virtio_func(const struct virtio_device *vdev)
{
	return vdev ? vdev->func : NULL;
}

int virtio_get_status(struct virtio_device *vdev, uint8_t *status)
{
	const struct virtio_dispatch *f = virtio_func(vdev);

	if (!vdev || !status)
		return -EINVAL;
	if (!f || !f->get_status)
		return -ENXIO;
	*status = f->get_status(vdev);
	return 0;
}

int virtio_set_status(struct virtio_device *vdev, uint8_t status)
{
	const struct virtio_dispatch *f = virtio_func(vdev);

	if (!vdev)
		return -EINVAL;
	if (!f || !f->set_status)
		return -ENXIO;
	f->set_status(vdev, status);
	return 0;
}

int virtio_get_features(struct virtio_device *vdev, uint32_t *features)
{
	const struct virtio_dispatch *f = virtio_func(vdev);

	if (!vdev || !features)
		return -EINVAL;
	if (!f || !f->get_features)
		return -ENXIO;
	*features = f->get_features(vdev);
	return 0;
}

/*
 * The standard calls carry feature bits 0..31 only; bits 32 and up (VERSION_1,
 * RING_PACKED, ...) are negotiated by the transport. Replace the low word and
 * keep what the transport stored in the high one.
 */
static void virtio_store_low_features(struct virtio_device *vdev, uint32_t low)
{
	vdev->features = (vdev->features & ~(uint64_t)UINT32_MAX) | low;
}

int virtio_set_features(struct virtio_device *vdev, uint32_t features)
{
	const struct virtio_dispatch *f = virtio_func(vdev);

	if (!vdev)
		return -EINVAL;
	if (!f || !f->set_features)
		return -ENXIO;
	f->set_features(vdev, features);
	if (VIRTIO_ROLE_IS_DRIVER(vdev))
		virtio_store_low_features(vdev, features);
	return 0;
}

int virtio_negotiate_features(struct virtio_device *vdev, uint32_t features,
			      uint32_t *final_features)
{
	const struct virtio_dispatch *f = virtio_func(vdev);
	uint32_t final;

	if (!vdev)
		return -EINVAL;
	if (f && f->negotiate_features) {
		final = f->negotiate_features(vdev, features);
	} else if (f && f->get_features && f->set_features) {
		final = f->get_features(vdev) & features;
		if (VIRTIO_ROLE_IS_DRIVER(vdev))
			f->set_features(vdev, final);
	} else {
		return -ENXIO;
	}
	virtio_store_low_features(vdev, final);
	if (final_features)
		*final_features = final;
	return 0;
}

int virtio_read_config(struct virtio_device *vdev, uint32_t offset, void *dst, int len)
{
	const struct virtio_dispatch *f = virtio_func(vdev);

	if (!vdev || !dst || len < 0)
		return -EINVAL;
	if (!f || !f->read_config)
		return -ENXIO;
	f->read_config(vdev, offset, dst, len);
	return 0;
}

int virtio_write_config(struct virtio_device *vdev, uint32_t offset, void *src, int len)
{
	const struct virtio_dispatch *f = virtio_func(vdev);

	if (!vdev || !src || len < 0)
		return -EINVAL;
	if (!f || !f->write_config)
		return -ENXIO;
	f->write_config(vdev, offset, src, len);
	return 0;
}

int virtio_reset_device(struct virtio_device *vdev)
{
	const struct virtio_dispatch *f = virtio_func(vdev);

	if (!vdev)
		return -EINVAL;
	if (!f || !f->reset_device)
		return -ENXIO;
	f->reset_device(vdev);
	return 0;
}

/* Generic path: one virtqueue per placed vring, in index order. */
static int virtio_create_vqs_generic(struct virtio_device *vdev, unsigned int nvqs,
				     const char *names[], vq_callback callbacks[],
				     void *callback_args[])
{
	const struct virtio_dispatch *f = virtio_func(vdev);
	unsigned int i;
	int ret;

	if (nvqs > vdev->vrings_num || !vdev->vrings_info)
		return ERROR_VQUEUE_INVLD_PARAM;
	for (i = 0; i < nvqs; i++) {
		struct virtio_vring_info *vri = &vdev->vrings_info[i];

		if (!vri->vq)
			return ERROR_VQUEUE_INVLD_PARAM;
		ret = virtqueue_create(vdev, (unsigned short)i, names ? names[i] : NULL, &vri->info,
				       callbacks ? callbacks[i] : NULL, f ? f->notify : NULL,
				       vri->vq);
		if (ret != VQUEUE_SUCCESS)
			return ret;
		if (!vri->vq->shm_io)
			virtqueue_set_shmem_io(vri->vq, vri->io);
		if (callback_args)
			vri->vq->priv = callback_args[i];
	}
	return 0;
}

int virtio_create_virtqueues(struct virtio_device *vdev, unsigned int flags, unsigned int nvqs,
			     const char *names[], vq_callback callbacks[], void *callback_args[])
{
	const struct virtio_dispatch *f = virtio_func(vdev);

	if (!vdev)
		return -EINVAL;
	if (f && f->create_virtqueues)
		return f->create_virtqueues(vdev, flags, nvqs, names, callbacks, callback_args);
	return virtio_create_vqs_generic(vdev, nvqs, names, callbacks, callback_args);
}

void virtio_delete_virtqueues(struct virtio_device *vdev)
{
	const struct virtio_dispatch *f = virtio_func(vdev);
	unsigned int i;

	if (!vdev)
		return;
	if (f && f->delete_virtqueues) {
		f->delete_virtqueues(vdev);
		return;
	}
	for (i = 0; vdev->vrings_info && i < vdev->vrings_num; i++) {
		struct virtqueue *vq = vdev->vrings_info[i].vq;

		if (vq) {
			vq->vq_ops = NULL;
			vq->callback = NULL;
		}
	}
}

int virtio_alloc_buf(struct virtio_device *vdev, void **buf, size_t size, size_t align)
{
	if (!vdev || !buf)
		return -EINVAL;
	if (!vdev->mmops || !vdev->mmops->alloc)
		return -ENXIO;
	*buf = vdev->mmops->alloc(vdev, size, align);
	return *buf ? 0 : -ENOMEM;
}

int virtio_free_buf(struct virtio_device *vdev, void *buf)
{
	if (!vdev)
		return -EINVAL;
	if (!vdev->mmops || !vdev->mmops->free)
		return -ENXIO;
	vdev->mmops->free(vdev, buf);
	return 0;
}

bool virtio_has_feature(struct virtio_device *vdev, unsigned int feature_bit)
{
	return vdev && feature_bit < 64 && ((vdev->features >> feature_bit) & 1ULL);
}

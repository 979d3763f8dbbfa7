# SPDX-License-Identifier: BSD-3-Clause
# virtio-mmio transport (driver side); included from src/virtio/CMakeLists.txt.
target_sources(amplink_obj PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/virtio_mmio.c
  ${CMAKE_CURRENT_LIST_DIR}/virtio_mmio_queue.c)

# SPDX-License-Identifier: BSD-3-Clause
# The packed ring format (owned by the packed/mmio engineer); included from
# src/virtio/CMakeLists.txt.
target_sources(amplink_obj PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/vring_packed.c
  ${CMAKE_CURRENT_LIST_DIR}/packed_device.c)

# SPDX-License-Identifier: BSD-3-Clause
# remoteproc core: lifecycle state machine, memories, image loading (ELF),
# resource-table validation and handling, virtio devices from the table.
target_sources(amplink_obj PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/elf_image.c
  ${CMAKE_CURRENT_LIST_DIR}/elf_header.c
  ${CMAKE_CURRENT_LIST_DIR}/elf_segments.c
  ${CMAKE_CURRENT_LIST_DIR}/elf_loader.c
  ${CMAKE_CURRENT_LIST_DIR}/rsc_table_check.c
  ${CMAKE_CURRENT_LIST_DIR}/rsc_table_parser.c
  ${CMAKE_CURRENT_LIST_DIR}/remoteproc.c
  ${CMAKE_CURRENT_LIST_DIR}/remoteproc_mem.c
  ${CMAKE_CURRENT_LIST_DIR}/remoteproc_load.c
  ${CMAKE_CURRENT_LIST_DIR}/remoteproc_load_noblock.c
  ${CMAKE_CURRENT_LIST_DIR}/remoteproc_vdev.c)

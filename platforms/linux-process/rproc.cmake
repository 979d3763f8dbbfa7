# SPDX-License-Identifier: BSD-3-Clause
# remoteproc backend for a remote that is a Linux process (host builds only).
if(AMPLINK_HOST)
  target_sources(amplink_obj PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/lp_rproc_attach.c
    ${CMAKE_CURRENT_LIST_DIR}/lp_rproc_error.c
    ${CMAKE_CURRENT_LIST_DIR}/lp_rproc_host.c
    ${CMAKE_CURRENT_LIST_DIR}/lp_rproc_mem.c
    ${CMAKE_CURRENT_LIST_DIR}/lp_rproc_proc.c
    ${CMAKE_CURRENT_LIST_DIR}/lp_rproc_remote.c
    ${CMAKE_CURRENT_LIST_DIR}/lp_rproc_store.c
    ${CMAKE_CURRENT_LIST_DIR}/lp_rproc_trace.c)
endif()

# SPDX-License-Identifier: BSD-3-Clause
# amplink_add_test(NAME name SOURCES a.c b.c [LABELS l1 l2] [TIMEOUT s] [NO_VALGRIND])
# Builds one test program linked with amplink and registers it with ctest.
# Under AMPLINK_VALGRIND each test runs under valgrind (children too) unless
# NO_VALGRIND is given (for tests that measure timing or spin on shared memory).
function(amplink_add_test)
  cmake_parse_arguments(T "NO_VALGRIND" "NAME;TIMEOUT" "SOURCES;LABELS;ARGS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE amplink)
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests ${PROJECT_SOURCE_DIR}/src)
  set(cmd $<TARGET_FILE:${T_NAME}> ${T_ARGS})
  if(AMPLINK_VALGRIND)
    if(T_NO_VALGRIND)
      return()
    endif()
    set(cmd valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
            --trace-children=yes --quiet ${cmd})
  endif()
  add_test(NAME ${T_NAME} COMMAND ${cmd})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}")
endfunction()

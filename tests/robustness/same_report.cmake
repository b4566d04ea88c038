# SPDX-License-Identifier: GPL-2.0-only
# Plays one trace twice and checks that the two runs exit alike and print
# the same stderr: a report that names host addresses (which ASLR moves from
# run to run) fails. Called by ctest as cmake -P with -DBIN, -DTRACE, -DWORK.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
foreach(i 1 2)
  execute_process(COMMAND ${BIN} run ${TRACE} WORKING_DIRECTORY ${WORK}
    RESULT_VARIABLE rc${i} OUTPUT_QUIET ERROR_VARIABLE err${i} TIMEOUT 60)
endforeach()
message("run 1: exit status ${rc1}\n--- stderr\n${err1}---\nrun 2: exit status ${rc2}\n--- stderr\n${err2}---")
if(NOT rc1 STREQUAL rc2 OR NOT err1 STREQUAL err2)
  message(FATAL_ERROR "the two runs differ")
endif()
if(err1 STREQUAL "")
  message(FATAL_ERROR "the runs printed nothing on stderr: nothing was compared")
endif()

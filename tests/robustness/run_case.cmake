# SPDX-License-Identifier: GPL-2.0-only
# Runs one robustness case (see CMakeLists.txt) and checks what the program
# did. Called by ctest as cmake -P with -DBIN, -DTRACE, -DEXIT, -DPIPE,
# -DSTDERR, -DSTDOUT, -DNOT_STDERR, -DARGS (lists joined with the ASCII unit
# separator, 0x1f), -DWORK.
# With -DPROGRAM_ARGS (a list, joined the same way) the program runs with those
# arguments instead of `run TRACE ARGS` (tests/build/ checks --version so).
string(ASCII 31 SMMUSIM_LIST_SEP)
string(REPLACE "${SMMUSIM_LIST_SEP}" ";" STDERR "${STDERR}")
string(REPLACE "${SMMUSIM_LIST_SEP}" ";" STDOUT "${STDOUT}")
string(REPLACE "${SMMUSIM_LIST_SEP}" ";" NOT_STDERR "${NOT_STDERR}")
string(REPLACE "${SMMUSIM_LIST_SEP}" ";" ARGS "${ARGS}")
string(REPLACE "${SMMUSIM_LIST_SEP}" ";" PROGRAM_ARGS "${PROGRAM_ARGS}")
file(MAKE_DIRECTORY ${WORK})
if(PIPE)
  # A pipe, as `smmusim run <(cat t)` or `cat t | smmusim run /dev/stdin` gives.
  set(q "")
  foreach(a ${ARGS})
    string(APPEND q " '${a}'")
  endforeach()
  execute_process(COMMAND sh -c "cat '${TRACE}' | '${BIN}' run /dev/stdin${q}"
    WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
elseif(PROGRAM_ARGS)
  execute_process(COMMAND ${BIN} ${PROGRAM_ARGS}
    WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
else()
  execute_process(COMMAND ${BIN} run ${TRACE} ${ARGS}
    WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
endif()
message("exit status: ${rc}\n--- stdout\n${out}--- stderr\n${err}---")
set(bad "")
if(NOT rc STREQUAL "${EXIT}")
  string(APPEND bad "exit status ${rc}, expected ${EXIT}\n")
endif()
foreach(re ${STDERR})
  if(NOT err MATCHES "${re}")
    string(APPEND bad "stderr does not match: ${re}\n")
  endif()
endforeach()
foreach(re ${STDOUT})
  if(NOT out MATCHES "${re}")
    string(APPEND bad "stdout does not match: ${re}\n")
  endif()
endforeach()
foreach(re ${NOT_STDERR})
  if(err MATCHES "${re}")
    string(APPEND bad "stderr matches what it must not: ${re}\n")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "${bad}")
endif()

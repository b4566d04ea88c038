# SPDX-License-Identifier: GPL-2.0-only
# One run of the program's `study` command with its exit status and stderr
# checked (tests/studies/CMakeLists.txt registers them).
#   cmake -DPROGRAM=... -DARGS=a<US>b... -DEXIT=N -DSTDERR=regex -DWORK=dir [-DABSENT=name] -P study_cli.cmake
# In ARGS, %WORK% stands for WORK, a fresh directory. ABSENT: a file that
# must not be in WORK after the run (an output written though refused).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
string(ASCII 31 sep)
string(REPLACE "${sep}" ";" args "${ARGS}")
string(REPLACE "%WORK%" "${WORK}" args "${args}")
execute_process(COMMAND "${PROGRAM}" ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
  TIMEOUT 50 WORKING_DIRECTORY "${WORK}")
if(NOT rc STREQUAL "${EXIT}")
  message(FATAL_ERROR "exit status ${rc}, expected ${EXIT}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT err MATCHES "${STDERR}")
  message(FATAL_ERROR "stderr does not match '${STDERR}':\n${err}")
endif()
if(ABSENT AND EXISTS "${WORK}/${ABSENT}")
  message(FATAL_ERROR "${ABSENT} was written, though the run was refused:\n${err}")
endif()

# SPDX-License-Identifier: GPL-2.0-only
# One run of the program's `study` command with its exit status and stderr
# checked (tests/studies/CMakeLists.txt registers them).
#   cmake -DPROGRAM=... -DARGS=a<US>b... -DEXIT=N -DSTDERR=regex -DWORK=dir [-DABSENT=name]
#     [-DVICTIM=name -DLINK=name] -P study_cli.cmake
# In ARGS, %WORK% stands for WORK, a fresh directory. ABSENT: a file that
# must not be in WORK after the run (an output written though refused).
# VICTIM: a trace written into WORK before the run, which must be as it was
# after it; LINK: a symbolic link (in a folder of WORK) made to lead to it.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(victim_text "wait 1\n")
if(VICTIM)
  file(WRITE "${WORK}/${VICTIM}" "${victim_text}")
endif()
if(LINK)
  get_filename_component(link_dir "${WORK}/${LINK}" DIRECTORY)
  file(MAKE_DIRECTORY "${link_dir}")
  file(RELATIVE_PATH to "${link_dir}" "${WORK}/${VICTIM}")
  file(CREATE_LINK "${to}" "${WORK}/${LINK}" SYMBOLIC)
endif()
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
if(VICTIM)
  file(READ "${WORK}/${VICTIM}" now)
  if(NOT now STREQUAL victim_text)
    message(FATAL_ERROR "${VICTIM} was written over:\n${err}")
  endif()
endif()
if(ABSENT AND EXISTS "${WORK}/${ABSENT}")
  message(FATAL_ERROR "${ABSENT} was written, though the run was refused:\n${err}")
endif()

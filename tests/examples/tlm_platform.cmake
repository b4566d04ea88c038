# SPDX-License-Identifier: GPL-2.0-only
# Examples.tlm_platform (see CMakeLists.txt): installs the models component
# of the build BUILD into WORK/prefix, configures and builds EXAMPLE against
# it in WORK/build (find_package(smmusim) through CMAKE_PREFIX_PATH, as its
# README says), runs the program and checks what it printed.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE ${WORK})

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
endfunction()

step("cmake --install ${BUILD}" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${WORK}/prefix --component models)
step("configuring ${EXAMPLE}" ${CMAKE_COMMAND} -S ${EXAMPLE} -B ${WORK}/build -G ${GENERATOR}
  -DCMAKE_PREFIX_PATH=${WORK}/prefix -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
  "-DCMAKE_CXX_FLAGS=${FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${FLAGS}")
# The package found is the one just installed, not another on the system.
file(STRINGS ${WORK}/build/CMakeCache.txt found REGEX "^smmusim_DIR:")
if(NOT found STREQUAL "smmusim_DIR:PATH=${WORK}/prefix/lib/cmake/smmusim")
  message(FATAL_ERROR "the example found another smmusim: ${found}")
endif()
step("building ${EXAMPLE}" ${CMAKE_COMMAND} --build ${WORK}/build)

execute_process(COMMAND ${WORK}/build/tlm-platform RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
  TIMEOUT 60)
message("exit status: ${rc}\n--- stdout\n${out}--- stderr\n${err}---")
set(bad "")
if(NOT rc STREQUAL "0")
  string(APPEND bad "exit status ${rc}, expected 0\n")
endif()
foreach(want
    "ok +SMMU IDR0 read by debug transport"
    "ok +CMDQV PARAM read by debug transport"
    "ok +DMI to DRAM granted through the router"
    "ok +CMD_SYNC written through DMI reads back through the bus: 0x1046\n"
    "ok +command queue enabled: CR0ACK = 0x8\n"
    "ok +CMD_SYNC executed: CMDQ_CONS = 0x1 "
    "ok +GERROR = 0x0\n"
    "ok +cmdq-sync interrupt: 1 rising edge"
    "tlm-platform: all checks passed")
  if(NOT out MATCHES "(^|\n)${want}")
    string(APPEND bad "stdout lacks a line matching: ${want}\n")
  endif()
endforeach()
if(out MATCHES "MISMATCH")
  string(APPEND bad "a check reported MISMATCH\n")
endif()
if(bad)
  message(FATAL_ERROR "${bad}")
endif()
file(REMOVE_RECURSE ${WORK})

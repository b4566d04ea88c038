# SPDX-License-Identifier: GPL-2.0-only
# Build.fresh_configure (see CMakeLists.txt): configures a new build
# directory WORK from SRC once (no build) with the generator, compilers,
# build type, sanitizer option and kernel choice (LINUX_SRC, SMMUSIM_KERNEL)
# of the build that runs the test, leaving SMMUSIM_KERNEL_SHIM at its
# default, and checks WORK/smmusim-build-info.txt (cmake/BuildInfo.cmake):
# the program links the kernel shim, has the kernel-level operations, and
# defaults to traces/guest-vcmdq.trace; the shim compiles TREE.
cmake_minimum_required(VERSION 3.25)
unset(ENV{LINUX_SRC})
unset(ENV{SMMUSIM_KERNEL})
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${WORK} -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DSMMUSIM_SANITIZE=${SANITIZE}
    -DCMAKE_C_COMPILER=${CC} -DCMAKE_CXX_COMPILER=${CXX}
    -DLINUX_SRC=${LINUX_SRC} -DSMMUSIM_KERNEL=${SMMUSIM_KERNEL}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "a fresh configure of ${SRC} failed (${rc}):\n${out}\n${err}")
endif()
set(info ${WORK}/smmusim-build-info.txt)
if(NOT EXISTS ${info})
  message(FATAL_ERROR "a fresh configure wrote no ${info}")
endif()
file(STRINGS ${info} lines)
list(JOIN lines "\n" text)
message("${info}:\n${text}")
set(want
  "kernel_shim=ON"
  "program_links_kernel_shim=yes"
  "program_has_kernel_ops=yes"
  "default_trace=${SRC}/traces/guest-vcmdq.trace"
  "kernel_tree=${TREE}")
set(bad "")
foreach(w ${want})
  if(NOT w IN_LIST lines)
    string(APPEND bad "${info} lacks the line '${w}'\n")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "${bad}")
endif()
file(REMOVE_RECURSE ${WORK})

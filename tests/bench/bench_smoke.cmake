# SPDX-License-Identifier: GPL-2.0-only
# Bench.smoke: runs `BIN --quick --json WORK/bench.json` and checks the
# document (bench/README.md): every figure a positive number (the map+unmap
# figure null when the build has no kernel shim, SHIM=OFF), the ratio of
# each to the wait, the scaling list with the quick sizes (10^3, 10^4) and
# its four fields each, and the targets, each with a name and a boolean
# verdict.
#
#   cmake -DBIN=<smmusim_bench> -DSHIM=ON|OFF -DWORK=<dir> -P bench_smoke.cmake
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(out "${WORK}/bench.json")
execute_process(COMMAND "${BIN}" --quick --json "${out}" RESULT_VARIABLE rc OUTPUT_VARIABLE stdout
  ERROR_VARIABLE stderr)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "smmusim_bench --quick exited with ${rc}\nstdout:\n${stdout}\nstderr:\n${stderr}")
endif()
foreach(want "systemc_wait_ns" "scaling" "targets")
  if(NOT stdout MATCHES "${want}")
    message(FATAL_ERROR "the table has no '${want}':\n${stdout}")
  endif()
endforeach()
file(READ "${out}" doc)

set(failures)
# _positive(<json path...>): the value there is a number > 0.
function(_positive)
  string(JSON type ERROR_VARIABLE err TYPE "${doc}" ${ARGN})
  if(err OR NOT type STREQUAL "NUMBER")
    set(failures "${failures}\n  ${ARGN}: not a number (${type}${err})" PARENT_SCOPE)
    return()
  endif()
  string(JSON v GET "${doc}" ${ARGN})
  if(NOT v GREATER 0)
    set(failures "${failures}\n  ${ARGN}: ${v} is not positive" PARENT_SCOPE)
  endif()
endfunction()

set(figures systemc_wait_ns ns_per_command_smmu_cmdq ns_per_command_vcmdq ns_per_command_trace
  translations_per_s_hit translations_per_s_miss walks_per_miss walk_steps_per_walk ns_per_walk_step
  idle_1s_host_ms peak_rss_mb)
foreach(f ${figures})
  _positive(${f})
endforeach()
foreach(f systemc_wait_ns ns_per_command_smmu_cmdq ns_per_command_vcmdq ns_per_command_trace
    translation_hit translation_miss idle_1s_host_ms)
  _positive(ratio_to_wait ${f})
endforeach()
set(driver_figures ns_per_map_unmap_driver ns_per_map_unmap_driver_cost_off cpu_cost_hook_ns
  cpu_cost_hook_ns_per_map_unmap)
if(SHIM)
  foreach(f ${driver_figures})
    _positive(${f})
    _positive(ratio_to_wait ${f})
  endforeach()
  _positive(cpu_cost_blocks_per_map_unmap)
else()
  foreach(f ${driver_figures} cpu_cost_blocks_per_map_unmap)
    string(JSON type TYPE "${doc}" ${f})
    if(NOT type STREQUAL "NULL")
      set(failures "${failures}\n  ${f}: ${type} without the kernel shim, expected null")
    endif()
  endforeach()
endif()

# The scaling sweep: the quick sizes, in order, each entry whole.
string(JSON n LENGTH "${doc}" scaling)
if(NOT n EQUAL 2)
  set(failures "${failures}\n  scaling: ${n} entries, expected 2 (10^3, 10^4)")
else()
  foreach(i 0 1)
    string(JSON ops GET "${doc}" scaling ${i} ops)
    if(i EQUAL 0)
      set(want 1000)
    else()
      set(want 10000)
    endif()
    if(NOT ops EQUAL want)
      set(failures "${failures}\n  scaling ${i}: ops ${ops}, expected ${want}")
    endif()
    foreach(f host_s ns_per_op peak_rss_mb)
      _positive(scaling ${i} ${f})
    endforeach()
  endforeach()
endif()

# The targets: every one named, with a boolean verdict.
string(JSON nt LENGTH "${doc}" targets)
set(names)
math(EXPR last "${nt} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${doc}" targets ${i} name)
  string(JSON met TYPE "${doc}" targets ${i} met)
  list(APPEND names ${name})
  if(NOT met STREQUAL "BOOLEAN")
    set(failures "${failures}\n  target ${name}: 'met' is ${met}, expected a boolean")
  endif()
endforeach()
foreach(t cmdq_3x_wait vcmdq_3x_wait stretch_5M_commands_per_s trace_1.5x_benchmark map_unmap_2x_better
    tlb_hit_le_command idle_free linear_time flat_memory)
  if(NOT t IN_LIST names)
    set(failures "${failures}\n  target ${t} is missing")
  endif()
endforeach()

# The quick sweep's two sizes give one margin: linear_time is not measured
# (value null, not met), never met by construction; flat_memory compares
# the two sizes.
foreach(i RANGE ${last})
  string(JSON name GET "${doc}" targets ${i} name)
  string(JSON vtype TYPE "${doc}" targets ${i} value)
  string(JSON met GET "${doc}" targets ${i} met)
  if(name STREQUAL "linear_time" AND (NOT vtype STREQUAL "NULL" OR met))
    set(failures "${failures}\n  target linear_time: value ${vtype}, met ${met} from two sizes, expected not measured")
  endif()
  if(name STREQUAL "flat_memory" AND NOT vtype STREQUAL "NUMBER")
    set(failures "${failures}\n  target flat_memory: value ${vtype}, expected a number (two sizes)")
  endif()
endforeach()

if(failures)
  message(FATAL_ERROR "${out}:${failures}\ndocument:\n${doc}")
endif()

# SPDX-License-Identifier: GPL-2.0-only
# The layers of README.md ("Layers") as a checked fact (ctest: Build.layers).
#
#   cmake -DSRC=<source tree> [-DFACTS=<layer_facts file>] -P layers.cmake
#
# Every C/C++ source and header of SRC (the files git tracks, or every file
# under the layer folders when SRC is no git tree) is read; each
# `#include "X"` (and `#include <X>` naming a project header) is resolved as
# the compiler would: beside the including file first, then in the project's
# include directories (FACTS names the ones the build uses; without it the
# project's usual ones). An include that crosses a layer the wrong way fails
# the check with file:line and the rule; so does a CMake link edge (FACTS,
# written at configure time by layer_facts.cmake) from a project target to a
# target of a layer above it. The include and link graphs between the layers
# (counts) are printed either way. tests/build/layers_selftest.cmake proves that a bad
# include and a bad link edge fail it.
cmake_minimum_required(VERSION 3.20)
if(NOT SRC)
  message(FATAL_ERROR "layers.cmake: -DSRC=<source tree> is required")
endif()
get_filename_component(SRC "${SRC}" REALPATH)

# The layers, by the folder a file lives in (first match wins), and what each
# may depend on. A file outside every layer (cmake/, traces/) is not checked.
set(_layer_dirs kernel_shim/vmm kernel_shim/kunit kernel_shim/selftest kernel_shim models sim studies apps tests bench fuzz examples)
set(_allow_models models)
set(_allow_sim sim models)
set(_allow_kernel_shim kernel_shim models)
set(_allow_kernel_shim/vmm kernel_shim/vmm kernel_shim sim models)
set(_allow_kernel_shim/kunit kernel_shim/kunit kernel_shim sim apps models)
set(_allow_kernel_shim/selftest kernel_shim/selftest kernel_shim sim models)
set(_allow_studies studies sim models)
set(_allow_apps apps studies kernel_shim/vmm sim models)
set(_allow_bench bench apps kernel_shim/vmm sim models)
set(_allow_fuzz fuzz apps sim models)
set(_allow_examples examples models)
set(_allow_tests tests apps studies kernel_shim/vmm kernel_shim/kunit kernel_shim sim models bench fuzz)
set(_rule_models "models/ includes nothing outside models/")
set(_rule_sim "sim/ (sim/driver too) depends on sim/ and models/ only, never on kernel_shim/ or apps/")
set(_rule_kernel_shim "the kernel shim (host/, src/, include/) depends on itself and models/ only, never on sim/, kernel_shim/vmm/ or apps/")
set(_rule_kernel_shim/vmm "kernel_shim/vmm/ depends on the shim, sim/ and models/, never on apps/ or tests/")
set(_rule_kernel_shim/kunit "kernel_shim/kunit/ (the KUnit runner, a program like bench/) depends on the shim, sim/ (the platform), models/ and the entry point apps/ shares (sc_entry) only")
set(_rule_kernel_shim/selftest "kernel_shim/selftest/ (the iommufd selftest program) depends on the shim, sim/ (the platform it boots) and models/, never on apps/ or tests/")
set(_rule_studies "studies/ depends on sim/ and models/ only (a study is runs of the library), never on kernel_shim/ or apps/")
set(_rule_apps "apps/ depends on studies/, kernel_shim/vmm/, sim/ and models/, never on tests/")
set(_rule_bench "bench/ depends on sim/, models/, the entry point apps/ shares (sc_entry) and, like the program, links kernel_shim/vmm/ (the kernel-level trace operations) only")
set(_rule_fuzz "fuzz/ depends on sim/, models/ and the entry point apps/ shares (sc_entry) only")
set(_rule_examples "examples/ use the installed models only")
set(_rule_tests "tests/ may depend on every layer")

# _layer_of(<out> <path relative to SRC>): the layer, or empty.
function(_layer_of out rel)
  set(layer)
  foreach(d ${_layer_dirs})
    string(LENGTH "${d}/" n)
    string(SUBSTRING "${rel}" 0 ${n} head)
    if(head STREQUAL "${d}/")
      set(layer ${d})
      break()
    endif()
  endforeach()
  set(${out} "${layer}" PARENT_SCOPE)
endfunction()

set(_failures)
# _check(<from layer> <to layer> <where> <what>): records a failure when the
# edge crosses a layer the wrong way.
macro(_check from to where what)
  if(NOT "${to}" IN_LIST _allow_${from})
    list(APPEND _failures "${where}: ${what} (layer ${from} -> ${to}): ${_rule_${from}}")
  endif()
endmacro()

# ---- the include directories -------------------------------------------------
set(SMMUSIM_LAYER_INCLUDE_DIRS models sim studies kernel_shim kernel_shim/host kernel_shim/include
  tests apps/smmusim)
set(SMMUSIM_LAYER_LINKS)
if(FACTS)
  include("${FACTS}")
endif()

# ---- the files ---------------------------------------------------------------
set(_exts "\\.(h|hh|hpp|c|cc|cpp|inc|def)$")
set(_files)
if(EXISTS "${SRC}/.git")
  execute_process(COMMAND git -C "${SRC}" ls-files OUTPUT_VARIABLE _files RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "layers.cmake: git ls-files failed in ${SRC}")
  endif()
  string(REPLACE "\n" ";" _files "${_files}")
else()
  foreach(d ${_layer_dirs})
    file(GLOB_RECURSE _found RELATIVE "${SRC}" "${SRC}/${d}/*")
    list(APPEND _files ${_found})
  endforeach()
  list(REMOVE_DUPLICATES _files)
endif()
list(FILTER _files INCLUDE REGEX "${_exts}")

# _resolve(<out> <including file, relative> <name> <quoted?>): the project file
# the include names, relative to SRC, or empty (a system or kernel header).
function(_resolve out from name quoted)
  set(found)
  get_filename_component(dir "${SRC}/${from}" DIRECTORY)
  set(cands)
  if(quoted)
    list(APPEND cands "${dir}/${name}")
  endif()
  foreach(i ${SMMUSIM_LAYER_INCLUDE_DIRS})
    list(APPEND cands "${SRC}/${i}/${name}")
  endforeach()
  foreach(c ${cands})
    if(EXISTS "${c}" AND NOT IS_DIRECTORY "${c}")
      get_filename_component(c "${c}" ABSOLUTE)
      file(RELATIVE_PATH found "${SRC}" "${c}")
      break()
    endif()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

# ---- the includes --------------------------------------------------------------
set(_edges)   # "from>to" per resolved include between layers
foreach(f ${_files})
  _layer_of(from "${f}")
  if(NOT from)
    continue()
  endif()
  file(STRINGS "${SRC}/${f}" _hits REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
  if(NOT _hits)
    continue()
  endif()
  # Line numbers: the file's lines, with the characters a CMake list cannot
  # hold replaced.
  file(READ "${SRC}/${f}" _text)
  string(REPLACE ";" "," _text "${_text}")
  string(REPLACE "[" "(" _text "${_text}")
  string(REPLACE "]" ")" _text "${_text}")
  string(REPLACE "\\" "/" _text "${_text}")
  string(REPLACE "\n" ";" _lines "${_text}")
  set(n 0)
  foreach(l IN LISTS _lines)
    math(EXPR n "${n} + 1")
    if(NOT l MATCHES "^[ \t]*#[ \t]*include[ \t]*([\"<])([^\">]+)[\">]")
      continue()
    endif()
    set(name "${CMAKE_MATCH_2}")
    set(quoted NO)
    if(CMAKE_MATCH_1 STREQUAL "\"")
      set(quoted YES)
    endif()
    _resolve(target "${f}" "${name}" ${quoted})
    if(NOT target)
      continue()
    endif()
    _layer_of(to "${target}")
    if(NOT to)
      continue()
    endif()
    list(APPEND _edges "${from}>${to}")
    _check(${from} ${to} "${f}:${n}" "includes ${target}")
  endforeach()
endforeach()

# ---- the link edges --------------------------------------------------------------
# SMMUSIM_LAYER_LINKS: "target@dir>linked@dir" per direct link (or object)
# edge between two project targets, dirs relative to SRC.
set(_link_edges)
foreach(e ${SMMUSIM_LAYER_LINKS})
  if(NOT e MATCHES "^([^@]+)@([^>]*)>([^@]+)@(.*)$")
    message(FATAL_ERROR "layers.cmake: malformed link edge '${e}' in ${FACTS}")
  endif()
  set(t "${CMAKE_MATCH_1}")
  set(l "${CMAKE_MATCH_3}")
  set(ldir "${CMAKE_MATCH_4}")
  _layer_of(from "${CMAKE_MATCH_2}/")
  _layer_of(to "${ldir}/")
  if(from AND to)
    list(APPEND _link_edges "${from}>${to}")
    _check(${from} ${to} "CMake target ${t} (${CMAKE_MATCH_2})" "links ${l} (${ldir})")
  endif()
endforeach()

# ---- the report ------------------------------------------------------------------
# _graph(<report var> <title> <edge>...): appends the counts of each
# "from>to" edge, one line per pair.
function(_graph var title)
  set(r "${${var}}${title}:\n")
  set(pairs ${ARGN})
  list(REMOVE_DUPLICATES pairs)
  list(SORT pairs)
  foreach(p ${pairs})
    set(c 0)
    foreach(e ${ARGN})
      if(e STREQUAL p)
        math(EXPR c "${c} + 1")
      endif()
    endforeach()
    string(REPLACE ">" " -> " arrow "${p}")
    string(APPEND r "  ${arrow}: ${c}\n")
  endforeach()
  set(${var} "${r}" PARENT_SCOPE)
endfunction()
list(LENGTH _files _nfiles)
list(LENGTH _edges _nedges)
list(LENGTH _link_edges _nlinks)
set(_report "layers: ${_nfiles} files, ${_nedges} includes between project files, ${_nlinks} link edges between project targets\n")
_graph(_report "include graph (including layer -> included layer: includes)" ${_edges})
_graph(_report "link graph (target's layer -> linked target's layer: edges)" ${_link_edges})
message("${_report}")
if(_failures)
  # One line each (a FATAL_ERROR message would be wrapped).
  foreach(f ${_failures})
    message("${f}")
  endforeach()
  list(LENGTH _failures nf)
  message(FATAL_ERROR "layers: ${nf} edge(s) cross a layer the wrong way (listed above)")
endif()
message("layers: every include and link edge points down the layers")

# SPDX-License-Identifier: GPL-2.0-only
# Proves that tests/build/layers.cmake can fail (ctest: Build.layers_selftest):
# a small tree that keeps the layers passes; the same tree with one include
# of each wrong kind and one wrong link edge fails, naming each file:line (or
# target) and the rule it breaks.
#   cmake -DLAYERS=<layers.cmake> -DWORK=<scratch directory> -P layers_selftest.cmake
cmake_minimum_required(VERSION 3.20)
set(T "${WORK}/tree")
file(REMOVE_RECURSE "${T}")

# _put(<path> <line>...): a file of the tree, one argument a line.
function(_put path)
  string(REPLACE ";" "\n" text "${ARGN}")
  file(WRITE "${T}/${path}" "// test file\n${text}\n")
endfunction()
# _layers(<out result> <out output> <facts>): runs the check on the tree.
function(_layers rc out facts)
  file(WRITE "${WORK}/facts.cmake" "set(SMMUSIM_LAYER_LINKS \"${facts}\")\n")
  execute_process(COMMAND ${CMAKE_COMMAND} -DSRC=${T} -DFACTS=${WORK}/facts.cmake -P ${LAYERS}
    RESULT_VARIABLE r OUTPUT_VARIABLE o ERROR_VARIABLE e)
  set(${rc} "${r}" PARENT_SCOPE)
  set(${out} "${o}${e}" PARENT_SCOPE)
endfunction()

# A tree that keeps the layers.
_put(models/platform/bits.h "#pragma once")
_put(models/smmuv3/regs.h "#include \"../platform/bits.h\"")
_put(sim/soc.h "#include \"platform/bits.h\"" "#include <smmuv3/regs.h>")
_put(sim/driver/seq.h "#include \"soc.h\"")
_put(kernel_shim/host/cpu.h "#include \"platform/bits.h\"")
_put(kernel_shim/vmm/vmm.cc "#include \"host/cpu.h\"" "#include \"soc.h\"" "#include <vector>")
_put(apps/smmusim/main.cc "#include \"soc.h\"")
_put(examples/p/main.cc "#include <smmuv3/regs.h>")
set(_good "smmusim_sim@sim>smmusim_models@models;smmusim_kernel_vmm@kernel_shim/vmm>smmusim_sim@sim")
_layers(rc out "${_good}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "a tree that keeps the layers failed the check:\n${out}")
endif()
if(NOT out MATCHES "sim -> models: 2\n")
  message(FATAL_ERROR "the include graph does not count sim -> models: 2:\n${out}")
endif()

# One wrong include of each kind, one wrong link edge.
_put(models/smmuv3/bad.h "#pragma once" "#include \"../../sim/soc.h\"")
_put(sim/bad.cc "#include \"host/cpu.h\"")
_put(sim/driver/bad.cc "" "" "#include \"../../apps/smmusim/main.cc\"")
_put(kernel_shim/host/bad.cc "#include \"soc.h\"")
_put(kernel_shim/src/bad.c "#include \"vmm/vmm.cc\"")
_put(examples/p/bad.cc "#  include \"driver/seq.h\"")
_layers(rc out "${_good};smmusim_kernel_shim_archive@kernel_shim>smmusim_sim@sim")
if(rc EQUAL 0)
  message(FATAL_ERROR "a tree that breaks the layers passed the check:\n${out}")
endif()
set(_expected
  "models/smmuv3/bad.h:3: includes sim/soc.h \\(layer models -> sim\\): models/ includes nothing outside models/"
  "sim/bad.cc:2: includes kernel_shim/host/cpu.h \\(layer sim -> kernel_shim\\): sim/"
  "sim/driver/bad.cc:4: includes apps/smmusim/main.cc \\(layer sim -> apps\\)"
  "kernel_shim/host/bad.cc:2: includes sim/soc.h \\(layer kernel_shim -> sim\\): the kernel shim"
  "kernel_shim/src/bad.c:2: includes kernel_shim/vmm/vmm.cc \\(layer kernel_shim -> kernel_shim/vmm\\)"
  "examples/p/bad.cc:2: includes sim/driver/seq.h \\(layer examples -> sim\\): examples/ use the installed models only"
  "CMake target smmusim_kernel_shim_archive \\(kernel_shim\\): links smmusim_sim \\(sim\\) \\(layer kernel_shim -> sim\\)"
  "layers: 7 edge\\(s\\) cross a layer the wrong way")
foreach(x ${_expected})
  if(NOT out MATCHES "${x}")
    message(FATAL_ERROR "the check did not report /${x}/:\n${out}")
  endif()
endforeach()
message("layers.cmake passes a tree that keeps the layers and reports each wrong edge of one that breaks them")

# SPDX-License-Identifier: GPL-2.0-only
# The study's rows drawn as the launcher's `study --plot` draws them: the
# program writes --json for two sizes, tools/plot/smmusim_plot.py renders
# it, and what it drew (--describe) has both curves with a point per size
# and the reduction's.
#   cmake -DPROGRAM=... -DPYTHON=... -DPLOT=.../smmusim_plot.py -DWORK=dir -P study_plot.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${PROGRAM}" study vcmdq-vs-trap --sizes 4K,64K --quiet --json "${WORK}/rows.json"
  RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the study failed (${rc}):\n${err}")
endif()
execute_process(COMMAND "${PYTHON}" "${PLOT}" study "${WORK}/rows.json" -o "${WORK}/study.svg"
  --describe "${WORK}/drawn.json" RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the plot failed (${rc}):\n${err}")
endif()
file(READ "${WORK}/drawn.json" drawn)
string(JSON n LENGTH "${drawn}" series)
set(got "")
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${drawn}" series ${i} name)
  string(JSON points GET "${drawn}" series ${i} points)
  string(APPEND got "${name}=${points};")
endforeach()
if(NOT got STREQUAL "trapped/1=2;vcmdq/1=2;reduction/1=2;")
  message(FATAL_ERROR "drawn: ${got}, expected trapped/1=2;vcmdq/1=2;reduction/1=2;")
endif()
file(READ "${WORK}/study.svg" svg 0 200)
if(NOT svg MATCHES "<svg")
  message(FATAL_ERROR "${WORK}/study.svg is no SVG")
endif()

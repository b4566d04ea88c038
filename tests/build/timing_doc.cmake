# SPDX-License-Identifier: GPL-2.0-only
# docs/timing.md is what `smmusim params --markdown` prints from the
# parameter declarations: fails, showing the difference and saying how to
# regenerate the file, when they differ (a parameter added, a default,
# unit or source changed).
# -DBIN=the smmusim program -DDOC=docs/timing.md -DWORK=a scratch directory
execute_process(COMMAND ${BIN} params --markdown RESULT_VARIABLE rc OUTPUT_VARIABLE made ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BIN} params --markdown failed (${rc}): ${err}")
endif()
if(NOT EXISTS ${DOC})
  message(FATAL_ERROR "${DOC} is missing: ./smmusim params --markdown > docs/timing.md")
endif()
file(READ ${DOC} committed)
if(NOT made STREQUAL committed)
  file(MAKE_DIRECTORY ${WORK})
  file(WRITE ${WORK}/timing.md "${made}")
  execute_process(COMMAND diff -u ${DOC} ${WORK}/timing.md OUTPUT_VARIABLE d)
  message(FATAL_ERROR "${DOC} differs from the parameter declarations (- the file, + the declarations):\n${d}\n"
    "Regenerate it: ./smmusim params --markdown > docs/timing.md")
endif()
message(STATUS "${DOC} matches the parameter declarations")

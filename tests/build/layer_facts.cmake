# SPDX-License-Identifier: GPL-2.0-only
# What tests/build/layers.cmake needs from the configured build, written at
# the end of the configure (once every target and link is declared) into
# ${CMAKE_BINARY_DIR}/layer_facts.cmake:
#   SMMUSIM_LAYER_INCLUDE_DIRS  the project's include directories (relative
#                               to the source tree), as the targets declare them
#   SMMUSIM_LAYER_LINKS         "target@dir>linked@dir" per direct link or
#                               $<TARGET_OBJECTS> edge between two project
#                               targets (dirs relative to the source tree)

# _smmusim_targets_under(<out> <dir>): the build-system targets of DIR and
# every directory below it.
function(_smmusim_targets_under out dir)
  get_property(ts DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(s ${subs})
    _smmusim_targets_under(more "${s}")
    list(APPEND ts ${more})
  endforeach()
  set(${out} ${ts} PARENT_SCOPE)
endfunction()

# _smmusim_target_dir(<out> <target>): the target's source directory,
# relative to the source tree (an alias names its target's).
function(_smmusim_target_dir out t)
  get_target_property(real ${t} ALIASED_TARGET)
  if(real)
    set(t ${real})
  endif()
  get_target_property(d ${t} SOURCE_DIR)
  file(RELATIVE_PATH d "${PROJECT_SOURCE_DIR}" "${d}")
  set(${out} "${d}" PARENT_SCOPE)
endfunction()

function(smmusim_write_layer_facts)
  _smmusim_targets_under(targets "${PROJECT_SOURCE_DIR}")
  set(links)
  set(incdirs)
  foreach(t ${targets})
    _smmusim_target_dir(tdir ${t})
    set(deps)
    foreach(p LINK_LIBRARIES INTERFACE_LINK_LIBRARIES SOURCES
              INCLUDE_DIRECTORIES INTERFACE_INCLUDE_DIRECTORIES)
      get_target_property(v ${t} ${p})
      if(NOT v)
        continue()
      endif()
      if(p MATCHES "INCLUDE_DIRECTORIES")
        foreach(i ${v})
          string(REGEX REPLACE "^\\$<BUILD_INTERFACE:(.*)>$" "\\1" i "${i}")
          if(i MATCHES "^\\$<" OR NOT IS_DIRECTORY "${i}")
            continue()
          endif()
          file(RELATIVE_PATH r "${PROJECT_SOURCE_DIR}" "${i}")
          if(NOT r MATCHES "^\\.\\./" AND NOT i MATCHES "^${PROJECT_BINARY_DIR}/")
            list(APPEND incdirs "${r}")
          endif()
        endforeach()
        continue()
      endif()
      if(p STREQUAL "SOURCES")
        # Objects of another target: $<TARGET_OBJECTS:name>.
        string(REGEX MATCHALL "\\$<TARGET_OBJECTS:[^>]+>" v "${v}")
        string(REGEX REPLACE "\\$<TARGET_OBJECTS:([^>]+)>" "\\1" v "${v}")
      endif()
      # Names inside generator expressions ($<LINK_LIBRARY:WHOLE_ARCHIVE,x>)
      # count too; only project targets are kept.
      string(REGEX MATCHALL "[A-Za-z0-9_.+:-]+" words "${v}")
      foreach(w ${words})
        if(TARGET "${w}" AND NOT w STREQUAL t)
          get_target_property(imported ${w} IMPORTED)
          if(NOT imported)
            list(APPEND deps ${w})
          endif()
        endif()
      endforeach()
    endforeach()
    list(REMOVE_DUPLICATES deps)
    foreach(d ${deps})
      _smmusim_target_dir(ddir ${d})
      list(APPEND links "${t}@${tdir}>${d}@${ddir}")
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES incdirs)
  list(SORT incdirs)
  file(WRITE "${CMAKE_BINARY_DIR}/layer_facts.cmake"
    "# Written by tests/build/layer_facts.cmake at configure time.\n"
    "set(SMMUSIM_LAYER_INCLUDE_DIRS \"${incdirs}\")\n"
    "set(SMMUSIM_LAYER_LINKS \"${links}\")\n")
endfunction()

cmake_language(DEFER DIRECTORY "${PROJECT_SOURCE_DIR}" CALL smmusim_write_layer_facts)

# SPDX-License-Identifier: GPL-2.0-only
# Included at the end of the top-level CMakeLists.txt, once every target is
# declared:
#
#  * With SMMUSIM_KERNEL_SHIM=ON, the smmusim program must link the kernel
#    shim's kernel-level trace operations (smmusim_kernel_vmm, which links
#    the shim and registers the operations with the player from an object
#    linked whole); a configure that gets this wrong (as a first configure
#    once did, when the option was read before it was declared) fails here
#    instead of building a program that silently lacks the shim.
#  * ${CMAKE_BINARY_DIR}/smmusim-build-info.txt records what this build
#    directory builds, as key=value lines read by the launcher (which kernel
#    tree `./smmusim kernel-manifest` describes) and by tests/build/ (a fresh
#    configure must give a program with the shim and the kernel-level
#    default trace). The keys:
#      version            the CMake project VERSION
#      program            the smmusim program
#      kernel_shim        the SMMUSIM_KERNEL_SHIM option (ON/OFF)
#      program_links_kernel_shim   yes/no: the program links smmusim_kernel_vmm
#                         and that links the kernel shim
#      program_has_kernel_ops      yes/no: what the program links whole
#                         registers the kernel-level operations
#                         (kernel_shim/vmm/kernel_ops_provider.cc)
#      default_trace      what `smmusim run` plays without a trace
#                         (apps/smmusim/main.cc: guest-vcmdq.trace with
#                         kernel-level operations, smmu-bringup.trace without)
#      kernel_tree, kernel_version   the Linux tree the shim compiles (empty
#                         without the shim)
#      linux_src, smmusim_kernel     what was asked for (LINUX_SRC,
#                         SMMUSIM_KERNEL; empty: the default)
get_target_property(_bi_libs smmusim-bin LINK_LIBRARIES)
set(_bi_links no)
set(_bi_ops no)
if(TARGET smmusim_kernel_vmm AND "smmusim_kernel_vmm" IN_LIST _bi_libs)
  get_target_property(_bi_vmm_libs smmusim_kernel_vmm_archive LINK_LIBRARIES)
  if("smmusim_kernel_shim" IN_LIST _bi_vmm_libs)
    set(_bi_links yes)
  endif()
  get_target_property(_bi_vmm_whole smmusim_kernel_vmm INTERFACE_LINK_LIBRARIES)
  get_target_property(_bi_vmm_srcs smmusim_kernel_vmm_archive SOURCES)
  if("kernel_ops_provider.cc" IN_LIST _bi_vmm_srcs
     AND "$<LINK_LIBRARY:WHOLE_ARCHIVE,smmusim_kernel_vmm_archive>" IN_LIST _bi_vmm_whole)
    set(_bi_ops yes)
  endif()
endif()
if(SMMUSIM_KERNEL_SHIM AND NOT (_bi_links AND _bi_ops))
  message(FATAL_ERROR "SMMUSIM_KERNEL_SHIM is ON but the smmusim program does not link the kernel shim "
    "(links it: ${_bi_links}, kernel-level operations registered: ${_bi_ops}). "
    "SMMUSIM_KERNEL_SHIM must be declared before add_subdirectory(kernel_shim) and apps/smmusim.")
endif()
if(NOT SMMUSIM_KERNEL_SHIM AND (_bi_links OR _bi_ops))
  message(FATAL_ERROR "SMMUSIM_KERNEL_SHIM is OFF but the smmusim program links the kernel shim")
endif()

set(_bi_tree "")
set(_bi_kver "")
if(_bi_ops)
  get_target_property(_bi_tree smmusim_kernel_shim SMMUSIM_KERNEL_TREE)
  get_target_property(_bi_kver smmusim_kernel_shim SMMUSIM_KERNEL_VERSION)
  set(_bi_trace ${PROJECT_SOURCE_DIR}/traces/guest-vcmdq.trace)
else()
  set(_bi_trace ${PROJECT_SOURCE_DIR}/traces/smmu-bringup.trace)
endif()
file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/smmusim-build-info.txt CONTENT
"version=${PROJECT_VERSION}
program=$<TARGET_FILE:smmusim-bin>
kernel_shim=${SMMUSIM_KERNEL_SHIM}
program_links_kernel_shim=${_bi_links}
program_has_kernel_ops=${_bi_ops}
default_trace=${_bi_trace}
kernel_tree=${_bi_tree}
kernel_version=${_bi_kver}
linux_src=${LINUX_SRC}
smmusim_kernel=${SMMUSIM_KERNEL}
")

# SPDX-License-Identifier: GPL-2.0-only
# Robustness cases of what guards the kernel-level operations (the kernel's
# own memory, the guest's table builder, lines that need a booted kernel):
# see CMakeLists.txt for smmusim_case().

# `kernel param` sets a parameter of the kernel `kernel boot` starts: with no
# boot line it would reach nothing, so the trace is refused before the run.
smmusim_case(kernel_param_without_boot EXIT 2
  STDERR "kernel_param_without_boot\\.trace:1:1: 'kernel param' without 'kernel boot'"
  NOT_STDERR "has no kernel shim")

// SPDX-License-Identifier: GPL-2.0-only
// Who executes the kernel-level trace operations (kernel_ops.h), asked at run
// time: sim/ declares what a run needs of them and keeps the one provider a
// program has; the kernel shim registers its provider from an object linked
// into every program that links it (kernel_shim/vmm/). A program without one
// still plays register-level traces and refuses kernel-level ones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernel_ops.h"

namespace smmusim {

class Config;
class Soc;

// One kernel on one platform, for one run: the operations the player calls
// and what the run reports of the kernel afterwards.
class KernelInstance {
public:
    virtual ~KernelInstance() = default;
    virtual KernelOps& ops() = 0;
    // The stack the player's CPU thread needs to run kernel code.
    virtual size_t cpu_stack_bytes() const = 0;
    // Every failure the kernel recorded during the run (WARN, BUG, traps,
    // soft lockups), as text with its log; "" if none.
    virtual std::string failures_text() const = 0;
};

class KernelOpsProvider {
public:
    virtual ~KernelOpsProvider() = default;
    // Declares the provider's own parameters into a configuration (every
    // run, and `smmusim params`, declare them beside the models' own).
    virtual void declare_params(Config& cfg) const {}
    // Checked before the kernel is built, once the configuration is whole:
    // "" if a kernel fits this configuration, else why not (one line).
    virtual std::string check_config(const Config& cfg) const = 0;
    // A kernel on `soc`; throws std::exception (its what() one line) if it
    // cannot be built.
    virtual std::unique_ptr<KernelInstance> create(Soc& soc) const = 0;
    // The memory the kernel keeps its own data in on a platform of this
    // configuration, each [base, base + size) (the trace reader refuses a
    // `map` of it before the run); empty: none is known.
    virtual std::vector<std::pair<uint64_t, uint64_t>> kernel_memory(const Config& cfg) const { return {}; }
    // What the kernel is, for `--version`: "Linux <version> from <tree>".
    virtual std::string describe() const = 0;
    // The module parameters `kernel param NAME=VALUE` may set (the kernel's
    // built-in ones, "arm_smmu_v3.bypass_vcmdq", ...), so that the trace
    // reader refuses another name at its column before the run; empty:
    // none is known, nothing is checked before the run.
    virtual std::vector<std::string> module_params() const { return {}; }
    // "" if `value` is one the module parameter `name` (one of
    // module_params()) takes, else why not (one line, e.g. a bool's
    // values), so that the trace reader refuses it at its column before the
    // run; "" also when the provider cannot tell (its setter decides then).
    virtual std::string check_module_param(const std::string& name, const std::string& value) const { return ""; }
};

// The program's provider, or nullptr when it links none.
const KernelOpsProvider* kernel_ops_provider();

// Registers `p` (which must outlive every run) as the program's provider;
// a program has at most one (a second one throws std::logic_error).
void register_kernel_ops_provider(const KernelOpsProvider& p);

}  // namespace smmusim

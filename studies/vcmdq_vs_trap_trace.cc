// SPDX-License-Identifier: GPL-2.0-only
// The trace of the study "VCMDQ vs trapped" (vcmdq_vs_trap_trace.h).
#include "vcmdq_vs_trap_trace.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "command_words.h"

namespace smmusim::studies {

namespace {

// Guest RAM (the `vm` default: 2 MiB at guest PA 1 GiB): the HW queue at
// its start, the buffers' frames after it, the stage-1 tables in the upper
// half (the `guest VM stage1` default).
constexpr uint64_t kQueueGpa = 0x40000000, kQueueBytes = 0x1000;  // 256 commands
constexpr uint64_t kBufferGpa = 0x40040000, kMaxSize = 0x40000;
// Each measured unmap has its own IOVA slot (so every unmap clears live PTEs).
constexpr uint64_t kIovaBase = 0x10000000;

struct Vm {
    const char* name;
    const char* endpoint;
    uint32_t sid, vsid;
    uint16_t asid;
};
const Vm& vm_of(Path p)
{
    static const Vm trapped{"trap", "gpu1", 0x20, 2, 2}, vcmdq{"vc", "gpu0", 0x10, 1, 1};
    return p == Path::Trapped ? trapped : vcmdq;
}

// Text with its line count: line numbers are what the run reports. It
// also follows each guest's software PROD (the entries it wrote).
struct Lines {
    std::string text;
    unsigned n = 0;
    uint64_t prod[2] = {0, 0};  // by Path
    unsigned add(const std::string& line)
    {
        text += line;
        text += '\n';
        return ++n;
    }
};

// The queue's log2 of entries (kQueueBytes of 16-byte commands).
constexpr unsigned kQueueLog2 = 8;

// The guest's queue operations: a trapped guest has one emulated SMMU
// command queue (no index); an accelerated one names its HW queue 0.
std::string queue_op(Path p, const char* vm, const char* verb, const std::string& rest = "")
{
    return fmt::format("guest {} {}{}{}{}", vm, verb, p == Path::Trapped ? "" : " 0", rest.empty() ? "" : " ", rest);
}

// CMD_SYNC as the guest's driver builds it (arm_smmu_cmdq_build_sync_cmd):
// on a VCMDQ CS = NONE (the CMDQV's quirk, CMDQ_QUIRK_SYNC_CS_NONE_ONLY); on
// the emulated SMMU, which has IDR0.MSI, CS = SIG_IRQ with the MSI written
// over the CMD_SYNC's own slot (ARM_SMMU_OPT_MSIPOLL), which the guest polls.
std::string sync_words(Path p, uint64_t prod)
{
    if (p == Path::Vcmdq)
        return "CMD_SYNC";
    const uint64_t slot = kQueueGpa + (prod % (uint64_t(1) << kQueueLog2)) * 16;
    return fmt::format("CMD_SYNC cs=irq msiaddr={:#x}", slot);
}

void check_spec(const TraceSpec& s)
{
    if (s.sizes.empty() || s.paths.empty() || s.repeats == 0)
        throw std::invalid_argument("a study needs at least one size, one path and one repetition");
    for (size_t i = 0; i < s.sizes.size(); i++) {
        const uint64_t size = s.sizes[i];
        if (size == 0 || size % 0x1000 || size > kMaxSize)
            throw SizeError(fmt::format("size {:#x}: the study unmaps whole 4 KiB pages, at most {:#x} bytes", size,
                                        kMaxSize));
        for (size_t j = 0; j < i; j++)
            if (s.sizes[j] == size)
                throw SizeError(fmt::format("size {:#x} is given twice", size));
    }
}

void add_vm(Lines& t, Path p)
{
    const Vm& v = vm_of(p);
    t.add(fmt::format("endpoint {} sid={:#x}", v.endpoint, v.sid));
    t.add(fmt::format("vm {} endpoint={} vsid={}{}", v.name, v.endpoint, v.vsid,
                      p == Path::Trapped ? " viommu=arm-smmuv3" : ""));
    if (p == Path::Vcmdq) {
        t.add(fmt::format("hwqueue {} index=0 gpa={:#x} size={:#x}", v.name, kQueueGpa, kQueueBytes));
        t.add(fmt::format("guest {} enable 0", v.name));
    } else {
        t.add(fmt::format("guest {} enable gpa={:#x} log2size={}", v.name, kQueueGpa, kQueueLog2));
    }
    t.add(fmt::format("guest {} stage1 asid={}", v.name, v.asid));
}

// One unmap and its invalidation; returns its window.
Window add_unmap(Lines& t, const TraceSpec& s, Path p, uint64_t iova, uint64_t size)
{
    const Vm& v = vm_of(p);
    t.add(fmt::format("guest {} unmap iova={:#x} size={:#x}", v.name, iova, size));
    const std::vector<Submission> subs = guest_unmap_invalidation(s.smmu, GuestUnmap{iova, size, 12, 12, v.asid, true});
    Window w;
    w.size = size;
    w.path = p;
    w.commands = command_count(subs);
    w.submissions = static_cast<unsigned>(subs.size());
    for (const Submission& sub : subs) {
        const auto cpu = static_cast<uint64_t>(std::ceil(s.submit_cycles + s.cmd_cycles * double(sub.cmds.size())));
        if (cpu)
            w.first_line = w.first_line ? w.first_line : t.add(fmt::format("wait {}", cpu));
        uint64_t& prod = t.prod[p == Path::Trapped];
        for (const smmuv3::EncodedCommand& c : sub.cmds) {
            const unsigned line = t.add(queue_op(p, v.name, "cmd", command_words(c)));
            w.first_line = w.first_line ? w.first_line : line;
            prod++;
        }
        if (sub.sync)
            t.add(queue_op(p, v.name, "cmd", sync_words(p, prod++)));
        t.add(queue_op(p, v.name, "doorbell"));
    }
    w.last_line = t.add(queue_op(p, v.name, "wait"));
    const smmuv3::EncodedCommand& first = subs.front().cmds.front();
    if (first.op == smmuv3::OP_TLBI_NH_VA)
        t.add(fmt::format("expect executed TLBI_NH_VA asid={} covers={:#x}+{:#x} count={}", v.asid, iova, size,
                          w.commands));
    return w;
}

}  // namespace

const char* path_name(Path p)
{
    return p == Path::Trapped ? "trapped" : "vcmdq";
}

StudyTrace build_trace(const TraceSpec& s)
{
    check_spec(s);
    Lines t;
    t.add("# smmusim study vcmdq-vs-trap: per-unmap latency, trapped vs VCMDQ (docs/studies.md).");
    t.add("# Generated by the study; play it again with `smmusim run FILE --timeline T.json`.");
    t.add("kernel boot");
    for (Path p : s.paths)
        add_vm(t, p);
    // Every buffer mapped first, one IOVA slot per measured unmap.
    const auto slot = [&](size_t size_i, unsigned rep) { return kIovaBase + (size_i * s.repeats + rep) * kMaxSize; };
    for (Path p : s.paths)
        for (size_t i = 0; i < s.sizes.size(); i++)
            for (unsigned r = 0; r < s.repeats; r++)
                t.add(fmt::format("guest {} map iova={:#x} gpa={:#x} size={:#x}", vm_of(p).name, slot(i, r),
                                  kBufferGpa, s.sizes[i]));
    StudyTrace out;
    for (size_t i = 0; i < s.sizes.size(); i++)
        for (unsigned r = 0; r < s.repeats; r++)
            for (Path p : s.paths) {
                t.add(fmt::format("# {:#x} bytes, repetition {}, {}", s.sizes[i], r + 1, path_name(p)));
                Window w = add_unmap(t, s, p, slot(i, r), s.sizes[i]);
                w.rep = r;
                out.windows.push_back(w);
            }
    out.text = std::move(t.text);
    return out;
}

}  // namespace smmusim::studies

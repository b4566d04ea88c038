// SPDX-License-Identifier: GPL-2.0-only
#include "sequences.h"

#include "cmdqv/cmdqv_regs.h"
#include "smmuv3/queue.h"
#include "smmuv3/smmuv3_regs.h"

namespace smmusim::driver {

namespace sm = smmuv3;
namespace cq = cmdqv;

bool smmu_cmdq_disable(MmioBus& bus, uint64_t smmu, uint32_t cr0)
{
    bus.write(smmu + sm::CR0, 4, cr0 & ~sm::cr0::CMDQEN.mask());
    return bus.poll(smmu + sm::CR0ACK, sm::cr0::CMDQEN.mask(), 0);
}

bool smmu_cmdq_enable(MmioBus& bus, uint64_t smmu, uint64_t base, unsigned log2size)
{
    bus.write(smmu + sm::CMDQ_BASE, 8, base | log2size);
    bus.write(smmu + sm::CMDQ_PROD, 4, 0);
    bus.write(smmu + sm::CMDQ_CONS, 4, 0);
    const uint64_t cr0 = bus.read(smmu + sm::CR0, 4);
    bus.write(smmu + sm::CR0, 4, cr0 | sm::cr0::CMDQEN.mask());
    return bus.poll(smmu + sm::CR0ACK, sm::cr0::CMDQEN.mask(), sm::cr0::CMDQEN.mask());
}

bool write_config(MmioBus& bus, uint64_t config, uint64_t status, uint32_t value)
{
    bus.write(config, 4, value);
    // CONFIG.EN and STATUS.ENABLED are bit 0 of every CMDQV CONFIG/STATUS pair.
    return bus.poll(status, cq::status::ENABLED.mask(), cq::config::EN.get(value));
}

bool cmdqv_enable(MmioBus& bus, uint64_t cmdqv)
{
    return write_config(bus, cmdqv + cq::CONFIG, cmdqv + cq::STATUS, static_cast<uint32_t>(cq::config::EN.mask()));
}

bool vintf_enable(MmioBus& bus, uint64_t cmdqv, unsigned v, bool hyp_own, uint16_t vmid)
{
    const uint64_t r = cmdqv + cq::vintf(v);
    const auto cfg = static_cast<uint32_t>(cq::vintf_config::HYP_OWN.put(hyp_own) | cq::vintf_config::VMID.put(vmid));
    bus.write(r + cq::VINTF_CONFIG, 4, cfg);
    return write_config(bus, r + cq::VINTF_CONFIG, r + cq::VINTF_STATUS,
                        cfg | static_cast<uint32_t>(cq::vintf_config::EN.mask()));
}

void map_lvcmdq(MmioBus& bus, uint64_t cmdqv, unsigned q, unsigned v, unsigned l)
{
    bus.write(cmdqv + cq::cmdq_alloc(q), 4,
              cq::alloc::VINTF.put(v) | cq::alloc::LVCMDQ.put(l) | cq::alloc::ALLOCATED.mask());
}

void vintf_sid(MmioBus& bus, uint64_t cmdqv, unsigned v, unsigned s, uint32_t vsid, uint32_t psid)
{
    const uint64_t r = cmdqv + cq::vintf(v);
    bus.write(r + cq::vintf_sid_replace(s), 4, psid);
    bus.write(r + cq::vintf_sid_match(s), 4, cq::sid_match::VIRT_SID.put(vsid) | cq::sid_match::ENABLE.mask());
}

VcmdqPages global_vcmdq(uint64_t cmdqv, unsigned q) { return {cmdqv + cq::vcmdq_page0(q), cmdqv + cq::vcmdq_page1(q)}; }

VcmdqPages logical_vcmdq(uint64_t cmdqv, unsigned v, unsigned l)
{
    return {cmdqv + cq::lvcmdq_page0(v, l), cmdqv + cq::lvcmdq_page1(v, l)};
}

bool vcmdq_disable(MmioBus& bus, const VcmdqPages& at)
{
    return write_config(bus, at.page0 + cq::VCMDQ_CONFIG, at.page0 + cq::VCMDQ_STATUS, 0);
}

bool vcmdq_enable(MmioBus& bus, const VcmdqPages& at, uint64_t base, unsigned log2size, uint32_t config)
{
    bus.write(at.page0 + cq::VCMDQ_PROD, 4, 0);
    bus.write(at.page0 + cq::VCMDQ_CONS, 4, 0);
    bus.write(at.page1 + cq::VCMDQ_BASE, 8, base | log2size);
    return write_config(bus, at.page0 + cq::VCMDQ_CONFIG, at.page0 + cq::VCMDQ_STATUS,
                        config | static_cast<uint32_t>(cq::vcmdq_config::EN.mask()));
}

QueueRegs smmu_cmdq_regs(uint64_t smmu) { return {smmu + sm::CMDQ_PROD, smmu + sm::CMDQ_CONS}; }
QueueRegs vcmdq_regs(const VcmdqPages& at) { return {at.page0 + cq::VCMDQ_PROD, at.page0 + cq::VCMDQ_CONS}; }

uint32_t write_commands(MmioBus& bus, uint64_t base, unsigned log2size, uint32_t prod,
                        const std::vector<CmdWords>& cmds, bool* ok)
{
    const sm::QueueGeometry g{log2size};
    bool all = true;
    for (const CmdWords& c : cmds) {
        const uint64_t e[2] = {c.first, c.second};
        all &= bus.store(base + uint64_t(g.idx(prod)) * sm::kCmdBytes, e, sizeof(e));
        prod = g.inc(prod);
    }
    if (ok)
        *ok = all;
    return prod;
}

void submit(MmioBus& bus, const QueueRegs& regs, uint64_t base, unsigned log2size, const std::vector<CmdWords>& cmds)
{
    const sm::QueueGeometry g{log2size};
    const auto prod = static_cast<uint32_t>(bus.read(regs.prod, 4)) & g.ptr_mask();
    bus.write(regs.prod, 4, write_commands(bus, base, log2size, prod, cmds));
}

}  // namespace smmusim::driver

// SPDX-License-Identifier: GPL-2.0-only
// An out-of-tree SystemC platform built on the installed smmusim models:
// sc_main wires a CPU-like sequencer, a Router, DRAM, the SMMUv3 and the
// Tegra241 CMDQV, binds every interrupt output to an sc_signal<bool>; then
// the sequencer reads registers by debug transport, writes a CMD_SYNC into
// the command queue through DMI, enables the SMMU command queue and has the
// SMMU execute it. Prints each check; exits 1 on a mismatch.
#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>
#include <systemc>

#include <cmdqv/cmdqv.h>
#include <platform/memory.h>
#include <platform/router.h>
#include <smmuv3/smmuv3.h>

#include "cpu.h"

using namespace smmusim;

namespace {

// The platform's memory map.
constexpr uint64_t kSmmuBase = 0x10000000;
constexpr uint64_t kCmdqvBase = 0x11000000;
constexpr uint64_t kDramSize = 16 << 20;
constexpr uint64_t kQueueLog2 = 4;  // 16 commands

int failures = 0;

void check(bool ok, const std::string& what)
{
    std::printf("%s %s\n", ok ? "ok      " : "MISMATCH", what.c_str());
    failures += !ok;
}

// Counts the rising edges of an interrupt signal.
class EdgeCounter : public sc_core::sc_module {
public:
    sc_core::sc_in<bool> irq;
    unsigned rising = 0;

    SC_HAS_PROCESS(EdgeCounter);
    explicit EdgeCounter(sc_core::sc_module_name name) : sc_module(name), irq("irq")
    {
        SC_METHOD(edge);
        sensitive << irq.pos();
        dont_initialize();
    }

private:
    void edge() { rising++; }
};

// Reads a register until (value & mask) == want, a bounded number of times.
bool poll(Cpu& cpu, uint64_t addr, uint64_t mask, uint64_t want, uint64_t& value)
{
    for (int i = 0; i < 1000; i++) {
        if (!cpu.read(addr, value, 4))
            return false;
        if ((value & mask) == want)
            return true;
        sc_core::wait(sc_core::sc_time(10, sc_core::SC_NS));
    }
    return false;
}

// A register read by debug transport, then by a timed read: both agree.
// (Each check's message is formatted after the accesses it reports.)
void check_debug_read(Cpu& cpu, const char* name, uint64_t addr)
{
    uint64_t dbg = 0, timed = 0;
    const bool ok = cpu.debug_read(addr, dbg, 4) && cpu.read(addr, timed, 4);
    check(ok && dbg == timed && dbg != 0,
          fmt::format("{} read by debug transport = {:#x} (a timed read gives {:#x})", name, dbg, timed));
}

// Writes CMD_SYNC (completion signalled by the wired interrupt) into queue
// entry 0 through DMI, and checks it through the bus.
void write_sync_by_dmi(Cpu& cpu, uint64_t queue)
{
    using namespace smmuv3;
    const uint64_t cmd[2] = {cmdf::OPCODE.put(OP_CMD_SYNC) | cmdf::SYNC_CS.put(cmdf::CS_IRQ), 0};
    uint8_t* p = cpu.dmi_ptr(queue, sizeof cmd);
    check(p != nullptr, fmt::format("DMI to DRAM granted through the router: [{:#x}, {:#x}]",
                                    cpu.dmi().get_start_address(), cpu.dmi().get_end_address()));
    if (!p)
        return;
    std::memcpy(p, cmd, sizeof cmd);
    uint64_t back = 0;
    const bool read = cpu.read(queue, back, 8);
    check(read && back == cmd[0], fmt::format("CMD_SYNC written through DMI reads back through the bus: {:#x}", back));
}

// Enables the SMMU command queue at `queue` and has it execute entry 0.
void run_sync(Cpu& cpu, uint64_t queue, const EdgeCounter& sync_irq)
{
    using namespace smmuv3;
    uint64_t v = 0;
    cpu.write(kSmmuBase + CMDQ_BASE, (queue & q::ADDR.mask()) | q::LOG2SIZE.put(kQueueLog2), 8);
    cpu.write(kSmmuBase + CMDQ_PROD, 0, 4);
    cpu.write(kSmmuBase + CMDQ_CONS, 0, 4);
    cpu.write(kSmmuBase + CR0, cr0::CMDQEN.mask(), 4);
    const bool enabled = poll(cpu, kSmmuBase + CR0ACK, cr0::CMDQEN.mask(), cr0::CMDQEN.mask(), v);
    check(enabled, fmt::format("command queue enabled: CR0ACK = {:#x}", v));
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    cpu.write(kSmmuBase + CMDQ_PROD, 1, 4);
    const uint64_t index = (2ull << kQueueLog2) - 1;  // index and wrap bits
    const bool consumed = poll(cpu, kSmmuBase + CMDQ_CONS, index, 1, v);
    check(consumed && q::CONS_ERR.get(v) == 0,
          fmt::format("CMD_SYNC executed: CMDQ_CONS = {:#x} after {}", v, (sc_core::sc_time_stamp() - t0).to_string()));
    uint64_t gerror = ~0ull;
    const bool read = cpu.read(kSmmuBase + GERROR, gerror, 4);
    check(read && gerror == 0, fmt::format("GERROR = {:#x}", gerror));
    check(sync_irq.rising == 1,
          fmt::format("cmdq-sync interrupt: {} rising edge(s) on its sc_signal<bool>", sync_irq.rising));
}

}  // namespace

int sc_main(int, char*[])
{
    const Smmuv3Params sp;
    const ClockDomain clk("smmu", sp.clock_mhz);
    MemoryParams mp;
    mp.dram_size = kDramSize;
    Router bus("bus", clk, BusParams{});
    Memory dram("dram", clk, mp);
    dram.add_region(mp.dram_base, mp.dram_size);
    Smmuv3 smmu("smmu", clk, sp);
    Cmdqv cmdqv("cmdqv", clk, CmdqvParams{}, smmu);

    // Interrupt outputs on plain signals, as any SystemC platform wires them.
    sc_core::sc_signal<bool> eventq("eventq"), priq("priq"), gerror("gerror"), cmdq_sync("cmdq_sync"),
        combined("combined"), cmdqv_irq("cmdqv_irq");
    smmu.irqs().eventq.bind(eventq);
    smmu.irqs().priq.bind(priq);
    smmu.irqs().gerror.bind(gerror);
    smmu.irqs().cmdq_sync.bind(cmdq_sync);
    smmu.irqs().combined.bind(combined);
    cmdqv.irq().bind(cmdqv_irq);
    EdgeCounter sync_irq("sync_irq");
    sync_irq.irq.bind(cmdq_sync);

    const uint64_t queue = mp.dram_base + 0x10000;
    Cpu cpu("cpu", [&](Cpu& c) {
        check_debug_read(c, "SMMU IDR0", kSmmuBase + smmuv3::IDR0);
        check_debug_read(c, "CMDQV PARAM", kCmdqvBase + cmdqv::PARAM);
        write_sync_by_dmi(c, queue);
        run_sync(c, queue, sync_irq);
    });

    // Wiring from sc_main: the router's sockets exist from its construction.
    cpu.socket.bind(bus.in);
    smmu.dma.bind(bus.in);
    cmdqv.dma.bind(bus.in);
    bus.map("dram", mp.dram_base, mp.dram_size, false).bind(dram.socket);
    bus.map("smmu", kSmmuBase, smmuv3::kRegSpaceSize).bind(smmu.regs);
    bus.map("cmdqv", kCmdqvBase, cmdqv.size()).bind(cmdqv.regs);

    sc_core::sc_start();
    std::printf("tlm-platform: %s (%d mismatch(es)) at %s\n", failures ? "FAILED" : "all checks passed", failures,
                sc_core::sc_time_stamp().to_string().c_str());
    return failures ? 1 : 0;
}

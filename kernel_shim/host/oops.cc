// SPDX-License-Identifier: GPL-2.0-only
// A host fault in kernel code ends the run as the kernel's oops (oops.h).
#include "oops.h"

#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "cpu.h"
#include "host.h"
#include "linear_hole.h"
#include "symbols.h"

namespace smmusim::kshim {

namespace {

const Cpu* g_cpu = nullptr;
unsigned g_guards = 0;  // OopsGuards alive: the first installs, the last restores
const std::string* g_path = nullptr;
const unsigned *g_line = nullptr, *g_col = nullptr;

constexpr int kSignals[] = {SIGSEGV, SIGBUS};
struct sigaction g_old[2];
stack_t g_old_stack;
void* g_stack = nullptr;
constexpr size_t kStackBytes = 256u << 10;  // the handler, and symbolize() in it

// The report is built with these alone (no allocation, no stdio: the fault
// may have come from inside either).
struct Line {
    char buf[512];
    size_t n = 0;
    Line& str(const char* s)
    {
        while (*s && n < sizeof buf - 1)
            buf[n++] = *s++;
        return *this;
    }
    Line& dec(uint64_t v)
    {
        char d[24];
        int k = 0;
        do
            d[k++] = static_cast<char>('0' + v % 10);
        while ((v /= 10) && k < 24);
        while (k && n < sizeof buf - 1)
            buf[n++] = d[--k];
        return *this;
    }
    Line& hex16(uint64_t v)
    {
        for (int s = 60; s >= 0 && n < sizeof buf - 1; s -= 4)
            buf[n++] = "0123456789abcdef"[(v >> s) & 15];
        return *this;
    }
    Line& hex(uint64_t v)  // 0x and no leading zeros, as the simulator's other messages
    {
        int s = 60;
        while (s > 0 && !((v >> s) & 15))
            s -= 4;
        str("0x");
        for (; s >= 0 && n < sizeof buf - 1; s -= 4)
            buf[n++] = "0123456789abcdef"[(v >> s) & 15];
        return *this;
    }
    void emit()
    {
        buf[n++] = '\n';
        for (size_t off = 0; off < n;) {
            const ssize_t w = write(STDERR_FILENO, buf + off, n - off);
            if (w <= 0)
                break;
            off += static_cast<size_t>(w);
        }
        n = 0;
    }
};

Line& prefix(Line& l)
{
    l.str("smmusim: ");
    if (g_path && g_line && *g_line)
        l.str(g_path->c_str()).str(":").dec(*g_line).str(":").dec(g_col ? *g_col : 0).str(": ");
    return l;
}

// Where a faulting host address lies in the simulated machine. Kernel code
// reaches simulated DRAM through the linear map (kernel_shim/src/memmap.c:
// __va(pa) is the host mapping of DRAM plus pa minus its base), so the
// address names a PA the report can print: the same on every run, where the
// host address varies with ASLR. One that is no PA's is not printed.
Line& describe(Line& l, uintptr_t addr)
{
    Host& h = host();
    const Memory& mem = h.board.memory();
    const Memory::Region& dram = mem.regions().front();
    // A PA outside DRAM has no linear-map address: phys_to_virt() sent it to
    // the hole (linear_hole.h), which knows the PA.
    uint64_t pa = addr - (reinterpret_cast<uintptr_t>(dram.host) - dram.base);
    const bool in_hole = linear_hole_pa(addr, &pa);
    if (!in_hole && pa >= mem.pa_limit())
        return l.str("a host address outside simulated memory (no physical address's in the kernel's linear map; "
                     "not printed: it varies from run to run)");
    l.str("the linear-map virtual address of PA ").hex(pa);
    if (pa - dram.base >= dram.size)
        return l.str(", outside simulated memory (DRAM is [").hex(dram.base).str(", ").hex(dram.base + dram.size).str("))");
    if (pa - h.layout.dma_base < h.opts.dma_size)
        return l.str(", in the kernel's DMA pool [").hex(h.layout.dma_base).str(", ").hex(h.layout.dma_base + h.opts.dma_size).str(")");
    if (pa - h.layout.user_base < h.layout.user_size)
        return l.str(", in simulated user memory [").hex(h.layout.user_base).str(", ").hex(h.layout.user_base + h.layout.user_size).str(")");
    return l.str(", in simulated DRAM [").hex(dram.base).str(", ").hex(dram.base + dram.size).str(")");
}

// symbolize() allocates: should the fault have come from inside the heap,
// it could wait for ever; the report's first lines are out by then.
void on_alarm(int) { _exit(1); }

const void* fault_pc(void* uc)
{
#if defined(__x86_64__)
    return reinterpret_cast<const void*>(static_cast<ucontext_t*>(uc)->uc_mcontext.gregs[REG_RIP]);
#elif defined(__aarch64__)
    return reinterpret_cast<const void*>(static_cast<ucontext_t*>(uc)->uc_mcontext.pc);
#else
    (void)uc;
    return nullptr;
#endif
}

void on_fault(int sig, siginfo_t* si, void* uc)
{
    const Context* c = g_cpu ? g_cpu->current() : nullptr;
    if (!c) {
        // Not kernel code: the handler that was there before takes it when
        // the instruction faults again.
        const int i = sig == SIGSEGV ? 0 : 1;
        sigaction(sig, &g_old[i], nullptr);
        return;
    }
    const auto addr = reinterpret_cast<uintptr_t>(si->si_addr);
    Line l;
    prefix(l).str("kernel oops: Unable to handle kernel ");
    if (si->si_code == SI_KERNEL)  // x86-64: a general protection fault, whose address the host does not give
        l.str("paging request at a non-canonical virtual address (the host does not say which)").emit();
    else if (addr < 4096)
        l.str("NULL pointer dereference at virtual address ").hex16(addr).emit();
    else
        describe(l.str("paging request at "), addr).emit();
    prefix(l)
        .str("Internal error: Oops: ")
        .str(sig == SIGSEGV ? "SIGSEGV" : "SIGBUS")
        .str(" [#1] in ")
        .str(c->name.c_str())
        .str(" (a host fault in kernel code: the run stops, exit 1; no statistics or output files are written)")
        .emit();
    struct sigaction sa {};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, nullptr);
    alarm(2);
    if (const void* pc = fault_pc(uc)) {
        const std::string where = symbolize(pc);
        prefix(l).str("pc : ").str(where.c_str()).emit();
    }
    _exit(1);
}

}  // namespace

OopsGuard::OopsGuard(const Cpu& cpu) : prev_cpu_(g_cpu)
{
    g_cpu = &cpu;
    if (g_guards++)
        return;  // installed by an outer guard (two shims at once: the newest CPU is reported)
    void* st = mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (st != MAP_FAILED) {
        stack_t ss{};
        ss.ss_sp = st;
        ss.ss_size = kStackBytes;
        if (sigaltstack(&ss, &g_old_stack) == 0)
            g_stack = st;
        else
            munmap(st, kStackBytes);
    }
    struct sigaction sa {};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 2; i++)
        sigaction(kSignals[i], &sa, &g_old[i]);
}

OopsGuard::~OopsGuard()
{
    g_cpu = prev_cpu_;
    if (--g_guards)
        return;
    for (int i = 0; i < 2; i++)
        sigaction(kSignals[i], &g_old[i], nullptr);
    if (g_stack) {
        sigaltstack(&g_old_stack, nullptr);
        munmap(g_stack, kStackBytes);
        g_stack = nullptr;
    }
    note_position(nullptr, nullptr, nullptr);
}

void OopsGuard::note_position(const std::string* path, const unsigned* line, const unsigned* col)
{
    g_path = path;
    g_line = line;
    g_col = col;
}

}  // namespace smmusim::kshim

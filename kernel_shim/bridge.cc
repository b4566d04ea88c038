// SPDX-License-Identifier: GPL-2.0-only
#include "bridge.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include "smmusim/host.h"
#include "smmusim/kernel.h"
#include "smmusim/mmio.h"
#include "symbols.h"

namespace smmusim::kshim {

namespace {
KernelShim* g_shim = nullptr;

KernelShim& shim()
{
    if (!g_shim) {
        fprintf(stderr, "smmusim kernel shim: kernel code ran without a KernelShim\n");
        abort();
    }
    return *g_shim;
}

uint64_t pow2_at_least(uint64_t v)
{
    uint64_t p = 1;
    while (p < v)
        p <<= 1;
    return p;
}

constexpr int kIrqHandled = 1, kIrqWakeThread = 2;
// The longest an MMIO access may take, for the end-of-time check: far more
// than any register access of the models (a few hundred cycles at most).
const sc_core::sc_time kMmioTimeBound(1, sc_core::SC_US);
}  // namespace

// A kernel execution context: the CPU thread of run(), or an interrupt
// thread. Holds the per-CPU state it had when it last gave up the host CPU.
struct KernelShim::Ctx {
    std::string name;
    unsigned long preempt = 0, irqflags = 0;
    // Busy-waiting without a sleep since spin_since_ns (the watchdog's
    // view), last in spin_caller.
    bool spinning = false;
    uint64_t spin_since_ns = 0;
    const void* spin_caller = nullptr;
};

struct KernelShim::IrqAction {
    unsigned irq;
    int (*handler)(int, void*);
    int (*thread_fn)(int, void*);
    void* dev_id;
    std::string name;
    bool freed = false;
    bool running = false;
    uint64_t seen = 0;
    Ctx ctx;
    sc_core::sc_event idle_ev;
};

KernelShim::KernelShim(Soc& soc) : KernelShim(soc, Options{}) {}

KernelShim::KernelShim(Soc& soc, const Options& opts) : soc_(soc), opts_(opts)
{
    if (g_shim)
        throw std::logic_error("only one KernelShim per process");
    g_shim = this;
    if (getenv("SMMUSIM_DMESG"))
        opts_.echo_log = true;

    const auto& regions = soc_.memory().regions();
    if (regions.empty())
        throw std::logic_error("kernel shim: the platform has no DRAM");
    const auto& r = regions.front();
    if (opts_.dma_offset + opts_.dma_size > r.size)
        throw std::invalid_argument("kernel shim: DMA pool outside DRAM");
    dma_base_ = r.base + opts_.dma_offset;
    dma_end_ = dma_base_ + opts_.dma_size;
    dma_free_[dma_base_] = opts_.dma_size;
    const uint64_t user_size =
        opts_.user_offset < r.size ? std::min(opts_.user_size, r.size - opts_.user_offset) : 0;
    if (opts_.user_offset < opts_.dma_offset + opts_.dma_size && opts_.user_offset + user_size > opts_.dma_offset)
        throw std::invalid_argument("kernel shim: user memory overlaps the DMA pool");
    user_ = std::make_unique<UserMemory>(soc_.memory(), r.base + opts_.user_offset, user_size);
    // mmap()ed device regions: inaccessible host addresses whose accesses
    // the bridge performs as MMIO (like ioremap cookies).
    map_window_ = mmap(nullptr, 1ull << 30, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map_window_ == MAP_FAILED)
        throw std::runtime_error("kernel shim: cannot reserve host address space for mmap()");

    // WFE's event register: set by the SMMU's SEV.
    sc_core::sc_spawn_options so;
    so.spawn_method();
    so.dont_initialize();
    so.set_sensitivity(&soc_.smmu().sev());
    sc_core::sc_spawn(
        [this] {
            sev_pending_ = true;
            wfe_ev_.notify(sc_core::SC_ZERO_TIME);
        },
        sc_core::sc_gen_unique_name("kshim_sev"), &so);

    smmusim_kernel_init();
}

KernelShim::~KernelShim()
{
    if (map_window_ && map_window_ != MAP_FAILED)
        munmap(map_window_, 1ull << 30);
    for (auto& m : iomaps_)
        munmap(reinterpret_cast<void*>(m.first), m.second.map_len);
    for (auto& z : zero_maps_)
        munmap(z.first, z.second);
    for (auto& k : kmallocs_)
        free(const_cast<void*>(k.first));
    g_shim = nullptr;
}

KernelShim* KernelShim::instance() { return g_shim; }

// ---- contexts and waiting ---------------------------------------------------

void KernelShim::enter(Ctx& c)
{
    cur_ = &c;
    smmusim_ctx_restore(c.preempt, c.irqflags);
}

void KernelShim::leave(Ctx& c)
{
    smmusim_ctx_save(&c.preempt, &c.irqflags);
    if (cur_ == &c)
        cur_ = nullptr;
}

// Every wait of kernel code goes through here: the running context's
// per-CPU state is saved, other contexts may run, then it is restored.
// on_cpu: a busy-wait (the CPU stays with this context, so interrupts are
// delivered only if it has them enabled); otherwise the context sleeps.
// need: the simulated time the wait may take (its timeout); a wait that
// cannot fit before the end of simulated time stops the context instead.
template <class F>
void KernelShim::kwait(bool on_cpu, sc_core::sc_time need, F&& wait_fn, const void* caller)
{
    Ctx* me = cur_;
    if (!me) {
        fail("context", "kernel code waited outside a simulated CPU");
        throw KernelPanic{"wait outside a simulated CPU"};
    }
    if (time_ran_out() || need > time_left())
        out_of_time(*me, need, caller);
    if (!on_cpu) {
        me->spinning = false;
    } else {
        if (!me->spinning)
            me->spin_since_ns = now_ns();
        me->spinning = true;
        if (caller)
            me->spin_caller = caller;
    }
    smmusim_ctx_save(&me->preempt, &me->irqflags);
    Ctx* prev_on_cpu = on_cpu_;
    on_cpu_ = on_cpu ? me : nullptr;
    wait_fn();
    on_cpu_ = prev_on_cpu == me ? me : on_cpu_;
    cur_ = me;
    smmusim_ctx_restore(me->preempt, me->irqflags);
    if (on_cpu && opts_.softlockup_ns && now_ns() - me->spin_since_ns >= opts_.softlockup_ns)
        soft_lockup(*me);
}

// What the kernel's soft-lockup detector prints (kernel/watchdog.c: the
// message, then the registers: RIP names the function the CPU is in); the
// CPU is then stopped as with softlockup_panic, so the simulation ends.
void KernelShim::soft_lockup(Ctx& c)
{
    const uint64_t ns = now_ns() - c.spin_since_ns;
    const std::string stuck = ns >= 1000000000 ? fmt::format("{}s", ns / 1000000000)
                                               : fmt::format("{}ms", ns / 1000000);
    const std::string where = c.spin_caller ? symbolize(c.spin_caller) : "(unknown)";
    add_log(0, fmt::format("watchdog: BUG: soft lockup - CPU#0 stuck for {}! [{}]", stuck, c.name));
    add_log(4, fmt::format("RIP: {}", where));
    c.spinning = false;
    const std::string msg = fmt::format("BUG: soft lockup - CPU#0 stuck for {} in {}", stuck,
                                        where.substr(0, where.find('+')));
    fail("soft-lockup", msg);
    throw KernelPanic{"softlockup: hung tasks (" + msg + ")"};
}

sc_core::sc_time KernelShim::time_left() { return sc_core::sc_max_time() - sc_core::sc_time_stamp(); }

// Simulated time is a 64-bit count of picoseconds: a wait past its end
// would wrap. The waiting code is stopped as the soft-lockup detector stops
// it (a panic unwinds it), and every later wait of kernel code is too.
void KernelShim::out_of_time(Ctx& c, sc_core::sc_time need, const void* caller)
{
    c.spinning = false;
    if (time_ran_out())
        throw KernelPanic{time_out_msg_};
    const std::string where = caller ? symbolize(caller) : std::string();
    time_out_msg_ = fmt::format("simulated time ran out: {} waited for {}{} with {} left before the end of "
                                "simulated time (2^64 - 1 ps)",
                                c.name, need.to_string(), where.empty() ? "" : " in " + where.substr(0, where.find('+')),
                                time_left().to_string());
    add_log(0, time_out_msg_);
    fail("time", time_out_msg_);
    throw KernelPanic{time_out_msg_};
}

bool KernelShim::cpu_irqs_masked() const
{
    constexpr unsigned long kIF = 1ul << 9;  // X86_EFLAGS_IF
    return on_cpu_ && !(on_cpu_->irqflags & kIF);
}

KernelShim::Ctx* KernelShim::new_cpu_ctx()
{
    ctxs_.push_back(std::make_unique<Ctx>());
    Ctx* c = ctxs_.back().get();
    c->name = "cpu0";
    smmusim_ctx_init(&c->preempt, &c->irqflags);
    return c;
}

// After an exception left kernel code: AddressSanitizer cannot unpoison the
// frames it unwound on a SystemC coroutine stack (google/sanitizers#189), so
// their redzones would fire falsely when the stack is used again. The
// frames lay just below this one, on this context's own stack.
void KernelShim::unpoison_unwound_frames()
{
#if defined(__SANITIZE_ADDRESS__)
    volatile char here = 0;
    const size_t span = std::min<size_t>(256u << 10, opts_.stack_bytes / 2);
    __asan_unpoison_memory_region(const_cast<char*>(&here) - span, span);
#endif
}

// `body` as kernel code of context `c`, on the calling SystemC thread.
void KernelShim::run_on(Ctx& c, const std::function<void()>& body)
{
    enter(c);
    c.spinning = false;
    try {
        body();
        rcu_quiescent();
    } catch (const KernelPanic& p) {
        add_log(0, "simulated CPU stopped by panic: " + p.message);
        // The next body starts from a clean CPU (preemption and interrupts
        // enabled); whatever the stopped code held stays held.
        smmusim_ctx_init(&c.preempt, &c.irqflags);
        smmusim_ctx_restore(c.preempt, c.irqflags);
        unpoison_unwound_frames();
    }
    leave(c);
}

bool KernelShim::run(std::function<void()> body, sc_core::sc_time limit)
{
    // The simulation has ended for good (sc_stop): nothing can run.
    if (sc_core::sc_get_status() == sc_core::SC_STOPPED || sc_core::sc_end_of_simulation_invoked()) {
        fail("context", "kernel code called after the simulation ended");
        return false;
    }
    // Called from kernel code or from a simulated CPU that is already a
    // SystemC thread (the trace player's): run here, in simulated time.
    if (cur_) {
        body();
        return true;
    }
    if (sc_core::sc_get_status() == sc_core::SC_RUNNING) {
        // Inside the simulation: only a thread can wait.
        auto h = sc_core::sc_get_current_process_handle();
        if (!h.valid() || h.proc_kind() != sc_core::SC_THREAD_PROC_) {
            fail("context", "kernel code called from a SystemC method (it cannot wait)");
            return false;
        }
        if (!inline_cpu_)
            inline_cpu_ = new_cpu_ctx();
        run_on(*inline_cpu_, body);
        return true;
    }
    done_ = false;
    Ctx* c = new_cpu_ctx();

    sc_core::sc_spawn_options so;
    so.set_stack_size(static_cast<int>(opts_.stack_bytes));
    sc_core::sc_spawn(
        [this, c, body] {
            run_on(*c, body);
            done_ = true;
            sc_core::sc_pause();
        },
        sc_core::sc_gen_unique_name("kcpu"), &so);
    sc_core::sc_start(limit, sc_core::SC_EXIT_ON_STARVATION);
    if (!done_)
        fail("hang", fmt::format("kernel code did not finish within {} of simulated time", limit.to_string()));
    return done_;
}

uint64_t KernelShim::now_ns() const
{
    return static_cast<uint64_t>(sc_core::sc_time_stamp().to_seconds() * 1e9 + 0.5);
}

void KernelShim::spin(sc_core::sc_time t) { spin_from(t, nullptr); }

void KernelShim::spin_from(sc_core::sc_time t, const void* caller)
{
    kwait(true, t, [&] { sc_core::wait(t); }, caller);
}

void KernelShim::sleep(sc_core::sc_time t, const char* what)
{
    if (smmusim_ctx_atomic())
        fail("atomic-sleep", fmt::format("{}: sleeping while atomic (preemption or interrupts disabled)", what));
    rcu_quiescent();
    kwait(false, t, [&] { sc_core::wait(t); });
}

void KernelShim::block(const char* what)
{
    if (smmusim_ctx_atomic())
        fail("atomic-sleep", fmt::format("{}: blocking while atomic (preemption or interrupts disabled)", what));
    rcu_quiescent();
    kwait(false, sc_core::SC_ZERO_TIME, [&] { sc_core::wait(wake_ev_); });
}

uint64_t KernelShim::block_timeout(uint64_t ns, const char* what)
{
    if (smmusim_ctx_atomic())
        fail("atomic-sleep", fmt::format("{}: blocking while atomic (preemption or interrupts disabled)", what));
    rcu_quiescent();
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    const sc_core::sc_time limit(static_cast<double>(ns), sc_core::SC_NS);
    kwait(false, limit, [&] { sc_core::wait(limit, wake_ev_); });
    const sc_core::sc_time spent = sc_core::sc_time_stamp() - t0;
    return spent >= limit ? 0 : static_cast<uint64_t>((limit - spent).to_seconds() * 1e9);
}

// A grace period for the queued call_rcu() callbacks: the running context is
// about to sleep (so it holds no RCU read lock) and no other context is
// parked inside a non-preemptible section.
void KernelShim::rcu_quiescent()
{
    if (smmusim_ctx_atomic())
        return;
    for (const auto& c : ctxs_)
        if (c.get() != cur_ && smmusim_ctx_is_atomic(c->preempt, c->irqflags))
            return;
    for (const auto& a : irqs_)
        if (a->running && smmusim_ctx_is_atomic(a->ctx.preempt, a->ctx.irqflags))
            return;
    smmusim_rcu_flush();
}

void KernelShim::cpu_relax(const void* caller)
{
    spin_from(sc_core::sc_time(static_cast<double>(opts_.cpu_relax_ns), sc_core::SC_NS), caller);
}

void KernelShim::wfe(const void* caller)
{
    if (sev_pending_) {
        sev_pending_ = false;
        return;
    }
    const sc_core::sc_time limit(static_cast<double>(opts_.wfe_timeout_ns), sc_core::SC_NS);
    kwait(true, limit, [&] { sc_core::wait(limit, wfe_ev_); }, caller);
    sev_pending_ = false;
}

// ---- interrupts -------------------------------------------------------------

int KernelShim::request_irq(unsigned irq, int (*handler)(int, void*), int (*thread_fn)(int, void*),
                            void* dev_id, const char* name)
{
    for (auto& a : irqs_)
        if (!a->freed && a->irq == irq)
            return -16;  // -EBUSY: no shared lines in the simulated system
    auto act = std::make_unique<IrqAction>();
    IrqAction* a = act.get();
    a->irq = irq;
    a->handler = handler;
    a->thread_fn = thread_fn;
    a->dev_id = dev_id;
    a->name = name ? name : "";
    a->seen = soc_.irqc().count(irq);
    a->ctx.name = fmt::format("irq/{}-{}", irq, a->name);
    smmusim_ctx_init(&a->ctx.preempt, &a->ctx.irqflags);
    irqs_.push_back(std::move(act));
    irqs_requested_++;

    sc_core::sc_spawn_options so;
    so.set_stack_size(static_cast<int>(opts_.stack_bytes));
    sc_core::sc_spawn([this, a] { irq_thread(a); }, sc_core::sc_gen_unique_name("kirq"), &so);
    return 0;
}

void KernelShim::irq_thread(IrqAction* a)
{
    auto& irqc = soc_.irqc();
    for (;;) {
        while (!a->freed && irqc.count(a->irq) == a->seen)
            sc_core::wait(irqc.event(a->irq));
        if (a->freed)
            return;
        // A CPU busy-waiting with interrupts masked takes it later.
        while (cpu_irqs_masked())
            sc_core::wait(sc_core::sc_time(static_cast<double>(opts_.cpu_relax_ns), sc_core::SC_NS));
        a->seen = irqc.count(a->irq);
        a->running = true;
        Ctx* interrupted = cur_;
        enter(a->ctx);
        try {
            smmusim_irq_enter();
            int r = a->handler(static_cast<int>(a->irq), a->dev_id);
            smmusim_irq_exit();
            if ((r & kIrqWakeThread) && a->thread_fn)
                a->thread_fn(static_cast<int>(a->irq), a->dev_id);
            else if (!(r & (kIrqHandled | kIrqWakeThread)))
                add_log(3, fmt::format("irq {}: nobody cared ({})", a->irq, a->name));
        } catch (const KernelPanic& p) {
            add_log(0, "interrupt thread stopped by panic: " + p.message);
            leave(a->ctx);
            a->running = false;
            a->idle_ev.notify(sc_core::SC_ZERO_TIME);
            return;
        }
        leave(a->ctx);
        cur_ = interrupted;
        a->running = false;
        a->idle_ev.notify(sc_core::SC_ZERO_TIME);
    }
}

void KernelShim::free_irq(unsigned irq, void* dev_id)
{
    for (auto& a : irqs_) {
        if (!a->freed && a->irq == irq && a->dev_id == dev_id) {
            synchronize_irq(irq);
            a->freed = true;
            soc_.irqc().event(irq).notify(sc_core::SC_ZERO_TIME);  // lets its thread end
            return;
        }
    }
    fail("WARN", fmt::format("free_irq: trying to free already-free IRQ {}", irq));
}

void KernelShim::synchronize_irq(unsigned irq)
{
    for (auto& a : irqs_)
        while (!a->freed && a->irq == irq && a->running && cur_ != &a->ctx)
            kwait(false, sc_core::SC_ZERO_TIME, [&] { sc_core::wait(a->idle_ev); });
}

// ---- memory ------------------------------------------------------------------

void* KernelShim::kmalloc(size_t size, bool zero, std::string site)
{
    kmalloc_calls_++;
    kmalloc_largest_ = std::max<uint64_t>(kmalloc_largest_, size);
    if (kmalloc_fail_after_ >= 0 && kmalloc_fail_after_-- == 0) {
        kmalloc_failed_++;
        return nullptr;
    }
    // kmalloc() aligns power-of-two sizes to their size (up to a page).
    size_t align = 16;
    if ((size & (size - 1)) == 0 && size > align)
        align = size < 4096 ? size : 4096;
    void* p = aligned_alloc(align, (size + align - 1) / align * align);
    if (!p)
        return nullptr;
    memset(p, zero ? 0 : 0x5a, size);
    kmallocs_[p] = Block{size, std::move(site), booting_};
    return p;
}

void KernelShim::kfree(const void* p)
{
    auto it = kmallocs_.find(p);
    if (it == kmallocs_.end()) {
        fail("WARN", fmt::format("kfree of {} which kmalloc did not return (or a double free)", p));
        return;
    }
    memset(const_cast<void*>(p), 0x6b, it->second.size);  // POISON_FREE
    kmallocs_.erase(it);
    free(const_cast<void*>(p));
}

size_t KernelShim::ksize(const void* p) const
{
    auto it = kmallocs_.find(p);
    return it == kmallocs_.end() ? 0 : it->second.size;
}

void* KernelShim::dma_alloc(size_t size, uint64_t* pa)
{
    const uint64_t align = std::max<uint64_t>(4096, pow2_at_least(size));
    const uint64_t len = (size + 4095) & ~uint64_t(4095);
    for (auto it = dma_free_.begin(); it != dma_free_.end(); ++it) {
        const uint64_t start = (it->first + align - 1) & ~(align - 1);
        const uint64_t end = it->first + it->second;
        if (start + len > end)
            continue;
        const uint64_t fbase = it->first;
        dma_free_.erase(it);
        if (start > fbase)
            dma_free_[fbase] = start - fbase;
        if (start + len < end)
            dma_free_[start + len] = end - (start + len);
        dma_live_[start] = len;
        dma_allocs_++;
        uint8_t* host = soc_.memory().host_ptr(start, len);
        memset(host, 0, len);
        *pa = start;
        return host;
    }
    add_log(3, fmt::format("smmusim: DMA pool exhausted ({} bytes requested)", size));
    return nullptr;
}

void KernelShim::dma_free(void* cpu)
{
    const uint64_t pa = soc_.memory().pa_of(cpu);
    auto it = dma_live_.find(pa);
    if (it == dma_live_.end()) {
        fail("WARN", fmt::format("DMA free of {} which was not allocated", cpu));
        return;
    }
    uint64_t base = it->first, len = it->second;
    dma_live_.erase(it);
    memset(cpu, 0x6b, len);
    auto next = dma_free_.lower_bound(base);
    if (next != dma_free_.end() && next->first == base + len) {
        len += next->second;
        dma_free_.erase(next);
    }
    auto prev = dma_free_.lower_bound(base);
    if (prev != dma_free_.begin()) {
        --prev;
        if (prev->first + prev->second == base) {
            base = prev->first;
            len += prev->second;
            dma_free_.erase(prev);
        }
    }
    dma_free_[base] = len;
}

uint64_t KernelShim::dram_pa(const void* cpu) const { return soc_.memory().pa_of(cpu); }

void* KernelShim::map_zero(uint64_t bytes)
{
    const size_t len = (bytes + 4095) & ~uint64_t(4095);
    void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        throw std::runtime_error("kernel shim: mmap failed");
    zero_maps_.push_back({p, len});
    return p;
}

void* KernelShim::ioremap(uint64_t pa, uint64_t size)
{
    const size_t len = (size + 4095) & ~uint64_t(4095);
    void* p = mmap(nullptr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return nullptr;
    iomaps_[reinterpret_cast<uintptr_t>(p)] = IoMap{pa, size, len};
    ioremaps_++;
    return p;
}

void KernelShim::iounmap(const volatile void* cookie)
{
    auto it = iomaps_.find(reinterpret_cast<uintptr_t>(cookie));
    if (it == iomaps_.end()) {
        fail("WARN", fmt::format("iounmap of {} which ioremap did not return", const_cast<const void*>(cookie)));
        return;
    }
    munmap(reinterpret_cast<void*>(it->first), it->second.map_len);
    iomaps_.erase(it);
}

uint64_t KernelShim::mmio_read(const volatile void* addr, unsigned size, const void* caller)
{
    const auto a = reinterpret_cast<uintptr_t>(addr);
    auto it = iomaps_.upper_bound(a);
    if (it == iomaps_.begin() || a - std::prev(it)->first + size > std::prev(it)->second.size) {
        fail("bus-error", fmt::format("MMIO read of {} bytes at {:#x}: not an ioremap()ed address", size, a));
        return ~0ull;
    }
    --it;
    const uint64_t pa = it->second.pa + (a - it->first);
    uint64_t v = 0;
    bool ok = true;
    kwait(true, kMmioTimeBound, [&] { ok = soc_.mmio_read(pa, size, v); }, caller);
    if (!ok) {
        fail("bus-error", fmt::format("MMIO read of {} bytes at PA {:#x} failed", size, pa));
        return ~0ull;
    }
    return v;
}

void KernelShim::mmio_write(volatile void* addr, uint64_t v, unsigned size, const void* caller)
{
    const auto a = reinterpret_cast<uintptr_t>(addr);
    auto it = iomaps_.upper_bound(a);
    if (it == iomaps_.begin() || a - std::prev(it)->first + size > std::prev(it)->second.size) {
        fail("bus-error", fmt::format("MMIO write of {} bytes at {:#x}: not an ioremap()ed address", size, a));
        return;
    }
    --it;
    const uint64_t pa = it->second.pa + (a - it->first);
    bool ok = true;
    kwait(true, kMmioTimeBound, [&] { ok = soc_.mmio_write(pa, size, v); }, caller);
    if (!ok)
        fail("bus-error", fmt::format("MMIO write of {} bytes at PA {:#x} failed", size, pa));
}

KernelShim::AllocStats KernelShim::alloc_stats() const
{
    AllocStats s;
    s.kmalloc_calls = kmalloc_calls_;
    s.kmalloc_failed = kmalloc_failed_;
    s.kmalloc_largest = kmalloc_largest_;
    for (auto& k : kmallocs_) {
        if (k.second.boot) {
            s.kmalloc_boot_live++;
            continue;
        }
        s.kmalloc_live++;
        s.kmalloc_live_bytes += k.second.size;
    }
    s.dma_allocs = dma_allocs_;
    s.dma_live = dma_live_.size();
    for (auto& d : dma_live_)
        s.dma_live_bytes += d.second;
    s.ioremaps = ioremaps_;
    s.ioremap_live = iomaps_.size();
    s.irqs_requested = irqs_requested_;
    for (auto& a : irqs_)
        s.irqs_live += !a->freed;
    return s;
}

// ---- log and failures ---------------------------------------------------------

void KernelShim::add_log(int level, std::string text)
{
    // One record per printk (pr_cont() pieces become records of their own).
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    if (level <= 4)
        warnings_++;
    log_.push_back(LogRecord{level, now_ns(), std::move(text)});
    if (opts_.echo_log)
        fprintf(stderr, "%s", dmesg_line(log_.back()).c_str());
}

void KernelShim::fail(std::string kind, std::string msg)
{
    if (opts_.echo_log)
        fprintf(stderr, "smmusim kernel shim: %s: %s\n", kind.c_str(), msg.c_str());
    failures_.push_back(Failure{std::move(kind), std::move(msg), now_ns()});
}

// util-linux dmesg's default format: "[%5lu.%06lu] " (seconds, microseconds).
std::string KernelShim::dmesg_line(const LogRecord& r)
{
    return fmt::format("[{:5d}.{:06d}] {}\n", r.time_ns / 1000000000, r.time_ns / 1000 % 1000000, r.text);
}

std::string KernelShim::dmesg() const
{
    std::string s;
    for (const auto& r : log_)
        s += dmesg_line(r);
    return s;
}

bool KernelShim::log_contains(std::string_view text) const
{
    for (const auto& r : log_)
        if (r.text.find(text) != std::string::npos)
            return true;
    return false;
}

std::string KernelShim::live_kmallocs() const
{
    std::string s;
    for (const auto& [p, b] : kmallocs_)
        if (!b.boot)
            s += fmt::format("{} bytes at {} from {}\n", b.size, p, b.site.empty() ? "?" : b.site);
    return s;
}

std::string KernelShim::failures_text() const
{
    std::string s;
    for (const auto& f : failures_)
        s += fmt::format("{}: {} (at {} ns)\n", f.kind, f.message, f.time_ns);
    return s;
}

// ---- driver binding ---------------------------------------------------------

void KernelShim::boot()
{
    if (booted_)
        return;
    booted_ = true;
    // What built-in code allocates while it initialises lives as long as
    // the kernel (kobjects, bus notifiers, caches): not counted as live.
    booting_ = !initcalls_done_;
    run([this] {
        if (!initcalls_done_)
            smmusim_kernel_early_init();
        smmusim_run_initcalls(initcalls_done_);
    });
    booting_ = false;
    initcalls_done_ = true;
}

void KernelShim::shutdown_drivers()
{
    if (!booted_)
        return;
    booted_ = false;
    run([] { smmusim_run_exitcalls(); });
}

int KernelShim::probe_smmu()
{
    boot();
    const auto& pp = soc_.params();
    smmusim_smmu_desc d{};
    d.base = pp.smmu_base;
    d.size = 0x20000;
    d.irq_eventq = soc_.smmu_irq(Soc::IRQ_EVENTQ);
    d.irq_gerror = soc_.smmu_irq(Soc::IRQ_GERROR);
    d.dma_coherent = soc_.smmu().params().coherent;
    const std::string node = fmt::format("/iommu@{:x}", pp.smmu_base);
    d.node_name = node.c_str();
    smmusim_cmdqv_desc cd{};
    const std::string cnode = fmt::format("/cmdqv@{:x}", pp.cmdqv_base);
    const bool with_cmdqv = opts_.cmdqv_node && soc_.has_cmdqv();
    if (with_cmdqv) {
        cd.base = pp.cmdqv_base;
        cd.size = soc_.cmdqv().size();
        cd.irq = static_cast<unsigned>(pp.cmdqv_irq);
        cd.node_name = cnode.c_str();
    }
    int ret = 1;
    run([&] {
        if (with_cmdqv) {
            // No driver binds to it: the SMMU driver finds it by phandle.
            cmdqv_pdev_ = smmusim_cmdqv_device_create(&cd);
            if (!cmdqv_pdev_) {
                ret = -12;
                return;
            }
            smmusim_platform_device_add(cmdqv_pdev_);
            d.cmdqv = cmdqv_pdev_;
        }
        smmu_pdev_ = smmusim_smmu_device_create(&d);
        if (!smmu_pdev_) {
            ret = -12;
            return;
        }
        smmu_fwnode_ = smmusim_device_fwnode(smmu_pdev_);
        const uint64_t t0 = soc_.smmu_clock().now();
        ret = smmusim_platform_device_add(smmu_pdev_);
        probe_cycles_ = soc_.smmu_clock().now() - t0;
    });
    return ret;
}

void KernelShim::remove_smmu()
{
    // Endpoints first (device_del: the iommu core releases them from their
    // groups), then as platform_device_unregister(): unbind (the driver's
    // remove, then its devres), then the device goes; then the driver is
    // unregistered. Domains still allocated are the caller's leak.
    for (auto& ep : endpoints_) {
        if (!ep)
            continue;
        void* p = ep;
        ep = nullptr;
        run([p] { smmusim_platform_device_destroy(p); });
    }
    if (smmu_pdev_) {
        void* p = smmu_pdev_;
        smmu_pdev_ = nullptr;
        run([p] { smmusim_platform_device_destroy(p); });
    }
    if (cmdqv_pdev_) {
        void* p = cmdqv_pdev_;
        cmdqv_pdev_ = nullptr;
        run([p] { smmusim_platform_device_destroy(p); });
    }
    shutdown_drivers();
}

int KernelShim::set_module_param(const std::string& name, const std::string& value)
{
    int ret = -2;
    run([&] { ret = smmusim_kernel_param_set(name.c_str(), value.c_str()); });
    return ret;
}

// Runs fn on a simulated CPU and records the SMMU cycles it took.
template <class F> auto KernelShim::timed(F&& fn)
{
    decltype(fn()) ret{};
    run([&] {
        const uint64_t t0 = soc_.smmu_clock().now();
        ret = fn();
        last_cycles_ = soc_.smmu_clock().now() - t0;
    });
    return ret;
}

int KernelShim::add_endpoint(const std::string& name, const std::vector<uint32_t>& sids)
{
    if (!smmu_pdev_)
        return -19;  // ENODEV
    if (sids.empty() || sids.size() > SMMUSIM_MAX_ENDPOINT_SIDS)
        return -22;  // EINVAL
    smmusim_endpoint_desc d{};
    d.name = name.c_str();
    d.smmu = smmu_pdev_;
    for (size_t i = 0; i < sids.size(); i++)
        d.sids[i] = sids[i];
    d.nr_sids = static_cast<unsigned>(sids.size());
    void* ep = nullptr;
    timed([&] {
        ep = smmusim_endpoint_device_create(&d);
        if (ep)
            smmusim_platform_device_add(ep);
        return 0;
    });
    if (!ep)
        return -12;  // ENOMEM
    endpoints_.push_back(ep);
    return static_cast<int>(endpoints_.size() - 1);
}

static void* at(const std::vector<void*>& v, int i)
{
    return i >= 0 && static_cast<size_t>(i) < v.size() ? v[static_cast<size_t>(i)] : nullptr;
}

bool KernelShim::endpoint_has_group(int ep) const
{
    void* p = at(endpoints_, ep);
    return p && smmusim_device_iommu_group(p);
}

void* KernelShim::endpoint_device(int ep) const
{
    void* p = at(endpoints_, ep);
    return p ? smmusim_device_of(p) : nullptr;
}

int KernelShim::domain_alloc(int ep)
{
    void* p = at(endpoints_, ep);
    if (!p)
        return -22;
    int err = 0;
    void* d = timed([&] { return smmusim_domain_alloc_paging(p, &err); });
    if (!d)
        return err ? err : -12;
    domains_.push_back(d);
    return static_cast<int>(domains_.size() - 1);
}

int KernelShim::domain_attach(int dom, int ep)
{
    void* d = at(domains_, dom);
    void* p = at(endpoints_, ep);
    if (!d || !p)
        return -22;
    return timed([&] { return smmusim_domain_attach(d, p); });
}

void KernelShim::domain_detach(int dom, int ep)
{
    void* d = at(domains_, dom);
    void* p = at(endpoints_, ep);
    if (d && p)
        timed([&] {
            smmusim_domain_detach(d, p);
            return 0;
        });
}

int KernelShim::domain_map(int dom, uint64_t iova, uint64_t pa, uint64_t size, bool write)
{
    void* d = at(domains_, dom);
    if (!d)
        return -22;
    return timed([&] { return smmusim_domain_map(d, iova, pa, size, write); });
}

uint64_t KernelShim::domain_unmap(int dom, uint64_t iova, uint64_t size)
{
    void* d = at(domains_, dom);
    if (!d)
        return 0;
    return timed([&] { return static_cast<uint64_t>(smmusim_domain_unmap(d, iova, size)); });
}

uint64_t KernelShim::domain_iova_to_phys(int dom, uint64_t iova)
{
    void* d = at(domains_, dom);
    if (!d)
        return 0;
    return timed([&] { return static_cast<uint64_t>(smmusim_domain_iova_to_phys(d, iova)); });
}

unsigned KernelShim::domain_asid(int dom) const
{
    void* d = at(domains_, dom);
    return d ? smmusim_domain_asid(d) : 0;
}

void KernelShim::domain_free(int dom)
{
    void* d = at(domains_, dom);
    if (!d)
        return;
    domains_[static_cast<size_t>(dom)] = nullptr;
    timed([&] {
        smmusim_domain_free(d);
        return 0;
    });
}

// ---- the simulated process ----------------------------------------------------

int KernelShim::sys_open(const std::string& misc_device)
{
    boot();
    return timed([&] { return smmusim_sys_open(misc_device.c_str(), 2 /* O_RDWR */); });
}

long KernelShim::sys_ioctl(int fd, unsigned long cmd, void* arg)
{
    return timed([&] {
        return smmusim_sys_ioctl(fd, static_cast<unsigned>(cmd), reinterpret_cast<unsigned long>(arg));
    });
}

long KernelShim::sys_read(int fd, void* buf, size_t count)
{
    return timed([&] { return smmusim_sys_read(fd, buf, count); });
}

int KernelShim::sys_close(int fd)
{
    return timed([&] { return smmusim_sys_close(fd); });
}

int KernelShim::sys_mmap(int fd, uint64_t length, uint64_t offset, bool shared, bool writable)
{
    const uint64_t len = (length + 4095) & ~uint64_t(4095);
    if (len == 0 || map_window_next_ + len > (1ull << 30))
        return -22;  // EINVAL
    const auto where = reinterpret_cast<uintptr_t>(map_window_) + map_window_next_;
    void* vma = nullptr;
    unsigned long long pa = 0;
    const int ret = timed([&] {
        return smmusim_sys_mmap(fd, where, length, writable, shared, offset, &vma, &pa);
    });
    if (ret)
        return ret;
    map_window_next_ += len;
    iomaps_[where] = IoMap{pa, len, 0};
    maps_.push_back(Map{vma, where, len});
    return static_cast<int>(maps_.size() - 1);
}

int KernelShim::sys_munmap(int map)
{
    if (map < 0 || static_cast<size_t>(map) >= maps_.size() || !maps_[static_cast<size_t>(map)].vma)
        return -22;
    Map& m = maps_[static_cast<size_t>(map)];
    void* vma = m.vma;
    m.vma = nullptr;
    iomaps_.erase(m.where);
    timed([&] {
        smmusim_sys_munmap(vma);
        return 0;
    });
    return 0;
}

uint64_t KernelShim::map_read(int map, uint64_t offset, unsigned size)
{
    if (map < 0 || static_cast<size_t>(map) >= maps_.size() || !maps_[static_cast<size_t>(map)].vma) {
        fail("segv", fmt::format("read of mapping {} which is not mapped", map));
        return ~0ull;
    }
    const Map& m = maps_[static_cast<size_t>(map)];
    if (offset + size > m.length) {
        fail("segv", fmt::format("read at offset {:#x} beyond the {:#x}-byte mapping", offset, m.length));
        return ~0ull;
    }
    return timed([&] { return mmio_read(reinterpret_cast<void*>(m.where + offset), size); });
}

void KernelShim::map_write(int map, uint64_t offset, uint64_t value, unsigned size)
{
    if (map < 0 || static_cast<size_t>(map) >= maps_.size() || !maps_[static_cast<size_t>(map)].vma) {
        fail("segv", fmt::format("write to mapping {} which is not mapped", map));
        return;
    }
    const Map& m = maps_[static_cast<size_t>(map)];
    if (offset + size > m.length) {
        fail("segv", fmt::format("write at offset {:#x} beyond the {:#x}-byte mapping", offset, m.length));
        return;
    }
    timed([&] {
        mmio_write(reinterpret_cast<void*>(m.where + offset), value, size);
        return 0;
    });
}

int KernelShim::vfio_bind(int fd, int ep, uint32_t* dev_id)
{
    void* p = at(endpoints_, ep);
    if (!p || idevs_.count(ep))
        return p ? -16 /* EBUSY */ : -22;
    int err = 0;
    unsigned id = 0;
    void* idev = timed([&] { return smmusim_iommufd_bind(fd, p, &id, &err); });
    if (!idev)
        return err;
    idevs_[ep] = idev;
    *dev_id = id;
    return 0;
}

int KernelShim::vfio_attach(int ep, uint32_t* pt_id)
{
    auto it = idevs_.find(ep);
    if (it == idevs_.end())
        return -22;
    unsigned id = *pt_id;
    const int ret = timed([&] { return smmusim_iommufd_attach(it->second, &id); });
    *pt_id = id;
    return ret;
}

void KernelShim::vfio_detach(int ep)
{
    auto it = idevs_.find(ep);
    if (it != idevs_.end())
        timed([&] {
            smmusim_iommufd_detach(it->second);
            return 0;
        });
}

void KernelShim::vfio_unbind(int ep)
{
    auto it = idevs_.find(ep);
    if (it == idevs_.end())
        return;
    void* idev = it->second;
    idevs_.erase(it);
    timed([&] {
        smmusim_iommufd_unbind(idev);
        return 0;
    });
}

int KernelShim::issue_cmd(uint64_t dw0, uint64_t dw1, bool sync, bool* secondary)
{
    int sec = 0;
    const int ret = timed([&] { return smmusim_smmu_issue_cmd(smmu_pdev_, dw0, dw1, sync, &sec); });
    if (secondary)
        *secondary = sec != 0;
    return ret;
}

bool KernelShim::idle(sc_core::sc_time t)
{
    run([&] { sleep(t, "idle"); });
    return !time_ran_out();
}

bool KernelShim::smmu_bound() const { return smmu_pdev_ && smmusim_platform_device_bound(smmu_pdev_); }

int KernelShim::smmu_devres_count() const
{
    return smmu_pdev_ ? smmusim_platform_device_devres_count(smmu_pdev_) : 0;
}

int KernelShim::iommus_registered() const
{
    return smmusim_iommu_registered_for(smmu_fwnode_) ? 1 : 0;
}

}  // namespace smmusim::kshim

// ---- the C ABI (smmusim/host.h, smmusim/mmio.h, arm64-compat.h) ---------------

using smmusim::kshim::KernelPanic;
using smmusim::kshim::shim;

extern "C" {

// Names the first caller outside the shim's allocator functions (for leak
// reports): frames 0..1 are this function and the shim's wrapper.
static std::string alloc_site()
{
    void* frames[8];
    const int n = backtrace(frames, 8);
    for (int i = 2; i < n; i++) {
        Dl_info info;
        if (!dladdr(frames[i], &info) || !info.dli_sname)
            continue;
        const std::string name = info.dli_sname;
        if (name.find("kmalloc") != std::string::npos || name.find("kzalloc") != std::string::npos ||
            name.find("devres_new") != std::string::npos || name.rfind("devm_", 0) == 0 ||
            name.find("kasprintf") != std::string::npos)
            continue;
        return name;
    }
    return {};
}

void* smmusim_host_kmalloc(unsigned long size, int zero) { return shim().kmalloc(size, zero != 0, alloc_site()); }
void smmusim_host_kfree(const void* p) { shim().kfree(p); }
unsigned long smmusim_host_ksize(const void* p) { return shim().ksize(p); }

void* smmusim_host_dma_alloc(unsigned long size, unsigned long long* pa)
{
    uint64_t a = 0;
    void* p = shim().dma_alloc(size, &a);
    *pa = a;
    return p;
}

void smmusim_host_dma_free(void* cpu) { shim().dma_free(cpu); }
unsigned long long smmusim_host_dram_pa(const void* cpu) { return shim().dram_pa(cpu); }

void smmusim_host_dram_window(void** host, unsigned long long* pa, unsigned long long* size)
{
    const auto& r = shim().soc().memory().regions().front();
    *host = r.host;
    *pa = r.base;
    *size = r.size;
}

void* smmusim_host_map_zero(unsigned long long bytes) { return shim().map_zero(bytes); }
void* smmusim_host_ioremap(unsigned long long pa, unsigned long long size) { return shim().ioremap(pa, size); }
void smmusim_host_iounmap(const volatile void* cookie) { shim().iounmap(cookie); }

unsigned long long smmusim_mmio_read(const volatile void* addr, unsigned int size)
{
    return shim().mmio_read(addr, size, __builtin_return_address(0));
}

void smmusim_mmio_write(volatile void* addr, unsigned long long val, unsigned int size)
{
    shim().mmio_write(addr, val, size, __builtin_return_address(0));
}

unsigned long long smmusim_host_now_ns(void) { return shim().now_ns(); }

void smmusim_host_spin_ns(unsigned long long ns)
{
    shim().spin_from(sc_core::sc_time(static_cast<double>(ns), sc_core::SC_NS), __builtin_return_address(0));
}

void smmusim_host_spin_ns_from(unsigned long long ns, const void* caller)
{
    shim().spin_from(sc_core::sc_time(static_cast<double>(ns), sc_core::SC_NS), caller);
}

void smmusim_host_sleep_ns(unsigned long long ns, const char* what)
{
    shim().sleep(sc_core::sc_time(static_cast<double>(ns), sc_core::SC_NS), what);
}

void* smmusim_host_current(void) { return shim().current(); }
void smmusim_host_block(const char* what) { shim().block(what); }

unsigned long long smmusim_host_user_pa(unsigned long uva) { return shim().user_memory().pa(uva); }

void smmusim_host_user_pin(unsigned long long pfn, int delta)
{
    auto& um = shim().user_memory();
    if (delta < 0 && um.pins_of(pfn) < -delta) {
        shim().fail("BUG", fmt::format("unpin of PFN {:#x}, which has {} pins", pfn, um.pins_of(pfn)));
        return;
    }
    um.pin(pfn, delta);
}
unsigned long long smmusim_host_block_timeout_ns(unsigned long long ns, const char* what)
{
    return shim().block_timeout(ns, what);
}
void smmusim_host_wake_all(void) { shim().wake_all(); }
void smmusim_cpu_relax(void) { shim().cpu_relax(__builtin_return_address(0)); }
void smmusim_cpu_wfe(void) { shim().wfe(__builtin_return_address(0)); }

bool smmusim_cpus_have_cap(unsigned int num)
{
    return num == 1 /* ARM64_HAS_VIRT_HOST_EXTN (arm64-compat.h) */ && shim().options().vhe;
}

int smmusim_host_request_irq(unsigned int irq, smmusim_irq_fn handler, smmusim_irq_fn thread_fn, void* dev_id,
                             const char* name)
{
    return shim().request_irq(irq, handler, thread_fn, dev_id, name);
}

void smmusim_host_free_irq(unsigned int irq, void* dev_id) { shim().free_irq(irq, dev_id); }
void smmusim_host_synchronize_irq(unsigned int irq) { shim().synchronize_irq(irq); }

void smmusim_host_vlog(int level, const char* prefix, const char* fmt, va_list ap)
{
    char buf[1024];
    smmusim_host_vformat(buf, sizeof(buf), fmt, ap);
    shim().add_log(level, std::string(prefix ? prefix : "") + buf);
}

void smmusim_host_log(int level, const char* prefix, const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    smmusim_host_vlog(level, prefix, fmt, ap);
    va_end(ap);
}

// A source path as the kernel prints it, relative to its tree
// ("drivers/iommu/..."): compilers (and ccache) record absolute or
// build-relative paths, so the longest suffix that names a file of the
// kernel tree, or of the simulator's own tree (kernel_shim/src/...), is it.
const char* smmusim_host_tree_path(const char* file)
{
    static const std::string roots[] = {SMMUSIM_KERNEL_TREE "/", SMMUSIM_KERNEL_SHIM_DIR "/../"};
    if (!file)
        return "?";
    for (const char* p = file; p; p = strchr(p, '/')) {
        p += *p == '/';
        struct stat st {};
        for (const auto& root : roots)
            if (*p && stat((root + p).c_str(), &st) == 0 && S_ISREG(st.st_mode))
                return p;
    }
    return file;
}

void smmusim_host_failure(const char* kind, const char* msg)
{
    if (std::string(kind) == "trap")
        shim().add_log(3, std::string("smmusim: ") + msg + "\n");
    shim().fail(kind, msg);
}

void smmusim_host_panic(const char* msg)
{
    shim().fail("panic", msg);
    throw KernelPanic{msg};
}

}  // extern "C"

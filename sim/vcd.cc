// SPDX-License-Identifier: GPL-2.0-only
#include "vcd.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "cmdqv/cmdqv.h"
#include "smmuv3/smmuv3.h"

namespace smmusim {

// --- VcdWriter ---------------------------------------------------------------

namespace {
constexpr unsigned kFirstId = 33, kIdChars = 94;  // '!' .. '~'

// VCD names are whitespace-free; keep them to what every viewer accepts.
std::string vcd_name(const std::string& s)
{
    std::string out;
    for (char c : s)
        out += (isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
    return out.empty() ? "_" : out;
}
}  // namespace

std::string VcdWriter::id_code(unsigned n)
{
    std::string id;
    do {
        id += static_cast<char>(kFirstId + n % kIdChars);
        n /= kIdChars;
    } while (n);
    return id;
}

VcdWriter::VcdWriter(const std::string& path, const std::string& option)
    : out_(std::make_unique<OutputWriter>(option, path))
{
}

VcdWriter::~VcdWriter() = default;  // not closed: not written (outputs.h)

void VcdWriter::push_scope(const std::string& name)
{
    header_ += fmt::format("$scope module {} $end\n", vcd_name(name));
    depth_++;
}

void VcdWriter::pop_scope()
{
    if (depth_ == 0)
        throw std::logic_error("VcdWriter: pop_scope without a scope");
    header_ += "$upscope $end\n";
    depth_--;
}

int VcdWriter::add_var(const std::string& name, unsigned width, uint64_t initial)
{
    if (begun_ || width == 0 || width > 64)
        throw std::logic_error(fmt::format("VcdWriter: bad declaration of {}", name));
    Var v{id_code(static_cast<unsigned>(vars_.size())), width, 0, 0};
    v.value = v.written = width == 64 ? initial : initial & ((1ull << width) - 1);
    if (width == 1)
        header_ += fmt::format("$var wire 1 {} {} $end\n", v.id, vcd_name(name));
    else
        header_ += fmt::format("$var reg {} {} {} [{}:0] $end\n", width, v.id, vcd_name(name), width - 1);
    vars_.push_back(std::move(v));
    return static_cast<int>(vars_.size() - 1);
}

void VcdWriter::begin(const std::string& timescale)
{
    while (depth_)
        pop_scope();
    begun_ = true;
    // No $date: the same run gives the same file.
    out_->write(fmt::format("$version smmusim $end\n$timescale {} $end\n{}$enddefinitions $end\n#0\n$dumpvars\n", timescale,
                            header_));
    header_.clear();
    header_.shrink_to_fit();
    for (const Var& v : vars_)
        write_value(v);
    out_->write("$end\n");
    now_ = 0;
    now_written_ = true;
}

void VcdWriter::write_value(const Var& v)
{
    if (v.width == 1) {
        out_->write(fmt::format("{}{}\n", v.value & 1, v.id));
        return;
    }
    out_->write(fmt::format("b{:b} {}\n", v.value, v.id));
}

void VcdWriter::flush()
{
    for (int i : dirty_) {
        Var& v = vars_[static_cast<size_t>(i)];
        v.dirty = false;
        if (v.value == v.written)
            continue;
        if (!now_written_) {
            out_->write(fmt::format("#{}\n", now_));
            now_written_ = true;
        }
        write_value(v);
        v.written = v.value;
        changes_++;
    }
    dirty_.clear();
}

void VcdWriter::advance(uint64_t time)
{
    if (time < now_)
        throw std::logic_error(fmt::format("VcdWriter: time went back from {} to {}", now_, time));
    // Pulses ending before (or at) `time`, in order.
    while (!falling_.empty()) {
        uint64_t first = UINT64_MAX;
        for (int i : falling_)
            first = std::min(first, vars_[static_cast<size_t>(i)].fall_at);
        if (first > time)
            break;
        if (first > now_) {
            flush();
            now_ = first;
            now_written_ = false;
        }
        for (size_t k = 0; k < falling_.size();) {
            const int i = falling_[k];
            Var& v = vars_[static_cast<size_t>(i)];
            if (v.fall_at != first) {
                k++;
                continue;
            }
            v.falling = false;
            v.value = 0;
            if (!v.dirty) {
                v.dirty = true;
                dirty_.push_back(i);
            }
            falling_[k] = falling_.back();
            falling_.pop_back();
        }
    }
    if (time > now_) {
        flush();
        now_ = time;
        now_written_ = false;
    }
}

void VcdWriter::change(int var, uint64_t value, uint64_t time)
{
    if (!out_->is_open() || !begun_)
        return;
    advance(time);
    Var& v = vars_.at(static_cast<size_t>(var));
    v.value = v.width == 64 ? value : value & ((1ull << v.width) - 1);
    if (!v.dirty) {
        v.dirty = true;
        dirty_.push_back(var);
    }
}

void VcdWriter::pulse(int var, uint64_t time, uint64_t width)
{
    if (!out_->is_open() || !begun_)
        return;
    change(var, 1, time);
    Var& v = vars_.at(static_cast<size_t>(var));
    if (!v.falling)
        falling_.push_back(var);
    v.falling = true;
    v.fall_at = time + (width ? width : 1);
}

bool VcdWriter::close(uint64_t end)
{
    if (!out_->is_open())
        return out_->close();
    if (!begun_)
        begin("1 ps");
    advance(std::max(end, now_));
    flush();
    if (!now_written_)
        out_->write(fmt::format("#{}\n", now_));
    return out_->close();
}

// --- Vcd: the dump of a Soc ----------------------------------------------------

namespace {

// "1 ps", "100 ns", ...: the SystemC time resolution as a VCD timescale.
std::string timescale_of_resolution()
{
    const double r = sc_core::sc_get_time_resolution().to_seconds();
    static const std::pair<const char*, double> units[] = {{"fs", 1e-15}, {"ps", 1e-12}, {"ns", 1e-9},
                                                           {"us", 1e-6},  {"ms", 1e-3},  {"s", 1.0}};
    for (const auto& [name, scale] : units)
        for (unsigned m : {1u, 10u, 100u})
            if (std::fabs(r - m * scale) < 1e-3 * m * scale)
                return fmt::format("{} {}", m, name);
    throw std::runtime_error(fmt::format("the SystemC time resolution ({} s) is not a VCD timescale", r));
}

uint64_t now_ticks() { return sc_core::sc_time_stamp().value(); }

}  // namespace

struct Vcd::State {
    State(const std::string& path, const std::string& option) : w(path, option) {}

    // A signal taken from bits of a register.
    struct Bind {
        int var;
        unsigned shift;
        unsigned width;
    };
    // One register bank's watched registers, by offset.
    struct Bank {
        RegisterBank* bank;
        std::map<uint32_t, std::vector<Bind>> regs;
    };

    void field(Bank& b, uint32_t off, const std::string& name, unsigned shift, unsigned width)
    {
        const uint64_t v = b.bank->get(off) >> shift;
        b.regs[off].push_back(Bind{w.add_var(name, width, v), shift, width});
    }
    void watch(const std::shared_ptr<State>& self, Bank* b)
    {
        b->bank->add_change_observer([self, b](uint32_t off, uint64_t value) {
            auto it = b->regs.find(off);
            if (it == b->regs.end())
                return;
            for (const Bind& f : it->second)
                self->w.change(f.var, value >> f.shift, now_ticks());
        });
    }

    VcdWriter w;
    std::vector<std::unique_ptr<Bank>> banks;
    std::map<unsigned, int> irq_vars;  // line -> var
    int other_irq = -1, other_irq_num = -1;
    uint64_t pulse_ticks = 1;
};

namespace {
// PROD and CONS as pointers: the index with its wrap bit (queues of up to
// 2^19 entries), without CONS.ERR or the overflow flags.
constexpr unsigned kPtrBits = 20;
constexpr unsigned width(const Field& f) { return f.hi - f.lo + 1; }
}  // namespace

Vcd::Vcd(Soc& soc, const std::string& path, const std::vector<unsigned>& vcmdqs, const std::string& option)
    : st_(std::make_shared<State>(path, option))
{
    using namespace smmuv3;
    State& s = *st_;
    VcdWriter& w = s.w;
    s.pulse_ticks = soc.smmu_clock().cycles(1).value();

    w.push_scope("soc");
    // The SMMU: enables and their acknowledgements, errors, its queues.
    auto& sb = *s.banks.emplace_back(std::make_unique<State::Bank>(State::Bank{&soc.smmu().bank(), {}}));
    w.push_scope("smmu");
    s.field(sb, CR0, "CR0", 0, 32);
    s.field(sb, CR0ACK, "CR0ACK", 0, 32);
    s.field(sb, CR0ACK, "SMMUEN", cr0::SMMUEN.lo, 1);
    s.field(sb, CR0ACK, "CMDQEN", cr0::CMDQEN.lo, 1);
    s.field(sb, CR0ACK, "EVTQEN", cr0::EVTQEN.lo, 1);
    s.field(sb, IRQ_CTRL, "IRQ_CTRL", 0, 32);
    s.field(sb, IRQ_CTRLACK, "IRQ_CTRLACK", 0, 32);
    s.field(sb, GERROR, "GERROR", 0, 32);
    s.field(sb, GERRORN, "GERRORN", 0, 32);
    w.push_scope("cmdq");
    s.field(sb, CMDQ_PROD, "PROD", 0, kPtrBits);
    s.field(sb, CMDQ_CONS, "CONS", 0, kPtrBits);
    s.field(sb, CMDQ_CONS, "ERR", q::CONS_ERR.lo, width(q::CONS_ERR));
    w.pop_scope();
    w.push_scope("evtq");
    s.field(sb, EVTQ_PROD, "PROD", 0, kPtrBits);
    s.field(sb, EVTQ_CONS, "CONS", 0, kPtrBits);
    w.pop_scope();
    w.pop_scope();
    s.watch(st_, &sb);

    if (soc.has_cmdqv()) {
        Cmdqv& c = soc.cmdqv();
        auto& cb = *s.banks.emplace_back(std::make_unique<State::Bank>(State::Bank{&c.bank(), {}}));
        w.push_scope("cmdqv");
        s.field(cb, cmdqv::CONFIG, "CONFIG", 0, 32);
        s.field(cb, cmdqv::STATUS, "ENABLED", 0, 1);
        for (unsigned m = 0; m < 2 && m * 32 < c.num_vintfs(); m++)
            s.field(cb, cmdqv::VINTF_ERR_MAP + 4 * m, fmt::format("VINTF_ERR_MAP{}", m), 0, 32);
        for (unsigned m = 0; m < 4 && m * 32 < c.num_vcmdqs(); m++)
            s.field(cb, cmdqv::cmdq_err_map(m), fmt::format("CMDQ_ERR_MAP{}", m), 0, 32);
        std::vector<unsigned> shown(vcmdqs);
        std::sort(shown.begin(), shown.end());
        shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
        for (unsigned q : shown) {
            if (q >= c.num_vcmdqs())
                throw std::runtime_error(fmt::format("VCMDQ {} does not exist", q));
            auto& qb = *s.banks.emplace_back(std::make_unique<State::Bank>(State::Bank{&c.vcmdq(q).bank(), {}}));
            w.push_scope(fmt::format("vcmdq{}", q));
            s.field(qb, cmdqv::VCMDQ_PROD, "PROD", 0, kPtrBits);
            s.field(qb, cmdqv::VCMDQ_CONS, "CONS", 0, kPtrBits);
            s.field(qb, cmdqv::VCMDQ_CONS, "ERR", cmdqv::vcmdq_cons::ERR.lo, width(cmdqv::vcmdq_cons::ERR));
            s.field(qb, cmdqv::VCMDQ_CONFIG, "CONFIG", 0, 32);
            s.field(qb, cmdqv::VCMDQ_STATUS, "ENABLED", 0, 1);
            s.field(qb, cmdqv::VCMDQ_GERROR, "GERROR", 0, 32);
            s.field(qb, cmdqv::VCMDQ_GERRORN, "GERRORN", 0, 32);
            w.pop_scope();
            s.watch(st_, &qb);
        }
        w.pop_scope();
        s.watch(st_, &cb);
    }

    // Interrupt lines: a pulse of one SMMU cycle per assertion (they are
    // edge-triggered); MSIs to numbers that are no wired line show as
    // `other`, with the number.
    IrqController& irqc = soc.irqc();
    w.push_scope("irq");
    std::vector<unsigned> lines;
    for (unsigned i = 0; i <= Soc::IRQ_COMBINED; i++)
        lines.push_back(soc.smmu_irq(static_cast<Soc::SmmuIrq>(i)));
    if (soc.has_cmdqv())
        lines.push_back(static_cast<unsigned>(soc.params().cmdqv_irq));
    for (unsigned l : lines)
        s.irq_vars[l] = w.add_var(irqc.line_name(l), 1, 0);
    s.other_irq = w.add_var("other", 1, 0);
    s.other_irq_num = w.add_var("other_number", 32, 0);
    w.pop_scope();
    w.pop_scope();
    irqc.add_listener([st = st_](unsigned irq) {
        const uint64_t t = now_ticks();
        auto it = st->irq_vars.find(irq);
        if (it != st->irq_vars.end()) {
            st->w.pulse(it->second, t, st->pulse_ticks);
            return;
        }
        st->w.change(st->other_irq_num, irq, t);
        st->w.pulse(st->other_irq, t, st->pulse_ticks);
    });

    w.begin(timescale_of_resolution());
}

Vcd::~Vcd() = default;  // not closed: not written (outputs.h)

bool Vcd::close() { return st_->w.close(now_ticks()); }

const std::string& Vcd::error() const { return st_->w.error(); }

uint64_t Vcd::changes() const { return st_->w.changes(); }

}  // namespace smmusim

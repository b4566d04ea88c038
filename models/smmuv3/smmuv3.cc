// SPDX-License-Identifier: GPL-2.0-only
#include "smmuv3.h"

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "../platform/reg_target.h"
#include "cmdq.h"
#include "decode_rules.h"
#include "evtq.h"
#include "gerror.h"
#include "res0_fields.h"
#include "translation/caches.h"
#include "translation/translation_unit.h"

namespace smmusim {

using namespace smmuv3;

namespace {

uint64_t oas_encoding(uint64_t bits)
{
    switch (bits) {
    case 32: return idr5::OAS_32;
    case 36: return idr5::OAS_36;
    case 40: return idr5::OAS_40;
    case 42: return idr5::OAS_42;
    case 44: return idr5::OAS_44;
    case 48: return idr5::OAS_48;
    case 52: return idr5::OAS_52;
    }
    throw ConfigError(fmt::format("smmu.idr.oas_bits = {} is not an architected OAS", bits));
}

}  // namespace

Smmuv3::Smmuv3(sc_core::sc_module_name name, const ClockDomain& clk, const Smmuv3Params& p)
    : sc_module(name), regs("regs"), dma("dma"), upstream("upstream"), clk_(clk), p_(p),
      bank_(std::string(this->name()), kRegSpaceSize),
      irqs_(clk), stats_(this->name()),
      reg_reads_(stats_.counter("reg_reads", "register reads")),
      reg_writes_(stats_.counter("reg_writes", "register writes")),
      bad_accesses_(stats_.counter("bad_accesses", "register accesses of an illegal size/alignment (bus error)")),
      ignored_writes_(stats_.counter("ignored_writes", "writes the hardware ignores in the current state")),
      gerrors_(stats_.counter("gerrors", "global errors raised")),
      msis_(stats_.counter("msis", "MSI writes sent")),
      upstream_refused_(stats_.counter("upstream_refused",
                                       "client transactions refused before translation: no StreamID extension, "
                                       "crossing a 4 KiB page, or not a read or write"))
{
    validate(p_);
    features_.s1p = p_.s1p;
    features_.s2p = p_.s2p;
    features_.hyp = p_.hyp;
    features_.ats = p_.ats;
    features_.pri = false;
    features_.stall = false;
    features_.ril = p_.ril;
    features_.vmid16 = p_.vmid16;
    features_.asid16 = p_.asid16;
    features_.sidsize = static_cast<unsigned>(p_.sidsize);
    features_.ssidsize = static_cast<unsigned>(p_.ssidsize);
    decode_rules_ = std::make_unique<DecodeRuleTable>(features_);

    regs.register_b_transport(this, &Smmuv3::b_transport);
    regs.register_transport_dbg(this, &Smmuv3::transport_dbg);
    upstream.register_b_transport(this, &Smmuv3::upstream_b_transport);

    engine_ = std::make_unique<CommandEngine>(*this);
    cmdq_ = std::make_unique<SmmuCommandQueue>("cmdq", *this);
    evtq_ = std::make_unique<SmmuEventQueue>("evtq", *this);
    xlat_ = std::make_unique<smmuv3::TranslationUnit>(*this);
    build_registers();

    SC_METHOD(cr0_apply);
    sensitive << cr0_ev_;
    dont_initialize();
    SC_METHOD(irq_ctrl_apply);
    sensitive << irq_ctrl_ev_;
    dont_initialize();
    SC_METHOD(gbpa_apply);
    sensitive << gbpa_ev_;
    dont_initialize();
    SC_THREAD(msi_sender);
}

Smmuv3::~Smmuv3() = default;

Smmuv3::IrqOutputs::IrqOutputs(const ClockDomain& clk)
    : eventq("irq_eventq", clk), priq("irq_priq", clk), gerror("irq_gerror", clk), cmdq_sync("irq_cmdq_sync", clk),
      combined("irq_combined", clk)
{
}

void Smmuv3::connect_irqs(const Irqs& irqs)
{
    irqs_.eventq.connect(irqs.eventq);
    irqs_.priq.connect(irqs.priq);
    irqs_.gerror.connect(irqs.gerror);
    irqs_.cmdq_sync.connect(irqs.cmdq_sync);
    irqs_.combined.connect(irqs.combined);
}

void Smmuv3::validate(const Smmuv3Params& p)
{
    p.check_ranges();  // a platform may set them in C++, not through a Config
    oas_encoding(p.oas_bits);
    if (!p.s1p && !p.s2p)
        throw ConfigError("smmu.idr.s1p and smmu.idr.s2p are both off: the SMMU would translate nothing");
    // TLBI_EL2_* are stage-1 TLBIs: the decode rules (feature.s1p,
    // feature.hyp) make them need both IDR0.S1P and IDR0.HYP, and Linux
    // issues TLBI_EL2_ALL at reset whenever HYP is set.
    if (p.hyp && !p.s1p)
        throw ConfigError("smmu.idr.hyp is on but smmu.idr.s1p is off: HYP implies S1P (EL2 TLBIs are stage-1 "
                          "TLBIs, which need IDR0.S1P, and the driver issues TLBI_EL2_ALL at reset whenever "
                          "IDR0.HYP is set); set smmu.idr.hyp = false too");
    TranslationCaches::validate(p);
}

uint32_t Smmuv3::idr(unsigned n) const
{
    uint64_t v = 0;
    switch (n) {
    case 0:
        v = idr0::S2P.put(p_.s2p) | idr0::S1P.put(p_.s1p) | idr0::TTF.put(idr0::TTF_AARCH64) |
            idr0::COHACC.put(p_.coherent) | idr0::HYP.put(p_.hyp) | idr0::ATS.put(p_.ats) |
            idr0::ASID16.put(p_.asid16) | idr0::MSI.put(p_.msi) | idr0::SEV.put(p_.sev) |
            idr0::VMID16.put(p_.vmid16) | idr0::CD2L.put(p_.cd2l) |
            idr0::STALL_MODEL.put(idr0::STALL_MODEL_NONE) |
            idr0::ST_LVL.put(p_.st_2lvl ? idr0::ST_LVL_2LVL : idr0::ST_LVL_LINEAR);
        break;
    case 1:
        v = idr1::SIDSIZE.put(p_.sidsize) | idr1::SSIDSIZE.put(p_.ssidsize) | idr1::PRIQS.put(p_.priqs) |
            idr1::EVTQS.put(p_.evtqs) | idr1::CMDQS.put(p_.cmdqs);
        break;
    case 3: v = idr3::RIL.put(p_.ril) | idr3::FWB.put(p_.fwb); break;
    case 5:
        v = idr5::OAS.put(oas_encoding(p_.oas_bits)) | idr5::GRAN4K.put(1) | idr5::GRAN16K.put(1) |
            idr5::GRAN64K.put(1);
        break;
    default: v = 0;
    }
    return static_cast<uint32_t>(v);
}

void Smmuv3::build_registers()
{
    // Fields of features the ID registers say are absent are RES0
    // (res0_fields.h): read as zero, writes ignored.
    auto add = [this](RegSpec spec, RegisterBank::WriteHook hook = {}) {
        spec.wmask &= ~res0_bits(spec.offset, p_);
        bank_.add(spec, std::move(hook));
    };
    auto ro = [&](uint32_t off, const char* name, uint64_t reset) { add({off, 4, name, reset, 0}); };
    ro(IDR0, "IDR0", idr(0));
    ro(IDR1, "IDR1", idr(1));
    ro(IDR2, "IDR2", idr(2));
    ro(IDR3, "IDR3", idr(3));
    ro(IDR4, "IDR4", idr(4));
    ro(IDR5, "IDR5", idr(5));
    ro(IIDR, "IIDR", p_.iidr);
    ro(AIDR, "AIDR", p_.aidr);

    add({CR0, 4, "CR0", 0, cr0::kMask}, [this](uint64_t, uint64_t) {
        cr0_ev_.notify(clk_.cycles(p_.cr0ack_cycles));
    });
    ro(CR0ACK, "CR0ACK", 0);
    // CR1, CR2, STRTAB_BASE(_CFG): software may change them only while the
    // SMMU is disabled (CR0ACK.SMMUEN = 0); otherwise the write is ignored.
    auto while_disabled = [this](uint32_t off) {
        return bank_.ignored_while(off, [this] { return smmu_enabled(); }, ignored_writes_);
    };
    add({CR1, 4, "CR1", 0, cr1::kMask}, while_disabled(CR1));
    add({CR2, 4, "CR2", 0, cr2::kMask}, while_disabled(CR2));
    ro(STATUSR, "STATUSR", 0);
    add({GBPA, 4, "GBPA", gbpa::SHCFG.put(1), gbpa::kMask}, [this](uint64_t old, uint64_t val) {
        if (gbpa::UPDATE.get(old)) {  // an update is in progress: ignored
            bank_.set(GBPA, old);
            ignored_writes_++;
            return;
        }
        if (gbpa::UPDATE.get(val))
            gbpa_ev_.notify(clk_.cycles(p_.gbpa_update_cycles));
    });
    add({AGBPA, 4, "AGBPA", 0, 0});  // no IMPLEMENTATION DEFINED attributes: RAZ/WI
    add({IRQ_CTRL, 4, "IRQ_CTRL", 0, irq_ctrl::kMask}, [this](uint64_t, uint64_t) {
        irq_ctrl_ev_.notify(clk_.cycles(p_.irq_ctrlack_cycles));
    });
    ro(IRQ_CTRLACK, "IRQ_CTRLACK", 0);
    ro(GERROR, "GERROR", 0);
    add({GERRORN, 4, "GERRORN", 0, gerror::kMask}, [this](uint64_t, uint64_t) {
        gerrorn_ev_.notify(sc_core::SC_ZERO_TIME);
        cmdq_->kick();
    });
    // The *_IRQ_CFG registers are RES0 without IDR0.MSI (res0_fields.h).
    const uint64_t msi_mask = irq_cfg::kCfg0Mask;
    add({GERROR_IRQ_CFG0, 8, "GERROR_IRQ_CFG0", 0, msi_mask});
    add({GERROR_IRQ_CFG1, 4, "GERROR_IRQ_CFG1", 0, 0xffffffffull});
    add({GERROR_IRQ_CFG2, 4, "GERROR_IRQ_CFG2", 0, irq_cfg::kCfg2Mask});

    add({STRTAB_BASE, 8, "STRTAB_BASE", 0, strtab::kBaseMask}, while_disabled(STRTAB_BASE));
    add({STRTAB_BASE_CFG, 4, "STRTAB_BASE_CFG", 0, strtab::kCfgMask}, while_disabled(STRTAB_BASE_CFG));

    // Queue base registers are ignored while their queue is enabled.
    auto while_off = [this](uint32_t off, Field en) {
        return bank_.ignored_while(off, [this, en] { return en.get(cr0ack()) != 0; }, ignored_writes_);
    };
    const uint64_t cmdq_ptr_mask = (2ull << p_.cmdqs) - 1;
    const uint64_t evtq_ptr_mask = (2ull << p_.evtqs) - 1;
    add({CMDQ_BASE, 8, "CMDQ_BASE", 0, q::kBaseMask}, while_off(CMDQ_BASE, cr0::CMDQEN));
    add({CMDQ_PROD, 4, "CMDQ_PROD", 0, cmdq_ptr_mask}, [this](uint64_t old, uint64_t val) {
        cmdq_->prod_written(static_cast<uint32_t>(old), static_cast<uint32_t>(val));
    });
    // CONS is written by software only to initialise a disabled queue.
    add({CMDQ_CONS, 4, "CMDQ_CONS", 0, cmdq_ptr_mask}, while_off(CMDQ_CONS, cr0::CMDQEN));

    add({EVTQ_BASE, 8, "EVTQ_BASE", 0, q::kBaseMask}, while_off(EVTQ_BASE, cr0::EVTQEN));
    add({EVTQ_PROD, 4, "EVTQ_PROD", 0, evtq_ptr_mask | q::OVF.mask()}, while_off(EVTQ_PROD, cr0::EVTQEN));
    add({EVTQ_CONS, 4, "EVTQ_CONS", 0, evtq_ptr_mask | q::OVF.mask()}, [this](uint64_t, uint64_t) {
        evtq_->enabled_changed(evtq_enabled());  // may have made room
    });
    add({EVTQ_IRQ_CFG0, 8, "EVTQ_IRQ_CFG0", 0, msi_mask});
    add({EVTQ_IRQ_CFG1, 4, "EVTQ_IRQ_CFG1", 0, 0xffffffffull});
    add({EVTQ_IRQ_CFG2, 4, "EVTQ_IRQ_CFG2", 0, irq_cfg::kCfg2Mask});

    // PRI is not implemented (IDR0.PRI = 0): the PRI queue registers are
    // stored and read back, nothing consumes them.
    const uint64_t priq_ptr_mask = (2ull << p_.priqs) - 1;
    add({PRIQ_BASE, 8, "PRIQ_BASE", 0, q::kBaseMask});
    add({PRIQ_PROD, 4, "PRIQ_PROD", 0, priq_ptr_mask | q::OVF.mask()});
    add({PRIQ_CONS, 4, "PRIQ_CONS", 0, priq_ptr_mask | q::OVF.mask()});
    add({PRIQ_IRQ_CFG0, 8, "PRIQ_IRQ_CFG0", 0, msi_mask});
    add({PRIQ_IRQ_CFG1, 4, "PRIQ_IRQ_CFG1", 0, 0xffffffffull});
    add({PRIQ_IRQ_CFG2, 4, "PRIQ_IRQ_CFG2", 0, irq_cfg::kCfg2Mask});
}

void Smmuv3::cr0_apply()
{
    const uint32_t old = cr0ack();
    uint32_t now = static_cast<uint32_t>(bank_.get(CR0));
    cmdq_stopping_ = false;
    if (cr0::CMDQEN.get(old) && !cr0::CMDQEN.get(now) && cmdq_->executing()) {
        // A command is executing: the queue stops taking commands now, but
        // CR0ACK.CMDQEN clears only once it completes (cmdq_quiesced), so a
        // driver that saw the ACK never sees CONS move again.
        cmdq_stopping_ = true;
        now = static_cast<uint32_t>(cr0::CMDQEN.set(now, 1));
    }
    bank_.set(CR0ACK, now);
    if (cr0::CMDQEN.get(old) != cr0::CMDQEN.get(now)) {
        if (cr0::CMDQEN.get(now))
            cmdq_->restart();
        else
            cmdq_->kick();
    }
    if (cmdq_stopping_)
        cmdq_->kick();
    if (cr0::EVTQEN.get(old) != cr0::EVTQEN.get(now))
        evtq_->enabled_changed(cr0::EVTQEN.get(now));
}

void Smmuv3::cmdq_quiesced()
{
    if (!cmdq_stopping_)
        return;
    cmdq_stopping_ = false;
    bank_.set(CR0ACK, cr0::CMDQEN.set(bank_.get(CR0ACK), 0));
}

void Smmuv3::irq_ctrl_apply() { bank_.set(IRQ_CTRLACK, bank_.get(IRQ_CTRL)); }

void Smmuv3::gbpa_apply() { bank_.set(GBPA, gbpa::UPDATE.set(bank_.get(GBPA), 0)); }

bool Smmuv3::gerror_active(const Field& b) const { return smmuv3::gerror_active(bank_, GERROR, GERRORN, b.mask()); }

void Smmuv3::raise_gerror(const Field& b)
{
    if (!smmuv3::raise_gerror(bank_, GERROR, GERRORN, b.mask()))
        return;
    gerrors_++;
    if (!irq_ctrl::GERROR_IRQEN.get(bank_.get(IRQ_CTRLACK)))
        return;
    signal_irq(irqs_.gerror, GERROR_IRQ_CFG0, gerror::MSI_GERROR_ABT_ERR);
}

void Smmuv3::signal_irq(IrqOut& irq, uint32_t cfg0, const Field& abort_bit)
{
    irq.pulse();
    irqs_.combined.pulse();
    const uint64_t addr = irq_cfg::ADDR.get(bank_.get(cfg0)) << 2;
    if (p_.msi && addr)
        post_msi(addr, static_cast<uint32_t>(bank_.get(cfg0 + 8)), abort_bit);
}

void Smmuv3::send_sev()
{
    if (p_.sev && sev_watched_)
        sev_ev_.notify(sc_core::SC_ZERO_TIME);
}

void Smmuv3::post_msi(uint64_t addr, uint32_t data, const Field& abort_bit)
{
    msi_fifo_.push_back(PendingMsi{addr, data, abort_bit});
    msi_ev_.notify(sc_core::SC_ZERO_TIME);
}

void Smmuv3::msi_sender()
{
    for (;;) {
        while (msi_fifo_.empty())
            wait(msi_ev_);
        PendingMsi m = msi_fifo_.front();
        msi_fifo_.pop_front();
        if (!msi_write_now(m.addr, m.data) && m.abort_bit.lo != gerror::MSI_GERROR_ABT_ERR.lo)
            raise_gerror(m.abort_bit);
    }
}

bool Smmuv3::msi_write_now(uint64_t addr, uint32_t data)
{
    msis_++;
    return dma_write(addr, &data, sizeof(data));
}

void Smmuv3::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay)
{
    // The access takes effect when it arrives plus the register latency.
    delay += clk_.cycles(p_.reg_cycles);
    wait(delay);
    delay = sc_core::SC_ZERO_TIME;
    serve_register_access(
        gp, kRegSpaceSize,
        [this](uint32_t off, unsigned len, bool write, uint64_t& v) {
            return write ? bank_.write(off, len, v) : bank_.read(off, len, v);
        },
        {reg_reads_, reg_writes_, bad_accesses_});
}

unsigned Smmuv3::transport_dbg(tlm::tlm_generic_payload& gp)
{
    return serve_register_debug(gp, kRegSpaceSize,
                                [this](uint32_t off, unsigned len, uint64_t& v) { return bank_.read(off, len, v); });
}

}  // namespace smmusim

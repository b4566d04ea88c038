// SPDX-License-Identifier: GPL-2.0-only
// The SMMU's own command queue: CMDQ_BASE/PROD/CONS, enabled by
// CR0ACK.CMDQEN, errors through GERROR.CMDQ_ERR (CERROR_ILL / CERROR_ABT),
// acknowledged through GERRORN, after which the queue refetches from CONS
// (what the Linux driver's arm_smmu_cmdq_skip_err expects). The pipeline is
// the shared one in cmdq_consumer.h; the batch is smmu.cmdq.batch.
#pragma once

#include "cmdq_consumer.h"

namespace smmusim {

class SmmuCommandQueue : public CommandQueueConsumer {
public:
    SmmuCommandQueue(sc_core::sc_module_name name, Smmuv3& smmu);

    smmuv3::QueueGeometry geometry() const override;
    uint64_t base_pa() const override;
    bool halted() const override;

protected:
    uint32_t prod() const override;
    uint32_t cons() const override;
    void set_cons(uint32_t value) override;
    bool enabled() const override;
    uint32_t batch() const override;
    // It admits every command that decodes: a burst is decoded at once.
    bool admission_fixed() const override { return true; }
    bool cons_observed() const override;
    unsigned consumes_quietly() const override;
    bool fetch(uint64_t pa, void* dst, size_t len, sc_core::sc_time& delay) override;
    void report_error(uint8_t code) override;
    void consumed(uint32_t new_cons, bool was_full, bool sync) override;
    void quiesced() override;
};

}  // namespace smmusim

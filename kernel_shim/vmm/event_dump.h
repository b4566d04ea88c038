// SPDX-License-Identifier: GPL-2.0-only
// The SMMUv3 driver's report of an event, as its event-queue thread logs it
// (arm_smmu_evtq_thread -> arm_smmu_dump_event in arm-smmu-v3.c), found in
// the kernel log: "event 0xNN received:", the record's four dwords, then
// the decoded line(s), "event: NAME client: DEV sid: 0x.. ssid: 0x.. ..."
// (and for F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION a second
// line with the access's attributes). What a `dma` operation that expects
// a fault takes as expected, and checks against the fault it saw.
//
// Only what the driver prints is read here; the record's layout is the
// translation unit's (models/smmuv3/translation/event_record.h). Not here:
// events the driver forwards to a vEVENTQ instead of logging them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "klog.h"

namespace smmusim::kshim {

struct EventDump {
    size_t first = 0, last = 0;  // the log records it spans, [first, last]
    uint8_t id = 0;              // from "event 0xNN received:"
    std::string name;            // the driver's name of it ("F_TRANSLATION"), from the decoded line
    uint32_t sid = 0;
    uint32_t ssid = 0;
    bool has_iova = false;       // the decoded line gives the input address
    uint64_t iova = 0;
};

// Every complete event report in log records [from, end), in order.
std::vector<EventDump> find_event_dumps(const std::vector<LogRecord>& log, size_t from);

}  // namespace smmusim::kshim

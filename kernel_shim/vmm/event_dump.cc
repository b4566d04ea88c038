// SPDX-License-Identifier: GPL-2.0-only
#include "event_dump.h"

#include <regex>

#include "smmuv3/evtq.h"

namespace smmusim::kshim {

namespace {

constexpr size_t kRawDwords = 4;  // EVTQ_ENT_DWORDS

// The driver prints "%#x": 0 as "0", others as "0x...".
uint64_t hex(const std::string& s) { return std::stoull(s, nullptr, 0); }

// The events arm_smmu_dump_event() describes in a second line (the
// access's attributes): the translation faults.
bool has_attribute_line(uint8_t id)
{
    using namespace smmuv3;
    return id == evt::F_TRANSLATION || id == evt::F_ADDR_SIZE || id == evt::F_ACCESS || id == evt::F_PERMISSION;
}

// The report that starts at record i (its header matched), if complete.
bool read_dump(const std::vector<LogRecord>& log, size_t i, uint8_t id, EventDump& d)
{
    static const std::regex raw(R"(: \t0x[0-9a-f]{16}$)");
    static const std::regex decoded(
        R"(: event: (\w+) client: .* sid: (0x[0-9a-f]+|0) ssid: (0x[0-9a-f]+|0)( iova: (0x[0-9a-f]+|0))?)");
    static const std::regex attributes(R"(: (priv|unpriv) (inst|data) (read|write) (s1|s2) ")");
    const size_t lines = 1 + kRawDwords + 1 + (has_attribute_line(id) ? 1 : 0);
    if (log.size() - i < lines)
        return false;
    for (size_t k = 1; k <= kRawDwords; k++)
        if (!std::regex_search(log[i + k].text, raw))
            return false;
    std::smatch m;
    if (!std::regex_search(log[i + 1 + kRawDwords].text, m, decoded))
        return false;
    if (has_attribute_line(id) && !std::regex_search(log[i + lines - 1].text, attributes))
        return false;
    d.first = i;
    d.last = i + lines - 1;
    d.id = id;
    d.name = m[1];
    d.sid = static_cast<uint32_t>(hex(m[2]));
    d.ssid = static_cast<uint32_t>(hex(m[3]));
    d.has_iova = m[5].matched;
    d.iova = d.has_iova ? hex(m[5]) : 0;
    return true;
}

}  // namespace

std::vector<EventDump> find_event_dumps(const std::vector<LogRecord>& log, size_t from)
{
    static const std::regex header(R"(: event 0x([0-9a-f]{2}) received:$)");
    std::vector<EventDump> dumps;
    for (size_t i = from; i < log.size(); i++) {
        std::smatch m;
        if (!std::regex_search(log[i].text, m, header))
            continue;
        EventDump d;
        if (read_dump(log, i, static_cast<uint8_t>(hex("0x" + m[1].str())), d)) {
            dumps.push_back(d);
            i = d.last;
        }
    }
    return dumps;
}

}  // namespace smmusim::kshim

// SPDX-License-Identifier: GPL-2.0-only
// The names of the event record types (IHI 0070 7.3, the numbers of
// evtq.h's smmuv3::evt), both ways: what a trace writes (`event=F_TRANSLATION`)
// and what a failure message prints. Names are the architecture's.
// Not here: the record layouts (the translation path's event_record.h).
#pragma once

#include <cstdint>
#include <string_view>

#include "evtq.h"

namespace smmusim::smmuv3::evt {

struct EventName {
    uint8_t type;
    const char* name;
};

inline constexpr EventName kEventNames[] = {
    {F_UUT, "F_UUT"},
    {C_BAD_STREAMID, "C_BAD_STREAMID"},
    {F_STE_FETCH, "F_STE_FETCH"},
    {C_BAD_STE, "C_BAD_STE"},
    {F_BAD_ATS_TREQ, "F_BAD_ATS_TREQ"},
    {F_STREAM_DISABLED, "F_STREAM_DISABLED"},
    {F_TRANSL_FORBIDDEN, "F_TRANSL_FORBIDDEN"},
    {C_BAD_SUBSTREAMID, "C_BAD_SUBSTREAMID"},
    {F_CD_FETCH, "F_CD_FETCH"},
    {C_BAD_CD, "C_BAD_CD"},
    {F_WALK_EABT, "F_WALK_EABT"},
    {F_TRANSLATION, "F_TRANSLATION"},
    {F_ADDR_SIZE, "F_ADDR_SIZE"},
    {F_ACCESS, "F_ACCESS"},
    {F_PERMISSION, "F_PERMISSION"},
    {F_TLB_CONFLICT, "F_TLB_CONFLICT"},
    {F_CFG_CONFLICT, "F_CFG_CONFLICT"},
    {E_PAGE_REQUEST, "E_PAGE_REQUEST"},
    {F_VMS_FETCH, "F_VMS_FETCH"},
};

// The name of event type `type`; null for a number the architecture does not define.
constexpr const char* event_name(uint8_t type)
{
    for (const EventName& e : kEventNames)
        if (e.type == type)
            return e.name;
    return nullptr;
}

// The type named `name`; -1 if none.
constexpr int event_by_name(std::string_view name)
{
    for (const EventName& e : kEventNames)
        if (name == e.name)
            return e.type;
    return -1;
}

}  // namespace smmusim::smmuv3::evt

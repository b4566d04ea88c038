// SPDX-License-Identifier: GPL-2.0-only
// SMMUv3 commands: opcodes, fields, the decoder that turns a 16-byte queue
// entry into a Command or an illegal-command verdict (CERROR_ILL), and the
// encoder that builds one from a command's name and named fields.
// Field positions are those of the architecture (Arm IHI 0070, "Commands");
// the kernel's arm-smmu-v3.h builds the same layouts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../platform/bits.h"

namespace smmusim::smmuv3 {

enum Opcode : uint8_t {
    OP_PREFETCH_CONFIG = 0x01,
    OP_PREFETCH_ADDR = 0x02,
    OP_CFGI_STE = 0x03,
    OP_CFGI_STE_RANGE = 0x04,  // CFGI_ALL is CFGI_STE_RANGE with Range = 31
    OP_CFGI_CD = 0x05,
    OP_CFGI_CD_ALL = 0x06,
    OP_CFGI_VMS_PIDM = 0x07,
    OP_TLBI_NH_ALL = 0x10,
    OP_TLBI_NH_ASID = 0x11,
    OP_TLBI_NH_VA = 0x12,
    OP_TLBI_NH_VAA = 0x13,
    OP_TLBI_EL3_ALL = 0x18,
    OP_TLBI_EL3_VA = 0x1a,
    OP_TLBI_EL2_ALL = 0x20,
    OP_TLBI_EL2_ASID = 0x21,
    OP_TLBI_EL2_VA = 0x22,
    OP_TLBI_EL2_VAA = 0x23,
    OP_TLBI_S12_VMALL = 0x28,
    OP_TLBI_S2_IPA = 0x2a,
    OP_TLBI_NSNH_ALL = 0x30,
    OP_ATC_INV = 0x40,
    OP_PRI_RESP = 0x41,
    OP_RESUME = 0x44,
    OP_STALL_TERM = 0x45,
    OP_CMD_SYNC = 0x46,
};

// Command fields (dword 0 = bits 63:0, dword 1 = bits 127:64).
namespace cmdf {
constexpr Field OPCODE{7, 0};
constexpr Field SSV = bit(11);
constexpr Field SSEC = bit(10);  // StreamID security: RES0 on the Non-secure command queue (ignored)
// PREFETCH_*
constexpr Field PREFETCH_SSID{31, 12}, PREFETCH_SID{63, 32};
constexpr Field PREFETCH_SIZE{4, 0}, PREFETCH_ADDR{63, 12};  // dword 1
// CFGI_*
constexpr Field CFGI_SSID{31, 12}, CFGI_SID{63, 32};
constexpr Field CFGI_LEAF = bit(0), CFGI_RANGE{4, 0};  // dword 1
// TLBI_*
constexpr Field TLBI_NUM{16, 12}, TLBI_SCALE{25, 20}, TLBI_VMID{47, 32}, TLBI_ASID{63, 48};
constexpr Field TLBI_LEAF = bit(0), TLBI_TTL{9, 8}, TLBI_TG{11, 10}, TLBI_VA{63, 12}, TLBI_IPA{51, 12};  // dword 1
// ATC_INV
constexpr Field ATC_SSID{31, 12}, ATC_SID{63, 32}, ATC_GLOBAL = bit(9);
constexpr Field ATC_SIZE{5, 0}, ATC_ADDR{63, 12};  // dword 1
// PRI_RESP
constexpr Field PRI_SSID{31, 12}, PRI_SID{63, 32};
constexpr Field PRI_GRPID{8, 0}, PRI_RESP{13, 12};  // dword 1
// RESUME / STALL_TERM
constexpr Field RESUME_RESP{13, 12}, RESUME_SID{63, 32};
constexpr Field RESUME_STAG{15, 0};  // dword 1
constexpr Field STALL_TERM_SID{63, 32};
// CMD_SYNC
constexpr Field SYNC_CS{13, 12}, SYNC_MSH{23, 22}, SYNC_MSIATTR{27, 24}, SYNC_MSIDATA{63, 32};
constexpr Field SYNC_MSIADDR{51, 2};  // dword 1
constexpr uint64_t CS_NONE = 0, CS_IRQ = 1, CS_SEV = 2;
}  // namespace cmdf

// What the decoder needs to know about the implementation to judge a command.
struct CommandFeatures {
    bool s1p = true;
    bool s2p = true;
    bool hyp = true;      // IDR0.HYP: EL2 TLBIs
    bool ats = true;
    bool pri = false;
    bool stall = false;   // STALL_MODEL permits stalls (RESUME/STALL_TERM)
    bool ril = true;      // IDR3.RIL: range invalidation
    bool vmid16 = true;
    bool asid16 = true;
    unsigned sidsize = 16;
    unsigned ssidsize = 20;
    bool gran4k = true;   // IDR5.GRAN4K/16K/64K: granules a range TLBI may name
    bool gran16k = true;
    bool gran64k = true;
    bool ds = false;      // IDR5.DS: 52-bit addresses with 4K/16K granules
};

// Coarse classes, each with its own execution cost parameter.
enum class CmdClass { Prefetch, Cfgi, CfgiAll, TlbiAll, TlbiAsid, TlbiVa, AtcInv, PriResp, Resume, Sync };

struct Command {
    uint64_t dw0 = 0;
    uint64_t dw1 = 0;
    Opcode op = OP_CMD_SYNC;
    CmdClass cls = CmdClass::Sync;

    // Decoded scope (what it invalidates / whom it addresses).
    uint32_t sid = 0;
    uint32_t sid_span = 1;   // CFGI_STE_RANGE: number of StreamIDs
    uint32_t ssid = 0;
    bool ssv = false;
    bool leaf = false;
    uint16_t asid = 0;
    uint16_t vmid = 0;
    uint64_t addr = 0;       // VA/IPA/ATC address (bytes)
    uint64_t span = 0;       // bytes covered by a range/ATC command (0 = single entry)
    uint32_t pages = 1;      // TLB entries a range TLBI walks (1 for non-range)

    // CMD_SYNC
    uint8_t cs = 0;
    uint32_t msi_data = 0;
    uint64_t msi_addr = 0;
};

struct Decoded {
    bool ok;
    Command cmd;
    const char* why;  // reason when !ok (for logs and tests)
};

// Checks every decode rule (decode_rules.h), then decodes the fields.
Decoded decode_command(uint64_t dw0, uint64_t dw1, const CommandFeatures& f);
// The same with the rules an implementation's features leave (an SMMU's
// decoder: decode_rules.h's DecodeRuleTable, built once).
class DecodeRuleTable;
Decoded decode_command(uint64_t dw0, uint64_t dw1, const DecodeRuleTable& rules);
// The same written into the caller's `d` (every field of it), without a
// Decoded made and copied per command (the consumers' decode loops).
void decode_command_into(Decoded& d, uint64_t dw0, uint64_t dw1, const DecodeRuleTable& rules);
// The same written into the caller's command `c` (every field of it):
// true when no rule refuses it. A consumer's quiet burst decodes straight
// into its command array, no Decoded copied per command.
bool decode_command_into(Command& c, uint64_t dw0, uint64_t dw1, const DecodeRuleTable& rules);
const char* opcode_name(uint8_t op);
CmdClass command_class(uint8_t op);

// The encoder, the decoder's other half (trace files, tests, benches):
// commands by name and their fields by name. `shift` converts a byte
// address into the field (12 for page addresses, 2 for MSI addresses); a
// value must fit the field after the shift.
struct FieldSpec {
    const char* name;
    unsigned dword;  // 0 or 1
    Field field;
    unsigned shift;
};
// -1 if unknown. Accepts the architecture's names (TLBI_NH_VA, CMD_SYNC, ...)
// and CFGI_ALL (CFGI_STE_RANGE with Range = 31).
int opcode_by_name(const std::string& name);
const std::vector<FieldSpec>& command_fields(uint8_t op);
const FieldSpec* find_field(uint8_t op, const std::string& name);

// What a command name stands for: an opcode, and for an alias the field it
// sets (CFGI_ALL: CFGI_STE_RANGE with Range = 31; nullptr for the others).
struct CommandName {
    uint8_t op = 0;
    const FieldSpec* implied = nullptr;
    uint64_t implied_value = 0;
};
// False if `name` is no command's.
bool command_by_name(const std::string& name, CommandName& c);
// Words a field's value may be written as (CMD_SYNC cs=none|irq|sev);
// false if `word` is not one of them.
bool field_value_by_name(uint8_t op, const FieldSpec& f, std::string_view word, uint64_t& v);
// Whether `v` can go in the field: Unaligned if it has bits below the
// shift, TooWide if it has bits above the field.
enum class FieldFit { Fits, Unaligned, TooWide };
FieldFit field_fit(const FieldSpec& f, uint64_t v);
// Sets the field to `v` (which fits) by ORing it in; reads it back.
void put_field(const FieldSpec& f, uint64_t v, uint64_t& dw0, uint64_t& dw1);
uint64_t get_field(const FieldSpec& f, uint64_t dw0, uint64_t dw1);

// A whole command from its name and fields, for callers that have the
// values at hand; throws std::invalid_argument naming what is wrong.
// Trace files encode step by step with the functions above (to report a
// column).
struct EncodedCommand {
    uint8_t op = 0;
    uint64_t dw0 = 0, dw1 = 0;
};
EncodedCommand encode_command(const std::string& name,
                              const std::vector<std::pair<std::string, uint64_t>>& fields = {});

}  // namespace smmusim::smmuv3

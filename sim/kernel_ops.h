// SPDX-License-Identifier: GPL-2.0-only
// Kernel-level trace operations: what a kernel user of the IOMMU, a VMM
// using iommufd, or a guest driving its HW queue does, executed through the
// real Linux code in the kernel shim. The grammar (also in traces/FORMAT.md):
//
//   kop      := "kernel" "boot"
//             | "kernel" "param" NAME "=" VALUE       (one token: NAME=VALUE)
//             | "endpoint" NAME "sid=" N { "," N }
//             | "endpoint" NAME "pci" "rid=" N [ "ats" ]   (a PCI function on bus 0: N = device << 3 | function,
//                                                         its StreamID = N; "ats": it has an ATS capability)
//             | "domain" NAME "endpoint=" EP
//             | "map" DOMAIN "iova=" A "pa=" A "size=" N [ "ro" ]
//             | "unmap" DOMAIN "iova=" A "size=" N
//             | "vm" NAME "endpoint=" EP "vsid=" N { "ram=" N | "gpa=" A | "layout=" ("contiguous"|"scattered")
//                                                  | "viommu=" ("tegra241-cmdqv"|"arm-smmuv3") | "expect=" ERRNO }
//             | "vm" NAME "destroy"
//             | "hwqueue" VM "index=" L "gpa=" A "size=" N [ "expect=" ERRNO ]
//             | "hwqueue" VM "index=" L "destroy" [ "expect=" ERRNO ]
//             | "veventq" VM [ "depth=" N ] [ "type=" ("tegra241-cmdqv" | "arm-smmuv3") ]
//             | "veventq" VM "read" [ "type=" TYPE ] [ "timeout=" NS ] ( "expect" "lvcmdq=" MAP
//                   | "expect" "event=" EVENT "vsid=" V [ "iova=" A ] | "expect" "empty" | "expect" "lost" )
//             | "guest" VM "cmd" L OPNAME { FIELD "=" VALUE }
//             | "guest" VM ("enable" | "doorbell" | "skip") L
//             | "guest" VM "wait" L [ "timeout=" NS ] [ "expect" "error" ]
//             | "guest" TVM "cmd" [ "0" ] OPNAME { FIELD "=" VALUE }   (TVM: a VM with viommu=arm-smmuv3,
//             | "guest" TVM ("doorbell" | "skip") [ "0" ]                its one emulated command queue:
//             | "guest" TVM "enable" [ "0" ] [ "gpa=" A ] [ "log2size=" N ]   the index is absent or 0)
//             | "guest" TVM "wait" [ "0" ] [ "timeout=" NS ] [ "expect" "error" ]
//             | "guest" VM "stage1" { "ssids=" N | "asid=" N | "granule=" ("4k"|"16k"|"64k") | "ias=" N
//                   | "tables=" A | "s1dss=" ("terminate"|"bypass"|"ssid0") | "eats=" N
//                   | "vste=" DW0 ":" DW1 | "expect=" ERRNO }
//             | "guest" VM "map" [ "ssid=" N ] "iova=" A "gpa=" A "size=" N [ "ro" ]
//             | "guest" VM "unmap" [ "ssid=" N ] "iova=" A "size=" N
//             | "dma" (EP | "sid=" S) [ "ssid=" N ] "iova=" A "size=" N ("read" | "write")
//                    [ "expect=" ("ok" | "fault" [ ":" EVENT ]) ] [ "pa=" A ]
//   ERRNO    := EINVAL | EEXIST | EIO | ... (the kernel's names) | 0
//   EVENT    := F_TRANSLATION | C_BAD_STE | ... (IHI 0070's event names, smmuv3/evtq.h)
//
// dma: the endpoint's DMA, from its first stream ID (or from stream S, which
// no endpoint need have; with SubstreamID N when ssid= is given), through
// the SMMU; size is at most kMaxDmaBytes and may
// not pass 2^64, N fits 20 bits (the largest SSIDSIZE). expect=ok (the
// default): every access is performed, and pa= is the output PA of the first
// byte; expect=fault: every access is terminated (with that event type).
//
// Every kop line may end with "expect-log" REGEX (the rest of the line, its
// words joined by one space): the kernel is expected to log an error-level
// message (KERN_ERR or more severe) or a WARN matching REGEX while the
// operation runs. Without it, any such message fails the operation.
//
// Sizes and addresses are checked before the run: a region (vm ram/gpa, map
// iova/pa + size, unmap iova + size) must not pass 2^64, sizes must not be
// 0, a value must fit the uAPI field it is passed in (veventq depth: 32
// bits). What the kernel itself checks (hwqueue gpa + size: EOVERFLOW) is
// left to the kernel, so a trace can expect its answer.
//
// Names (endpoints, domains, VMs) are defined by the op that creates them
// and must be defined before use; the parser checks that, so a trace that
// names an unknown VM fails before it runs.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "lexer.h"
#include "platform/errno_names.h"  // expect=ERRNO names

namespace smmusim {

// A kernel-level operation's values but its strings and stream IDs (one
// trivially copyable part: a blank one is set with one assignment).
struct KernelOpValues {
    enum class Verb {
        Boot, Param, Endpoint, Domain, Map, Unmap, Vm, VmDestroy, HwQueue, HwQueueDestroy, Veventq,
        VeventqRead, GuestCmd, GuestEnable, GuestDoorbell, GuestSkip, GuestWait, GuestStage1, GuestMap, GuestUnmap, Dma
    };
    Verb verb = Verb::Boot;
    uint64_t sid = 0, vsid = 0;  // Endpoint: sid is the first of `sids`
    bool pci = false, ats = false;  // Endpoint: a PCI function (RID `rid`), with an ATS capability
    uint64_t rid = 0;
    uint64_t iova = 0, pa = 0, size = 0;
    uint64_t gpa = 1ull << 30, ram = 2ull << 20;
    bool readonly = false, scattered = false;
    // Vm: viommu=arm-smmuv3 (the guest's invalidations trap to the VMM);
    // Guest*: the VM's vIOMMU is such a one (its one emulated CMDQ).
    bool trapped = false;
    // GuestEnable of a trapped VM: gpa= was given (0 is a guest PA like any
    // other), and its CMDQ's guest PA then; not given: guest RAM's base.
    bool queue_gpa_given = false;
    uint64_t queue_gpa = 0;
    unsigned log2size = 8;   // ... and its size (2^N commands)
    unsigned index = 0;  // LVCMDQ
    uint32_t depth = 16;
    uint64_t timeout_ns = 1000000;
    int expect_errno = 0;       // Vm, HwQueue*: the errno expected (0: success)
    bool expect_error = false;  // GuestWait: the queue is expected to stop at an error
    bool expect_empty = false;  // VeventqRead
    bool expect_lost = false;   // VeventqRead: the lost-events mark (IOMMU_VEVENTQ_FLAG_LOST_EVENTS)
    uint64_t read_timeout_ns = 1000000;  // VeventqRead: how long a read waits for an event
    uint64_t expect_map[2] = {0, 0};
    uint64_t dw0 = 0, dw1 = 0;  // GuestCmd
    // Veventq, VeventqRead: IOMMU_VEVENTQ_TYPE_* (2 TEGRA241_CMDQV, 1 ARM_SMMUV3)
    uint32_t veventq_type = 2;
    // VeventqRead of an ARM_SMMUV3 event: its type, vSID and (if has_iova) input address
    int expect_event = -1;
    uint64_t expect_vsid = 0, expect_iova = 0;
    bool expect_has_iova = false;
    // GuestStage1: the guest's CD table and stage 1, and the vSTE the VMM passes on
    struct Stage1 {
        unsigned ssids = 1;          // CDs in the linear CD table (a power of two)
        uint16_t asid = 1;           // SSID s gets ASID asid + s
        unsigned granule_shift = 12; // 12 (4k), 14 (16k), 16 (64k)
        unsigned ias = 48;           // VA bits (T0SZ = 64 - ias)
        uint64_t tables = 0;         // guest PA of the tables' region, when tables_given
        uint64_t s1dss = 2;          // STE.S1DSS (2: SSID0, as Linux writes)
        uint64_t eats = 0;           // STE.EATS as the guest asks
        bool raw_vste = false;       // vste= given: passed on as it is
        bool tables_given = false;   // tables= given (0 is a guest PA like any other); else the upper half of guest RAM
        uint64_t vste[2] = {0, 0};
    } stage1;
    uint32_t ssid = 0;           // GuestMap, GuestUnmap; Dma when ssv
    // Dma (name: the endpoint, or "" and sid: a bare stream ID; iova, size; pa when check_pa)
    bool ssv = false;           // ssid= was given
    bool write = false;
    bool expect_fault = false;  // expect=fault[:TYPE]
    uint8_t fault_type = 0;     // the TYPE (smmuv3::evt); 0: any fault
    bool fault_ats = false;     // expect=fault:ATS: refused by the endpoint's ATS (its Translation Completion)
    bool check_pa = false;      // pa=: the output PA of the first byte
};

static_assert(std::is_trivially_copyable_v<KernelOpValues>, "KernelOpValues is assigned whole");
// A blank operation's values (copied, not built, by KernelOp::reset()).
inline constexpr KernelOpValues kBlankKernelOpValues{};

struct KernelOp : KernelOpValues {
    std::string name;    // the endpoint/domain/VM the op creates or acts on
    std::string target;  // Domain, Vm: the endpoint
    std::string param, value;  // Param
    std::vector<uint32_t> sids;  // Endpoint: every stream ID (sid is the first)
    std::string expect_log;     // any op: regex of the kernel error/WARN it is expected to log

    // A blank operation again (what KernelOp{} is), keeping the strings'
    // and the vector's storage.
    void reset()
    {
        static_cast<KernelOpValues&>(*this) = kBlankKernelOpValues;
        name.clear();
        target.clear();
        param.clear();
        value.clear();
        sids.clear();
        expect_log.clear();
    }
};

// `expect-log` expressions: POSIX extended (regcomp), searched anywhere in
// the text. "" or the complaint (log_regex_bounds()'s, else regcomp()'s),
// with the byte of `re` it names in *at (0 for regcomp()'s) and in
// *past_limits whether `re` is valid POSIX but outside the subset an
// expect-log takes.
std::string log_regex_error(const std::string& re, size_t* at = nullptr, bool* past_limits = nullptr);
bool log_regex_search(const std::string& re, const std::string& text);

// Parses kernel-level lines (kernel_op_parser.cc) and keeps the names
// defined so far (one parser per pass over a trace). The trace reader hands
// it the lines whose first word is_verb(); it reads their words, numbers and
// errors (file:line:column) through the trace's lexer and knows nothing
// else of the reader.
class KernelOpParser {
public:
    // `word` starts a kernel-level line (kernel, endpoint, domain, map, unmap,
    // vm, hwqueue, veventq, guest, dma).
    static bool is_verb(std::string_view word);
    // toks[k] is a kernel-level verb: fills `op`, or throws TraceError.
    void parse(const Lexer& lx, const std::vector<Token>& toks, size_t k, KernelOp& op);
    // True once a kernel-level operation has been parsed.
    bool used() const { return booted_; }

    // The longest wait a line may ask for (guest wait, veventq read).
    static constexpr uint64_t kMaxWaitNs = 1000000000;
    static constexpr uint64_t kPageBytes = 4096;
    // The PCI root bus's last requester ID (bus 0, device 31, function 7).
    static constexpr uint64_t kMaxPciRid = 0xff;
    // The largest `dma` (the requester holds a read's bytes): 16 MiB.
    static constexpr uint64_t kMaxDmaBytes = 16ull << 20;
    // SubstreamIDs are at most 20 bits (IHI 0070 6.3.1, IDR1.SSIDSIZE <= 20).
    static constexpr uint32_t kMaxSsid = (1u << 20) - 1;
    // No SMMU translation stage takes an input address of 52 bits or more
    // (IHI 0070 6.3.6 SMMU_IDR5.VAX: at most 52 bits): a `map` at or past
    // it is refused at iova= (the player refuses one whose end passes it,
    // at size=).
    static constexpr uint64_t kMaxInputAddress = 1ull << 52;

    // The names a trace has defined so far (and not destroyed); read by the
    // functions of each operation (kernel_op_parser.cc).
    // Names looked up by a line's words in place (no string made).
    using NameSet = std::set<std::string, std::less<>>;
    struct Names {
        NameSet endpoints, domains, vms;
        NameSet trapped_vms;  // the VMs with viommu=arm-smmuv3
        NameSet ats_endpoints;  // the PCI functions with ATS (pci ... ats)
        // Every endpoint's stream IDs (a PCI function's is its RID): the
        // endpoint that has each, on which line, and whether it is a PCI
        // function's.
        struct StreamUse {
            std::string endpoint;
            unsigned line = 0;
            bool pci = false;
        };
        std::map<uint32_t, StreamUse> stream_ids;
    };

private:
    void parse_op(const Lexer& lx, const std::vector<Token>& toks, size_t k, KernelOp& op);

    bool booted_ = false;
    Names names_;
};

// Executes kernel-level operations (implemented by the kernel shim, which
// the platform library does not depend on). Runs on the trace player's CPU
// thread, in simulated time.
class KernelOps {
public:
    virtual ~KernelOps() = default;
    // "" on success, else what went wrong (the player prefixes file:line).
    virtual std::string execute(const KernelOp& op) = 0;
    // The trace ended (still in simulated time): what a process exit does,
    // e.g. closing the VMs' /dev/iommu descriptors. "" or what the kernel
    // complained of meanwhile (and since the last operation), which fails
    // the run as a line's complaints fail it.
    virtual std::string finish() { return ""; }
    // Where the player is: its trace's path and the line and column of the
    // operation playing (kept up to date there), for a report that cannot
    // ask (a host fault in kernel code: the kernel's oops).
    virtual void note_position(const std::string* path, const unsigned* line, const unsigned* col) {}
    virtual std::string version() const = 0;
    virtual unsigned warnings() const = 0;
    virtual std::string dmesg() const = 0;
    // Who each VINTF the run used served, by VINTF index: "host" (the
    // kernel's own) or the trace's VM names (comma-separated if several).
    virtual std::map<unsigned, std::string> vintf_owners() const { return {}; }
};

}  // namespace smmusim

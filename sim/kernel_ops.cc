// SPDX-License-Identifier: GPL-2.0-only
#include "kernel_ops.h"

#include <regex.h>

#include <fmt/format.h>

#include "smmuv3/commands.h"

namespace smmusim {

// POSIX extended regular expressions: glibc's regexec() does not backtrack
// (without back-references, which ERE has not), so no expression takes
// exponential time, whatever it nests.
std::string log_regex_error(const std::string& re)
{
    regex_t r;
    const int rc = regcomp(&r, re.c_str(), REG_EXTENDED | REG_NOSUB);
    if (rc == 0) {
        regfree(&r);
        return "";
    }
    char msg[128];
    regerror(rc, &r, msg, sizeof(msg));
    return msg;
}

bool log_regex_search(const std::string& re, const std::string& text)
{
    regex_t r;
    if (regcomp(&r, re.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    const bool hit = regexec(&r, text.c_str(), 0, nullptr, 0) == 0;
    regfree(&r);
    return hit;
}

void encode_command(const KernelOpParser::Tok& name, const std::vector<KernelOpParser::Tok>& fields,
                    const KernelOpParser& p, uint8_t& opcode, uint64_t& dw0, uint64_t& dw1)
{
    const int op = smmuv3::opcode_by_name(name.text);
    if (op < 0)
        p.fail(name, fmt::format("unknown command '{}'", name.text));
    opcode = static_cast<uint8_t>(op);
    dw0 = smmuv3::cmdf::OPCODE.put(opcode);
    dw1 = name.text == "CFGI_ALL" ? smmuv3::cmdf::CFGI_RANGE.put(31) : 0;
    std::set<std::string> seen;  // a field given twice would be ORed in
    for (const auto& tok : fields) {
        const std::string& t = tok.text;
        const auto eq = t.find('=');
        if (eq == std::string::npos || eq == 0)
            p.fail(tok, fmt::format("expected FIELD=VALUE, got '{}'", t));
        const std::string field = t.substr(0, eq);
        if (!seen.insert(field).second)
            p.fail(tok, fmt::format("'{}' is given twice", field));
        const KernelOpParser::Tok val{t.substr(eq + 1), static_cast<unsigned>(tok.col + eq + 1)};
        uint64_t v;
        if (opcode == smmuv3::OP_CMD_SYNC && field == "cs" &&
            (val.text == "none" || val.text == "irq" || val.text == "sev"))
            v = val.text == "none" ? 0 : val.text == "irq" ? 1 : 2;
        else
            v = p.number(val, "a field value");
        const smmuv3::FieldSpec* f = smmuv3::find_field(opcode, field);
        if (!f) {
            std::string names;
            for (const auto& fs : smmuv3::command_fields(opcode))
                names += std::string(names.empty() ? "" : ", ") + fs.name;
            p.fail(tok, fmt::format("{} has no field '{}' (fields: {})", name.text, field,
                                    names.empty() ? "none" : names));
        }
        if (f->shift && (v & ((1ull << f->shift) - 1)))
            p.fail(val, fmt::format("{} must be a multiple of {}", field, 1ull << f->shift));
        const uint64_t raw = v >> f->shift;
        if (!f->field.fits(raw))
            p.fail(val, fmt::format("{} = {:#x} does not fit its {}-bit field", field, v,
                                    f->field.hi - f->field.lo + 1));
        (f->dword ? dw1 : dw0) |= f->field.put(raw);
    }
}

// "timeout=NS" of a wait: at most kMaxWaitNs of simulated time.
uint64_t KernelOpParser::wait_ns(const Tok& t) const
{
    const Tok v{t.text.substr(8), t.col + 8};
    const uint64_t ns = number(v, "a timeout in ns");
    if (ns > kMaxWaitNs)
        fail(v, fmt::format("a timeout of {} ns is more than the longest wait, {} ns (1 s)", ns, kMaxWaitNs));
    return ns;
}

bool KernelOpParser::parse(const std::vector<Tok>& toks, size_t k, KernelOp& op)
{
    // "expect-log REGEX...": the rest of the line, taken off before the
    // operation's own words are read.
    size_t j = k + 1;
    while (j < toks.size() && toks[j].text != "expect-log")
        j++;
    if (j == toks.size())
        return parse_op(toks, k, op);
    const std::vector<Tok> own(toks.begin(), toks.begin() + static_cast<long>(j));
    if (!parse_op(own, k, op))
        return false;
    if (j + 1 == toks.size())
        fail_at(toks[j].col + static_cast<unsigned>(toks[j].text.size()),
                "expected a regular expression after 'expect-log'");
    std::string re;
    for (size_t i = j + 1; i < toks.size(); i++)
        re += (re.empty() ? "" : " ") + toks[i].text;
    if (std::string e = log_regex_error(re); !e.empty())
        fail(toks[j + 1], fmt::format("'{}' is not a valid regular expression ({})", re, e));
    op.expect_log = re;
    return true;
}

// A region [base, base + size) of the 64-bit address space: size not 0, end
// not past 2^64.
void KernelOpParser::check_region(const Tok& size_tok, uint64_t base, uint64_t size, const char* what) const
{
    if (size == 0)
        fail(size_tok, fmt::format("{}: the size must not be 0", what));
    if (base + (size - 1) < base)
        fail(size_tok, fmt::format("{}: {:#x} + size {:#x} passes the end of the 64-bit address space", what,
                                   base, size));
}

bool KernelOpParser::parse_op(const std::vector<Tok>& toks, size_t k, KernelOp& op)
{
    using V = KernelOp::Verb;
    const Tok& verb = toks[k++];
    static const char* const kVerbs[] = {"kernel", "endpoint", "domain", "map", "unmap",
                                         "vm",     "hwqueue",  "veventq", "guest", "dma"};
    bool known = false;
    for (const char* v : kVerbs)
        known |= verb.text == v;
    if (!known)
        return false;
    op = KernelOp{};
    const size_t end = toks.size();
    auto need = [&](size_t n, const char* what) {
        if (k + n > end)
            fail_at(toks.back().col + static_cast<unsigned>(toks.back().text.size()),
                    fmt::format("expected {} after '{}'", what, toks[k - 1].text));
    };
    auto no_more = [&] {
        if (k < end)
            fail(toks[k], fmt::format("unexpected '{}'", toks[k].text));
    };
    // KEY=VALUE arguments after position k, in any order; each at most once.
    std::map<std::string, Tok> args;
    std::vector<Tok> words;
    auto collect = [&] {
        for (; k < end; k++) {
            const auto eq = toks[k].text.find('=');
            if (eq == std::string::npos || eq == 0) {
                words.push_back(toks[k]);
                continue;
            }
            const std::string key = toks[k].text.substr(0, eq);
            if (args.count(key))
                fail(toks[k], fmt::format("'{}' is given twice", key));
            args[key] = Tok{toks[k].text.substr(eq + 1), static_cast<unsigned>(toks[k].col + eq + 1)};
        }
    };
    auto check_keys = [&](std::initializer_list<const char*> allowed) {
        for (const auto& [key, tok] : args) {
            bool ok = false;
            std::string list;
            for (const char* a : allowed) {
                ok |= key == a;
                list += std::string(list.empty() ? "" : ", ") + a;
            }
            if (!ok)
                fail_at(tok.col - static_cast<unsigned>(key.size()) - 1,
                        fmt::format("unknown argument '{}' (expected {})", key, list));
        }
        for (const auto& w : words)
            fail(w, fmt::format("unexpected '{}'", w.text));
    };
    auto required = [&](const char* key, const Tok& at) -> const Tok& {
        auto it = args.find(key);
        if (it == args.end())
            fail(at, fmt::format("'{}' needs {}=", at.text, key));
        return it->second;
    };
    auto num = [&](const char* key, const Tok& at, const char* what) { return number(required(key, at), what); };
    auto opt_num = [&](const char* key, uint64_t dflt, const char* what) {
        auto it = args.find(key);
        return it == args.end() ? dflt : number(it->second, what);
    };
    auto small = [&](const Tok& t, const char* what) {
        const uint64_t v = number(t, what);
        if (v > 0xffffffffull)
            fail(t, fmt::format("'{}' is too large for {}", t.text, what));
        return static_cast<unsigned>(v);
    };
    auto define = [&](std::set<std::string>& set, const Tok& t, const char* kind) {
        if (t.text.empty() || t.text.find_first_of("=.#") != std::string::npos)
            fail(t, fmt::format("'{}' is not a valid {} name", t.text, kind));
        if (!set.insert(t.text).second)
            fail(t, fmt::format("{} '{}' is already defined", kind, t.text));
        return t.text;
    };
    auto use = [&](const std::set<std::string>& set, const Tok& t, const char* kind) {
        if (!set.count(t.text))
            fail(t, fmt::format("no {} named '{}' (define it first)", kind, t.text));
        return t.text;
    };
    auto need_boot = [&] {
        if (!booted)
            fail(verb, "the kernel is not booted yet ('kernel boot' first)");
    };
    auto expect_errno = [&]() {
        auto it = args.find("expect");
        if (it == args.end())
            return 0;
        const int e = errno_by_name(it->second.text);
        if (e < 0)
            fail(it->second, fmt::format("expected an errno name (EINVAL, EBUSY, ...) or 0, got '{}'",
                                         it->second.text));
        return e;
    };

    if (verb.text == "kernel") {
        need(1, "'boot' or 'param'");
        const Tok& what = toks[k++];
        if (what.text == "boot") {
            if (booted)
                fail(what, "the kernel is already booted");
            booted = true;
            op.verb = V::Boot;
            no_more();
            return true;
        }
        if (what.text == "param") {
            need(1, "NAME=VALUE");
            const Tok& t = toks[k++];
            const auto eq = t.text.find('=');
            if (eq == std::string::npos || eq == 0)
                fail(t, fmt::format("expected NAME=VALUE (e.g. arm_smmu_v3.bypass_vcmdq=1), got '{}'", t.text));
            op.verb = V::Param;
            op.param = t.text.substr(0, eq);
            op.value = t.text.substr(eq + 1);
            // The kernel's boot parameter: whole seconds, 0..60 (kernel/watchdog.c),
            // passed on in decimal.
            if (op.param == "watchdog_thresh") {
                const uint64_t secs = number(Tok{op.value, static_cast<unsigned>(t.col + eq + 1)}, "seconds");
                if (secs > 60)
                    fail_at(t.col + static_cast<unsigned>(eq) + 1, "watchdog_thresh is at most 60 (seconds)");
                op.value = std::to_string(secs);
            }
            no_more();
            return true;
        }
        fail(what, fmt::format("expected 'boot' or 'param', got '{}'", what.text));
    }
    if (verb.text == "dma")
        fail(verb, "endpoint DMA ('dma EP [ssid=N] iova=A size=N read|write') needs the translation path, "
                   "which the models do not have yet");
    need_boot();
    need(1, "a name");
    const Tok& name = toks[k++];
    if (verb.text == "endpoint") {
        collect();
        check_keys({"sid"});
        op.verb = V::Endpoint;
        op.name = define(endpoints, name, "endpoint");
        // sid=S or sid=S1,S2,...: one "iommus" specifier per stream ID.
        const Tok& list = required("sid", verb);
        for (size_t pos = 0;;) {
            const size_t comma = list.text.find(',', pos);
            const Tok one{list.text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos),
                          static_cast<unsigned>(list.col + pos)};
            const uint32_t sid = small(one, "a stream ID");
            for (uint32_t s : op.sids)
                if (s == sid)
                    fail(one, fmt::format("stream ID {:#x} is listed twice", sid));
            op.sids.push_back(sid);
            if (comma == std::string::npos)
                break;
            pos = comma + 1;
        }
        op.sid = op.sids.front();
        return true;
    }
    if (verb.text == "domain") {
        collect();
        check_keys({"endpoint"});
        op.verb = V::Domain;
        op.target = use(endpoints, required("endpoint", verb), "endpoint");
        op.name = define(domains, name, "domain");
        return true;
    }
    if (verb.text == "map" || verb.text == "unmap") {
        op.name = use(domains, name, "domain");
        collect();
        const bool map = verb.text == "map";
        if (map && !words.empty() && words.back().text == "ro") {
            op.readonly = true;
            words.pop_back();
        }
        if (map)
            check_keys({"iova", "pa", "size"});
        else
            check_keys({"iova", "size"});
        op.verb = map ? V::Map : V::Unmap;
        op.iova = num("iova", verb, "an IOVA");
        op.size = num("size", verb, "a size in bytes");
        check_region(required("size", verb), op.iova, op.size, "iova");
        if (map) {
            op.pa = num("pa", verb, "a physical address");
            check_region(required("size", verb), op.pa, op.size, "pa");
        }
        return true;
    }
    if (verb.text == "vm") {
        if (k < end && toks[k].text == "destroy") {
            k++;
            no_more();
            op.verb = V::VmDestroy;
            op.name = use(vms, name, "VM");
            vms.erase(op.name);
            return true;
        }
        collect();
        check_keys({"endpoint", "vsid", "ram", "gpa", "layout", "expect"});
        op.verb = V::Vm;
        op.expect_errno = expect_errno();
        op.target = use(endpoints, required("endpoint", verb), "endpoint");
        op.vsid = small(required("vsid", verb), "a virtual stream ID");
        op.ram = opt_num("ram", op.ram, "a size in bytes");
        op.gpa = opt_num("gpa", op.gpa, "a guest physical address");
        const Tok& at = args.count("ram") ? args["ram"] : args.count("gpa") ? args["gpa"] : verb;
        check_region(at, op.gpa, op.ram, "guest RAM at gpa");
        for (const char* key : {"ram", "gpa"})
            if (args.count(key) && number(args[key], "a number") % kPageBytes)
                fail(args[key], fmt::format("{} must be a multiple of the page size ({:#x})", key, kPageBytes));
        auto it = args.find("layout");
        if (it != args.end()) {
            if (it->second.text != "contiguous" && it->second.text != "scattered")
                fail(it->second, fmt::format("expected 'contiguous' or 'scattered', got '{}'", it->second.text));
            op.scattered = it->second.text == "scattered";
        }
        op.name = define(vms, name, "VM");
        return true;
    }
    op.name = use(vms, name, "VM");
    if (verb.text == "hwqueue") {
        collect();
        if (!words.empty() && words.front().text == "destroy") {
            words.erase(words.begin());
            check_keys({"index", "expect"});
            op.verb = V::HwQueueDestroy;
        } else {
            check_keys({"index", "gpa", "size", "expect"});
            op.verb = V::HwQueue;
            op.gpa = num("gpa", verb, "a guest physical address");
            op.size = num("size", verb, "a size in bytes");
        }
        op.index = small(required("index", verb), "an LVCMDQ index");
        op.expect_errno = expect_errno();
        return true;
    }
    if (verb.text == "veventq") {
        if (k < end && toks[k].text == "read") {
            k++;
            if (k < end && toks[k].text.rfind("timeout=", 0) == 0) {
                op.read_timeout_ns = wait_ns(toks[k]);
                k++;
            }
            need(2, "'expect lvcmdq=MAP', 'expect empty' or 'expect lost'");
            if (toks[k].text != "expect")
                fail(toks[k], fmt::format("expected 'expect', got '{}'", toks[k].text));
            k++;
            op.verb = V::VeventqRead;
            const Tok& e = toks[k++];
            if (e.text == "empty") {
                op.expect_empty = true;
            } else if (e.text == "lost") {
                op.expect_lost = true;
            } else if (e.text.rfind("lvcmdq=", 0) == 0) {
                // Up to 128 bits, written as one number (bits 0-63) or HI:LO.
                const std::string v = e.text.substr(7);
                const auto colon = v.find(':');
                if (colon == std::string::npos) {
                    op.expect_map[0] = number(Tok{v, e.col + 7}, "an LVCMDQ error map");
                } else {
                    op.expect_map[1] = number(Tok{v.substr(0, colon), e.col + 7}, "an LVCMDQ error map");
                    op.expect_map[0] = number(Tok{v.substr(colon + 1), static_cast<unsigned>(e.col + 8 + colon)},
                                              "an LVCMDQ error map");
                }
            } else {
                fail(e, fmt::format("expected 'lvcmdq=MAP', 'empty' or 'lost', got '{}'", e.text));
            }
            no_more();
            return true;
        }
        collect();
        check_keys({"depth"});
        op.verb = V::Veventq;
        // iommu_veventq_alloc.veventq_depth is a __u32.
        if (args.count("depth"))
            op.depth = small(args["depth"], "a queue depth (32 bits)");
        return true;
    }
    // guest VM ACTION L ...
    need(2, "an action and an LVCMDQ index");
    const Tok& action = toks[k++];
    op.index = small(toks[k++], "an LVCMDQ index");
    if (action.text == "cmd") {
        need(1, "a command name");
        const Tok& opname = toks[k++];
        std::vector<Tok> fields(toks.begin() + static_cast<long>(k), toks.end());
        uint8_t opcode = 0;
        encode_command(opname, fields, *this, opcode, op.dw0, op.dw1);
        op.verb = V::GuestCmd;
        return true;
    }
    if (action.text == "enable" || action.text == "doorbell" || action.text == "skip") {
        no_more();
        op.verb = action.text == "enable" ? V::GuestEnable : action.text == "doorbell" ? V::GuestDoorbell
                                                                                       : V::GuestSkip;
        return true;
    }
    if (action.text == "wait") {
        op.verb = V::GuestWait;
        for (; k < end; k++) {
            if (toks[k].text == "expect" && k + 1 < end && toks[k + 1].text == "error") {
                op.expect_error = true;
                k++;
            } else if (toks[k].text.rfind("timeout=", 0) == 0) {
                op.timeout_ns = wait_ns(toks[k]);
            } else {
                fail(toks[k], fmt::format("expected 'timeout=NS' or 'expect error', got '{}'", toks[k].text));
            }
        }
        return true;
    }
    fail(action, fmt::format("expected cmd, enable, doorbell, wait or skip, got '{}'", action.text));
}

}  // namespace smmusim

// SPDX-License-Identifier: GPL-2.0-only
// --vcd: a well-formed value-change dump (parsed back here) whose signals
// follow the run: PROD before CONS, enables before commands, error and
// interrupt together.
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "player.h"
#include "support/testbench.h"
#include "vcd.h"

using namespace smmusim;
using smmusim::test::TestBench;

namespace {

struct Signal {
    unsigned width = 0;
    std::vector<std::pair<uint64_t, uint64_t>> changes;  // (time, value), the first at time 0

    uint64_t last() const { return changes.back().second; }
    // Time of the first change to `v` at or after `from`, or ~0.
    uint64_t first(uint64_t v, uint64_t from = 0) const
    {
        for (const auto& [t, x] : changes)
            if (t >= from && x == v)
                return t;
        return ~0ull;
    }
    uint64_t at(uint64_t time) const
    {
        uint64_t v = 0;
        for (const auto& [t, x] : changes)
            if (t <= time)
                v = x;
        return v;
    }
};

struct Dump {
    std::string timescale;
    std::map<std::string, Signal> signals;  // by hierarchical name, "soc.smmu.cmdq.PROD"
    std::vector<uint64_t> times;

    const Signal& operator[](const std::string& name) const
    {
        static const Signal none;
        auto it = signals.find(name);
        if (it == signals.end()) {
            ADD_FAILURE() << "no signal " << name;
            return none;
        }
        return it->second;
    }
    std::set<std::string> scopes_under(const std::string& prefix) const
    {
        std::set<std::string> out;
        for (const auto& [n, s] : signals)
            if (n.rfind(prefix, 0) == 0)
                out.insert(n.substr(prefix.size(), n.find('.', prefix.size()) - prefix.size()));
        return out;
    }
};

// Parses a VCD, checking what a viewer relies on: balanced scopes, unique
// identifiers and names, a value for every variable at time 0, strictly
// increasing timestamps, changes only to declared identifiers and values
// that fit their width.
Dump parse(const std::string& path)
{
    std::ifstream in(path);
    EXPECT_TRUE(in) << "cannot read " << path;
    std::vector<std::string> tok;
    for (std::string t; in >> t;)
        tok.push_back(t);
    Dump d;
    std::map<std::string, std::string> id_to_name;
    std::vector<std::string> scope;
    size_t i = 0;
    auto until_end = [&] {
        std::string body;
        while (i < tok.size() && tok[i] != "$end")
            body += (body.empty() ? "" : " ") + tok[i++];
        EXPECT_LT(i, tok.size()) << "missing $end";
        i++;
        return body;
    };
    bool defs_done = false;
    while (i < tok.size() && !defs_done) {
        const std::string t = tok[i++];
        if (t == "$version" || t == "$date" || t == "$comment") {
            until_end();
        } else if (t == "$timescale") {
            d.timescale = until_end();
        } else if (t == "$scope") {
            std::istringstream s(until_end());
            std::string kind, name;
            s >> kind >> name;
            EXPECT_EQ(kind, "module");
            scope.push_back(name);
        } else if (t == "$upscope") {
            until_end();
            EXPECT_FALSE(scope.empty()) << "$upscope without $scope";
            if (!scope.empty())
                scope.pop_back();
        } else if (t == "$var") {
            std::istringstream s(until_end());
            std::string type, id, name;
            unsigned width = 0;
            s >> type >> width >> id >> name;
            EXPECT_TRUE(type == "wire" || type == "reg") << type;
            EXPECT_GE(width, 1u);
            EXPECT_LE(width, 64u);
            std::string full;
            for (const auto& sc : scope)
                full += sc + ".";
            full += name;
            EXPECT_TRUE(id_to_name.emplace(id, full).second) << "identifier " << id << " used twice";
            EXPECT_TRUE(d.signals.emplace(full, Signal{width, {}}).second) << "name " << full << " declared twice";
        } else if (t == "$enddefinitions") {
            until_end();
            defs_done = true;
        } else {
            ADD_FAILURE() << "unexpected '" << t << "' in the header";
        }
    }
    EXPECT_TRUE(defs_done);
    EXPECT_TRUE(scope.empty()) << "unbalanced scopes";
    bool have_time = false;
    uint64_t now = 0;
    auto set = [&](const std::string& id, uint64_t v, size_t bits) {
        auto it = id_to_name.find(id);
        if (it == id_to_name.end()) {
            ADD_FAILURE() << "change of undeclared identifier '" << id << "'";
            return;
        }
        Signal& s = d.signals[it->second];
        EXPECT_LE(bits, s.width) << it->second;
        EXPECT_TRUE(have_time) << "value before a timestamp";
        s.changes.emplace_back(now, v);
    };
    for (; i < tok.size(); i++) {
        const std::string& t = tok[i];
        if (t == "$dumpvars" || t == "$end")
            continue;
        if (t[0] == '#') {
            const uint64_t time = std::stoull(t.substr(1));
            if (have_time)
                EXPECT_GT(time, now) << "timestamps must increase";
            else
                EXPECT_EQ(time, 0u) << "the dump starts at 0";
            now = time;
            have_time = true;
            d.times.push_back(time);
        } else if (t[0] == 'b') {
            EXPECT_LT(i + 1, tok.size());
            const std::string bits = t.substr(1);
            EXPECT_EQ(bits.find_first_not_of("01"), std::string::npos) << t;
            set(tok[++i], std::stoull(bits, nullptr, 2), bits.size());
        } else if (t[0] == '0' || t[0] == '1') {
            set(t.substr(1), static_cast<uint64_t>(t[0] - '0'), 1);
        } else {
            ADD_FAILURE() << "unexpected '" << t << "' in the value changes";
        }
    }
    for (const auto& [n, s] : d.signals) {
        EXPECT_TRUE(!s.changes.empty() && s.changes.front().first == 0) << n << " has no initial value";
    }
    return d;
}

// Plays a sample trace with a dump; returns the parsed dump.
Dump play(TestBench& b, const std::string& trace, const std::string& path, std::set<unsigned>* vcmdqs = nullptr)
{
    {
        TracePlayer player(b.soc(), std::string(SMMUSIM_TRACE_DIR "/") + trace);
        player.validate();
        const auto& used = player.vcmdqs_used();
        if (vcmdqs)
            *vcmdqs = used;
        Vcd vcd(b.soc(), path, std::vector<unsigned>(used.begin(), used.end()));
        player.start();
        sc_core::sc_start();
        EXPECT_TRUE(player.finished());
        EXPECT_TRUE(player.failures().empty());
        vcd.close();
        EXPECT_GT(vcd.changes(), 0u);
    }
    Dump d = parse(path);
    remove(path.c_str());
    return d;
}

}  // namespace

TEST(Vcd, CommandQueueProdThenConsAfterTheEnable)
{
    TestBench b;
    const Dump d = play(b, "smmu-bringup.trace", "/tmp/smmusim-vcd-test-bringup.vcd");
    EXPECT_EQ(d.timescale, "1 ps");  // SystemC's default resolution, which the clocks require
    const uint64_t cycle = b.soc().smmu_clock().cycles(1).value();

    // CR0.CMDQEN is acknowledged smmu.cr0ack_cycles after the write.
    const Signal& cr0 = d["soc.smmu.CR0"];
    const Signal& en = d["soc.smmu.CMDQEN"];
    const uint64_t t_cr0 = cr0.first(8);
    ASSERT_NE(t_cr0, ~0ull);
    EXPECT_EQ(en.first(1), t_cr0 + b.cfg().u64("smmu.cr0ack_cycles") * cycle);
    EXPECT_EQ(d["soc.smmu.CR0ACK"].first(8), en.first(1));

    // Two batches: PROD to 5 (then 11) by doorbell, CONS follows each later.
    const Signal& prod = d["soc.smmu.cmdq.PROD"];
    const Signal& cons = d["soc.smmu.cmdq.CONS"];
    const uint64_t t_p5 = prod.first(5), t_c5 = cons.first(5);
    ASSERT_NE(t_p5, ~0ull);
    ASSERT_NE(t_c5, ~0ull);
    EXPECT_GT(t_p5, en.first(1));
    EXPECT_GT(t_c5, t_p5);
    EXPECT_EQ(cons.at(t_p5), 0u);
    const uint64_t t_p11 = prod.first(11);
    EXPECT_GT(t_p11, t_c5);
    EXPECT_GT(cons.first(11), t_p11);
    EXPECT_EQ(prod.last(), 11u);
    EXPECT_EQ(cons.last(), 11u);
    // CONS never passes PROD and only moves forward.
    for (size_t i = 1; i < cons.changes.size(); i++) {
        EXPECT_GT(cons.changes[i].second, cons.changes[i - 1].second);
        EXPECT_LE(cons.changes[i].second, prod.at(cons.changes[i].first));
    }
    // No errors, no interrupts (CMD_SYNC with CS=SEV signals none), no VCMDQ.
    EXPECT_EQ(d["soc.smmu.GERROR"].changes.size(), 1u);
    EXPECT_EQ(d["soc.smmu.cmdq.ERR"].changes.size(), 1u);
    for (const auto& line : d.scopes_under("soc.irq."))
        EXPECT_EQ(d["soc.irq." + line].changes.size(), 1u) << line;
    EXPECT_TRUE(d.scopes_under("soc.cmdqv.vcmdq").empty());
    EXPECT_EQ(d.times.back(), sc_core::sc_time_stamp().value());  // the dump lasts the whole run
}

TEST(Vcd, VcmdqErrorTogglesGerrorAndPulsesTheInterrupt)
{
    TestBench b;
    std::set<unsigned> used;
    const Dump d = play(b, "vcmdq-guest-illegal.trace", "/tmp/smmusim-vcd-test-illegal.vcd", &used);
    EXPECT_EQ(used, std::set<unsigned>{4});
    EXPECT_EQ(d.scopes_under("soc.cmdqv.vcmdq"), std::set<std::string>{"4"});
    const uint64_t cycle = b.soc().smmu_clock().cycles(1).value();

    const Signal& irq = d["soc.irq.cmdqv"];
    ASSERT_EQ(irq.changes.size(), 3u);  // 0, then one pulse of one SMMU cycle
    const uint64_t t_irq = irq.changes[1].first;
    EXPECT_EQ(irq.changes[1].second, 1u);
    EXPECT_EQ(irq.changes[2], std::make_pair(t_irq + cycle, uint64_t{0}));

    // The error shows everywhere at the moment of the interrupt.
    EXPECT_EQ(d["soc.cmdqv.vcmdq4.GERROR"].at(t_irq), 1u);
    EXPECT_EQ(d["soc.cmdqv.vcmdq4.ERR"].at(t_irq), 1u);  // ILL_OPCODE
    EXPECT_EQ(d["soc.cmdqv.vcmdq4.CONS"].at(t_irq), 1u);
    EXPECT_EQ(d["soc.cmdqv.vcmdq4.PROD"].at(t_irq), 3u);
    EXPECT_EQ(d["soc.cmdqv.CMDQ_ERR_MAP0"].at(t_irq), 0x10u);
    EXPECT_EQ(d["soc.cmdqv.VINTF_ERR_MAP0"].at(t_irq), 0x4u);
    EXPECT_EQ(d["soc.cmdqv.vcmdq4.ENABLED"].at(t_irq), 1u);
    EXPECT_LT(d["soc.cmdqv.ENABLED"].first(1), d["soc.cmdqv.vcmdq4.ENABLED"].first(1));

    // The guest acknowledges: GERRORN follows, the maps clear, the queue finishes.
    const uint64_t t_ack = d["soc.cmdqv.vcmdq4.GERRORN"].first(1);
    EXPECT_GT(t_ack, t_irq);
    EXPECT_EQ(d["soc.cmdqv.CMDQ_ERR_MAP0"].first(0, t_irq + 1), t_ack);
    EXPECT_EQ(d["soc.cmdqv.vcmdq4.ERR"].changes.size(), 2u);  // CONS.ERR keeps the last error's code
    EXPECT_GT(d["soc.cmdqv.vcmdq4.CONS"].first(2), t_ack);
    EXPECT_EQ(d["soc.cmdqv.vcmdq4.CONS"].last(), 3u);
    // Nothing else interrupted; the SMMU's own GERROR stayed clear.
    EXPECT_EQ(d["soc.irq.smmu_gerror"].changes.size(), 1u);
    EXPECT_EQ(d["soc.irq.other"].changes.size(), 1u);
    EXPECT_EQ(d["soc.smmu.GERROR"].changes.size(), 1u);
}

TEST(Vcd, PlayerListsTheVcmdqsATraceUses)
{
    TestBench b;
    std::set<unsigned> used;
    const Dump d = play(b, "vcmdq-multi-vintf.trace", "/tmp/smmusim-vcd-test-multi.vcd", &used);
    EXPECT_EQ(used, (std::set<unsigned>{2, 3, 4, 5, 6, 7, 8, 9}));
    EXPECT_EQ(d.scopes_under("soc.cmdqv.vcmdq"), (std::set<std::string>{"2", "3", "4", "5", "6", "7", "8", "9"}));
    for (unsigned q = 2; q <= 9; q++) {
        const std::string p = "soc.cmdqv.vcmdq" + std::to_string(q);
        EXPECT_GT(d[p + ".PROD"].last(), 0u) << q;
        EXPECT_EQ(d[p + ".CONS"].last(), d[p + ".PROD"].last()) << q;
    }
}

TEST(Vcd, WriterCoalescesPulsesAndKeepsIdentifiersUnique)
{
    const std::string path = "/tmp/smmusim-vcd-test-writer.vcd";
    {
        VcdWriter w(path);
        w.push_scope("top");
        std::vector<int> vars;
        for (unsigned i = 0; i < 200; i++)  // more than 94: two-character identifiers
            vars.push_back(w.add_var("v" + std::to_string(i), i % 2 ? 1 : 64, 0));
        w.pop_scope();
        w.begin("1 ps");
        w.change(vars[0], 5, 10);
        w.change(vars[0], 6, 10);           // same time: only the last value
        w.change(vars[2], 1, 10);
        w.change(vars[2], 0, 10);           // back to what it was: nothing written
        w.pulse(vars[1], 20, 5);            // 1 at 20, 0 at 25
        w.pulse(vars[3], 22, 5);            // 1 at 22, 0 at 27
        w.pulse(vars[1], 24, 5);            // extends: 0 at 29
        w.change(vars[4], ~0ull, 40);       // the falls come first, in order
        EXPECT_THROW(w.change(vars[4], 1, 39), std::logic_error);
        w.close(50);
        EXPECT_EQ(w.changes(), 6u);
    }
    const Dump d = parse(path);
    remove(path.c_str());
    EXPECT_EQ(d.signals.size(), 200u);
    EXPECT_EQ(d.times, (std::vector<uint64_t>{0, 10, 20, 22, 27, 29, 40, 50}));
    EXPECT_EQ(d["top.v0"].changes, (std::vector<std::pair<uint64_t, uint64_t>>{{0, 0}, {10, 6}}));
    EXPECT_EQ(d["top.v2"].changes.size(), 1u);
    EXPECT_EQ(d["top.v1"].changes, (std::vector<std::pair<uint64_t, uint64_t>>{{0, 0}, {20, 1}, {29, 0}}));
    EXPECT_EQ(d["top.v3"].changes, (std::vector<std::pair<uint64_t, uint64_t>>{{0, 0}, {22, 1}, {27, 0}}));
    EXPECT_EQ(d["top.v4"].last(), ~0ull);
    std::set<std::string> ids;
    for (unsigned i = 0; i < 10000; i++)
        EXPECT_TRUE(ids.insert(VcdWriter::id_code(i)).second) << i;
}

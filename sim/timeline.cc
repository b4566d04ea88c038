// SPDX-License-Identifier: GPL-2.0-only
#include "timeline.h"

#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace smmusim {

namespace {
constexpr int kPid = 1;
double us(const sc_core::sc_time& t) { return t.to_seconds() * 1e6; }
}  // namespace

Timeline::Timeline(Soc& soc, const std::string& path, const std::string& option)
    : out_(std::make_unique<OutputWriter>(option, path))
{
    out_->write("[\n");
    emit(nlohmann::json{{"name", "process_name"}, {"ph", "M"}, {"pid", kPid}, {"args", {{"name", "smmusim"}}}});
    CommandEngine& e = soc.smmu().engine();
    for (unsigned s = 0; s < e.num_sources(); s++)
        emit(nlohmann::json{{"name", "thread_name"},
                            {"ph", "M"},
                            {"pid", kPid},
                            {"tid", s},
                            {"args", {{"name", e.source_name(s)}}}});
    const unsigned irq_tid = e.num_sources();
    emit(nlohmann::json{{"name", "thread_name"}, {"ph", "M"}, {"pid", kPid}, {"tid", irq_tid},
                        {"args", {{"name", "interrupts"}}}});
    cpu_tid_ = irq_tid + 1;
    emit(nlohmann::json{{"name", "thread_name"}, {"ph", "M"}, {"pid", kPid}, {"tid", cpu_tid_},
                        {"args", {{"name", "cpu0 (trace)"}}}});
    e.add_span_observer([this](unsigned src, const smmuv3::Command& c, const sc_core::sc_time& start,
                               const sc_core::sc_time& end) {
        emit(nlohmann::json{{"name", smmuv3::opcode_name(c.op)},
                            {"ph", "X"},
                            {"pid", kPid},
                            {"tid", src},
                            {"ts", us(start)},
                            {"dur", us(end - start)},
                            {"args", {{"dw0", fmt::format("{:#018x}", c.dw0)}, {"dw1", fmt::format("{:#018x}", c.dw1)}}}});
    });
    // Interrupts: observe every assertion without taking the handler slot.
    IrqController& irqc = soc.irqc();
    irqc.add_listener([this, &irqc, irq_tid](unsigned irq) {
        emit(nlohmann::json{{"name", irqc.line_name(irq)},
                            {"ph", "i"},
                            {"s", "t"},
                            {"pid", kPid},
                            {"tid", irq_tid},
                            {"ts", us(sc_core::sc_time_stamp())}});
    });
}

Timeline::~Timeline() = default;  // not closed: not written (outputs.h)

void Timeline::cpu_span(const std::string& name, const sc_core::sc_time& start, const sc_core::sc_time& end,
                        const std::string& where)
{
    emit(nlohmann::json{{"name", name},
                        {"ph", "X"},
                        {"pid", kPid},
                        {"tid", cpu_tid_},
                        {"ts", us(start)},
                        {"dur", us(end - start)},
                        {"args", {{"trace", where}}}});
}

void Timeline::emit(const nlohmann::json& event)
{
    if (!out_->is_open())
        return;
    out_->write(events_ ? ",\n" : "");
    out_->write(json_text(event));
    events_++;
}

bool Timeline::close()
{
    if (out_->is_open())
        out_->write("\n]\n");
    return out_->close();
}

}  // namespace smmusim
